"""Reporting without districts (issue 14, item 5): since July 2025 a commune's officials fill a one-commune
workbook, the province's coordination office may fill the whole province's; the office's desk approves a
province's reports at once or those its filter shows; the overdue board is filtered by name; documents' letterheads
address communes and the province, not districts."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Role
from criteria.yaml_io import import_criteria_text
from monthly.excel import CONTENT_TYPE, SHEET_DATA
from monthly.models import Report, ReportStatus, Value
from monthly.services import save_values, submit_report
from reports.documents.builders import defaults
from reports.models import DocumentKind
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, reform_kon_tum

pytestmark = pytest.mark.django_db

AUGUST, MONTH = dt.date(2025, 8, 1), "2025-08"


@pytest.fixture
def province(tree):
    """The merged Quảng Ngãi with two communes: Xã Đăk Pék (23341) and Xã Đắk Xú (23380)."""
    import_criteria_text(STANDARD)
    reform = reform_kon_tum(tree)
    AdministrativeUnit.objects.create(
        code="23380",
        level=Level.COMMUNE,
        kind=Kind.XA,
        name="Xã Đắk Xú",
        short_name="Đắk Xú",
        parent=reform.quang_ngai,
        valid_from=REFORM_DATE,
    )
    return reform.quang_ngai


def _client(unit, role):
    client = Client()
    client.force_login(MembershipFactory(unit=unit, role=role).user)
    return client


def _post_reform(code):
    return AdministrativeUnit.objects.get(code=code, valid_from=REFORM_DATE)


def _fill(content: bytes, cells: dict[str, object]) -> SimpleUploadedFile:
    workbook = load_workbook(io.BytesIO(content))
    for coordinate, value in cells.items():
        workbook[SHEET_DATA][coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("so-lieu.xlsx", buffer.getvalue(), content_type=CONTENT_TYPE)


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content))[SHEET_DATA]
    return [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=4) if row[0].value]


def _submitted(unit, income, by):
    return submit_report(report=save_values(unit=unit, period=AUGUST, raw={"income_per_capita": income}, by=by), by=by)


# ---------------------------------------------------------------- workbooks


def test_a_commune_official_fills_the_communes_own_workbook(province):
    official = _client(_post_reform("23341"), Role.COMMUNE)
    download = official.get(reverse("monthly:commune-template", args=["23341", MONTH]))
    assert download.status_code == 200
    assert _rows(download.content) == [("23341", "Xã Đăk Pék")]
    guide = load_workbook(io.BytesIO(download.content))["Hướng dẫn"]
    assert any("của Xã Đăk Pék rồi tải lên cổng" in str(c.value) for row in guide.iter_rows() for c in row)

    uploaded = official.post(
        reverse("monthly:commune-upload", args=["23341", MONTH]),
        {"file": _fill(download.content, {"D4": 52, "E4": "4,5"})},
    )
    assert uploaded.status_code == 302
    assert uploaded["Location"] == reverse("monthly:report", args=["23341", MONTH])
    values = {v.measure.code: v.number for v in Value.objects.filter(report__unit=_post_reform("23341"))}
    assert values == {"income_per_capita": Decimal(52), "poverty_rate": Decimal("4.5")}
    # Not another commune's workbook, nor the province's (outside a commune's scope: 404, like a missing one).
    assert official.get(reverse("monthly:commune-template", args=["23380", MONTH])).status_code == 404
    assert official.get(reverse("monthly:province-template", args=["51", MONTH])).status_code == 404
    viewer = _client(province, Role.VIEWER)
    assert viewer.get(reverse("monthly:province-template", args=["51", MONTH])).status_code == 403


def test_the_office_fills_the_whole_provinces_workbook(province):
    office = _client(province, Role.OFFICE)
    download = office.get(reverse("monthly:province-template", args=["51", MONTH]))
    assert download.status_code == 200
    # Every commune of the province in the month, in Vietnamese order (Đ after D); Kon Tum's ended in June.
    assert _rows(download.content) == [("23341", "Xã Đăk Pék"), ("23380", "Xã Đắk Xú")]

    uploaded = office.post(
        reverse("monthly:province-upload", args=["51", MONTH]),
        {"file": _fill(download.content, {"D4": 50, "D5": 41})},
    )
    assert uploaded.status_code == 302
    assert uploaded["Location"] == reverse("monthly:review", args=[MONTH])
    incomes = dict(
        Value.objects.filter(report__period=AUGUST, measure__code="income_per_capita").values_list(
            "report__unit__code", "number"
        )
    )
    assert incomes == {"23341": Decimal(50), "23380": Decimal(41)}
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.DRAFT}


def test_a_province_workbook_belongs_to_the_months_after_the_reform(province, tree):
    kon_tum_office = _client(tree.province, Role.OFFICE)
    # Kon Tum had districts: its figures went through each district's workbook.
    assert kon_tum_office.get(reverse("monthly:province-template", args=["62", "2024-05"])).status_code == 404
    # A district official of old Đắk Glei never sees the new province.
    district = _client(tree.dak_glei, Role.DISTRICT)
    assert district.get(reverse("monthly:province-template", args=["51", MONTH])).status_code == 404


def test_a_stale_province_workbook_names_the_province(province):
    office = _client(province, Role.OFFICE)
    content = office.get(reverse("monthly:province-template", args=["51", MONTH])).content
    official = MembershipFactory(unit=_post_reform("23341"), role=Role.COMMUNE).user
    save_values(unit=_post_reform("23341"), period=AUGUST, raw={"income_per_capita": "60"}, by=official)
    refused = office.post(reverse("monthly:province-upload", args=["51", MONTH]), {"file": _fill(content, {"D5": 41})})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "số liệu của 1 xã thuộc Tỉnh Quảng Ngãi đã thay đổi" in text
    assert reverse("monthly:province-template", args=["51", MONTH]) in text
    assert not Report.objects.filter(unit=_post_reform("23380")).exists()


# ---------------------------------------------------------------- the desk and the board


def test_the_office_approves_a_provinces_reports_at_once_or_those_its_filter_shows(province):
    clerk = MembershipFactory(unit=province, role=Role.COMMUNE).user
    dak_pek = _submitted(_post_reform("23341"), "50", clerk)
    dak_xu = _submitted(_post_reform("23380"), "41", clerk)
    office = _client(province, Role.OFFICE)

    filtered = office.get(reverse("monthly:review", args=[MONTH]), {"q": "dak xu"})
    assert [r.unit.name for s in filtered.context["sections"] for r in s.waiting] == ["Xã Đắk Xú"]
    assert "Duyệt 1 báo cáo đang lọc" in filtered.content.decode()
    approve = reverse("monthly:province-approve-all", args=["51", MONTH])
    office.post(approve, {"only_seen": "1", "seen": [f"{dak_xu.pk}:{dak_xu.version}"]})
    dak_xu.refresh_from_db()
    dak_pek.refresh_from_db()
    assert (dak_xu.status, dak_pek.status) == (ReportStatus.APPROVED, ReportStatus.SUBMITTED)

    # Unfiltered, "Duyệt tất cả" takes every report the page showed, and refuses if one changed since.
    assert office.post(approve, {"seen": [f"{dak_pek.pk}:{dak_pek.version + 1}"]}).status_code == 302
    dak_pek.refresh_from_db()
    assert dak_pek.status == ReportStatus.SUBMITTED
    office.post(approve, {"seen": [f"{dak_pek.pk}:{dak_pek.version}"]})
    dak_pek.refresh_from_db()
    assert dak_pek.status == ReportStatus.APPROVED


def test_province_approval_is_the_offices_and_only_after_the_reform(province, tree):
    clerk = MembershipFactory(unit=province, role=Role.COMMUNE).user
    report = _submitted(_post_reform("23341"), "50", clerk)
    official = _client(_post_reform("23341"), Role.COMMUNE)
    approve = reverse("monthly:province-approve-all", args=["51", MONTH])
    assert official.post(approve, {"seen": [f"{report.pk}:{report.version}"]}).status_code == 404
    kon_tum = _client(tree.province, Role.OFFICE)
    assert kon_tum.post(reverse("monthly:province-approve-all", args=["62", "2024-05"])).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_overdue_board_is_filtered_by_name_and_keeps_the_totals(province):
    office = _client(province, Role.OFFICE)
    board = office.get(reverse("monthly:overdue", args=[MONTH]), {"q": "Đắk Xú"})
    assert [r.unit.name for r in board.context["pending"]] == ["Xã Đắk Xú"]
    assert (board.context["pending_total"], board.context["commune_total"]) == (2, 2)
    text = board.content.decode()
    assert "<th>Tỉnh</th>" in text  # no districts since July 2025
    everything = office.get(reverse("monthly:overdue", args=[MONTH]))
    assert len(everything.context["pending"]) == 2


# ---------------------------------------------------------------- letterheads


def test_letterheads_after_the_reform_address_communes_and_the_province(province, tree):
    dak_pek = _post_reform("23341")
    commune = defaults(DocumentKind.COMMUNE, dak_pek, AUGUST, [province])
    assert commune["recipients"].splitlines()[0] == "UBND tỉnh Quảng Ngãi (b/c);"
    assert commune["issuing_body"] == "ỦY BAN NHÂN DÂN\nXÃ ĐĂK PÉK"
    assert "UBND các xã, phường, đặc khu;" in defaults(DocumentKind.PROVINCE, province, AUGUST, [])["recipients"]
    # Kon Tum's 2024 documents keep their districts.
    old = defaults(DocumentKind.COMMUNE, tree.dak_pek, dt.date(2024, 5, 1), [tree.province, tree.dak_glei])
    assert old["recipients"].splitlines()[0] == "UBND huyện Đắk Glei (b/c);"
    assert "UBND các huyện, thành phố;" in defaults(DocumentKind.PROVINCE, tree.province, AUGUST, [])["recipients"]
