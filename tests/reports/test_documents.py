"""Printed documents without printing: the words of the format, the letterhead and its form, who may print and set
what, the directive's sentences, the HTML preview, and how many queries a document runs.

The PDF itself is read in tests/reports/test_pdf.py; here reports.documents.views.render_pdf is replaced by a stub that
keeps the HTML it was given, so these tests stay fast.

Kon Tum in December 2024 (the sample standard set, tests/criteria/samples.py: criterion 10, income, is key), on
10 January 2025: Đắk Pék meets everything; Đắk Môn (recognised in 2023) fails criteria 10 and 11, at risk of
revocation; Đắk Xú (recognised in 2022) fails criterion 11 only, watched. The two thị trấn sent nothing for December
and the 25th has passed.
"""

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communes.models import AdministrativeUnit, Kind, Level, Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus
from records.models import CommunePlan, Recognition, Target, TargetKind
from reports.documents import builders
from reports.documents import views as document_views
from reports.documents.builders import (
    DIRECTIVE_BODY,
    directive_year,
    letterhead,
    official_date,
    settings_for,
    template_errors,
)
from reports.documents.directive import directive_document, directive_paragraphs
from reports.models import DocumentKind, DocumentSettings, Status
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UserFactory, unit

pytestmark = pytest.mark.django_db

NOV, DEC = dt.date(2024, 11, 1), dt.date(2024, 12, 1)
MONTH = "2024-12"
KINDS = ["province", "district", "commune", "directive"]
# The unit each kind is printed for in these tests: Kon Tum, Huyện Đắk Glei, Xã Đắk Pék.
CODES = {"province": "62", "district": "610", "commune": "23353", "directive": "62"}
STUB_PDF = b"%PDF-1.7\n% stub\n"


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """10 January 2025, noon in Vietnam: December's reports were due on the 25th."""
    moment = timezone.make_aware(dt.datetime(2025, 1, 10, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture(autouse=True)
def printed(monkeypatch):
    """The HTML each PDF would have been rendered from; WeasyPrint is not run here."""
    pages: list[str] = []

    def render_pdf(source: str) -> bytes:
        pages.append(source)
        return STUB_PDF

    monkeypatch.setattr(document_views, "render_pdf", render_pdf)
    return pages


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _summary(met: int, failed: list[int], key_failed: list[int] | None = None) -> dict:
    return {
        "met": not failed,
        "reached": not failed,
        "criteria_met": met,
        "criteria_total": 3,
        "failed": failed,
        "key_failed": key_failed or [],
        "no_data": [],
        "failing": {},
    }


def _status(commune, programme, *, period=DEC, tier="", met=3, failed=(), key_failed=()) -> Status:
    return Status.objects.create(
        unit=commune,
        period=period,
        programme=programme,
        tier=tier,
        criteria_met=met,
        criteria_total=3,
        sets={"commune-standard": _summary(met, list(failed), list(key_failed))},
    )


def _recognise(commune, programme, *, tier="standard", number="1234/QĐ-UBND", day=dt.date(2023, 12, 20)):
    return Recognition.objects.create(
        unit=commune,
        tier=tier,
        programme=programme,
        decision_number=number,
        decision_date=day,
        issuer="UBND tỉnh Kon Tum",
    )


@pytest.fixture
def programme(db):
    import_criteria_text(STANDARD)
    return Programme.objects.get(code="2021-2025")


@pytest.fixture
def kon_tum(tree, programme):
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    _status(tree.dak_pek, programme, tier="standard", met=3)
    _status(tree.dak_mon, programme, met=1, failed=[10, 11], key_failed=[10])
    _status(dak_xu, programme, met=2, failed=[11])
    _recognise(tree.dak_mon, programme)
    _recognise(dak_xu, programme, number="567/QĐ-UBND", day=dt.date(2022, 11, 2))
    for commune in (tree.dak_pek, tree.dak_mon, dak_xu):
        Report.objects.create(unit=commune, period=DEC, programme=programme, status=ReportStatus.APPROVED)
    Target.objects.create(
        unit=tree.province, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=2
    )
    return tree


@pytest.fixture
def viewer_user(tree):
    return MembershipFactory(unit=tree.province, role=Role.VIEWER).user


def _pdf_url(kind: str, code: str | None = None, month: str = MONTH) -> str:
    # Built by hand, not reversed: the tests also ask for months the URL converter would refuse to reverse.
    return f"/pdf/{kind}/{code or CODES[kind]}/{month}/"


def _form_url(kind: str, code: str | None = None, month: str = MONTH) -> str:
    return f"{_pdf_url(kind, code, month)}form/"


def _unit(kind: str) -> AdministrativeUnit:
    level = {"province": Level.PROVINCE, "directive": Level.PROVINCE, "district": Level.DISTRICT}.get(kind, "commune")
    return AdministrativeUnit.objects.get(code=CODES[kind], level=level)


def _form_data(kind: str, period: dt.date = DEC, **changes) -> dict:
    """What the form would post untouched (its starting values), with some fields changed."""
    _saved, values = settings_for(kind, _unit(kind), period)
    data = {
        name: "" if value is None else (value.isoformat() if isinstance(value, dt.date) else value)
        for name, value in values.items()
    }
    if kind != DocumentKind.DIRECTIVE:
        data.pop("body")
    return data | changes


def _text(response) -> str:
    """The page's text without its tags, entities decoded and whitespace collapsed (a figure space too)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _sheet(page: str) -> str:
    """The printed sheet of a document's HTML (what the PDF shows; the preview adds a bar around it)."""
    return re.search(r'<article class="sheet">.*</article>', page, re.S).group(0)


# ---------------------------------------------------------------- words of the format


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 1, 5), "ngày 05 tháng 01 năm 2025"),
        (dt.date(2025, 2, 28), "ngày 28 tháng 02 năm 2025"),
        (dt.date(2025, 3, 12), "ngày 12 tháng 3 năm 2025"),
        (dt.date(2024, 12, 9), "ngày 09 tháng 12 năm 2024"),
        (dt.date(2024, 10, 1), "ngày 01 tháng 10 năm 2024"),
    ],
)
def test_official_date_takes_nd_30s_leading_zeros(day, expected):
    assert official_date(day) == expected


@pytest.mark.parametrize(
    ("period", "year"),
    [(dt.date(2024, 1, 1), 2024), (dt.date(2024, 9, 1), 2024), (dt.date(2024, 10, 1), 2025), (DEC, 2025)],
)
def test_a_directive_from_october_on_steers_the_year_ahead(period, year):
    assert directive_year(period) == year


def test_filename_says_what_whose_and_when(tree):
    assert builders.filename("province", tree.province, DEC) == "bao-cao-ntm-62-2024-12.pdf"
    assert builders.filename("district", tree.dak_glei, DEC) == "bao-cao-ntm-huyen-610-2024-12.pdf"
    assert builders.filename("commune", tree.dak_pek, DEC) == "bao-cao-tieu-chi-xa-23353-2024-12.pdf"
    assert builders.filename("directive", tree.province, DEC) == "du-thao-chi-thi-62-2024-12.pdf"


# ---------------------------------------------------------------- the directive's wording


def test_a_numbered_paragraph_left_empty_is_dropped_and_the_rest_renumbered():
    body = (
        "Mở đầu: $ket_qua\n\n$chua_dat_yeu_cau\n\n1. Thứ nhất.\n\n2. $xa_ke_hoach\n\n3.   $huyen_cham_tien_do\n\n"
        "4. Cuối $nam."
    )
    facts = {
        "ket_qua": "có 02 xã",
        "chua_dat_yeu_cau": "",
        "xa_ke_hoach": "",
        "huyen_cham_tien_do": "Chậm.",
        "nam": "2025",
    }
    assert directive_paragraphs(body, facts) == ["Mở đầu: có 02 xã", "1. Thứ nhất.", "2. Chậm.", "3. Cuối 2025."]


def test_a_paragraphs_lines_are_joined_and_a_placeholder_inside_a_sentence_keeps_it():
    body = "2. Duy trì\n   các tiêu chí. $xa_nguy_co\n\n\n\n3. $xa_qua_han"
    assert directive_paragraphs(body, {"xa_nguy_co": "", "xa_qua_han": "Quá hạn."}) == [
        "1. Duy trì các tiêu chí.",
        "2. Quá hạn.",
    ]


def test_the_default_wording_uses_known_placeholders_only():
    assert template_errors(DIRECTIVE_BODY) == []
    names = set(re.findall(r"\$([a-z_]+)", DIRECTIVE_BODY))
    assert names <= set(builders.DIRECTIVE_PLACEHOLDERS)
    assert names >= {"ket_qua", "xa_nguy_co", "xa_ke_hoach", "huyen_cham_tien_do", "xa_qua_han"}


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("Năm $nam, tỉnh ${tinh}.", []),
        ("Giá 100$$ một tấn.", []),
        ("Xem $khong_co.", ["Không có biến $khong_co: chỉ dùng các biến được liệt kê."]),
        ("Xem ${khong_co} và $nam.", ["Không có biến $khong_co: chỉ dùng các biến được liệt kê."]),
        ("Giá 100 $ một tấn.", ['Dấu $ đứng một mình: viết "$$" để in ký hiệu $.']),
        (
            "$la và $",
            ["Không có biến $la: chỉ dùng các biến được liệt kê.", 'Dấu $ đứng một mình: viết "$$" để in ký hiệu $.'],
        ),
    ],
)
def test_template_errors_name_unknown_placeholders_and_lone_dollars(text, errors):
    assert template_errors(text) == errors


# ---------------------------------------------------------------- the directive's facts


@pytest.fixture
def steering(tree, programme):
    """October 2024 (so the directive steers 2025): four recognised communes fail the key criterion and one more,
    three of them in Huyện Đắk Glei; plans for 2024 and 2025; Ngọc Hồi promised to be a huyện NTM in 2025,
    Đắk Glei was recognised already."""
    period = dt.date(2024, 10, 1)
    dak_choong = unit("23344", "Xã Đắk Choong", Level.COMMUNE, tree.dak_glei)
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    sa_loong = unit("23392", "Xã Sa Loong", Level.COMMUNE, tree.ngoc_hoi)
    for commune in (tree.dak_pek, tree.dak_mon, dak_choong, dak_xu):
        _status(commune, programme, period=period, met=1, failed=[10, 11], key_failed=[10])
        _recognise(commune, programme, number=f"{commune.code}/QĐ-UBND")
    _status(sa_loong, programme, period=period, tier="standard", met=3)
    CommunePlan.objects.create(unit=sa_loong, tier="advanced", year=2025)
    CommunePlan.objects.create(unit=dak_xu, tier="advanced", year=2025)
    CommunePlan.objects.create(unit=dak_choong, tier="advanced", year=2025)
    CommunePlan.objects.create(unit=tree.dak_mon, tier="advanced", year=2024)  # not the directive's year
    for district in (tree.dak_glei, tree.ngoc_hoi):
        Target.objects.create(
            unit=district, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.DISTRICT, tier="standard", value=1
        )
    _recognise(tree.dak_glei, programme, number="99/QĐ-TTg", day=dt.date(2024, 6, 1))
    Target.objects.create(
        unit=tree.province, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=8
    )
    return period


def test_directive_facts_name_at_risk_communes_by_district(tree, steering, office_user):
    facts = directive_document(province=tree.province, period=steering, user=office_user)["facts"]
    assert facts["nam"] == "2025"
    assert facts["thang"] == "10/2024"
    assert facts["tinh"] == "tỉnh Kon Tum"
    assert "04 xã nông thôn mới hiện nay có số tiêu chí không duy trì đạt chuẩn vượt ngưỡng" in facts["xa_nguy_co"]
    # As Chỉ thị 05 names them: a district's several communes by short name, a lone one with its kind.
    assert (
        "(các xã: Đắk Choong, Đắk Môn và Đắk Pék thuộc huyện Đắk Glei; xã Đắk Xú thuộc huyện Ngọc Hồi)"
        in (facts["xa_nguy_co"])
    )
    assert "04 xã đã được công nhận có số tiêu chí không duy trì đạt chuẩn vượt ngưỡng" in facts["chua_dat_yeu_cau"]


def test_directive_facts_count_results_against_the_plan(tree, steering, office_user):
    facts = directive_document(province=tree.province, period=steering, user=office_user)["facts"]
    # Four of five xã recognised (Sa Loong only by its figures), the plan for 2025 is eight: 50 %.
    assert "đến tháng 10/2024 toàn tỉnh có 04/5 xã được công nhận đạt chuẩn nông thôn mới" in facts["ket_qua"]
    assert "01 xã đáp ứng đủ các tiêu chí xã đạt chuẩn, bình quân đạt 1,4 tiêu chí/xã" in facts["ket_qua"]
    assert "So với kế hoạch năm 2025 (8 xã), đạt 50,0% kế hoạch." in facts["ket_qua"]


def test_directive_facts_name_the_plans_of_the_directive_year(tree, steering, office_user):
    facts = directive_document(province=tree.province, period=steering, user=office_user)["facts"]
    plans = facts["xa_ke_hoach"]
    assert (
        "chỉ đạo hoàn thành kế hoạch năm 2025: 03 xã đạt chuẩn nông thôn mới nâng cao (xã Đắk Choong thuộc huyện "
        "Đắk Glei; các xã: Đắk Xú và Sa Loong thuộc huyện Ngọc Hồi)"
    ) in plans
    assert "Đắk Môn" not in plans  # planned for 2024


def test_directive_facts_list_districts_behind_their_plan(tree, steering, office_user):
    facts = directive_document(province=tree.province, period=steering, user=office_user)["facts"]
    behind = facts["huyen_cham_tien_do"]
    assert behind.startswith("Ủy ban nhân dân huyện Đắk Glei và huyện Ngọc Hồi cần tăng cường các giải pháp")
    # Ngọc Hồi promised to be recognised in 2025 and is not; its Đắk Xú and Sa Loong, planned for nâng cao in
    # 2025, are not there by their figures.
    assert (
        "Ngọc Hồi: chưa được công nhận huyện nông thôn mới (kế hoạch năm 2025), 02/02 xã có kế hoạch năm 2025 chưa "
        "đạt mức phấn đấu theo số liệu."
    ) in behind
    # Huyện Đắk Glei is recognised; its Đắk Choong planned for 2025 is behind, so it is named for that alone.
    assert "Đắk Glei: 01/01 xã có kế hoạch năm 2025 chưa đạt mức phấn đấu theo số liệu;" in behind
    assert "Đắk Glei: chưa được công nhận" not in behind
    assert "02 huyện chưa bảo đảm tiến độ kế hoạch" in facts["chua_dat_yeu_cau"]


def test_directive_facts_of_a_quiet_month_leave_their_paragraphs_out(tree, programme, office_user):
    period = dt.date(2024, 9, 1)
    _status(tree.dak_pek, programme, period=period, tier="standard", met=3)
    context = directive_document(province=tree.province, period=period, user=office_user)
    facts = context["facts"]
    assert facts["nam"] == "2024"
    assert facts["xa_nguy_co"] == facts["xa_ke_hoach"] == facts["huyen_cham_tien_do"] == ""
    assert facts["chua_dat_yeu_cau"] == ""
    paragraphs = context["paragraphs"]
    # Items 3 and 4 (plans, districts behind) are gone; what was item 5 is now 3, and 6 is 4.
    numbers = [p.split(".", 1)[0] for p in paragraphs if re.match(r"^\d+\.", p)]
    assert numbers == ["1", "2", "3", "4"]
    assert paragraphs[-2].startswith("4. Các sở, ngành được phân công phụ trách tiêu chí")
    # Every placeholder was filled; September's overdue communes (none has a report) still get their sentence.
    assert "$" not in " ".join(paragraphs)
    # Only judged communes (applies_to: [xa]): the towns are not asked for NTM figures.
    overdue = "Đến nay còn 03 đơn vị chưa gửi số liệu tháng 09/2024 đã quá hạn (xã Đắk Môn, xã Đắk Pék, xã Đắk Xú)."
    assert overdue in paragraphs[-3]


# ---------------------------------------------------------------- the letterhead


def test_a_directive_is_a_draft_until_number_signer_and_recipients_are_saved_for_the_month(tree, office_user):
    assert letterhead("directive", tree.province, DEC).draft
    DocumentSettings.objects.create(
        unit=tree.province, kind="directive", period=NOV, number="3", signer_name="Nguyễn Văn An", recipients="A;"
    )
    # November's signer and recipients carry forward, but December has saved nothing yet.
    assert letterhead("directive", tree.province, DEC).draft
    assert not letterhead("directive", tree.province, NOV).draft
    december = DocumentSettings.objects.create(
        unit=tree.province, kind="directive", period=DEC, number="", signer_name="Nguyễn Văn An", recipients="A;"
    )
    assert letterhead("directive", tree.province, DEC).draft  # no number yet
    december.number, december.signer_name = "4", "  "
    december.save()
    assert letterhead("directive", tree.province, DEC).draft  # no signer
    december.signer_name = "Nguyễn Văn An"
    december.save()
    assert not letterhead("directive", tree.province, DEC).draft
    # Reports are never drafts.
    assert not letterhead("province", tree.province, DEC).draft


def test_letterhead_defaults_follow_the_issuing_body(tree):
    province = letterhead("province", tree.province, DEC)
    assert province.parent_body == ["BCĐ CÁC CTMTQG TỈNH KON TUM"]
    assert province.issuing_body == ["VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI"]
    assert province.number_line == "Số: \u2007\u2007\u2007\u2007\u2007/BC-VPĐP"
    assert province.date_line == "Kon Tum, ngày 10 tháng 01 năm 2025"  # not yet issued: today
    district = letterhead("district", tree.dak_glei, DEC)
    assert district.issuing_body == ["ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK GLEI"]
    assert district.sign_for == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert district.date_line.startswith("Đắk Glei, ")
    commune = letterhead("commune", tree.dak_pek, DEC)
    assert commune.issuing_body == ["ỦY BAN NHÂN DÂN", "XÃ ĐẮK PÉK"]
    assert commune.recipients[0] == "UBND huyện Đắk Glei (b/c);"
    assert commune.title == "Kết quả thực hiện các tiêu chí nông thôn mới của xã Đắk Pék tháng 12/2024"
    directive = letterhead("directive", tree.province, DEC)
    assert directive.doc_type == "CHỈ THỊ"
    assert directive.issuing_body == ["ỦY BAN NHÂN DÂN", "TỈNH KON TUM"]
    assert directive.title.endswith("xây dựng nông thôn mới năm 2025")
    assert directive.number_line.endswith("/CT-UBND")


# ---------------------------------------------------------------- the preview is the PDF's HTML


@pytest.mark.parametrize("kind", KINDS)
def test_preview_shows_the_sheet_the_pdf_is_printed_from(kon_tum, office_client, printed, kind):
    preview = office_client.get(_pdf_url(kind) + "?preview=1")
    assert preview.status_code == 200
    assert preview["Content-Type"].startswith("text/html")
    pdf = office_client.get(_pdf_url(kind))
    assert pdf.status_code == 200
    assert pdf.content == STUB_PDF
    [source] = printed
    # One context builder: the printed sheet is the same, the preview only adds its bar of actions.
    assert _sheet(preview.content.decode()) == _sheet(source)
    assert "preview-bar" in preview.content.decode()
    assert "preview-bar" not in source
    text = _text(preview)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert preview.context["doc"].title in text


def test_province_preview_carries_the_months_figures(kon_tum, office_client):
    response = office_client.get(_pdf_url("province") + "?preview=1")
    text = _text(response)
    assert "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI" in text
    assert "Số: /BC-VPĐP" in text  # the number's space left blank for the clerk
    assert "Kon Tum, ngày 10 tháng 01 năm 2025" in text
    assert "BÁO CÁO Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới tháng 12/2024" in text
    # Two recognised of three xã, one by the figures, plan 2025: 2, reached in full.
    assert "Đạt chuẩn NTM 2/3 1 2 (2025) 100%" in text
    assert "Xã Đắk Môn Huyện Đắk Glei Đạt chuẩn NTM 1234/QĐ-UBND 2/3 (66,7%): 10, 11 10 Nguy cơ thu hồi" in text
    assert "Thị trấn" not in text  # the towns sent nothing, but a town is not judged: no overdue line
    assert response.context["tier_rows"][0].recognised == 2
    # The preview's bar leads to the PDF, the form and back to the dashboard of the month.
    page = response.content.decode()
    assert f'href="{_pdf_url("province")}"' in page
    assert f'href="{_form_url("province")}"' in page
    assert f'href="{reverse("reports:province-dashboard", args=["62"])}?month={MONTH}"' in page


def test_saved_settings_print_on_the_preview(kon_tum, office_client):
    data = _form_data(
        "province",
        number="15",
        issued_on="2025-01-05",
        signer_name="Trần Thị Bích Ngọc",
        recipients="Như trên;\nLưu: VT.",
    )
    assert office_client.post(_form_url("province"), data).status_code == 302
    text = _text(office_client.get(_pdf_url("province") + "?preview=1"))
    assert "Số: 15/BC-VPĐP" in text
    assert "Kon Tum, ngày 05 tháng 01 năm 2025" in text
    assert "Trần Thị Bích Ngọc" in text
    assert "Nơi nhận: Như trên; Lưu: VT." in text
    assert "(họ và tên người ký)" not in text


# ---------------------------------------------------------------- the form


@pytest.mark.parametrize(
    ("kind", "symbol", "issuing_body"),
    [
        ("province", "BC-VPĐP", "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI"),
        ("district", "BC-UBND", "ỦY BAN NHÂN DÂN\nHUYỆN ĐẮK GLEI"),
        ("commune", "BC-UBND", "ỦY BAN NHÂN DÂN\nXÃ ĐẮK PÉK"),
        ("directive", "CT-UBND", "ỦY BAN NHÂN DÂN\nTỈNH KON TUM"),
    ],
)
def test_form_starts_from_the_defaults(tree, office_client, kind, symbol, issuing_body):
    response = office_client.get(_form_url(kind))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["symbol"].value() == symbol
    assert form["issuing_body"].value() == issuing_body
    assert form["number"].value() == ""
    page = html.unescape(response.content.decode())
    assert f'name="symbol" value="{symbol}"' in page
    assert ("$ket_qua" in page) == (kind == "directive")  # the wording and its placeholders: directive only
    assert ('name="body"' in page) == (kind == "directive")


def test_saving_the_form_remembers_the_month_and_who_set_it(tree, office_user, office_client):
    data = _form_data("province", number="15", issued_on="2025-01-05", signer_name="Trần Thị Bích Ngọc")
    response = office_client.post(_form_url("province"), data)
    assert response.status_code == 302
    assert response["Location"] == _pdf_url("province")
    saved = DocumentSettings.objects.get()
    assert (saved.unit, saved.kind, saved.period) == (tree.province, "province", DEC)
    assert (saved.number, saved.issued_on, saved.signer_name) == ("15", dt.date(2025, 1, 5), "Trần Thị Bích Ngọc")
    assert saved.symbol == "BC-VPĐP"
    assert saved.updated_by == office_user
    # Saving again edits the month's settings, and may go to the preview.
    response = office_client.post(_form_url("province"), data | {"number": "16", "then": "preview"})
    assert response["Location"] == _pdf_url("province") + "?preview=1"
    assert DocumentSettings.objects.get().number == "16"
    # Another kind of the same unit and month is another row.
    office_client.post(_form_url("directive"), _form_data("directive", number="2", then="pdf"))
    assert DocumentSettings.objects.count() == 2
    assert DocumentSettings.objects.get(kind="directive").body == DIRECTIVE_BODY.strip()


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        ("province", "number", "15a", "Số văn bản: chỉ gồm chữ số Ả Rập (Nghị định 30/2020), ví dụ 15."),
        ("province", "number", "1234567", "Số văn bản: chỉ gồm chữ số Ả Rập (Nghị định 30/2020), ví dụ 15."),
        ("province", "symbol", "BC/VPĐP", "Ký hiệu: tên loại văn bản và cơ quan nối bằng gạch nối"),
        ("province", "symbol", "BC VPĐP", "Ký hiệu: tên loại văn bản và cơ quan nối bằng gạch nối"),
        ("province", "symbol", "", "Ký hiệu: không được để trống."),
        ("province", "title", "", "Trích yếu: không được để trống."),
        ("district", "issuing_body", "  ", "Cơ quan ban hành: không được để trống."),
        ("commune", "place", "", "Địa danh: không được để trống."),
        ("commune", "signer_title", "", "Chức vụ người ký: không được để trống."),
        ("province", "issued_on", "2019-05-01", "Ngày ban hành: năm phải từ 2021 đến 2031."),
        ("province", "issued_on", "2025-13-05", "Ngày ban hành: nhập ngày theo dạng ngày/tháng/năm"),
        (
            "directive",
            "body",
            DIRECTIVE_BODY + "\n\n7. $khong_co",
            "Nội dung: Không có biến $khong_co: chỉ dùng các biến được liệt kê.",
        ),
        ("directive", "body", "Giá 5 $ một tấn.", 'Nội dung: Dấu $ đứng một mình: viết "$$" để in ký hiệu $.'),
    ],
)
def test_invalid_settings_are_explained_and_nothing_is_saved(tree, office_client, kind, field, value, message):
    DocumentSettings.objects.create(unit=tree.province, kind="province", period=NOV, number="9", symbol="BC-VPĐP")
    response = office_client.post(_form_url(kind), _form_data(kind, **{field: value}))
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert list(response.context["form"].errors) == [field]
    assert DocumentSettings.objects.count() == 1


def test_next_month_starts_from_the_units_standing_choices_not_its_number_or_title(tree, office_client):
    november = _form_data(
        "province",
        NOV,
        number="15",
        issued_on="2024-12-05",
        title="Báo cáo đặc biệt tháng 11",
        issuing_body="VĂN PHÒNG ĐIỀU PHỐI\nCHƯƠNG TRÌNH NÔNG THÔN MỚI",
        signer_name="Trần Thị Bích Ngọc",
        signer_title="PHÓ CHÁNH VĂN PHÒNG",
        recipients="UBND tỉnh (b/c);\nSở Nông nghiệp và PTNT;\nLưu: VT.",
    )
    assert office_client.post(_form_url("province", month="2024-11"), november).status_code == 302
    response = office_client.get(_form_url("province"))
    form = response.context["form"]
    assert response.context["saved"] is None
    assert form["signer_name"].value() == "Trần Thị Bích Ngọc"
    assert form["signer_title"].value() == "PHÓ CHÁNH VĂN PHÒNG"
    assert form["recipients"].value() == "UBND tỉnh (b/c);\nSở Nông nghiệp và PTNT;\nLưu: VT."
    assert form["issuing_body"].value() == "VĂN PHÒNG ĐIỀU PHỐI\nCHƯƠNG TRÌNH NÔNG THÔN MỚI"
    assert form["number"].value() == ""
    assert form["issued_on"].value() is None
    assert form["title"].value() == "Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới tháng 12/2024"
    # December's document prints them without anything saved for December.
    text = _text(office_client.get(_pdf_url("province") + "?preview=1"))
    assert "VĂN PHÒNG ĐIỀU PHỐI CHƯƠNG TRÌNH NÔNG THÔN MỚI" in text
    assert "Sở Nông nghiệp và PTNT;" in text
    assert "PHÓ CHÁNH VĂN PHÒNG Trần Thị Bích Ngọc" in text
    assert "Báo cáo đặc biệt tháng 11" not in text
    assert "15/BC-VPĐP" not in text
    # Other units and kinds keep their own.
    assert _client_form_value(office_client, "directive", "signer_name") == ""


def _client_form_value(client, kind: str, field: str):
    return client.get(_form_url(kind)).context["form"][field].value()


def test_standing_fields_come_from_the_latest_earlier_month(tree):
    DocumentSettings.objects.create(
        unit=tree.province, kind="province", period=dt.date(2024, 10, 1), signer_name="Trần Thị Bích Ngọc"
    )
    DocumentSettings.objects.create(
        unit=tree.province, kind="province", period=dt.date(2025, 2, 1), signer_name="Lê Văn Mới"
    )
    _saved, values = settings_for("province", tree.province, NOV)
    assert values["signer_name"] == "Trần Thị Bích Ngọc"


def test_an_issue_date_typed_day_first_is_read_day_first(tree, office_client):
    response = office_client.post(_form_url("province"), _form_data("province", issued_on="05/01/2025"))
    assert response.status_code == 302
    assert DocumentSettings.objects.get().issued_on == dt.date(2025, 1, 5)


# ---------------------------------------------------------------- who may print and set what


def _user(tree, role: str):
    return {
        "office": lambda: MembershipFactory(unit=tree.province, role=Role.OFFICE).user,
        "district": lambda: MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user,
        "viewer": lambda: MembershipFactory(unit=tree.province, role=Role.VIEWER).user,
        "nobody": lambda: UserFactory(),
        "admin": lambda: UserFactory(is_superuser=True, is_staff=True),
    }[role]()


@pytest.mark.parametrize(
    ("role", "kind", "code", "expected"),
    [
        ("office", "province", "62", 200),
        ("office", "directive", "62", 200),
        ("office", "district", "611", 200),
        ("office", "commune", "23380", 200),
        ("office", "province", "64", 404),  # Gia Lai
        ("office", "district", "625", 404),
        ("office", "commune", "23617", 404),
        ("district", "district", "610", 200),
        ("district", "commune", "23353", 200),
        ("district", "province", "62", 404),  # the province above the district is not in its scope
        ("district", "directive", "62", 404),
        ("district", "province", "64", 404),
        ("district", "district", "611", 404),  # the other district
        ("district", "commune", "23380", 404),
        ("viewer", "province", "62", 200),
        ("viewer", "directive", "62", 200),
        ("nobody", "province", "62", 404),
        ("admin", "province", "64", 200),
        # A code of the wrong level for the document.
        ("office", "province", "610", 404),
        ("office", "directive", "23353", 404),
        ("office", "district", "23353", 404),
        ("office", "district", "62", 404),
        ("office", "commune", "610", 404),
        ("office", "province", "62001", 404),  # no such unit
    ],
)
def test_documents_and_their_forms_answer_404_outside_the_users_scope(tree, role, kind, code, expected):
    client = _client(_user(tree, role))
    for url in (_pdf_url(kind, code), _pdf_url(kind, code) + "?preview=1", _form_url(kind, code)):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("month", ["2024-13", "2024-00", "2024-5", "12-2024", "latest"])
def test_a_month_that_is_no_month_answers_404(tree, office_client, month):
    for kind in ("province", "commune"):
        assert office_client.get(_pdf_url(kind, month=month)).status_code == 404
        assert office_client.get(_form_url(kind, month=month)).status_code == 404


def test_documents_require_login(client, tree):
    for url in (_pdf_url("province"), _pdf_url("directive") + "?preview=1", _form_url("district")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    response = client.post(_form_url("province"), {"number": "1"})
    assert response.status_code == 302
    assert not DocumentSettings.objects.exists()


def test_a_pdf_is_served_inline_under_its_filename(tree, office_client):
    response = office_client.get(_pdf_url("district", "611"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bao-cao-ntm-huyen-611-2024-12.pdf"'


def test_documents_answer_get_only(tree, office_client):
    assert office_client.post(_pdf_url("province")).status_code == 405
    assert office_client.put(_form_url("province")).status_code == 405


@pytest.mark.parametrize("kind", KINDS)
def test_a_viewer_prints_but_may_not_set(tree, viewer_user, kind):
    client = _client(viewer_user)
    assert client.get(_pdf_url(kind)).status_code == 200
    page = client.get(_form_url(kind))
    assert page.status_code == 200
    assert not page.context["editable"]
    assert 'name="symbol"' not in page.content.decode()
    assert "thông tin in do văn phòng điều phối" in page.content.decode()
    response = client.post(_form_url(kind), _form_data(kind, number="5"))
    assert response.status_code == 403
    assert not DocumentSettings.objects.exists()


@pytest.mark.parametrize(
    ("kind", "code", "expected"),
    [
        ("district", "610", 302),  # their own district's report
        ("commune", "23353", 302),  # and their communes'
        ("province", "62", 404),  # the province is outside their scope altogether
        ("directive", "62", 404),
        ("district", "611", 404),
    ],
)
def test_a_district_official_sets_their_districts_documents(tree, district_user, kind, code, expected):
    client = _client(district_user)
    url = _form_url(kind, code)
    data = {
        "issuing_body": "ỦY BAN NHÂN DÂN\nHUYỆN X",
        "symbol": "BC-UBND",
        "place": "Đắk Glei",
        "title": "Báo cáo",
        "signer_title": "PHÓ CHỦ TỊCH",
        "number": "7",
    }
    response = client.post(url, data)
    assert response.status_code == expected
    assert DocumentSettings.objects.count() == (1 if expected == 302 else 0)
    if expected == 302:
        assert DocumentSettings.objects.get().updated_by == district_user
        assert client.get(url).context["editable"]


def test_a_department_reads_the_documents_but_sets_none(tree):
    # A department official (Role.DEPARTMENT) reads the province but sets nothing.
    user = MembershipFactory(unit=tree.province, role=Role.DEPARTMENT).user
    client = _client(user)
    assert client.get(_form_url("district")).status_code == 200
    assert client.post(_form_url("district"), _form_data("district")).status_code == 403


@pytest.mark.parametrize("kind", KINDS)
def test_the_office_sets_every_document_of_its_province(tree, office_client, kind):
    response = office_client.post(_form_url(kind), _form_data(kind, number="12"))
    assert response.status_code == 302
    assert DocumentSettings.objects.get(kind=kind).unit == _unit(kind)


# ---------------------------------------------------------------- the dashboards lead to the documents


def test_dashboards_link_their_documents_forms_and_exports(kon_tum, office_client):
    pages = {
        "province": office_client.get(reverse("reports:province-dashboard", args=["62"]) + f"?month={MONTH}"),
        "district": office_client.get(reverse("reports:district-dashboard", args=["610"]) + f"?month={MONTH}"),
        "commune": office_client.get(reverse("reports:scorecard", args=["23353"]) + f"?month={MONTH}"),
    }
    for kind, response in pages.items():
        page = response.content.decode()
        code = CODES[kind]
        assert f'href="{_pdf_url(kind)}"' in page, kind
        assert f'href="{_form_url(kind)}"' in page, kind
        assert f'href="{reverse("reports:excel-statuses", args=[code, MONTH])}"' in page, kind
        assert f'href="{reverse("reports:excel-values", args=[code, MONTH])}"' in page, kind
    province = pages["province"].content.decode()
    assert f'href="{_pdf_url("directive")}"' in province
    assert f'href="{_form_url("directive")}"' in province
    assert _pdf_url("directive") not in pages["district"].content.decode()


# ---------------------------------------------------------------- queries, pinned


def _grow(tree, programme, count: int) -> None:
    """`count` more rural communes under Huyện Ngọc Hồi with November and December statuses, some recognised and
    at risk, planned for 2025, and half of them reporting: everything the documents read, made in bulk."""
    communes = []
    for i in range(count):
        commune = AdministrativeUnit(
            code=f"9{i:05d}",
            name=f"Xã Thử {i}",
            short_name=f"Thử {i}",
            level=Level.COMMUNE,
            kind=Kind.XA,
            parent=tree.ngoc_hoi,
        )
        commune.refresh_derived_fields()
        communes.append(commune)
    AdministrativeUnit.objects.bulk_create(communes)
    communes = list(AdministrativeUnit.objects.filter(parent=tree.ngoc_hoi, code__startswith="9"))
    statuses, recognitions, plans, reports = [], [], [], []
    for i, commune in enumerate(communes):
        met = i % 4
        failed = [1, 10, 11][met:]
        for period in (NOV, DEC):
            statuses.append(
                Status(
                    unit=commune,
                    period=period,
                    programme=programme,
                    tier="standard" if met == 3 else "",
                    criteria_met=met,
                    criteria_total=3,
                    sets={"commune-standard": _summary(met, failed, [n for n in failed if n == 10])},
                )
            )
        if i % 3 == 0:
            recognitions.append(
                Recognition(
                    unit=commune,
                    tier="standard",
                    programme=programme,
                    decision_number=f"{i}/QĐ-UBND",
                    decision_date=dt.date(2023, 1, 1),
                    issuer="UBND tỉnh",
                )
            )
        if i % 4 == 0:
            plans.append(CommunePlan(unit=commune, tier="standard", year=2025))
        if i % 2 == 0:
            reports.append(Report(unit=commune, period=DEC, programme=programme, status=ReportStatus.APPROVED))
    Status.objects.bulk_create(statuses)
    Recognition.objects.bulk_create(recognitions)
    CommunePlan.objects.bulk_create(plans)
    Report.objects.bulk_create(reports)
    Target.objects.create(
        unit=tree.ngoc_hoi, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.DISTRICT, tier="standard", value=1
    )


@pytest.mark.parametrize("count", [0, 20])
def test_document_previews_run_a_fixed_number_of_queries(
    kon_tum, programme, office_client, count, django_assert_num_queries
):
    _grow(kon_tum, programme, count)
    # session, user, memberships, the province; the dashboard's context (districts and communes, the month's
    # statuses (+ programme), the trend's statuses, recognitions (+ unit), targets, plans, the month's reports,
    # demo units, the units being recomputed (reports.RecomputeMark)); the letterhead: the month's settings, the
    # latest ones; an unverified threshold?; the unit kinds the sets in force judge (reports.services.judged_kinds);
    # first, reports.coverage: the sets' kinds, each commune's first approved month, the months' results and marks.
    # And the sets, in their versions, that judge the month (the yardstick sentence); the per-set summaries of the
    # districts and recognised communes.
    with django_assert_num_queries(22):
        response = office_client.get(_pdf_url("province") + "?preview=1")
    assert response.context["summary"].communes == 3 + count
    # The directive is built on the same facts under its own letterhead: one more, the districts' own targets.
    with django_assert_num_queries(23):
        response = office_client.get(_pdf_url("directive") + "?preview=1")
    assert len(response.context["paragraphs"]) >= 4


def test_recipients_and_wording_have_length_limits(tree, office_client):
    """3,000 recipients would make every later PDF of the unit slow to render: refused with the field named."""
    many = "\n".join(f"- Phòng số {i};" for i in range(3000))
    response = office_client.post(_form_url("province"), _form_data("province", recipients=many))
    assert response.status_code == 200
    assert "Nơi nhận: tối đa 40 dòng và 3000 ký tự (hiện có 3000 dòng" in _text(response)
    response = office_client.post(_form_url("province"), _form_data("province", title="T" * 301))
    assert response.status_code == 200
    assert "301" in _text(response)
    response = office_client.post(_form_url("directive"), _form_data("directive", body="Đoạn" * 7500))
    assert "Nội dung: tối đa 20000 ký tự (hiện có 30000)." in _text(response)
    assert not DocumentSettings.objects.exists()
