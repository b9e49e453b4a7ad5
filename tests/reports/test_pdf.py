"""The printed documents as PDFs, read back with pypdf: A4, Liberation Serif (Times New Roman's twin) only, the
Nghị định 30 letterhead, page numbers from page 2, and the figures of the month as the database holds them.

Rendering takes most of a second, so the documents are rendered once for the module (`printed`) from one Kon Tum,
December 2024, seen on 10 January 2025 (the sample standard set, tests/criteria/samples.py):

- Huyện Đắk Glei: Xã Đắk Pék meets everything (recognised in March 2024); Xã Đắk Môn, recognised in 2023, fails
  criteria 10 (key) and 11: at risk of revocation; Thị trấn Đắk Glei sent nothing for December.
- Huyện Ngọc Hồi, promised to be a huyện NTM in 2025: Xã Đắk Xú, recognised in 2022, fails criterion 11 only;
  Xã Đắk Ang recognised NTM nâng cao, Xã Sa Loong nâng cao by its figures, Xã Đắk Nông's recognition revoked in
  June 2024; Thị trấn Plei Kần sent nothing.
- Plans for 2025 (the year the December directive steers): Đắk Nông and Đắk Xú.
"""

import datetime as dt
import re
import socket
import time
import unicodedata
import urllib.request
from dataclasses import dataclass, field
from io import BytesIO

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from communes.models import AdministrativeUnit, Kind, Level, Role
from criteria.models import Criterion, Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus, Value
from monthly.services import SENT, approve_report, save_values, submit_report
from records.models import CommunePlan, RecognisedTier, Recognition, Target, TargetKind
from reports.documents import builders
from reports.documents.pdf import render_pdf
from reports.models import DocumentSettings, Status
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree, unit

pytestmark = pytest.mark.django_db  # so that the test database is set up before the module's data

NOV, DEC = dt.date(2024, 11, 1), dt.date(2024, 12, 1)
MONTH = "2024-12"
GOOD = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}
WEAK = {"income_per_capita": "40", "poverty_rate": "8", "plan_approved": True}  # fails 10 (key) and 11: 1/3
POOR = {"income_per_capita": "55", "poverty_rate": "8", "plan_approved": True}  # fails 11 only: 2/3

A4 = (595.28, 841.89)  # points
MM = 72 / 25.4
TOP_MARGIN = 20 * MM  # static/css/print.css: @page margin-top
# BaseFont names as WeasyPrint writes them ("ABCDEF+Liberation-Serif-Bold-Italic"), or Times New Roman's.
ALLOWED_FONT = re.compile(
    r"(?:[A-Z]{6}\+)?(?:Liberation-?Serif|Times-?New-?Roman(?:PS)?(?:MT)?)(?:[-,](?:Regular|Bold|Italic|BoldItalic))*"
    r"(?:-(?:Bold|Italic))?(?:MT)?"
)


@dataclass
class Printed:
    """A rendered document: the response's headers, the PDF read back, and what the database says it should show."""

    status: int
    content_type: str
    disposition: str
    content: bytes
    filename: str
    expected: dict = field(default_factory=dict)

    @property
    def reader(self) -> PdfReader:
        return PdfReader(BytesIO(self.content))

    @property
    def pages(self) -> list[str]:
        return [page.extract_text() for page in self.reader.pages]

    @property
    def text(self) -> str:
        """Every page's text, whitespace (a figure space too) collapsed: cells and lines wrap where the layout
        decides."""
        return " ".join(" ".join(self.pages).split())


def _approved(commune, raw, *, official, office, period=DEC):
    report = save_values(unit=commune, period=period, raw=raw, by=official)
    report = submit_report(report=report, by=official)
    return approve_report(report=report, by=office)


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


def _recognise(commune, programme, tier, number, day, **extra):
    return Recognition.objects.create(
        unit=commune,
        tier=tier,
        programme=programme,
        decision_number=number,
        decision_date=day,
        issuer="UBND tỉnh Kon Tum",
        **extra,
    )


def _kon_tum() -> dict:
    """The month's data (see the module's docstring); returns the users and units the documents are printed for."""
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    programme = Programme.objects.get(code="2021-2025")
    office = MembershipFactory(unit=tree.province, role=Role.OFFICE).user
    official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    ngoc_hoi_official = MembershipFactory(unit=tree.ngoc_hoi, role=Role.DISTRICT).user
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    _approved(tree.dak_pek, GOOD, official=official, office=office)
    _approved(tree.dak_mon, WEAK, official=official, office=office)
    _approved(dak_xu, POOR, official=ngoc_hoi_official, office=office)
    for period in (NOV, DEC):
        recompute_statuses(period=period, units=tracked_units(tree.province), programme=programme)
    # Three more xã of Ngọc Hồi whose statuses are set as they are, with approved (figure-less) reports.
    dak_ang = unit("23371", "Xã Đắk Ang", Level.COMMUNE, tree.ngoc_hoi)
    dak_nong = unit("23374", "Xã Đắk Nông", Level.COMMUNE, tree.ngoc_hoi)
    sa_loong = unit("23392", "Xã Sa Loong", Level.COMMUNE, tree.ngoc_hoi)
    for commune, tier, met, failed in [
        (dak_ang, "standard", 3, []),
        (dak_nong, "", 2, [11]),
        (sa_loong, "advanced", 3, []),
    ]:
        Status.objects.create(
            unit=commune,
            period=DEC,
            programme=programme,
            tier=tier,
            criteria_met=met,
            criteria_total=3,
            sets={"commune-standard": _summary(met, failed)},
        )
        Report.objects.create(unit=commune, period=DEC, programme=programme, status=ReportStatus.APPROVED)
    _recognise(tree.dak_pek, programme, "standard", "321/QĐ-UBND", dt.date(2024, 3, 15))
    _recognise(tree.dak_mon, programme, "standard", "1234/QĐ-UBND", dt.date(2023, 12, 20))
    _recognise(dak_xu, programme, "standard", "567/QĐ-UBND", dt.date(2022, 11, 2))
    _recognise(dak_ang, programme, "advanced", "89/QĐ-UBND", dt.date(2021, 12, 1))
    _recognise(
        dak_nong,
        programme,
        "standard",
        "45/QĐ-UBND",
        dt.date(2020, 5, 1),
        revoked_decision_number="678/QĐ-UBND",
        revoked_date=dt.date(2024, 6, 15),
    )
    for tier, value in (("standard", 5), ("advanced", 2)):
        Target.objects.create(
            unit=tree.province, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier=tier, value=value
        )
    Target.objects.create(
        unit=tree.ngoc_hoi, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.DISTRICT, tier="standard", value=1
    )
    CommunePlan.objects.create(unit=dak_nong, tier="standard", year=2025)
    CommunePlan.objects.create(unit=dak_xu, tier="advanced", year=2025)
    CommunePlan.objects.create(unit=tree.dak_pek, tier="advanced", year=2024)  # not the directive's year
    return {"tree": tree, "office": office, "official": official}


def _form_data(kind: str, unit_, period: dt.date, **changes) -> dict:
    _saved, values = builders.settings_for(kind, unit_, period)
    data = {
        name: "" if value is None else (value.isoformat() if isinstance(value, dt.date) else value)
        for name, value in values.items()
    }
    return data | changes


def _expected_province(province: AdministrativeUnit) -> dict:
    """The province report's figures, counted from the rows themselves (not through reports.dashboard)."""
    end = dt.date(2024, 12, 31)
    rural = AdministrativeUnit.objects.filter(path__startswith=province.path, level=Level.COMMUNE, kind=Kind.XA)
    in_force = Recognition.objects.filter(unit__in=rural, decision_date__lte=end).filter(
        Q(revoked_date__isnull=True) | Q(revoked_date__gt=end)
    )
    statuses = Status.objects.filter(unit__in=rural, period=DEC)
    rows = []
    for tier, tiers in (
        ("standard", ["standard", "advanced", "model"]),
        ("advanced", ["advanced", "model"]),
        ("model", ["model"]),
    ):
        target = Target.objects.filter(
            unit=province, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier=tier, year__gte=2024
        ).first()
        recognised = in_force.filter(tier__in=tiers).values("unit").distinct().count()
        computed = statuses.filter(tier__in=tiers).count()
        plan = f"{target.value} ({target.year}) {round(100 * recognised / target.value)}%" if target else "— —"
        rows.append(f"{RecognisedTier(tier).label} {recognised}/{rural.count()} {computed} {plan}")
    watched = [
        r.unit.name for r in in_force.filter(unit__statuses__period=DEC, unit__statuses__tier="").select_related("unit")
    ]
    sent = Report.objects.filter(period=DEC, status__in=SENT).values("unit")
    # Only the kinds the sample sets judge (applies_to: [xa]) are asked for figures.
    overdue = AdministrativeUnit.objects.filter(path__startswith=province.path, level=Level.COMMUNE, kind="xa").exclude(
        pk__in=sent
    )
    return {
        "tier_rows": rows,
        "watched": sorted(watched),
        "overdue": [f"{u.name} ({u.parent.short_name})" for u in overdue.select_related("parent")],
    }


def _expected_district(district: AdministrativeUnit) -> dict:
    statuses = Status.objects.filter(
        unit__parent=district, unit__kind=Kind.XA, unit__level=Level.COMMUNE, period=DEC
    ).select_related("unit")
    return {"communes": sorted((s.unit.name, f"{s.criteria_met}/{s.criteria_total}") for s in statuses)}


def _expected_commune(commune: AdministrativeUnit) -> dict:
    criteria = Criterion.objects.filter(criteria_set__code="commune-standard").prefetch_related("indicators")
    values = Value.objects.filter(report__unit=commune, report__period=DEC).select_related("measure")
    shown = {}
    for value in values:
        if value.number is not None:
            shown[value.measure.code] = f"{value.number.normalize():f}".replace(".", ",")
        elif value.flag is not None:
            shown[value.measure.code] = "Có" if value.flag else "Không"
    return {
        "criteria": [f"{c.number}. {c.name}" for c in criteria],
        "indicators": [f"{i.code} {i.name}" for c in criteria for i in c.indicators.all()],
        "values": shown,
        "units": {v.measure.code: v.measure.unit for v in values},
    }


def _get(client: Client, kind: str, unit_, expected: dict | None = None) -> Printed:
    response = client.get(reverse(f"reports:pdf-{kind}", args=[unit_.code, MONTH]))
    return Printed(
        status=response.status_code,
        content_type=response["Content-Type"],
        disposition=response.get("Content-Disposition", ""),
        content=response.content,
        filename=builders.filename(kind, unit_, DEC),
        expected=expected or {},
    )


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker) -> dict[str, Printed]:
    """Each document rendered once through its URL, inside a transaction rolled back at the end."""
    moment = timezone.make_aware(dt.datetime(2025, 1, 10, 12, 0))
    with (
        pytest.MonkeyPatch.context() as patch,
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"not a test database: {name}"
        patch.setattr(timezone, "now", lambda: moment)
        data = _kon_tum()
        tree = data["tree"]
        office, official = Client(), Client()
        office.force_login(data["office"])
        official.force_login(data["official"])
        # The office numbers and dates the province report and names its signer.
        response = office.post(
            reverse("reports:pdf-province-form", args=["62", MONTH]),
            _form_data(
                "province", tree.province, DEC, number="15", issued_on="2025-01-05", signer_name="Trần Thị Bích Ngọc"
            ),
        )
        assert response.status_code == 302
        documents_ = {
            "province": _get(office, "province", tree.province, _expected_province(tree.province)),
            "district": _get(office, "district", tree.dak_glei, _expected_district(tree.dak_glei)),
            "district-by-official": _get(official, "district", tree.dak_glei),
            "commune": _get(office, "commune", tree.dak_mon, _expected_commune(tree.dak_mon)),
            "draft-directive": _get(office, "directive", tree.province),
        }
        # The directive's number, signer and recipients for the month: no longer a draft.
        response = office.post(
            reverse("reports:pdf-directive-form", args=["62", MONTH]),
            _form_data("directive", tree.province, DEC, number="05", signer_name="Lê Ngọc Tuấn", then="pdf"),
        )
        assert response.status_code == 302
        assert DocumentSettings.objects.filter(kind="directive").count() == 1
        documents_["directive"] = _get(office, "directive", tree.province)
        transaction.set_rollback(True)
    return documents_


ALL = ["province", "district", "district-by-official", "commune", "draft-directive", "directive"]


# ---------------------------------------------------------------- served as PDFs


@pytest.mark.parametrize("name", ALL)
def test_each_document_is_served_inline_as_a_pdf_under_its_filename(printed, name):
    document = printed[name]
    assert document.status == 200
    assert document.content_type == "application/pdf"
    assert document.disposition == f'inline; filename="{document.filename}"'
    assert document.content.startswith(b"%PDF-")
    assert len(document.reader.pages) >= 1


def test_filenames_name_the_kind_unit_and_month(printed):
    assert printed["province"].filename == "bao-cao-ntm-62-2024-12.pdf"
    assert printed["district"].filename == "bao-cao-ntm-huyen-610-2024-12.pdf"
    assert printed["commune"].filename == "bao-cao-tieu-chi-xa-23341-2024-12.pdf"
    assert printed["directive"].filename == "du-thao-chi-thi-62-2024-12.pdf"


# ---------------------------------------------------------------- the page and the type


@pytest.mark.parametrize("name", ALL)
def test_every_page_is_a4_portrait(printed, name):
    for page in printed[name].reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(A4[0], abs=1)
        assert height == pytest.approx(A4[1], abs=1)


def _fonts(resources, seen: set[int] | None = None):
    """Every font of a resource dictionary and of the forms (the SVG charts) it draws, recursively."""
    seen = set() if seen is None else seen
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        key = xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject)
        if key in seen:
            continue
        seen.add(key)
        yield from _fonts(xobject.get_object().get("/Resources"), seen)


def _embedded(font) -> bool:
    descendants = font.get("/DescendantFonts")
    descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.mark.parametrize("name", ALL)
def test_every_font_is_liberation_serif_or_times_new_roman_and_embedded(printed, name):
    names = set()
    for page in printed[name].reader.pages:
        for font in _fonts(page.get("/Resources")):
            base = str(font["/BaseFont"])[1:]
            names.add(re.sub(r"^[A-Z]{6}\+", "", base))
            assert ALLOWED_FONT.fullmatch(base), base
            assert _embedded(font), base
    # The body, the bold headings and the italic date line at least.
    assert {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"} <= names


# ---------------------------------------------------------------- the letterhead


LETTERHEADS = {
    "province": [
        "BCĐ CÁC CTMTQG TỈNH KON TUM",
        "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI",
        "Số: 15/BC-VPĐP",
        "Kon Tum, ngày 05 tháng 01 năm 2025",
        "BÁO CÁO Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới tháng 12/2024",
    ],
    "district": [
        "ỦY BAN NHÂN DÂN HUYỆN ĐẮK GLEI",
        "Số: /BC-UBND",  # not numbered yet: the clerk's space
        "Đắk Glei, ngày 10 tháng 01 năm 2025",  # not dated yet: the day it is printed
        "BÁO CÁO Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới tháng 12/2024",
    ],
    "commune": [
        "ỦY BAN NHÂN DÂN XÃ ĐẮK MÔN",
        "Số: /BC-UBND",
        "Đắk Môn, ngày 10 tháng 01 năm 2025",
        "BÁO CÁO Kết quả thực hiện các tiêu chí nông thôn mới của xã Đắk Môn tháng 12/2024",
    ],
    "directive": [
        "ỦY BAN NHÂN DÂN TỈNH KON TUM",
        "Số: 05/CT-UBND",
        "Kon Tum, ngày 10 tháng 01 năm 2025",
        "CHỈ THỊ Về việc tăng cường vai trò, trách nhiệm của các đơn vị, địa phương trong thực hiện Chương trình mục "
        "tiêu quốc gia xây dựng nông thôn mới năm 2025",
    ],
}
LETTERHEADS["district-by-official"] = LETTERHEADS["district"]
LETTERHEADS["draft-directive"] = ["DỰ THẢO", *LETTERHEADS["directive"]]
LETTERHEADS["draft-directive"][2] = "Số: /CT-UBND"


@pytest.mark.parametrize("name", ALL)
def test_first_page_carries_the_nd_30_letterhead(printed, name):
    first = " ".join(printed[name].pages[0].split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    for line in LETTERHEADS[name]:
        assert line in first, line
    # The issuing body comes before the national motto in reading order, the title after the date line.
    lines = LETTERHEADS[name]
    assert first.index(lines[-1]) > first.index("Độc lập - Tự do - Hạnh phúc")


@pytest.mark.parametrize(
    ("name", "signer"),
    [
        ("province", "CHÁNH VĂN PHÒNG Trần Thị Bích Ngọc"),
        ("district", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH (họ và tên người ký)"),
        ("commune", "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH (họ và tên người ký)"),
        ("directive", "CHỦ TỊCH Lê Ngọc Tuấn"),
    ],
)
def test_last_page_closes_with_recipients_and_signature(printed, name, signer):
    last = " ".join(printed[name].pages[-1].split())
    assert "Nơi nhận:" in last
    assert signer in last
    recipients = {
        "province": "- UBND tỉnh (b/c); - Ban Chỉ đạo các CTMTQG tỉnh (b/c);",
        "district": "- UBND tỉnh (b/c); - Văn phòng Điều phối NTM tỉnh (b/c); - UBND các xã; - Lưu: VT.",
        "commune": "- UBND huyện Đắk Glei (b/c); - Văn phòng Điều phối NTM tỉnh; - Lưu: VT.",
        "directive": "- Văn phòng Điều phối NTM Trung ương (b/c);",
    }[name]
    assert recipients in last


def test_text_keeps_its_diacritics(printed):
    text = printed["province"].text
    for name in (
        "Huyện Đắk Glei",
        "Huyện Ngọc Hồi",
        "Xã Đắk Môn",
        "Xã Đắk Xú",
        "Kết quả thực hiện",
        "NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI",
    ):
        assert name in text, name
    for document in printed.values():
        assert unicodedata.normalize("NFC", document.text) == document.text
        assert "\ufffd" not in document.text  # no glyph lost on the way


# ---------------------------------------------------------------- page numbers


def _in_top_margin(page) -> list[str]:
    """The text drawn in a page's top margin (where print.css puts the page number), read with its position."""
    top = float(page.mediabox.top) - TOP_MARGIN
    found = []

    def visit(text, cm, tm, _font, _size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > top:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("name", ["province", "district", "commune", "draft-directive"])
def test_pages_are_numbered_from_the_second(printed, name):
    pages = printed[name].reader.pages
    assert len(pages) >= 2
    assert _in_top_margin(pages[0]) == []
    for number, page in enumerate(pages[1:], start=2):
        assert _in_top_margin(page) == [str(number)]
    # pypdf reads the number as a line of its own; WeasyPrint draws the margin boxes last, so it comes last.
    second = printed[name].pages[1].splitlines()
    assert "2" in second
    assert second[-1] == "2"
    assert "1" not in printed[name].pages[0].splitlines()[:8]


# ---------------------------------------------------------------- the figures, as the database holds them


def test_province_report_counts_tiers_against_the_plan(printed):
    document = printed["province"]
    assert document.expected["tier_rows"] == [  # what the rows say, spelled out
        "Đạt chuẩn NTM 4/6 3 5 (2025) 80%",
        "NTM nâng cao 1/6 1 2 (2025) 50%",
        "NTM kiểu mẫu 0/6 0 — —",
    ]
    for row in document.expected["tier_rows"]:
        assert row in document.text, row
    assert "Toàn tỉnh có 6 xã thuộc phạm vi Chương trình; 6 xã có kết quả đánh giá theo số liệu đã được duyệt" in (
        document.text
    )


def test_province_report_names_the_watch_list_and_overdue_units(printed):
    document = printed["province"]
    text = document.text
    assert document.expected["watched"] == ["Xã Đắk Môn", "Xã Đắk Xú"]
    watch = text[text.index("4. Xã đã được công nhận nhưng chưa duy trì đủ tiêu chí") :]
    watch = watch[: watch.index("5. Tình hình cập nhật số liệu")]
    assert "Có 2 xã đã được công nhận nhưng theo số liệu chưa duy trì đủ tiêu chí" in watch
    assert "trong đó 1 xã có nguy cơ bị thu hồi" in watch
    assert "Xã Đắk Môn Huyện Đắk Glei Đạt chuẩn NTM 1234/QĐ-UBND 2/3 (66,7%): 10, 11 10 Nguy cơ thu hồi" in watch
    assert "Xã Đắk Xú Huyện Ngọc Hồi Đạt chuẩn NTM 567/QĐ-UBND 1/3 (33,3%): 11 — Cần duy trì" in watch
    assert "Đắk Nông" not in watch  # revoked in June
    # Section 5 names every judged commune that has not sent December's figures: the towns sent nothing, but
    # the criteria do not judge a town (applies_to: [xa]), so nobody is overdue.
    assert document.expected["overdue"] == []
    overdue = text[text.index("5. Tình hình cập nhật số liệu") :]
    assert "Không có đơn vị nào quá hạn gửi số liệu tháng 12/2024" in overdue
    assert "Thị trấn" not in text
    # And the tasks that follow from them.
    assert "Chỉ đạo 01 xã đã được công nhận nhưng có nguy cơ bị thu hồi" in text
    assert "Đạt chuẩn NTM: còn 01 xã để đạt kế hoạch năm 2025 (5 xã); hiện 3 xã đạt theo số liệu." in text
    assert "Đôn đốc" not in text  # no judged commune is overdue


def test_province_report_lists_each_district(printed):
    text = printed["province"].text
    # Số xã, recognised/computed per tier, average, plan for 2024 (Đắk Pék, nâng cao: not reached), overdue/reporting.
    # Then the figures each result rests on: approved for December / carried from earlier / none approved yet.
    assert "Huyện Đắk Glei 2 2/1 0/0 0/0 2,0 0/1 2/0/0 0/2" in text  # the town is neither counted nor overdue
    assert "Huyện Ngọc Hồi 4 2/2 1/1 0/0 2,5 — 4/0/0 0/4" in text  # Thị trấn Plei Kần is not asked


@pytest.mark.parametrize("name", ["district", "district-by-official"])
def test_district_report_lists_its_communes_with_criteria_met(printed, name):
    text = printed[name].text
    expected = printed["district"].expected["communes"]
    assert expected == [("Xã Đắk Môn", "1/3"), ("Xã Đắk Pék", "3/3")]
    for commune, met in expected:
        assert re.search(re.escape(commune) + r" .{0,60}?" + re.escape(met), text), commune
    assert "Huyện có 2 xã thuộc phạm vi Chương trình; 2 xã có kết quả đánh giá" in text
    assert "Đạt chuẩn NTM 2/2 1 — —" in text
    assert "Xã Đắk Môn (Đạt chuẩn NTM): 2/3 tiêu chí không đạt (66,7%): tiêu chí số 10, 11; then chốt: 10." in text
    assert "Thị trấn Đắk Glei" not in text  # a town is not judged: no place in the document
    assert "Ngọc Hồi" not in text.replace("Huyện Ngọc Hồi", "")  # another district's communes stay out


def test_commune_report_explains_every_criterion_with_its_figures(printed):
    document = printed["commune"]
    text = document.text.replace("/ ", "/")  # units wrap after their slashes in the narrow cells
    expected = document.expected
    assert expected["criteria"] == ["1. Quy hoạch", "10. Thu nhập", "11. Nghèo đa chiều"]
    for criterion in expected["criteria"]:
        assert criterion in text, criterion
    for indicator in expected["indicators"]:
        assert indicator in text, indicator
    values, units = expected["values"], expected["units"]
    assert values == {"income_per_capita": "40", "poverty_rate": "8", "plan_approved": "Có"}
    assert f"{values['income_per_capita']} {units['income_per_capita']} ≥ 54" in text
    assert f"{values['poverty_rate']} {units['poverty_rate']} ≤ 6,5 %" in text
    assert "Bộ tiêu chí xã NTM (thử nghiệm): đạt 1/3 tiêu chí." in text
    assert "còn 2/3 tiêu chí chưa đạt" in text
    assert "Mức được công nhận: Đạt chuẩn NTM (Quyết định số 1234/QĐ-UBND ngày 20/12/2023)." in text
    assert "Xã có nguy cơ bị thu hồi quyết định công nhận theo Quyết định số 18/2022/QĐ-TTg" in text
    # What is missing: 54 - 40 = 14, 8 - 6.5 = 1.5.
    assert "14 triệu đồng/người/năm" in text
    assert "1,5 %" in text


def test_directive_names_the_communes_and_districts_it_steers(printed):
    text = printed["directive"].text
    assert "đến tháng 12/2024 toàn tỉnh có 04/6 xã được công nhận đạt chuẩn nông thôn mới" in text
    assert "So với kế hoạch năm 2025 (5 xã), đạt 80,0% kế hoạch." in text
    assert "(xã Đắk Môn thuộc huyện Đắk Glei)" in text  # the one at risk
    assert "kế hoạch năm 2025: 01 xã đạt chuẩn nông thôn mới (xã Đắk Nông thuộc huyện Ngọc Hồi)" in text
    assert "01 xã đạt chuẩn nông thôn mới nâng cao (xã Đắk Xú thuộc huyện Ngọc Hồi)" in text
    assert "Đắk Pék" not in text  # planned for 2024 only, and doing well
    assert "Ủy ban nhân dân huyện Ngọc Hồi cần tăng cường các giải pháp" in text
    assert "Ngọc Hồi: chưa được công nhận huyện nông thôn mới (kế hoạch năm 2025)" in text
    assert "trước ngày 25 hằng tháng" in text
    assert "nghiêm túc triển khai thực hiện Chỉ thị này./." in text
    # The items are numbered 1 to 6 with nothing dropped this month.
    assert [int(n) for n in re.findall(r"(?:^|\.|:) (\d)\. ", text)] == [1, 2, 3, 4, 5, 6]


def test_directive_is_marked_draft_until_numbered_signed_and_addressed(printed):
    assert "DỰ THẢO" in printed["draft-directive"].pages[0]
    assert "(họ và tên người ký)" in printed["draft-directive"].text
    assert "DỰ THẢO" not in printed["directive"].text
    assert "Lê Ngọc Tuấn" in printed["directive"].text
    for name in ("province", "district", "commune"):
        assert "DỰ THẢO" not in printed[name].text


# ---------------------------------------------------------------- nothing is fetched from outside


@pytest.fixture
def no_network(monkeypatch):
    """Records (and refuses) any attempt to open a connection."""
    attempts: list[str] = []

    def refuse(name):
        def call(*args, **kwargs):
            attempts.append(f"{name}{args[:2]!r}")
            raise OSError("no network in tests")

        return call

    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urlopen"))
    return attempts


PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/css/print.css">{head}</head>
<body class="official"><article class="sheet"><p>Ủy ban nhân dân xã Đắk Pék báo cáo.</p>{body}</article>
</body></html>"""


def test_remote_and_local_urls_are_not_fetched(no_network, caplog):
    source = PAGE.format(
        head='<link rel="stylesheet" href="https://example.com/evil.css">',
        body='<img src="http://example.com/x.png"><img src="file:///etc/hostname"><img src="/media/x.png">'
        '<img src="/static/%2e%2e/%2e%2e/etc/hostname">',
    )
    started = time.monotonic()
    pdf = render_pdf(source)
    assert time.monotonic() - started < 10
    assert pdf.startswith(b"%PDF-")
    assert no_network == []
    refused = " ".join(record.getMessage() for record in caplog.records)
    assert "example.com/x.png" in refused
    assert "example.com/evil.css" in refused
    reader = PdfReader(BytesIO(pdf))
    # The portal's own stylesheet was applied: A4, and the body set in Liberation Serif.
    assert float(reader.pages[0].mediabox.width) == pytest.approx(A4[0], abs=1)
    fonts = {str(font["/BaseFont"]) for font in _fonts(reader.pages[0].get("/Resources"))}
    assert fonts
    assert all("Liberation-Serif" in font for font in fonts)
    assert "Ủy ban nhân dân xã Đắk Pék báo cáo." in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    "storage",
    [
        "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
        "django.contrib.staticfiles.storage.StaticFilesStorage",
    ],
)
def test_a_missing_stylesheet_stops_the_rendering(settings, storage):
    from weasyprint.urls import FatalURLFetchingError

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": storage}}
    with pytest.raises(FatalURLFetchingError):
        render_pdf(PAGE.format(head='<link rel="stylesheet" href="/static/css/no-such-sheet.css">', body=""))
