"""Six-monthly and annual reports (issue 15, item 8): the province's and a commune's PDF and Excel for 2024-H1,
2024-H2 or 2024, read at the period's start and end months.

Kon Tum in 2024 (the sample standard set, tests/criteria/samples.py: criteria 1, 10 (key) and 11), statuses set as
they are, seen on 10 January 2025:

- Xã Đắk Pék: 2/3 in January, standard from June on; recognised on 15/03/2024 (45/QĐ-UBND).
- Xã Đắk Môn: standard in January, 1/3 from June on (fails 10 and 11: at risk); recognised in 2023.
- Xã Đắk Xú: 2/3 until July, standard in December; recognised on 02/10/2024 (99/QĐ-UBND).
- Reports: Đắk Môn sent February's late, Đắk Xú never sent March's; everything else was sent on time.

Quảng Ngãi (51, since the 2025 reform) in 2026 crosses the programmes: January judged by 2021-2025 (19 criteria),
July and December by 2026-2030 (10 criteria, by commune group).
"""

import datetime as dt
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from communes.groups import CommuneGroupAssignment
from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus
from monthly.services import approve_report, save_values, submit_report
from records.models import Recognition
from reports.models import Status
from reports.periods import parse_period
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, reform_kon_tum

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, JUN, JUL, DEC = (dt.date(2024, m, 1) for m in (1, 2, 3, 6, 7, 12))
H1_MONTHS = [dt.date(2024, m, 1) for m in range(1, 7)]
STANDARD_SET = "commune-standard"


def _freeze(monkeypatch, day: dt.date) -> None:
    moment = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """10 January 2025: the year 2024 and both its halves are over."""
    _freeze(monkeypatch, dt.date(2025, 1, 10))


def _status(unit, programme, period, met, *, total=3, failed=(), key_failed=(), tier=None) -> Status:
    summary = {
        "met": not failed,
        "reached": not failed,
        "criteria_met": met,
        "criteria_total": total,
        "failed": list(failed),
        "key_failed": list(key_failed),
        "no_data": [],
        "failing": {},
    }
    return Status.objects.create(
        unit=unit,
        period=period,
        programme=programme,
        tier=("standard" if met == total else "") if tier is None else tier,
        criteria_met=met,
        criteria_total=total,
        sets={STANDARD_SET: summary},
    )


def _recognise(unit, programme, number: str, day: dt.date) -> Recognition:
    return Recognition.objects.create(
        unit=unit, tier="standard", programme=programme, decision_number=number, decision_date=day, issuer="UBND tỉnh"
    )


@pytest.fixture
def programme(db):
    import_criteria_text(STANDARD)
    return Programme.objects.get(code="2021-2025")


@pytest.fixture
def kon_tum(tree, programme):
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    weak, poor = {"failed": [10, 11], "key_failed": [10]}, {"failed": [11]}
    for period in (JAN, JUN, JUL, DEC):
        _status(tree.dak_pek, programme, period, 2 if period == JAN else 3, failed=[10] if period == JAN else [])
        _status(tree.dak_mon, programme, period, 3) if period == JAN else _status(
            tree.dak_mon, programme, period, 1, **weak
        )
        _status(dak_xu, programme, period, 3) if period == DEC else _status(dak_xu, programme, period, 2, **poor)
    _recognise(tree.dak_mon, programme, "1234/QĐ-UBND", dt.date(2023, 12, 20))
    _recognise(tree.dak_pek, programme, "45/QĐ-UBND", dt.date(2024, 3, 15))
    _recognise(dak_xu, programme, "99/QĐ-UBND", dt.date(2024, 10, 2))
    for month in H1_MONTHS:
        for commune in (tree.dak_pek, tree.dak_mon, dak_xu):
            if commune == dak_xu and month == MAR:
                continue
            late = commune == tree.dak_mon and month == FEB
            Report.objects.create(
                unit=commune, period=month, programme=programme, status=ReportStatus.SUBMITTED, is_late=late
            )
    return tree


def _office(client_for, unit):
    return client_for(MembershipFactory(unit=unit, role=Role.OFFICE).user)


def _pdf_text(content: bytes, *, layout: bool = False) -> str:
    """The PDF's text through pdftotext, whitespace collapsed (lines wrap where the layout decides): in reading
    order for sentences, or (`layout`) as laid out, so that a table row reads as one line."""
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    done = subprocess.run(command, input=content, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def _html(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _rows(sheet) -> dict:
    return {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("code", "start", "last", "label"),
    [
        ("2024-H1", JAN, JUN, "6 tháng đầu năm 2024"),
        ("2024-H2", JUL, DEC, "6 tháng cuối năm 2024"),
        ("2024", JAN, DEC, "năm 2024"),
    ],
)
def test_a_period_runs_from_its_first_to_its_last_month(code, start, last, label):
    period = parse_period(code, today_month=dt.date(2025, 1, 1))
    assert (period.start_month, period.last_month, period.end_month) == (start, last, last)
    assert period.is_over
    assert period.label == label
    assert period.figures_until == ""
    assert period.months[0] == start
    assert period.months[-1] == last


def test_a_period_not_over_is_read_up_to_this_month():
    period = parse_period("2024-H2", today_month=dt.date(2024, 11, 1))
    assert (period.end_month, period.is_over) == (dt.date(2024, 11, 1), False)
    assert period.figures_until == "số liệu đến tháng 11/2024"
    # Its last month running, it is not over yet either.
    assert parse_period("2024", today_month=DEC).figures_until == "số liệu đến tháng 12/2024"
    assert not parse_period("2025", today_month=DEC).has_begun


@pytest.mark.parametrize("text", ["2024-H3", "2024-H0", "24", "2024-h1", "2024-H12", "0999"])
def test_a_bad_period_does_not_parse(text):
    with pytest.raises(ValueError, match="không hợp lệ"):
        parse_period(text)


@pytest.mark.parametrize(
    "url",
    [
        "/pdf/province/62/2024-H3/",
        "/pdf/province/62/24/",
        "/excel/province/62/2024-H3/",
        "/excel/commune/23353/26/",
        "/pdf/commune/23353/2024-H0/",
        "/pdf/province/62/2026/",  # not begun on 10/01/2025
    ],
)
def test_a_bad_period_is_a_404(kon_tum, office_client, url):
    assert office_client.get(url).status_code == 404


# ---------------------------------------------------------------- the province's document


@needs_pdftotext
def test_the_first_half_year_pdf_has_its_title_end_figures_and_changes(kon_tum, office_client):
    response = office_client.get("/pdf/province/62/2024-H1/")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF-")
    assert 'filename="bao-cao-ntm-62-2024-h1.pdf"' in response["Content-Disposition"]
    text = _pdf_text(response.content)
    assert "BÁO CÁO Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới 6 tháng đầu năm 2024" in text
    assert "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI" in text
    assert "Số: " in text
    assert "I. KẾT QUẢ ĐẾN CUỐI KỲ (THÁNG 06/2024)" in text
    assert "Toàn tỉnh có 3 xã thuộc phạm vi Chương trình; 3 xã có kết quả đánh giá" in text
    assert (
        "Tháng 01/2024 (đầu kỳ) và tháng 06/2024 (cuối kỳ) đều được đánh giá theo bộ tiêu chí giai đoạn 2021-2025"
        in text
    )
    rows = _pdf_text(response.content, layout=True)
    # Recognised 1 → 2 (+1); by the figures 1 → 1 (0).
    assert "Đạt chuẩn NTM 1 2 +1 1 1 0" in rows
    assert "Xã mới đạt chuẩn theo số liệu trong kỳ: 1 xã (Xã Đắk Pék)" in text
    assert "Xã không còn đạt chuẩn theo số liệu: 1 xã (Xã Đắk Môn)" in text
    assert "Quyết định số 45/QĐ-UBND ngày 15/03/2024" in text
    assert "99/QĐ-UBND" not in text
    assert "Nguy cơ thu hồi" in text
    assert "Kỳ báo cáo chưa kết thúc" not in text
    # February: one late; March: one never sent (due on the 25th).
    assert "02/2024 25/02/2024 3 2 1 0 0" in rows
    assert "03/2024 25/03/2024 3 2 0 1 0" in rows


def test_the_second_half_year_reads_july_and_december(kon_tum, office_client):
    response = office_client.get("/pdf/province/62/2024-H2/", {"preview": "1"})
    assert response.status_code == 200
    text = _html(response)
    assert "6 tháng cuối năm 2024" in text
    assert "THÁNG 07/2024 SO VỚI THÁNG 12/2024" in text
    context = response.context
    assert [c.unit.name for c in context["reached"]] == ["Xã Đắk Xú"]
    assert context["lost"] == []
    assert [r.decision_number for r in context["decided"]] == ["99/QĐ-UBND"]
    assert [(m.period, m.asked, m.on_time) for m in context["month_reports"]][0] == (JUL, 3, 0)
    assert [m.not_sent for m in context["month_reports"]] == [3] * 6  # nobody sent anything in the second half


def test_the_year_reads_january_and_december(kon_tum, office_client):
    response = office_client.get("/pdf/province/62/2024/", {"preview": "1"})
    context = response.context
    assert "Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới năm 2024" in _html(response)
    assert (context["start_period"], context["period"]) == (JAN, DEC)
    assert sorted(c.unit.name for c in context["reached"]) == ["Xã Đắk Pék", "Xã Đắk Xú"]
    assert [c.unit.name for c in context["lost"]] == ["Xã Đắk Môn"]
    assert [r.decision_number for r in context["decided"]] == ["45/QĐ-UBND", "99/QĐ-UBND"]
    assert [(t.tier, t.start_computed, t.end_computed, t.computed_change) for t in context["tier_changes"]][0] == (
        "standard",
        1,
        2,
        "+1",
    )
    assert len(context["month_reports"]) == 12


def test_a_period_not_over_says_up_to_which_month(kon_tum, office_client, monkeypatch):
    _freeze(monkeypatch, dt.date(2024, 11, 20))
    response = office_client.get("/pdf/province/62/2024-H2/", {"preview": "1"})
    assert response.context["period"] == dt.date(2024, 11, 1)
    assert "Kỳ báo cáo chưa kết thúc: số liệu đến tháng 11/2024." in _html(response)
    assert len(response.context["month_reports"]) == 5


# ---------------------------------------------------------------- across the programmes


@pytest.fixture
def quang_ngai(tree):
    for name in (
        "2021-2025/commune-standard.yaml",
        "2026-2030/commune-standard.yaml",
        "2026-2030/commune-modern.yaml",
    ):
        import_criteria_text((settings.BASE_DIR / "fixtures" / "criteria" / name).read_bytes())
    reform = reform_kon_tum(tree)
    dak_xu = AdministrativeUnit.objects.create(
        code="23380", level=Level.COMMUNE, kind=Kind.XA, name="Xã Đắk Xú", short_name="Đắk Xú",
        parent=reform.quang_ngai, valid_from=REFORM_DATE,
    )  # fmt: skip
    CommuneGroupAssignment.objects.create(unit=reform.dak_pek, group=3, valid_from=dt.date(2026, 2, 15))
    old, new = Programme.objects.get(code="2021-2025"), Programme.objects.get(code="2026-2030")
    months = {dt.date(2026, 1, 1): (old, 19, 17, 19), dt.date(2026, 7, 1): (new, 10, 8, 6)}
    months[dt.date(2026, 12, 1)] = (new, 10, 10, 6)
    for period, (programme, total, pek, xu) in months.items():
        _status(reform.dak_pek, programme, period, pek, total=total, failed=[] if pek == total else [5])
        _status(dak_xu, programme, period, xu, total=total, failed=[] if xu == total else [5])
    return reform.quang_ngai


def test_a_year_across_the_programmes_names_both_and_compares_no_criteria(quang_ngai, client_for, monkeypatch):
    _freeze(monkeypatch, dt.date(2027, 1, 10))
    response = _office(client_for, quang_ngai).get("/pdf/province/51/2026/", {"preview": "1"})
    assert response.status_code == 200
    text = _html(response)
    assert (
        "Tháng 01/2026 (đầu kỳ) được đánh giá theo bộ tiêu chí giai đoạn 2021-2025; tháng 12/2026 (cuối kỳ) theo bộ "
        "tiêu chí giai đoạn 2026-2030" in text
    )
    assert "không so sánh được vì khác bộ tiêu chí" in text
    context = response.context
    assert context["band_changes"] == []
    assert context["average_change"] is None
    assert context["start_summary"].buckets[0] == ("19 tiêu chí", 1)
    assert context["summary"].buckets[0] == ("10 tiêu chí", 1)
    standard = context["tier_changes"][0]
    assert (standard.start_computed, standard.end_computed, standard.computed_change) == (1, 1, "—")
    # Tiers of one ladder only: "—" in the other month.
    assert [(t.tier, t.start_computed, t.end_computed) for t in context["tier_changes"][1:]] == [
        ("advanced", 0, None),
        ("model", 0, None),
        ("modern", None, 0),
    ]
    assert "bộ minh họa" in text  # the 2026-2030 sets are illustrative


@needs_pdftotext
def test_a_crossing_year_pdf_names_both_programmes(quang_ngai, client_for, monkeypatch):
    _freeze(monkeypatch, dt.date(2027, 1, 10))
    response = _office(client_for, quang_ngai).get("/pdf/province/51/2026/")
    text = _pdf_text(response.content)
    assert "xây dựng nông thôn mới năm 2026" in text
    assert "2021-2025" in text
    assert "2026-2030" in text
    assert "không so sánh được vì khác bộ tiêu chí" in text


def test_a_communes_crossing_year_compares_no_criteria(quang_ngai, client_for, monkeypatch):
    _freeze(monkeypatch, dt.date(2027, 1, 10))
    response = _office(client_for, quang_ngai).get("/pdf/commune/23341/2026/", {"preview": "1"})
    assert response.status_code == 200
    context = response.context
    assert (context["yardsticks"].start.code, context["yardsticks"].end.code) == ("2021-2025", "2026-2030")
    assert context["criteria_changes"]
    assert all(row.start is None for row in context["criteria_changes"])
    text = _html(response)
    assert "Kết quả tháng 01/2026 không so sánh được vì khác bộ tiêu chí" in text
    assert "tháng 12/2026 (cuối kỳ) theo bộ tiêu chí giai đoạn 2026-2030" in text


def test_a_half_year_of_one_programme_compares_bands_and_groups(quang_ngai, client_for, monkeypatch):
    _freeze(monkeypatch, dt.date(2027, 1, 10))
    response = _office(client_for, quang_ngai).get("/pdf/province/51/2026-H2/", {"preview": "1"})
    context = response.context
    assert [(b.label, b.start, b.end, b.change) for b in context["band_changes"]] == [
        ("10 tiêu chí", 0, 1, "+1"),
        ("5-9 tiêu chí", 2, 1, "−1"),
        ("Dưới 5 tiêu chí", 0, 0, "0"),
    ]
    assert context["average_change"] == "+1,0"
    assert ("Nhóm 3", [(0, 1), (1, 0), (0, 0)]) in context["group_band_changes"]
    assert "Số xã theo nhóm xã và số tiêu chí đạt" in _html(response)


# ---------------------------------------------------------------- a commune's document


@pytest.fixture
def dak_pek_figures(tree, programme):
    """Đắk Pék's approved figures: weak in January 2024 (fails 10 and 11), good from June."""
    office = MembershipFactory(unit=tree.province, role=Role.OFFICE).user
    official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    for period, raw in (
        (JAN, {"income_per_capita": "40", "poverty_rate": "8", "plan_approved": True}),
        (JUN, {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}),
    ):
        report = submit_report(report=save_values(unit=tree.dak_pek, period=period, raw=raw, by=official), by=official)
        approve_report(report=report, by=office)
    return tree


@needs_pdftotext
def test_a_communes_half_year_pdf_compares_its_criteria_and_figures(dak_pek_figures, office_client):
    response = office_client.get("/pdf/commune/23353/2024-H1/")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert 'filename="bao-cao-tieu-chi-xa-23353-2024-h1.pdf"' in response["Content-Disposition"]
    text = _pdf_text(response.content)
    assert "Kết quả thực hiện các tiêu chí nông thôn mới của xã Đắk Pék 6 tháng đầu năm 2024" in text
    assert "ỦY BAN NHÂN DÂN XÃ ĐẮK PÉK" in text
    assert "Mức đạt theo số liệu: Đạt chuẩn NTM; đầu kỳ (tháng 01/2024): Chưa đạt chuẩn" in text
    assert "10. Thu nhập (then chốt) Chưa đạt Đạt (thay đổi)" in text
    assert "1. Quy hoạch Đạt Đạt" in text
    assert "Thu nhập bình quân đầu người (triệu đồng/người/năm) 40 55" in text
    assert "Có quy hoạch chung được duyệt" not in text  # unchanged: not listed


def test_a_communes_year_excel_holds_its_criteria_and_figures(dak_pek_figures, office_client):
    response = office_client.get("/excel/commune/23353/2024/")
    assert response.status_code == 200
    assert 'filename="bao-cao-tieu-chi-xa-23353-2024.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Tiêu chí", "Số liệu", "Tổng hợp"]
    criteria = {row[1]: row for row in workbook["Tiêu chí"].iter_rows(min_row=2, values_only=True)}
    assert criteria[10][4:7] == ("Chưa đạt", "Đạt", "Có")
    assert criteria[1][4:7] == ("Đạt", "Đạt", None)
    figures = _rows(workbook["Số liệu"])
    assert figures["income_per_capita"][3:] == (40, 55)
    assert figures["poverty_rate"][3:] == (8, 4)
    assert "plan_approved" not in figures


# ---------------------------------------------------------------- the province's Excel


def test_the_half_year_excel_lists_communes_at_both_months(kon_tum, office_client):
    response = office_client.get("/excel/province/62/2024-H1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Các xã", "Tổng hợp"]
    sheet = workbook["Các xã"]
    headers = next(sheet.iter_rows(max_row=1, values_only=True))
    assert headers[3:8] == (
        "Nhóm xã tháng 01/2024",
        "Mức đạt theo số liệu tháng 01/2024",
        "Số tiêu chí đạt tháng 01/2024",
        "Tổng số tiêu chí tháng 01/2024",
        "Nhóm theo số tiêu chí đạt tháng 01/2024",
    )
    rows = _rows(sheet)
    assert set(rows) == {"23353", "23341", "23380"}  # the thị trấn are not judged
    pek = rows["23353"]
    assert pek[1:3] == ("Xã Đắk Pék", "Huyện Đắk Glei")
    assert pek[4:8] == ("Chưa đạt chuẩn", 2, 3, "Dưới 5 tiêu chí")
    assert pek[9:12] == ("Đạt chuẩn NTM", 3, 3)
    assert pek[13:] == ("Mới đạt chuẩn", "Đạt chuẩn NTM", "45/QĐ-UBND ngày 15/03/2024", "Không")
    assert rows["23341"][13] == "Không còn đạt chuẩn"
    assert rows["23341"][16] == "Có"
    summary = [row for row in workbook["Tổng hợp"].iter_rows(values_only=True) if any(row)]
    assert summary[0][0] == ("KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH MTQG XÂY DỰNG NÔNG THÔN MỚI 6 THÁNG ĐẦU NĂM 2024")
    facts = {row[0]: row[1] for row in summary}
    assert facts["Xã mới đạt chuẩn theo số liệu"] == "Xã Đắk Pék"
    assert facts["Xã không còn đạt chuẩn theo số liệu"] == "Xã Đắk Môn"
    assert ("02/2024", "25/02/2024", 3, 2, 1, 0, 0) in [row[:7] for row in summary]


def test_a_crossing_year_excel_keeps_each_months_bands(quang_ngai, client_for, monkeypatch):
    _freeze(monkeypatch, dt.date(2027, 1, 10))
    response = _office(client_for, quang_ngai).get("/excel/province/51/2026/")
    workbook = load_workbook(BytesIO(response.content))
    rows = _rows(workbook["Các xã"])
    # January by 2021-2025 (not by group), December by 2026-2030 (group 3): each with its own bands.
    assert rows["23341"][3:8] == (None, "Chưa đạt chuẩn", 17, 19, "15-18 tiêu chí")
    assert rows["23341"][8:13] == ("Nhóm 3", "Đạt chuẩn NTM", 10, 10, "10 tiêu chí")
    headings = [row[0] for row in workbook["Tổng hợp"].iter_rows(values_only=True) if row[0]]
    assert "Số xã theo số tiêu chí đạt tháng 01/2026 (không so sánh được vì khác bộ tiêu chí)" in headings
    assert "Số xã theo số tiêu chí đạt tháng 12/2026 (không so sánh được vì khác bộ tiêu chí)" in headings


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/pdf/province/62/2024-H1/?preview=1", 404),  # a district official has no province report
        ("/excel/province/62/2024-H1/", 404),
        ("/pdf/commune/23380/2024-H1/?preview=1", 404),  # Đắk Xú is in Huyện Ngọc Hồi
        ("/excel/commune/23380/2024/", 404),
        ("/pdf/commune/23353/2024-H1/?preview=1", 200),  # Đắk Pék is in Huyện Đắk Glei
        ("/excel/commune/23353/2024-H1/", 200),
    ],
)
def test_a_district_official_gets_only_the_communes_of_the_district(kon_tum, district_client, url, expected):
    assert district_client.get(url).status_code == expected


def test_a_commune_of_another_province_is_a_404(kon_tum, office_client):
    assert office_client.get("/pdf/commune/23617/2024-H1/?preview=1").status_code == 404
    assert office_client.get("/excel/province/64/2024/").status_code == 404


def test_a_period_page_needs_login(kon_tum, client):
    assert client.get("/pdf/province/62/2024-H1/").status_code == 302


# ---------------------------------------------------------------- queries


def _grow(tree, programme, count: int) -> None:
    """`count` more rural communes under Huyện Đắk Glei with January and June statuses, a sent report each month and
    every third one recognised in the half-year: everything the report reads, made in bulk."""
    communes = []
    for i in range(count):
        commune = AdministrativeUnit(
            code=f"9{i:05d}", name=f"Xã Thử {i}", short_name=f"Thử {i}", level=Level.COMMUNE, kind=Kind.XA,
            parent=tree.dak_glei,
        )  # fmt: skip
        commune.refresh_derived_fields()
        communes.append(commune)
    AdministrativeUnit.objects.bulk_create(communes, batch_size=500)
    communes = list(AdministrativeUnit.objects.filter(parent=tree.dak_glei, code__startswith="9"))
    summary = {"criteria_met": 2, "criteria_total": 3, "failed": [10], "key_failed": [10], "no_data": []}
    Status.objects.bulk_create(
        Status(unit=c, period=p, programme=programme, criteria_met=2, criteria_total=3, sets={STANDARD_SET: summary})
        for c in communes
        for p in (JAN, JUN)
    )
    Report.objects.bulk_create(
        Report(unit=c, period=p, programme=programme, status=ReportStatus.SUBMITTED)
        for c in communes
        for p in H1_MONTHS
    )
    Recognition.objects.bulk_create(
        Recognition(
            unit=c, tier="standard", programme=programme, decision_number=f"{i}/QĐ", decision_date=MAR, issuer="UBND"
        )
        for i, c in enumerate(communes[::3])
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize("url", ["/pdf/province/62/2024-H1/?preview=1", "/excel/province/62/2024-H1/"])
def test_the_province_report_runs_a_fixed_number_of_queries(kon_tum, programme, office_client, url, count):
    _grow(kon_tum, programme, count)
    # session, user, memberships, the province; reports.coverage for the dashboard's months (the sets' kinds, each
    # commune's first approved month: none here, so nothing more); the end month's scope rows (units, statuses,
    # trend, recognitions, targets, plans, reports, demo units, marks, judged kinds, sets, the per-set summaries of
    # districts and recognised communes); the start month's (the same twelve); the period's reports; an unverified
    # threshold?; the latest document settings.
    assert _queries(office_client, url) == 4 + 2 + 12 + 12 + 3


def test_a_communes_report_runs_a_fixed_number_of_queries(dak_pek_figures, office_client):
    url = "/pdf/commune/23353/2024-H1/?preview=1"
    office_client.get(url)  # the first reading computes the months nobody has read yet (reports.coverage)
    # session, user, memberships, the commune; the scorecard's seventeen (ancestors, programme, coverage's three,
    # figures, measures, the programme's four, history, marks, decisions, plans, demo units, judged kinds); the end
    # month's figures; the start month's programme, figures, measures and the programme's four; the measures that
    # changed; an unverified threshold?; the latest document settings.
    assert _queries(office_client, url) == 4 + 17 + 1 + 7 + 3
