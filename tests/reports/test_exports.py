"""Excel exports of a scope for a month: who may download them, the sheets and values they hold, and how many
queries they run.

Kon Tum in May 2024 with the sample standard set (tests/criteria/samples.py; criterion 10, income, is key):
Đắk Pék's approved figures meet everything, Đắk Môn's (recognised in 2023) fail criteria 10 and 11, and Đắk Xú
has only a draft for May, over figures approved in April. Thị trấn Đắk Glei reported in April only.
"""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communes.models import AdministrativeUnit, Kind, Level, Role
from criteria.models import Measure, Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus, Value
from monthly.services import approve_report, save_values, submit_report
from records.models import Recognition
from reports.exports import CONTENT_TYPE, statuses_workbook, values_workbook
from reports.models import Status
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UserFactory, unit

pytestmark = pytest.mark.django_db

APRIL, MAY = dt.date(2024, 4, 1), dt.date(2024, 5, 1)
MONTH = "2024-05"
GOOD = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}
WEAK = {"income_per_capita": "40", "poverty_rate": "8", "plan_approved": True}  # fails 10 (key) and 11: 1/3

STATUS_HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Cấp",
    "Huyện",
    "Mức đạt theo số liệu",
    "Số tiêu chí đạt",
    "Tổng số tiêu chí",
    "Số tiêu chí đạt (xã đạt chuẩn)",
    "Tiêu chí chưa đạt (xã đạt chuẩn)",
    "Tiêu chí chưa đủ số liệu (xã đạt chuẩn)",
    "Mức được công nhận",
    "Quyết định công nhận",
    "Nguy cơ thu hồi",
]


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """10 June 2024, noon in Vietnam."""
    moment = timezone.make_aware(dt.datetime(2024, 6, 10, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _approved(unit, raw, *, official, office, period=MAY):
    report = save_values(unit=unit, period=period, raw=raw, by=official)
    report = submit_report(report=report, by=official)
    return approve_report(report=report, by=office)


@pytest.fixture
def kon_tum(tree, office_user, district_user):
    import_criteria_text(STANDARD)
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    ngoc_hoi_official = MembershipFactory(unit=tree.ngoc_hoi, role=Role.DISTRICT).user
    _approved(tree.dak_pek, GOOD, official=district_user, office=office_user)
    _approved(tree.dak_mon, WEAK, official=district_user, office=office_user)
    _approved(tree.dak_glei_town, GOOD, official=district_user, office=office_user, period=APRIL)
    _approved(dak_xu, WEAK, official=ngoc_hoi_official, office=office_user, period=APRIL)
    save_values(unit=dak_xu, period=MAY, raw={"income_per_capita": "55.5", "plan_approved": False}, by=district_user)
    programme = Programme.objects.get(code="2021-2025")
    recompute_statuses(period=MAY, units=tracked_units(tree.province), programme=programme)
    Recognition.objects.create(
        unit=tree.dak_mon,
        tier="standard",
        programme=programme,
        decision_number="1234/QĐ-UBND",
        decision_date=dt.date(2023, 12, 20),
        issuer="UBND tỉnh Kon Tum",
    )
    office_user.first_name, office_user.last_name = "Hạnh", "Nguyễn Thị"
    office_user.save()
    return tree


def _download(client, kind: str, code: str, month: str = MONTH):
    return client.get(f"/excel/{kind}/{code}/{month}/")  # by hand: bad months cannot be reversed


def _workbook(content: bytes):
    return load_workbook(BytesIO(content))


def _rows(sheet, first: int) -> dict[str, tuple]:
    """Data rows by their first cell (the unit code)."""
    return {row[0]: row for row in sheet.iter_rows(min_row=first, values_only=True)}


def _info(sheet) -> dict[str, str]:
    """The metadata sheet's facts: label in column A, value in column B."""
    return {a: b for a, b in sheet.iter_rows(min_row=3, max_col=2, values_only=True) if a and b}


# ---------------------------------------------------------------- downloads and who may have them


@pytest.mark.parametrize("kind", ["statuses", "values"])
@pytest.mark.parametrize("code", ["62", "610", "23353"])
def test_office_downloads_each_scope_as_an_attachment(kon_tum, office_client, kind, code):
    response = _download(office_client, kind, code)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    prefix = {"statuses": "ket-qua-danh-gia", "values": "so-lieu-da-bao-cao"}[kind]
    assert response["Content-Disposition"] == f'attachment; filename="{prefix}-{code}-2024-05.xlsx"'
    assert response.content.startswith(b"PK")  # an .xlsx is a zip
    _workbook(response.content)


@pytest.mark.parametrize("kind", ["statuses", "values"])
@pytest.mark.parametrize(
    ("role", "code", "month", "expected"),
    [
        ("office", "62", MONTH, 200),
        ("office", "64", MONTH, 404),  # Gia Lai
        ("office", "23617", MONTH, 404),  # a commune of Gia Lai
        ("office", "62", "2024-13", 404),
        ("office", "62", "2024-5", 404),
        ("office", "62001", MONTH, 404),  # no such unit
        ("district", "610", MONTH, 200),
        ("district", "23353", MONTH, 200),
        ("district", "611", MONTH, 404),  # the other district
        ("district", "23380", MONTH, 404),  # a commune of the other district
        ("district", "62", MONTH, 404),  # the province above the district
        ("district", "64", MONTH, 404),
        ("viewer", "62", MONTH, 200),
        ("nobody", "62", MONTH, 404),
        ("admin", "64", MONTH, 200),
    ],
)
def test_exports_answer_404_outside_the_users_scope(client_for, tree, kind, role, code, month, expected):
    users = {
        "office": lambda: MembershipFactory(unit=tree.province, role=Role.OFFICE).user,
        "district": lambda: MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user,
        "viewer": lambda: MembershipFactory(unit=tree.province, role=Role.VIEWER).user,
        "nobody": lambda: UserFactory(),
        "admin": lambda: UserFactory(is_superuser=True, is_staff=True),
    }
    assert _download(client_for(users[role]()), kind, code, month).status_code == expected


def test_a_village_code_is_no_scope(tree, office_client):
    unit("23353001", "Thôn Đắk Xuân", Level.VILLAGE, tree.dak_pek)
    assert _download(office_client, "statuses", "23353001").status_code == 404


@pytest.mark.parametrize("kind", ["statuses", "values"])
def test_exports_require_login(client, tree, kind):
    response = _download(client, kind, "62")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_exports_answer_get_only(kon_tum, office_client):
    assert office_client.post(reverse("reports:excel-statuses", args=["62", MONTH])).status_code == 405


# ---------------------------------------------------------------- statuses


def test_statuses_sheet_lists_districts_and_rural_communes_with_their_results(kon_tum, office_client):
    workbook = _workbook(_download(office_client, "statuses", "62").content)
    assert workbook.sheetnames == ["Kết quả", "Thông tin"]
    sheet = workbook["Kết quả"]
    assert [cell.value for cell in sheet[1]] == STATUS_HEADERS
    assert sheet["A1"].font.bold
    assert sheet["A1"].fill.fgColor.rgb.endswith("DCE9E2")
    assert sheet.freeze_panes == "C2"
    # Each district followed by its rural communes in Vietnamese order (Môn before Pék); the thị trấn, judged
    # by nobody as a xã, is not listed.
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "610",
        "23341",
        "23353",
        "611",
        "23380",
    ]
    rows = _rows(sheet, 2)
    assert rows["23353"] == (
        "23353",
        "Xã Đắk Pék",
        "Xã",
        "Huyện Đắk Glei",
        "Đạt chuẩn NTM",
        3,
        3,
        3,
        None,
        None,
        None,
        None,
        "Không",
    )
    # Recognised in 2023, Đắk Môn now fails two of three criteria, the key one among them: at risk.
    assert rows["23341"] == (
        "23341",
        "Xã Đắk Môn",
        "Xã",
        "Huyện Đắk Glei",
        "Chưa đạt chuẩn",
        1,
        3,
        1,
        "10, 11",
        None,
        "Đạt chuẩn NTM",
        "1234/QĐ-UBND ngày 20/12/2023",
        "Có",
    )
    # Đắk Xú's May draft is not judged: its April approval is, carried forward.
    assert rows["23380"][4:9] == ("Chưa đạt chuẩn", 1, 3, 1, "10, 11")
    assert rows["610"][:5] == ("610", "Huyện Đắk Glei", "Huyện", None, "Chưa đạt chuẩn")


def test_statuses_rows_equal_the_stored_statuses(kon_tum, office_user):
    _name, _type, content = statuses_workbook(scope=kon_tum.province, period=MAY, user=office_user)
    rows = _rows(_workbook(content)["Kết quả"], 2)
    stored = Status.objects.filter(period=MAY).select_related("unit")
    assert len(rows) == stored.count() == 5
    for status in stored:
        row = rows[status.unit.code]
        assert (row[5], row[6]) == (status.criteria_met, status.criteria_total)
        assert isinstance(row[5], int)  # a number, not text


def test_statuses_of_a_commune_scope_hold_that_commune_only(kon_tum, office_client):
    workbook = _workbook(_download(office_client, "statuses", "23341").content)
    rows = _rows(workbook["Kết quả"], 2)
    assert list(rows) == ["23341"]
    assert rows["23341"][3] == "Huyện Đắk Glei"  # the district above the scope, read with its ancestors
    town = _workbook(_download(office_client, "statuses", "23338").content)
    assert town["Kết quả"].max_row == 1  # a thị trấn gets no status: the header alone


def test_statuses_sheet_of_a_month_without_statuses_is_empty_but_says_what_it_is(kon_tum, office_client):
    workbook = _workbook(_download(office_client, "statuses", "62", "2024-03").content)
    assert workbook["Kết quả"].max_row == 1
    assert _info(workbook["Thông tin"])["Kỳ báo cáo"] == "03/2024"


# ---------------------------------------------------------------- figures


def test_values_sheet_holds_each_reports_own_figures(kon_tum, office_client):
    workbook = _workbook(_download(office_client, "values", "62").content)
    assert workbook.sheetnames == ["Số liệu", "Thông tin"]
    sheet = workbook["Số liệu"]
    # Measures in the order of the criteria reading them (1 planning, 10 income, 11 poverty).
    assert [cell.value for cell in sheet[1]] == [
        "Mã xã",
        "Tên xã",
        "Huyện",
        "Trạng thái báo cáo",
        "plan_approved",
        "income_per_capita",
        "poverty_rate",
    ]
    assert [cell.value for cell in sheet[2]][4:] == [
        "Có quy hoạch chung được duyệt",
        "Thu nhập bình quân đầu người (triệu đồng/người/năm)",
        "Tỷ lệ hộ nghèo đa chiều (%)",
    ]
    assert sheet["E1"].font.bold
    assert sheet.freeze_panes == "C3"
    rows = _rows(sheet, 3)
    # Only the communes with a May report: the thị trấn reported in April only.
    assert list(rows) == ["23341", "23353", "23380"]
    assert rows["23353"] == ("23353", "Xã Đắk Pék", "Huyện Đắk Glei", "Đã duyệt", "Có", 55, 4)
    assert rows["23341"][3:] == ("Đã duyệt", "Có", 40, 8)
    # The draft's own figures; April's approved poverty rate is not carried into May's column.
    assert rows["23380"] == ("23380", "Xã Đắk Xú", "Huyện Ngọc Hồi", "Bản nháp", "Không", 55.5, None)
    assert isinstance(rows["23353"][5], int)
    assert isinstance(rows["23380"][5], float)


def test_values_rows_equal_the_stored_values(kon_tum, office_user):
    _name, _type, content = values_workbook(scope=kon_tum.dak_glei, period=MAY, user=office_user)
    sheet = _workbook(content)["Số liệu"]
    columns = {cell.value: cell.column - 1 for cell in sheet[1]}
    rows = _rows(sheet, 3)
    stored = Value.objects.filter(report__period=MAY, report__unit__parent=kon_tum.dak_glei).select_related(
        "report__unit", "measure"
    )
    assert stored.count() == 6
    for value in stored:
        cell = rows[value.report.unit.code][columns[value.measure.code]]
        if isinstance(value.value, bool):
            assert cell == ("Có" if value.value else "Không")
        else:
            assert Decimal(str(cell)) == value.value


def test_values_of_a_level_measure_are_written_as_their_level(kon_tum, office_user):
    rating = Measure.objects.create(code="rating", name="Xếp loại", kind="level", levels=["Khá", "Tốt"])
    report = Report.objects.get(unit=kon_tum.dak_pek, period=MAY)
    Value.objects.create(report=report, measure=rating, level="Tốt")
    _name, _type, content = values_workbook(scope=kon_tum.dak_pek, period=MAY, user=office_user)
    sheet = _workbook(content)["Số liệu"]
    # A measure no set in force reads comes after those that are, by code.
    assert [cell.value for cell in sheet[1]][-1] == "rating"
    assert _rows(sheet, 3)["23353"][-1] == "Tốt"


# ---------------------------------------------------------------- the metadata sheet


@pytest.mark.parametrize("kind", ["statuses", "values"])
def test_metadata_sheet_says_what_when_by_whom(kon_tum, office_client, kind):
    workbook = _workbook(_download(office_client, kind, "62").content)
    sheet = workbook["Thông tin"]
    info = _info(sheet)
    title = {"statuses": "KẾT QUẢ ĐÁNH GIÁ", "values": "SỐ LIỆU BÁO CÁO"}[kind]
    assert sheet["A1"].value == f"{title} NÔNG THÔN MỚI THÁNG 05/2024"
    assert info["Phạm vi"] == "Tỉnh Kon Tum (mã 62)"
    assert info["Kỳ báo cáo"] == "05/2024"
    assert info["Giai đoạn"] == "2021-2025: Chương trình MTQG xây dựng nông thôn mới giai đoạn 2021 - 2025"
    # Five communes of every kind; May: Pék and Môn approved, Xú's draft; the two thị trấn sent nothing.
    assert info["Báo cáo tháng của xã"] == (
        "5 xã. Bản nháp: 1; Đã gửi: 0; Đã duyệt: 2; Bị trả lại: 0; chưa có báo cáo: 2."
    )
    assert info["Ngưỡng chưa xác minh"].startswith("Có: một số ngưỡng")  # the samples are unverified
    assert info["Dữ liệu minh họa"] == "Không"
    assert info["Lập lúc"] == "10/06/2024 12:00"
    assert info["Người lập"] == "Hạnh Nguyễn Thị"
    sets = _rows(sheet, 1)  # by name: no set code in the workbook people read
    assert sets["Bộ tiêu chí xã NTM (thử nghiệm)"] == (
        "Bộ tiêu chí xã NTM (thử nghiệm)",
        "Xã",
        "Đạt chuẩn",
        "Ban hành",
        "Quốc gia",
        "318/QĐ-TTg, từ đầu giai đoạn",  # the version: its legal basis, no amendment
    )


def test_metadata_explains_where_statuses_come_from(kon_tum, office_user):
    _name, _type, content = statuses_workbook(scope=kon_tum.dak_glei, period=MAY, user=office_user)
    info = _info(_workbook(content)["Thông tin"])
    assert info["Phạm vi"] == "Huyện Đắk Glei (mã 610), Tỉnh Kon Tum"
    assert "tính từ số liệu đã duyệt" in info["Cách tính"]
    assert "còn hiệu lực đến ngày 31/05/2024" in info["Cách tính"]
    assert info["Xã đạt chuẩn theo số liệu"] == "1/2 xã có kết quả"


def test_metadata_flags_demo_data_and_verified_thresholds(kon_tum, office_user):
    from criteria.models import Threshold

    unit("23353001", "Thôn Đắk Xuân", Level.VILLAGE, kon_tum.dak_pek, is_demo=True)
    Threshold.objects.update(verified=True)
    _name, _type, content = values_workbook(scope=kon_tum.province, period=MAY, user=office_user)
    info = _info(_workbook(content)["Thông tin"])
    assert info["Dữ liệu minh họa"].startswith("Có")
    assert info["Ngưỡng chưa xác minh"].startswith("Không")


# ---------------------------------------------------------------- queries, pinned


def _grow(tree, count: int) -> None:
    """`count` rural communes under Huyện Đắk Glei with a May status, an approved report with three figures, and
    every third one recognised: everything the exports read, made in bulk."""
    import_criteria_text(STANDARD)
    programme = Programme.objects.get(code="2021-2025")
    communes = []
    for i in range(count):
        commune = AdministrativeUnit(
            code=f"9{i:05d}",
            name=f"Xã Thử {i}",
            short_name=f"Thử {i}",
            level=Level.COMMUNE,
            kind=Kind.XA,
            parent=tree.dak_glei,
        )
        commune.refresh_derived_fields()
        communes.append(commune)
    AdministrativeUnit.objects.bulk_create(communes, batch_size=500)
    communes = list(AdministrativeUnit.objects.filter(parent=tree.dak_glei, code__startswith="9"))
    summary = {"criteria_met": 2, "criteria_total": 3, "failed": [10], "key_failed": [10], "no_data": []}
    Status.objects.bulk_create(
        Status(
            unit=c,
            period=MAY,
            programme=programme,
            criteria_met=2,
            criteria_total=3,
            sets={"commune-standard": summary},
        )
        for c in communes
    )
    Recognition.objects.bulk_create(
        Recognition(
            unit=c,
            tier="standard",
            programme=programme,
            decision_number=f"{i}/QĐ-UBND",
            decision_date=dt.date(2023, 1, 1),
            issuer="UBND tỉnh",
        )
        for i, c in enumerate(communes)
        if i % 3 == 0
    )
    reports = Report.objects.bulk_create(
        Report(unit=c, period=MAY, programme=programme, status=ReportStatus.APPROVED) for c in communes
    )
    measures = {m.code: m for m in Measure.objects.all()}
    Value.objects.bulk_create(
        value
        for report in reports
        for value in (
            Value(report=report, measure=measures["income_per_capita"], number=Decimal("55")),
            Value(report=report, measure=measures["poverty_rate"], number=Decimal("4.5")),
            Value(report=report, measure=measures["plan_approved"], flag=True),
        )
    )


@pytest.mark.parametrize("count", [10, 300])
def test_statuses_export_runs_a_fixed_number_of_queries(tree, office_client, count, django_assert_num_queries):
    _grow(tree, count)
    # session, user, memberships, the province; then the workbook: the month's programme, districts and
    # communes, the month's reports, the sets in force, an unverified threshold?, demo units?, the month's
    # statuses, recognitions (+ unit). A province has no ancestors to read. First reports.coverage checks the month
    # has every result: the sets' kinds, each commune's first approved month, the month's results and marks.
    with django_assert_num_queries(15):
        response = _download(office_client, "statuses", "62")
    assert _workbook(response.content)["Kết quả"].max_row == 1 + count
    # A district reads its ancestors too.
    with django_assert_num_queries(16):
        _download(office_client, "statuses", "610")


@pytest.mark.parametrize("count", [10, 300])
def test_values_export_runs_a_fixed_number_of_queries(tree, office_client, count, django_assert_num_queries):
    _grow(tree, count)
    # session, user, memberships, the province; then the workbook: the month's programme, districts and
    # communes, the month's reports, the sets in force, an unverified threshold?, demo units?, the month's
    # values, their measures, and the measures' entry order (indicators with measure and set, and the
    # thresholds that depend on another figure, for the measures they read).
    with django_assert_num_queries(14):
        response = _download(office_client, "values", "62")
    assert _workbook(response.content)["Số liệu"].max_row == 2 + count
