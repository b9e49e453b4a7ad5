"""Commune groups as dated data (issue 15, item 2): the office assigns groups from a day, in bulk or by Excel, with
history; a month is judged by the group in force on its last day; a commune without a group is "chưa phân nhóm"
and is judged against no group's requirement."""

import datetime as dt
import html
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from communes.groups import CommuneGroupAssignment, groups_on
from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Role
from criteria.evaluation import Outcome
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.evaluation import evaluate_approved
from monthly.services import approve_report, save_values, submit_report
from reports.models import Status
from reports.services import recompute_statuses
from tests.factories import MembershipFactory, UserFactory, reform_kon_tum

pytestmark = pytest.mark.django_db

FIXTURES = settings.BASE_DIR / "fixtures" / "criteria"
QD51 = dt.date(2026, 2, 15)


@pytest.fixture
def province(tree):
    for name in ("2021-2025/commune-standard.yaml", "2026-2030/commune-standard.yaml"):
        import_criteria_text((FIXTURES / name).read_bytes())
    reform = reform_kon_tum(tree)
    _commune(reform.quang_ngai, "23380", "Xã Đắk Xú")
    return reform.quang_ngai


def _commune(province, code, name, kind=Kind.XA):
    return AdministrativeUnit.objects.create(
        code=code,
        level=Level.COMMUNE,
        kind=kind,
        name=name,
        short_name=name[3:],
        parent=province,
        valid_from=REFORM_DATE,
    )


def _new(code):
    return AdministrativeUnit.objects.get(code=code, valid_from=REFORM_DATE)


def _client(unit, role):
    client = Client()
    client.force_login(MembershipFactory(unit=unit, role=role).user)
    return client


def _assign(client, units, **fields):
    data = {"group": "1", "valid_from": "15/02/2026", "decision": "QĐ 120/QĐ-UBND", **fields}
    return client.post(reverse("communes:groups", args=["51"]), {**data, "unit": [u.pk for u in units]})


# ---------------------------------------------------------------- the page


def test_the_office_assigns_groups_in_bulk_and_keeps_the_history(province):
    office = _client(province, Role.OFFICE)
    page = office.get(reverse("communes:groups", args=["51"]))
    assert page.status_code == 200
    assert [r.unit.name for r in page.context["rows"]] == ["Xã Đăk Pék", "Xã Đắk Xú"]
    assert page.context["ungrouped"] == 2
    assert "chưa phân nhóm" in page.content.decode()

    assert _assign(office, [_new("23341"), _new("23380")], group="2").status_code == 302
    assert _assign(office, [_new("23341")], group="1", valid_from="01/07/2026").status_code == 302
    history = list(CommuneGroupAssignment.objects.filter(unit=_new("23341")).values_list("group", "valid_from"))
    assert history == [(2, QD51), (1, dt.date(2026, 7, 1))]
    assert groups_on([_new("23341").pk, _new("23380").pk], dt.date(2026, 3, 31)) == {
        _new("23341").pk: 2,
        _new("23380").pk: 2,
    }
    assert groups_on([_new("23341").pk], dt.date(2026, 7, 31)) == {_new("23341").pk: 1}
    page = office.get(reverse("communes:groups", args=["51"]), {"on": "2026-12-02", "group": "1"})
    assert [r.unit.name for r in page.context["rows"]] == ["Xã Đăk Pék"]
    assert "Nhóm 2 từ 15/02/2026 → Nhóm 1 từ 01/07/2026" in page.content.decode()
    # Assigning the same day again replaces that day's assignment, it does not add one.
    _assign(office, [_new("23380")], group="3")
    assert list(CommuneGroupAssignment.objects.filter(unit=_new("23380")).values_list("group", flat=True)) == [3]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"group": "4"}, "Chọn nhóm 1, 2 hoặc 3."),
        ({"valid_from": "2026-31-12"}, "Ngày phải viết dạng ngày/tháng/năm"),
        ({"valid_from": "30/06/2025"}, "nhóm không thể áp dụng trước ngày đó"),
        ({"valid_from": ""}, "Ghi ngày bắt đầu áp dụng nhóm"),
    ],
)
def test_a_wrong_assignment_names_the_field_and_saves_nothing(province, fields, message):
    response = _assign(_client(province, Role.OFFICE), [_new("23341")], **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CommuneGroupAssignment.objects.exists()


def test_only_the_provinces_own_communes_are_assigned(province, tree):
    office = _client(province, Role.OFFICE)
    response = _assign(office, [tree.other_commune, tree.dak_pek])  # Gia Lai's, and Kon Tum's (ended in 2025)
    assert response.status_code == 400
    assert "Chưa chọn xã nào" in response.content.decode()
    assert not CommuneGroupAssignment.objects.exists()


def test_who_may_see_and_assign_groups(province, tree):
    viewer = _client(province, Role.VIEWER)
    assert viewer.get(reverse("communes:groups", args=["51"])).status_code == 200
    assert _assign(viewer, [_new("23341")]).status_code == 403
    assert _client(_new("23341"), Role.COMMUNE).get(reverse("communes:groups", args=["51"])).status_code == 404
    # Kon Tum had no groups: they belong to the provinces since July 2025.
    assert _client(tree.province, Role.OFFICE).get(reverse("communes:groups", args=["62"])).status_code == 404
    assert not CommuneGroupAssignment.objects.exists()


def test_the_page_runs_the_same_queries_for_2_and_40_communes(province):
    office = _client(province, Role.OFFICE)
    url = reverse("communes:groups", args=["51"])
    office.get(url)
    with CaptureQueriesContext(connection) as small:
        office.get(url)
    for number in range(38):
        unit = _commune(province, str(96000 + number), f"Xã Thử {number:02d}")
        CommuneGroupAssignment.objects.create(unit=unit, group=1 + number % 3, valid_from=QD51)
    with CaptureQueriesContext(connection) as large:
        response = office.get(url)
    assert len(response.context["rows"]) == 40
    assert len(large) == len(small)


# ---------------------------------------------------------------- Excel


def _workbook(office, cells: dict[str, object]) -> SimpleUploadedFile:
    content = office.get(reverse("communes:groups-workbook", args=["51"])).content
    workbook = load_workbook(io.BytesIO(content))
    for coordinate, value in cells.items():
        workbook["Nhóm xã"][coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("nhom-xa.xlsx", buffer.getvalue())


def test_groups_round_trip_through_excel(province):
    office = _client(province, Role.OFFICE)
    upload = reverse("communes:groups-upload", args=["51"])
    filled = _workbook(
        office, {"E2": 3, "F2": "15/02/2026", "G2": "QĐ 120/QĐ-UBND", "E3": "1", "F3": dt.date(2026, 3, 1)}
    )
    assert office.post(upload, {"file": filled}).status_code == 302
    rows = CommuneGroupAssignment.objects.order_by("unit__code").values_list("unit__code", "group", "valid_from")
    assert list(rows) == [("23341", 3, QD51), ("23380", 1, dt.date(2026, 3, 1))]
    # The workbook now shows the groups in force; the same file again changes nothing.
    sheet = load_workbook(io.BytesIO(office.get(reverse("communes:groups-workbook", args=["51"])).content))["Nhóm xã"]
    assert (sheet["C2"].value, sheet["D2"].value) == ("Nhóm 3", "15/02/2026")
    again = office.post(upload, {"file": _workbook(office, {"E2": 3, "F2": "15/02/2026", "G2": "QĐ 120/QĐ-UBND"})})
    assert again.status_code == 302
    assert CommuneGroupAssignment.objects.count() == 2


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"A2": "99999", "E2": 1, "F2": "15/02/2026"}, "Ô A2: mã xã '99999' không phải một xã của Tỉnh Quảng Ngãi"),
        ({"E2": 4, "F2": "15/02/2026"}, "Ô E2 (Xã Đăk Pék): nhóm phải là 1, 2 hoặc 3"),
        ({"E2": 1}, "Ô F2 (Xã Đăk Pék): thiếu ngày bắt đầu áp dụng nhóm"),
        ({"E2": 1, "F2": "mùng 1 tết"}, "Ô F2 (Xã Đăk Pék): 'mùng 1 tết' không phải ngày"),
        ({"E2": 1, "F2": "01/01/2020"}, "Ô F2 (Xã Đăk Pék): ngày phải từ 01/07/2025"),
        ({"A3": "23341", "E2": 1, "F2": "15/02/2026", "E3": 2, "F3": "15/02/2026"}, "Ô A3: Xã Đăk Pék đã có ở dòng 2"),
    ],
)
def test_a_wrong_workbook_names_each_cell_and_saves_nothing(province, cells, message):
    office = _client(province, Role.OFFICE)
    # A right row beside the wrong one: it is not saved either.
    filled = _workbook(office, {"E3": 2, "F3": "15/02/2026", **cells})
    response = office.post(reverse("communes:groups-upload", args=["51"]), {"file": filled})
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not CommuneGroupAssignment.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(province):
    office = _client(province, Role.OFFICE)
    response = office.post(
        reverse("communes:groups-upload", args=["51"]), {"file": SimpleUploadedFile("x.xlsx", b"not a zip")}
    )
    assert response.status_code == 400
    assert "không phải bảng tính Excel" in response.content.decode()


# ---------------------------------------------------------------- judging by group


def _approved_income(unit, period, income):
    clerk = UserFactory()
    report = save_values(unit=unit, period=period, raw={"income_per_capita": income}, by=clerk)
    approve_report(report=submit_report(report=report, by=clerk), by=clerk)


def _income_outcome(unit, period):
    programme = Programme.objects.get(code="2026-2030")
    result, _values = evaluate_approved(unit, period, programme=programme, province_region="")
    indicator = next(
        i for c in result.sets["commune-standard"].criteria for i in c.indicators if i.measure == "income_per_capita"
    )
    return indicator.outcome, indicator.threshold


def test_each_group_faces_its_own_requirement_and_an_ungrouped_commune_none(province):
    dak_pek = _new("23341")
    march = dt.date(2026, 3, 1)
    _approved_income(dak_pek, march, "60")
    outcome, threshold = _income_outcome(dak_pek, march)
    assert (outcome, threshold) == (Outcome.NO_THRESHOLD, None)  # chưa phân nhóm: never silently group 2
    CommuneGroupAssignment.objects.create(unit=dak_pek, group=3, valid_from=QD51)
    assert _income_outcome(dak_pek, march) == (Outcome.MET, Decimal(58))
    CommuneGroupAssignment.objects.create(unit=dak_pek, group=1, valid_from=dt.date(2026, 3, 31))
    assert _income_outcome(dak_pek, march) == (Outcome.NOT_MET, Decimal(85))  # in force on the month's last day
    assert _income_outcome(dak_pek, dt.date(2026, 2, 1))[1] == Decimal(58)


def test_the_monthly_statuses_read_each_communes_group_of_the_month(province):
    dak_pek, dak_xu = _new("23341"), _new("23380")
    march = dt.date(2026, 3, 1)
    for unit in (dak_pek, dak_xu):
        _approved_income(unit, march, "60")
    CommuneGroupAssignment.objects.create(unit=dak_pek, group=3, valid_from=QD51)
    CommuneGroupAssignment.objects.create(unit=dak_xu, group=1, valid_from=QD51)
    programme = Programme.objects.get(code="2026-2030")
    recompute_statuses(period=march, units=AdministrativeUnit.objects.filter(pk__in=[dak_pek.pk, dak_xu.pk]))
    statuses = {s.unit_id: s for s in Status.objects.filter(period=march, programme=programme)}
    failing = {unit: set(statuses[unit.pk].sets["commune-standard"]["failing"]) for unit in (dak_pek, dak_xu)}
    assert "3.1" not in failing[dak_pek]
    assert "3.1" in failing[dak_xu]


def test_the_api_gives_the_group_in_force_on_as_of(province, tree):
    dak_pek = _new("23341")
    CommuneGroupAssignment.objects.create(unit=dak_pek, group=2, valid_from=QD51)
    CommuneGroupAssignment.objects.create(unit=dak_pek, group=1, valid_from=dt.date(2026, 7, 1))
    client = APIClient()
    client.force_authenticate(MembershipFactory(unit=province, role=Role.OFFICE).user)
    assert client.get("/api/v1/units/23341/", {"as_of": "2026-03-01"}).json()["commune_group"] == 2
    assert client.get("/api/v1/units/23341/", {"as_of": "2026-08-01"}).json()["commune_group"] == 1
    assert client.get("/api/v1/units/23341/", {"as_of": "2025-08-01"}).json()["commune_group"] is None
