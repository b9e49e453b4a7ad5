"""/api/v1/ of the communes app: units, monthly reports (read in scope; drafted, corrected and submitted by district
officials with the web's rules and messages), recognition decisions and targets.

Out of scope answers 404 and stays out of lists; a write the role may not make answers 403; every list runs a fixed
number of queries whatever its length.
"""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from communes.groups import CommuneGroupAssignment
from communes.models import AdministrativeUnit, Level, Role
from criteria.choices import Region
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus, Value, ValueChange
from monthly.services import approve_report, save_values, submit_report
from records.models import RecognisedTier, Recognition, Target, TargetKind
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = "/api/v1/"
MAY, JUNE = dt.date(2024, 5, 1), dt.date(2024, 6, 1)


@pytest.fixture(autouse=True)
def criteria():
    import_criteria_text(STANDARD)


@pytest.fixture
def programme():
    return Programme.objects.get(code="2021-2025")


@pytest.fixture
def official(tree):
    """A district official of Huyện Đắk Glei: enters and submits its communes' figures."""
    return MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user


@pytest.fixture
def office(tree):
    return MembershipFactory(unit=tree.province, role=Role.OFFICE).user


@pytest.fixture
def viewer(tree):
    return MembershipFactory(unit=tree.dak_glei, role=Role.VIEWER).user


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _fresh(user):
    """The user as a new request loads it: scope is read once per user object, so a reused one hides that query."""
    return type(user).objects.get(pk=user.pk)


def _token_client(user, *, can_write: bool) -> APIClient:
    token = ApiToken(user=user, name="Hệ thống của huyện", can_write=can_write)
    key = token.issue_key()
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["code"] for row in response.json()["results"]]


def _assert_error(response, status: int) -> dict:
    """The one error shape of api.exceptions."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["code"], str)
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


# ---------------------------------------------------------------- units


def test_unit_list_shows_the_units_in_scope_with_their_fields(tree, official):
    response = _client(official).get(f"{ROOT}units/")
    assert _codes(response) == ["610", "23338", "23341", "23353"]  # by path: the district, then its communes
    body = response.json()
    assert body["count"] == 4
    row = next(r for r in body["results"] if r["code"] == "23353")
    assert row == {
        "code": "23353",
        "name": "Xã Đắk Pék",
        "short_name": "Đắk Pék",
        "level": "commune",
        "kind": "xa",
        "parent": "610",
        "path": "62/610/23353/",
        "region": "TN",  # Kon Tum's: only provinces record a region
        "applies_tdmnpb_thresholds": False,
        "commune_group": None,
        "valid_from": None,
        "valid_to": None,
        "lat": None,
        "lon": None,
        "is_demo": False,
    }


def test_unit_detail_by_code_matches_the_database(tree, official):
    commune = tree.dak_mon
    commune.valid_from, commune.applies_tdmnpb_thresholds = dt.date(2020, 1, 1), True
    commune.save()
    CommuneGroupAssignment.objects.create(unit=commune, group=2, valid_from=dt.date(2026, 2, 15))
    body = _client(official).get(f"{ROOT}units/23341/").json()
    assert body["valid_from"] == "2020-01-01"
    assert (body["commune_group"], body["applies_tdmnpb_thresholds"]) == (2, True)
    assert (body["name"], body["parent"], body["path"]) == (commune.name, "610", commune.path)


def test_a_province_has_no_parent_and_its_own_region(tree, admin_user):
    body = _client(admin_user).get(f"{ROOT}units/62/").json()
    assert (body["parent"], body["region"], body["level"], body["kind"]) == (None, "TN", "province", "tinh")


def test_units_outside_scope_are_404_and_not_listed(tree, official):
    client = _client(official)
    _assert_error(client.get(f"{ROOT}units/23617/"), 404)  # Xã Đông, Gia Lai
    _assert_error(client.get(f"{ROOT}units/62/"), 404)  # the province above the official's district
    assert "23617" not in _codes(client.get(f"{ROOT}units/", {"page_size": 1000}))
    _assert_error(client.get(f"{ROOT}units/00000/"), 404)
    _assert_error(client.get(f"{ROOT}units/23%00353/"), 404)


def test_a_code_shared_by_two_levels_resolves_like_the_html_pages(tree, admin_user):
    UnitFactory(code="610", name="Thôn 610", level=Level.VILLAGE, parent=tree.dak_pek)
    assert _client(admin_user).get(f"{ROOT}units/610/").json()["level"] == "district"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "district"}, ["610", "611", "625"]),
        ({"level": "province"}, ["62", "64"]),
        ({"parent": "611"}, ["23368", "23380"]),
        ({"province": "64"}, ["23617", "625", "64"]),
        ({"province": "64", "level": "commune"}, ["23617"]),
        ({"region": "DBSCL"}, ["23617", "625", "64"]),
        ({"q": "dak pek"}, ["23353"]),
        ({"q": "ĐẮK  GLEI"}, ["23338", "610"]),
        ({"q": "23341"}, ["23341"]),
        ({"as_of": "2025-06-30"}, ["23338", "23341", "23353"]),
        ({"as_of": "2025-07-01"}, ["23338", "23353", "99999"]),
    ],
)
def test_unit_filters(tree, admin_user, query, expected):
    tree.other_province.region = Region.DBSCL
    tree.other_province.save()
    # Đắk Môn ends on 1 July 2025, when a merged commune begins (the 2025 reorganisation).
    tree.dak_mon.valid_to = dt.date(2025, 7, 1)
    tree.dak_mon.save()
    UnitFactory(code="99999", name="Xã Đắk Môn Mới", parent=tree.dak_glei, valid_from=dt.date(2025, 7, 1))
    scope = {"level": "commune", "parent": "610"} if "as_of" in query else {}
    response = _client(admin_user).get(f"{ROOT}units/", {**scope, **query, "ordering": "code"})
    assert _codes(response) == expected


@pytest.mark.parametrize(
    "query", [{"level": "xa"}, {"region": "XX"}, {"as_of": "30/06/2025"}, {"as_of": "2025-02-30"}, {"q": "a\x00b"}]
)
def test_unit_filters_refuse_what_they_cannot_read(tree, official, query):
    body = _assert_error(_client(official).get(f"{ROOT}units/", query), 400)
    assert set(body["errors"]) == set(query)


def test_unit_ordering_and_pages(tree, admin_user):
    client = _client(admin_user)
    names = [
        r["name"] for r in client.get(f"{ROOT}units/", {"ordering": "-name", "level": "province"}).json()["results"]
    ]
    assert names == ["Tỉnh Kon Tum", "Tỉnh Gia Lai"]
    first = client.get(f"{ROOT}units/", {"page_size": 4}).json()
    second = client.get(f"{ROOT}units/", {"page_size": 4, "page": 2}).json()
    assert first["count"] == 11
    assert not {r["code"] for r in first["results"]} & {r["code"] for r in second["results"]}
    _assert_error(client.get(f"{ROOT}units/", {"page": 10**30}), 404)
    _assert_error(client.get(f"{ROOT}units/", {"page": "abc"}), 404)


@pytest.mark.parametrize("extra", [0, 30])
def test_unit_list_runs_a_fixed_number_of_queries(tree, official, extra, django_assert_num_queries):
    for i in range(extra):
        UnitFactory(code=f"{80000 + i}", name=f"Xã Thử {i}", parent=tree.dak_glei)
    client = _client(official)
    # memberships (scope), count, units (+ parent, + province's region as a subquery)
    with django_assert_num_queries(3):
        response = client.get(f"{ROOT}units/", {"page_size": 1000})
    assert response.json()["count"] == 4 + extra
    assert {r["parent"] for r in response.json()["results"][1:]} == {"610"}


def test_requests_without_credentials_are_401(db):
    _assert_error(APIClient().get(f"{ROOT}units/"), 401)
    _assert_error(APIClient().post(f"{ROOT}reports/", {}, format="json"), 401)


# ---------------------------------------------------------------- reports: reading


@pytest.fixture
def reports(tree, official, office):
    """Đắk Pék: May approved, June a draft; Đắk Môn: May submitted; Xã Đông (Gia Lai): May draft."""
    pek_may = save_values(
        unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "52,5", "plan_approved": "Có"}, by=official
    )
    approve_report(report=submit_report(report=pek_may, by=official), by=office)
    pek_june = save_values(unit=tree.dak_pek, period=JUNE, raw={"poverty_rate": "4"}, by=official)
    mon_may = submit_report(
        report=save_values(unit=tree.dak_mon, period=MAY, raw={"poverty_rate": "7"}, by=official), by=official
    )
    far = save_values(unit=tree.other_commune, period=MAY, raw={"poverty_rate": "3"}, by=UserFactory())
    Value.objects.filter(report=pek_may, measure__code="income_per_capita").update(note="Theo điều tra 2023")
    return {
        "pek_may": Report.objects.get(pk=pek_may.pk),
        "pek_june": pek_june,
        "mon_may": mon_may,
        "far": far,
    }


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_report_list_shows_the_reports_in_scope_with_their_fields(reports, official):
    response = _client(official).get(f"{ROOT}reports/")
    # Newest month first, then by unit (Đắk Môn 23341 before Đắk Pék 23353 in path order).
    assert _ids(response) == [reports["pek_june"].pk, reports["mon_may"].pk, reports["pek_may"].pk]
    row = response.json()["results"][2]
    report = reports["pek_may"]
    assert set(row) == {
        "id",
        "unit",
        "unit_name",
        "month",
        "programme",
        "status",
        "version",
        "is_late",
        "submitted_at",
        "approved_at",
        "updated_at",
    }
    assert (row["unit"], row["unit_name"], row["month"], row["programme"]) == (
        "23353",
        "Xã Đắk Pék",
        "2024-05",
        "2021-2025",
    )
    assert (row["status"], row["version"], row["is_late"]) == ("approved", report.version, report.is_late)
    assert dt.datetime.fromisoformat(row["submitted_at"]) == report.submitted_at
    assert dt.datetime.fromisoformat(row["approved_at"]) == report.approved_at
    assert dt.datetime.fromisoformat(row["updated_at"]) == report.updated_at


def test_report_detail_adds_the_values(reports, official):
    report = reports["pek_may"]
    body = _client(official).get(f"{ROOT}reports/{report.pk}/").json()
    assert body["status"] == "approved"
    assert body["values"] == [
        {"measure": "income_per_capita", "value": "52.5", "note": "Theo điều tra 2023"},
        {"measure": "plan_approved", "value": True, "note": ""},
    ]
    stored = {v.measure.code: v.value for v in report.values.select_related("measure")}
    assert stored == {"income_per_capita": Decimal("52.5"), "plan_approved": True}


def test_reports_outside_scope_are_404_and_not_listed(reports, official):
    client = _client(official)
    _assert_error(client.get(f"{ROOT}reports/{reports['far'].pk}/"), 404)
    assert reports["far"].pk not in _ids(client.get(f"{ROOT}reports/"))
    _assert_error(client.get(f"{ROOT}reports/abc/"), 404)
    _assert_error(client.get(f"{ROOT}reports/99999999999999999999999/"), 404)


def test_everyone_in_scope_reads_reports(reports, viewer, office, admin_user):
    assert len(_ids(_client(viewer).get(f"{ROOT}reports/"))) == 3
    assert len(_ids(_client(office).get(f"{ROOT}reports/"))) == 3
    assert len(_ids(_client(admin_user).get(f"{ROOT}reports/"))) == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"month": "2024-05"}, ["mon_may", "pek_may", "far"]),
        ({"month": "2024-06"}, ["pek_june"]),
        ({"unit": "23353"}, ["pek_june", "pek_may"]),
        ({"province": "64"}, ["far"]),
        ({"district": "610"}, ["pek_june", "mon_may", "pek_may"]),
        ({"district": "625", "month": "2024-05"}, ["far"]),
        ({"district": "23353"}, []),  # a commune's code is not a district's
        ({"status": "submitted"}, ["mon_may"]),
        ({"status": "draft", "province": "62"}, ["pek_june"]),
        ({"programme": "2021-2025", "month": "2024-06"}, ["pek_june"]),
        ({"programme": "2026-2030"}, []),
    ],
)
def test_report_filters(reports, admin_user, query, expected):
    response = _client(admin_user).get(f"{ROOT}reports/", query)
    assert _ids(response) == [reports[name].pk for name in expected]


@pytest.mark.parametrize("month", ["2024-13", "2024-5", "05-2024", "0000-01", "abc"])
def test_a_malformed_month_filter_is_400_with_the_web_message(reports, official, month):
    body = _assert_error(_client(official).get(f"{ROOT}reports/", {"month": month}), 400)
    assert "YYYY-MM" in body["errors"]["month"][0]


def test_report_ordering(reports, official):
    ids = _ids(_client(official).get(f"{ROOT}reports/", {"ordering": "updated_at"}))
    updated = dict(Report.objects.values_list("pk", "updated_at"))
    assert [updated[pk] for pk in ids] == sorted(updated[pk] for pk in ids)


@pytest.mark.parametrize("extra", [0, 20])
def test_report_list_runs_a_fixed_number_of_queries(tree, official, extra, django_assert_num_queries):
    for i in range(extra + 1):
        commune = UnitFactory(code=f"{80000 + i}", name=f"Xã Thử {i}", parent=tree.dak_glei)
        save_values(unit=commune, period=MAY, raw={"poverty_rate": "4"}, by=official)
    client = _client(official)
    # memberships (scope), count, reports (+ unit, programme)
    with django_assert_num_queries(3):
        response = client.get(f"{ROOT}reports/")
    assert len(response.json()["results"]) == extra + 1
    assert {r["programme"] for r in response.json()["results"]} == {"2021-2025"}


@pytest.mark.parametrize("measures", [1, 3])
def test_report_detail_runs_a_fixed_number_of_queries(tree, official, measures, django_assert_num_queries):
    raw = dict(list({"poverty_rate": "4", "income_per_capita": "50", "plan_approved": True}.items())[:measures])
    report = save_values(unit=tree.dak_pek, period=MAY, raw=raw, by=official)
    client = _client(official)
    # memberships (scope), report (+ unit, programme), values (+ measure)
    with django_assert_num_queries(3):
        response = client.get(f"{ROOT}reports/{report.pk}/")
    assert len(response.json()["values"]) == measures


# ---------------------------------------------------------------- reports: writing


def _create(client, **body):
    payload = {"unit": "23353", "month": "2024-05", "values": {"poverty_rate": 4.5, "plan_approved": True}, **body}
    return client.post(f"{ROOT}reports/", payload, format="json")


def test_a_district_official_creates_a_draft(tree, official):
    response = _create(_client(official), values={"poverty_rate": 4.5, "plan_approved": True, "income_per_capita": ""})
    assert response.status_code == 201, response.json()
    report = Report.objects.get()
    body = response.json()
    assert (body["id"], body["unit"], body["month"], body["status"], body["version"]) == (
        report.pk,
        "23353",
        "2024-05",
        "draft",
        1,
    )
    assert body["values"] == [
        {"measure": "plan_approved", "value": True, "note": ""},
        {"measure": "poverty_rate", "value": "4.5", "note": ""},
    ]
    assert (report.unit, report.period, report.updated_by) == (tree.dak_pek, MAY, official)
    assert set(ValueChange.objects.values_list("via", flat=True)) == {"api"}


def test_posting_again_saves_into_the_months_report(tree, official):
    client = _client(official)
    assert _create(client).status_code == 201
    response = _create(client, values={"poverty_rate": "3,5"}, version=1)
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert Report.objects.count() == 1
    assert Value.objects.get(measure__code="poverty_rate").number == Decimal("3.5")
    assert Value.objects.get(measure__code="plan_approved").flag is True  # not sent: kept
    assert _create(client, version=1).status_code == 409


def test_patch_updates_the_values_with_the_version_read(tree, official):
    client = _client(official)
    report_id = _create(client).json()["id"]
    response = client.patch(
        f"{ROOT}reports/{report_id}/", {"values": {"poverty_rate": None, "income_per_capita": "60"}, "version": 1}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert {v["measure"]: v["value"] for v in response.json()["values"]} == {
        "income_per_capita": "60",
        "plan_approved": True,
    }
    assert not Value.objects.filter(measure__code="poverty_rate").exists()


def test_a_stale_version_is_409_and_saves_nothing(tree, official):
    client = _client(official)
    report_id = _create(client).json()["id"]
    other = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "5"}, by=other, expected_version=1)
    response = client.patch(f"{ROOT}reports/{report_id}/", {"values": {"poverty_rate": "6"}, "version": 1})
    body = _assert_error(response, 409)
    assert "sau khi bạn mở trang" in body["detail"]
    assert Value.objects.get(measure__code="poverty_rate").number == 5
    assert Report.objects.get().version == 2


@pytest.mark.parametrize(
    ("values", "code", "message"),
    [
        ({"poverty_rate": 140}, "poverty_rate", "Tỷ lệ hộ nghèo đa chiều: 140 lớn hơn giá trị lớn nhất cho phép (100)"),
        ({"income_per_capita": "năm mươi"}, "income_per_capita", "'năm mươi' không phải là số"),
        (
            {"plan_approved": "có lẽ"},
            "plan_approved",
            "Có quy hoạch chung được duyệt: 'có lẽ' không phải giá trị có/không",
        ),
        ({"plan_approved": 1}, "plan_approved", "không phải giá trị có/không"),
        ({"poverty_rate": True}, "poverty_rate", "giá trị có/không không dùng được cho số liệu dạng số"),
        ({"poverty_rate": {"nested": 1}}, "poverty_rate", "không phải là số"),
        ({"poverty_rate": [1, 2]}, "poverty_rate", "không phải là số"),
        ({"poverty_rate": 1e300}, "poverty_rate", "lớn hơn giá trị lớn nhất"),
        ({"income_per_capita": "12345678901"}, "income_per_capita", "lớn hơn giá trị lớn nhất"),
        ({"poverty_rate": "3.12345"}, "poverty_rate", "có quá 4 chữ số thập phân"),
        ({"unknown_measure": 1}, "unknown_measure", "Mã số liệu 'unknown_measure' không có"),
    ],
)
def test_invalid_values_are_400_naming_the_measure_and_save_nothing(tree, official, values, code, message):
    client = _client(official)
    body = _assert_error(_create(client, values={"income_per_capita": 50, **values}), 400)
    assert message in body["detail"]
    assert message in body["errors"][code][0]
    assert not Report.objects.exists()
    # On an existing draft: nothing changes either.
    report_id = _create(client).json()["id"]
    before = list(Value.objects.order_by("pk").values_list("measure_id", "number", "flag", "level"))
    body = _assert_error(client.patch(f"{ROOT}reports/{report_id}/", {"values": values, "version": 1}), 400)
    assert message in body["errors"][code][0]
    assert list(Value.objects.order_by("pk").values_list("measure_id", "number", "flag", "level")) == before
    assert Report.objects.get().version == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"month": "2024-13"}, "month"),
        ({"month": "0000-01"}, "month"),
        ({"month": 202405}, "month"),
        ({"unit": {"code": "23353"}}, "unit"),
        ({"unit": ["23353"]}, "unit"),
        ({"unit": "23\x00353"}, "unit"),
        ({"values": [["poverty_rate", 4]]}, "values"),
        ({"values": "poverty_rate=4"}, "values"),
        ({"version": "abc"}, "version"),
        ({"version": -1}, "version"),
    ],
)
def test_malformed_create_bodies_are_400(tree, official, body, field):
    response = _create(_client(official), **body)
    assert field in _assert_error(response, 400)["errors"]
    assert not Report.objects.exists()


def test_a_number_beyond_floating_point_is_400(tree, official):
    body = '{"unit": "23353", "month": "2024-05", "values": {"poverty_rate": 1e400}}'
    response = _client(official).post(f"{ROOT}reports/", body, content_type="application/json")
    assert "poverty_rate" in _assert_error(response, 400)["errors"]["values"]
    assert not Report.objects.exists()


def test_malformed_patch_bodies_are_400(tree, official):
    client = _client(official)
    report_id = _create(client).json()["id"]
    url = f"{ROOT}reports/{report_id}/"
    assert set(_assert_error(client.patch(url, {}), 400)["errors"]) == {"values", "version"}
    assert "version" in _assert_error(client.patch(url, {"values": {}}), 400)["errors"]
    assert "values" in _assert_error(client.patch(url, {"values": None, "version": 1}), 400)["errors"]
    _assert_error(client.patch(url, "not json", content_type="application/json"), 400)
    _assert_error(client.patch(url, [1, 2], format="json"), 400)
    _assert_error(client.put(url, {"values": {}, "version": 1}), 405)
    _assert_error(client.delete(url), 405)


def test_a_month_outside_every_programme_is_409(tree, official):
    body = _assert_error(_create(_client(official), month="2030-01"), 409)
    assert "Không có giai đoạn nào" in body["detail"]
    assert not Report.objects.exists()


def test_creating_for_a_unit_outside_scope_or_not_reporting_is_404(tree, official):
    client = _client(official)
    _assert_error(_create(client, unit="23617"), 404)  # Gia Lai
    _assert_error(_create(client, unit="23368"), 404)  # Ngọc Hồi, another district of the province
    assert not Report.objects.exists()


def test_submit_sends_the_report_and_then_it_is_locked(tree, official):
    client = _client(official)
    report_id = _create(client).json()["id"]
    response = client.post(f"{ROOT}reports/{report_id}/submit/")
    assert response.status_code == 200, response.json()
    body = response.json()
    report = Report.objects.get()
    assert (body["status"], report.status, body["version"]) == ("submitted", ReportStatus.SUBMITTED, report.version)
    assert body["submitted_at"] is not None
    assert len(body["values"]) == 2

    locked = "đã gửi và đang chờ duyệt nên không sửa được"
    response = client.patch(f"{ROOT}reports/{report_id}/", {"values": {"poverty_rate": 3}, "version": report.version})
    assert locked in _assert_error(response, 409)["detail"]
    assert locked in _assert_error(_create(client, version=report.version), 409)["detail"]
    assert locked in _assert_error(client.post(f"{ROOT}reports/{report_id}/submit/"), 409)["detail"]
    assert Value.objects.get(measure__code="poverty_rate").number == Decimal("4.5")


def test_an_approved_report_refuses_edits_with_the_web_message(reports, official):
    report = reports["pek_may"]
    response = _client(official).patch(f"{ROOT}reports/{report.pk}/", {"values": {}, "version": report.version})
    assert "đã được duyệt ngày" in _assert_error(response, 409)["detail"]


def test_an_empty_report_is_not_submitted(tree, official):
    client = _client(official)
    report_id = _create(client, values={}).json()["id"]
    body = _assert_error(client.post(f"{ROOT}reports/{report_id}/submit/"), 409)
    assert "chưa có số liệu nào để gửi" in body["detail"]
    assert Report.objects.get().status == ReportStatus.DRAFT


@pytest.mark.parametrize("role", ["office", "viewer"])
def test_only_district_officials_write(tree, official, office, viewer, role):
    report_id = _create(_client(official)).json()["id"]
    client = _client({"office": office, "viewer": viewer}[role])
    body = _assert_error(_create(client, month="2024-06"), 403)
    assert body["detail"] == "Chỉ cán bộ huyện, xã phụ trách mới được nhập số liệu của đơn vị này."
    body = _assert_error(
        client.patch(f"{ROOT}reports/{report_id}/", {"values": {"poverty_rate": 1}, "version": 1}), 403
    )
    assert body["detail"] == "Chỉ cán bộ huyện, xã phụ trách mới được nhập số liệu của đơn vị này."
    body = _assert_error(client.post(f"{ROOT}reports/{report_id}/submit/"), 403)
    assert body["detail"] == "Chỉ cán bộ huyện, xã phụ trách mới được gửi báo cáo này."
    report = Report.objects.get()
    assert (report.version, report.status) == (1, ReportStatus.DRAFT)


def test_an_official_of_another_district_cannot_write_or_see(tree, official):
    report_id = _create(_client(official)).json()["id"]
    other = _client(MembershipFactory(unit=tree.ngoc_hoi, role=Role.DISTRICT).user)
    _assert_error(other.patch(f"{ROOT}reports/{report_id}/", {"values": {}, "version": 1}), 404)
    _assert_error(other.post(f"{ROOT}reports/{report_id}/submit/"), 404)


def test_a_read_only_token_may_read_but_not_write(tree, official):
    client = _token_client(official, can_write=False)
    assert client.get(f"{ROOT}reports/").status_code == 200
    body = _assert_error(_create(client), 403)
    assert "chỉ được đọc" in body["detail"]
    assert not Report.objects.exists()


def test_a_read_write_token_writes_as_its_user(tree, official):
    client = _token_client(official, can_write=True)
    response = _create(client)
    assert response.status_code == 201, response.json()
    assert client.post(f"{ROOT}reports/{response.json()['id']}/submit/").status_code == 200
    assert Report.objects.get().updated_by == official


# ---------------------------------------------------------------- recognition decisions and targets


@pytest.fixture
def records(tree, programme):
    def recognition(unit, **extra):
        fields = {
            "tier": RecognisedTier.STANDARD,
            "decision_number": "1380/QĐ-UBND",
            "decision_date": dt.date(2021, 12, 30),
            "issuer": "Chủ tịch UBND tỉnh Kon Tum",
            **extra,
        }
        return Recognition.objects.create(unit=unit, programme=programme, **fields)

    return {
        "pek": recognition(tree.dak_pek, note="Đợt 1"),
        "mon": recognition(
            tree.dak_mon,
            tier=RecognisedTier.ADVANCED,
            decision_number="77/QĐ-UBND",
            decision_date=dt.date(2024, 3, 1),
            revoked_decision_number="90/QĐ-UBND",
            revoked_date=dt.date(2024, 9, 1),
            revocation_reason="Không duy trì tiêu chí 17",
        ),
        "far": recognition(tree.other_commune, issuer="Chủ tịch UBND tỉnh Gia Lai"),
        "target": Target.objects.create(
            unit=tree.dak_glei, year=2025, kind=TargetKind.UNITS_AT_TIER, tier=RecognisedTier.STANDARD, value=4
        ),
        "province_target": Target.objects.create(
            unit=tree.province, year=2024, kind=TargetKind.MIN_CRITERIA, value=15, source="3299/CTr-UBND"
        ),
        "far_target": Target.objects.create(
            unit=tree.other_province, year=2025, kind=TargetKind.MIN_CRITERIA, value=12
        ),
    }


def test_recognition_list_and_detail_match_the_database(records, office):
    client = _client(office)
    response = client.get(f"{ROOT}recognitions/")
    assert _ids(response) == [records["mon"].pk, records["pek"].pk]  # by unit path: 23341 before 23353
    row = response.json()["results"][0]
    assert row == {
        "id": records["mon"].pk,
        "unit": "23341",
        "unit_name": "Xã Đắk Môn",
        "tier": "advanced",
        "programme": "2021-2025",
        "decision_number": "77/QĐ-UBND",
        "decision_date": "2024-03-01",
        "issuer": "Chủ tịch UBND tỉnh Kon Tum",
        "revoked_decision_number": "90/QĐ-UBND",
        "revoked_date": "2024-09-01",
        "revocation_reason": "Không duy trì tiêu chí 17",
        "note": "",
        "is_demo": False,
    }
    body = client.get(f"{ROOT}recognitions/{records['pek'].pk}/").json()
    assert (body["unit"], body["note"], body["revoked_date"]) == ("23353", "Đợt 1", None)
    _assert_error(client.get(f"{ROOT}recognitions/{records['far'].pk}/"), 404)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"unit": "23353"}, ["pek"]),
        ({"province": "64"}, ["far"]),
        ({"province": "62"}, ["mon", "pek"]),
        ({"year": 2024}, ["mon"]),
        ({"year": 2021}, ["pek", "far"]),
        ({"tier": "advanced"}, ["mon"]),
        ({"state": "in_force"}, ["pek", "far"]),
        ({"q": "dak mon"}, ["mon"]),
    ],
)
def test_recognition_filters(records, admin_user, query, expected):
    assert _ids(_client(admin_user).get(f"{ROOT}recognitions/", query)) == [records[name].pk for name in expected]


@pytest.mark.parametrize("query", [{"year": 10000}, {"year": 0}, {"year": "2024.5"}, {"tier": "gold"}])
def test_record_filters_refuse_what_they_cannot_read(records, office, query):
    for endpoint in ("recognitions", "targets"):
        _assert_error(_client(office).get(f"{ROOT}{endpoint}/", query), 400)


def test_target_list_and_detail_match_the_database(records, viewer, office):
    # A viewer of Đắk Glei sees its district's targets, not the province's.
    assert _ids(_client(viewer).get(f"{ROOT}targets/")) == [records["target"].pk]
    response = _client(office).get(f"{ROOT}targets/")
    assert _ids(response) == [records["province_target"].pk, records["target"].pk]
    assert response.json()["results"][0] == {
        "id": records["province_target"].pk,
        "unit": "62",
        "unit_name": "Tỉnh Kon Tum",
        "year": 2024,
        "kind": "min_criteria",
        "level": "commune",
        "tier": "",
        "value": 15,
        "source": "3299/CTr-UBND",
        "is_demo": False,
    }
    assert _client(office).get(f"{ROOT}targets/{records['target'].pk}/").json()["tier"] == "standard"
    _assert_error(_client(office).get(f"{ROOT}targets/{records['far_target'].pk}/"), 404)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"unit": "610"}, ["target"]),
        ({"province": "64"}, ["far_target"]),
        ({"year": 2025}, ["target", "far_target"]),
        ({"tier": "standard"}, ["target"]),
        ({"kind": "min_criteria", "province": "62"}, ["province_target"]),
    ],
)
def test_target_filters(records, admin_user, query, expected):
    assert _ids(_client(admin_user).get(f"{ROOT}targets/", query)) == [records[name].pk for name in expected]


@pytest.mark.parametrize("extra", [0, 20])
def test_record_lists_run_a_fixed_number_of_queries(tree, programme, office, extra, django_assert_num_queries):
    for i in range(extra + 1):
        commune = UnitFactory(code=f"{80000 + i}", name=f"Xã Thử {i}", parent=tree.dak_glei)
        Recognition.objects.create(
            unit=commune, programme=programme, tier="standard", decision_number=f"{i}/QĐ", decision_date=MAY, issuer="x"
        )
        Target.objects.create(unit=commune, year=2025, kind=TargetKind.MIN_CRITERIA, value=10)
    client = _client(_fresh(office))
    # memberships (scope), count, decisions (+ unit, its parent, programme)
    with django_assert_num_queries(3):
        response = client.get(f"{ROOT}recognitions/")
    assert len(response.json()["results"]) == extra + 1
    client = _client(_fresh(office))
    # memberships (scope), count, targets (+ unit, its parent)
    with django_assert_num_queries(3):
        response = client.get(f"{ROOT}targets/")
    assert len(response.json()["results"]) == extra + 1


def test_the_html_record_lists_share_the_new_filters(records, office):
    client = APIClient()
    client.force_login(office)
    response = client.get("/records/recognitions/", {"year": "2024"})
    assert [r["record"].pk for r in response.context["rows"]] == [records["mon"].pk]
    response = client.get("/records/targets/", {"tier": "standard"})
    assert [r["record"].pk for r in response.context["rows"]] == [records["target"].pk]


def test_unit_fields_read_through_the_queryset(tree, admin_user):
    """The region shown for a unit is its province's, read in the list's own query."""
    expected = dict(AdministrativeUnit.objects.values_list("code", "path"))
    rows = _client(admin_user).get(f"{ROOT}units/", {"page_size": 1000}).json()["results"]
    assert {r["code"]: r["path"] for r in rows} == expected
    assert {r["code"]: r["region"] for r in rows if r["path"].startswith("64/")} == {
        "64": "TN",
        "625": "TN",
        "23617": "TN",
    }
