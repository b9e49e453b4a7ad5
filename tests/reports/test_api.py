"""/api/v1/statuses/ and /api/v1/evaluate/: what they answer (compared with the database and the engine), their
filters, the user's scope, invalid input in Vietnamese, and the list's query count.

Kon Tum (Tây Nguyên) with the sample standard set (tests/criteria/samples.py): income at least 54 in 2024 (39
under the TDMNPB rule, 50 in other years), poverty at most 6.5 %, the general plan approved. The district user
works for Huyện Đắk Glei; Huyện Ngọc Hồi and Gia Lai are outside their scope.
"""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from communes.models import AdministrativeUnit, Level
from criteria.models import Measure, Programme
from criteria.yaml_io import import_criteria_text
from reports.models import Status
from tests.criteria.samples import STANDARD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STATUSES_URL = reverse("api:status-list")
EVALUATE_URL = reverse("api:evaluate")
APRIL, MAY = dt.date(2024, 4, 1), dt.date(2024, 5, 1)
SET = "commune-standard"


def status_url(status: Status) -> str:
    return reverse("api:status-detail", args=[status.pk])


def make_status(unit, period=MAY, *, tier="", met=0, programme=None) -> Status:
    failed = list((1, 10, 11)[met:])
    return Status.objects.create(
        unit=unit,
        period=period,
        programme=programme or Programme.objects.get(code="2021-2025"),
        tier=tier,
        criteria_met=met,
        criteria_total=3,
        sets={
            SET: {
                "met": met == 3,
                "reached": met == 3,
                "criteria_met": met,
                "criteria_total": 3,
                "failed": failed,
                "key_failed": [n for n in failed if n == 10],
                "no_data": [],
                "failing": {"10.1": [40, 54, 14]} if 10 in failed else {},
            }
        },
    )


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def standard(db):
    return import_criteria_text(STANDARD)[0]


@pytest.fixture
def statuses(tree, standard):
    """May 2024: Đắk Pék reached the standard, Đắk Môn met 1 of 3, Đắk Glei (district) nothing yet, Đắk Xú
    (Ngọc Hồi) 2 of 3, Xã Đông (Gia Lai) 3 of 3; April: Đắk Pék 2 of 3."""
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    return {
        "pek": make_status(tree.dak_pek, tier="standard", met=3),
        "mon": make_status(tree.dak_mon, met=1),
        "glei": make_status(tree.dak_glei, met=0),
        "xu": make_status(dak_xu, met=2),
        "dong": make_status(tree.other_commune, tier="standard", met=3),
        "pek_april": make_status(tree.dak_pek, APRIL, met=2),
    }


@pytest.fixture
def district_api(district_user):
    return client_for(district_user)


def units(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["unit"] + "@" + row["month"] for row in response.json()["results"]]


# ---------------------------------------------------------------- statuses: what and whose


def test_status_list_requires_authentication(statuses):
    assert APIClient().get(STATUSES_URL).status_code == 401


def test_a_status_gives_its_unit_month_tier_counts_and_set_summaries(district_api, statuses):
    status = Status.objects.select_related("unit", "programme").get(pk=statuses["pek"].pk)
    response = district_api.get(status_url(status))
    assert response.status_code == 200
    body = response.json()
    assert dt.datetime.fromisoformat(body.pop("computed_at")) == status.computed_at
    assert body == {
        "id": status.pk,
        "unit": "23353",
        "unit_name": "Xã Đắk Pék",
        "level": "commune",
        "month": "2024-05",
        "programme": "2021-2025",
        "tier": "standard",
        "criteria_met": 3,
        "criteria_total": 3,
        "sets": status.sets,
        "figures_month": None,  # written directly, not computed from an approved report
    }


def test_the_list_shows_the_users_scope_only_newest_month_first_then_the_unit_tree(district_api, statuses):
    assert units(district_api.get(STATUSES_URL)) == [
        "610@2024-05",  # Huyện Đắk Glei, then its communes by path
        "23341@2024-05",
        "23353@2024-05",
        "23353@2024-04",
    ]


def test_a_status_outside_the_users_scope_is_not_found(district_api, statuses):
    response = district_api.get(status_url(statuses["dong"]))
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy, hoặc không thuộc phạm vi của bạn."
    assert district_api.get(status_url(statuses["xu"])).status_code == 404


def test_an_administrator_sees_every_province(admin_user, statuses):
    assert len(units(client_for(admin_user).get(STATUSES_URL))) == 6


def test_a_user_without_membership_sees_no_status(statuses):
    assert units(client_for(UserFactory()).get(STATUSES_URL)) == []


@pytest.mark.parametrize("lookup", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_a_malformed_or_unknown_status_id_is_404(district_api, statuses, lookup):
    assert district_api.get(f"{STATUSES_URL}{lookup}/").status_code == 404


def test_statuses_are_read_only_even_for_a_read_write_token(district_user, statuses):
    token = ApiToken(user=district_user, name="CSDL Sở NN", can_write=True)
    key = token.issue_key()
    token.save()
    response = APIClient().delete(status_url(statuses["pek"]), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 405


# ---------------------------------------------------------------- statuses: filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?month=2024-04", ["23353@2024-04"]),
        ("?month=2024-06", []),
        ("?unit=23353", ["23353@2024-05", "23353@2024-04"]),
        ("?level=district", ["610@2024-05"]),
        ("?level=commune&month=2024-05", ["23341@2024-05", "23353@2024-05"]),
        ("?tier=standard", ["23353@2024-05"]),
        ("?tier=none&month=2024-05", ["610@2024-05", "23341@2024-05"]),
        ("?tier=advanced", []),
        ("?criteria_met_min=2", ["23353@2024-05", "23353@2024-04"]),
        ("?criteria_met_max=1", ["610@2024-05", "23341@2024-05"]),
        ("?criteria_met_min=1&criteria_met_max=2", ["23341@2024-05", "23353@2024-04"]),
        ("?programme=2021-2025&month=2024-04", ["23353@2024-04"]),
        ("?programme=2026-2030", []),
        ("?ordering=-criteria_met", ["23353@2024-05", "23353@2024-04", "23341@2024-05", "610@2024-05"]),
        ("?ordering=month,unit", ["23353@2024-04", "610@2024-05", "23341@2024-05", "23353@2024-05"]),
        ("?ordering=-unit&month=2024-05", ["23353@2024-05", "23341@2024-05", "610@2024-05"]),
        ("?ordering=,,&month=2024-05", ["610@2024-05", "23341@2024-05", "23353@2024-05"]),
    ],
)
def test_status_filters(district_api, statuses, query, expected):
    assert units(district_api.get(STATUSES_URL + query)) == expected


def test_subtree_gives_a_unit_and_everything_under_it(office_user, statuses):
    api = client_for(office_user)
    assert units(api.get(STATUSES_URL + "?subtree=610&month=2024-05")) == [
        "610@2024-05",
        "23341@2024-05",
        "23353@2024-05",
    ]
    assert units(api.get(STATUSES_URL + "?subtree=611")) == ["23380@2024-05"]
    assert units(api.get(STATUSES_URL + "?subtree=23353&month=2024-05")) == ["23353@2024-05"]
    assert len(units(api.get(STATUSES_URL + "?subtree=62"))) == 5


def test_subtree_never_widens_the_scope(district_api, office_user, statuses):
    # Gia Lai and Huyện Ngọc Hồi exist, but not for these users: nothing, rather than their statuses.
    assert units(client_for(office_user).get(STATUSES_URL + "?subtree=64")) == []
    assert units(district_api.get(STATUSES_URL + "?subtree=611")) == []
    assert units(district_api.get(STATUSES_URL + "?subtree=62")) == units(district_api.get(STATUSES_URL))
    assert units(district_api.get(STATUSES_URL + "?subtree=99999")) == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?month=2024-13", "month", "Tháng phải có dạng YYYY-MM, ví dụ 2024-05."),
        ("?month=May", "month", "Tháng phải có dạng YYYY-MM, ví dụ 2024-05."),
        ("?month=2024-5", "month", "Tháng phải có dạng YYYY-MM, ví dụ 2024-05."),
        ("?criteria_met_min=abc", "criteria_met_min", "Nhập một số nguyên, ví dụ 15."),
        ("?criteria_met_min=2.5", "criteria_met_min", "Nhập một số nguyên, ví dụ 15."),
        ("?criteria_met_max=99999999999999999999999", "criteria_met_max", None),
        ("?criteria_met_min=-1", "criteria_met_min", None),
        ("?tier=gold", "tier", None),
        ("?level=province", "level", None),
        ("?ordering=name", "ordering", None),
        ("?unit=%00", "unit", None),
    ],
)
def test_invalid_filters_answer_400_naming_the_filter(district_api, statuses, query, field, message):
    response = district_api.get(STATUSES_URL + query)
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["detail"]) == ("invalid", "Dữ liệu gửi lên không hợp lệ.")
    assert list(body["errors"]) == [field]
    if message:
        assert body["errors"][field] == [message]


# ---------------------------------------------------------------- statuses: queries


def test_status_list_runs_a_fixed_number_of_queries(district_user, tree, statuses, django_assert_num_queries):
    def listed() -> int:
        # A fresh user object, as on every real request: its memberships are read once per request.
        api = client_for(type(district_user).objects.get(pk=district_user.pk))
        # The user's memberships (scope), the page count, then the statuses with unit and programme joined.
        with django_assert_num_queries(3):
            response = api.get(STATUSES_URL + "?page_size=1000")
        return len(response.json()["results"])

    assert listed() == 4
    for month in range(6, 13):
        for unit in (tree.dak_pek, tree.dak_mon, tree.dak_glei_town):
            make_status(unit, dt.date(2024, month, 1), met=month % 4)
    assert listed() == 25


def test_status_list_with_every_filter_runs_the_same_number_of_queries(
    office_user, statuses, django_assert_num_queries
):
    api = client_for(office_user)
    query = "?month=2024-05&subtree=610&tier=none&criteria_met_min=0&criteria_met_max=3&level=commune&ordering=unit"
    # The memberships, the count, the page: the subtree's unit is found in a subquery. Before them, as a month is
    # asked for, reports.coverage: the user's units, the sets' kinds, the communes' first approved months (none
    # here, so no results to check).
    with django_assert_num_queries(6):
        assert units(api.get(STATUSES_URL + query)) == ["23341@2024-05"]


# ---------------------------------------------------------------- evaluate


def evaluate(api, **body):
    return api.post(EVALUATE_URL, {"programme": "2021-2025", "year": 2024, **body}, format="json")


def indicator(response, code: str, set_code: str = SET) -> dict:
    assert response.status_code == 200, response.json()
    return next(i for c in response.json()["sets"][set_code]["criteria"] for i in c["indicators"] if i["code"] == code)


def test_evaluate_a_region_explains_each_indicator(district_api, standard):
    response = evaluate(
        district_api, region="TN", values={"income_per_capita": "52", "poverty_rate": 4, "plan_approved": True}
    )
    body = response.json()
    assert (body["programme"], body["year"], body["tier"]) == ("2021-2025", 2024, None)
    assert body["profile"] == {"region": "TN", "applies_tdmnpb": False, "group": None, "province_code": ""}
    summary = body["sets"][SET]
    assert (summary["met"], summary["reached"], summary["criteria_met"], summary["criteria_total"]) == (
        False,
        False,
        2,
        3,
    )
    assert indicator(response, "10.1") == {
        "code": "10.1",
        "official_code": None,
        "name": "Thu nhập bình quân đầu người",
        "measure": "income_per_capita",
        "value": 52,
        "threshold": 54,
        "comparison": ">=",
        "met": False,
        "outcome": "not_met",
        "gap": 2,
        "basis": "vùng Tây Nguyên, năm 2024",
        "verified": False,
        "source": "minh họa TN 2024",
        "message": "",
    }
    poverty = indicator(response, "11.1")
    assert (poverty["outcome"], poverty["threshold"], poverty["verified"], poverty["source"]) == (
        "met",
        6.5,
        True,
        "minh họa",
    )
    income_criterion = summary["criteria"][1]
    assert (income_criterion["number"], income_criterion["key"], income_criterion["outcome"]) == (10, True, "not_met")


def test_evaluate_with_the_tdmnpb_rule_uses_its_thresholds(district_api, standard):
    response = evaluate(district_api, region="TN", tdmnpb=True, values={"income_per_capita": "40"})
    income = indicator(response, "10.1")
    assert (income["outcome"], income["threshold"], income["source"]) == ("met", 39, "minh họa TDMNPB 2024")
    assert indicator(response, "11.1")["outcome"] == "no_data"


def test_evaluate_a_commune_in_scope_uses_its_provinces_region(district_api, tree, standard):
    response = evaluate(
        district_api,
        unit="23353",
        region="DBSH",  # ignored: the commune's own classification wins
        values={"income_per_capita": 55, "poverty_rate": "4,5", "plan_approved": True},
    )
    body = response.json()
    assert body["profile"] == {"region": "TN", "applies_tdmnpb": False, "group": None, "province_code": "62"}
    assert body["tier"] == "standard"
    assert indicator(response, "10.1")["basis"] == "vùng Tây Nguyên, năm 2024"
    assert indicator(response, "11.1")["value"] == 4.5


def test_evaluate_one_set_answers_for_that_set_only(district_api, standard):
    response = evaluate(district_api, set=SET, region="TN", values={})
    assert list(response.json()["sets"]) == [SET]


def test_evaluate_writes_nothing_and_a_read_only_token_may_call_it(district_user, tree, standard):
    token = ApiToken(user=district_user, name="Hệ thống đọc")
    key = token.issue_key()
    token.save()
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    response = evaluate(api, unit="23353", values={"income_per_capita": 60})
    assert response.status_code == 200
    assert indicator(response, "10.1")["outcome"] == "met"
    assert Status.objects.count() == 0
    # The same token may not write elsewhere: POST on a read-only endpoint is refused as before.
    assert api.post(STATUSES_URL, {}, format="json").status_code in (403, 405)


def test_evaluate_requires_authentication(standard):
    response = APIClient().post(EVALUATE_URL, {"programme": "2021-2025", "year": 2024, "region": "TN"}, format="json")
    assert response.status_code == 401


def test_evaluate_a_commune_outside_the_users_scope_is_refused_like_an_unknown_one(district_api, tree, standard):
    for code in ("23617", "23380", "00000"):  # Gia Lai, Huyện Ngọc Hồi, nowhere
        response = evaluate(district_api, unit=code, values={})
        assert response.status_code == 400
        assert response.json()["errors"] == {"unit": [f"Không có xã mã {code} trong phạm vi bạn được xem."]}


def test_evaluate_a_district_code_is_not_a_commune(district_api, tree, standard):
    response = evaluate(district_api, unit="610", values={})
    assert response.json()["errors"] == {"unit": ["Không có xã mã 610 trong phạm vi bạn được xem."]}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"programme": "2016-2020", "region": "TN"}, {"programme": ["Không có giai đoạn “2016-2020”."]}),
        (
            {"set": "commune-best", "region": "TN"},
            {"set": ["Giai đoạn 2021-2025 không có bộ tiêu chí 'commune-best'."]},
        ),
        ({"year": 2019, "region": "TN"}, {"year": ["Năm phải từ 2021 đến 2030."]}),
        ({"year": 2031, "region": "TN"}, {"year": ["Năm phải từ 2021 đến 2030."]}),
        ({"year": 2027, "region": "TN"}, {"year": ["Năm 2027 nằm ngoài giai đoạn 2021-2025."]}),
        ({"year": "hai nghìn", "region": "TN"}, {"year": ["Năm phải là một số nguyên, ví dụ 2024."]}),
        ({"year": 10**30, "region": "TN"}, {"year": ["Năm phải từ 2021 đến 2030."]}),
        ({}, {"region": ["Chọn một vùng, hoặc nhập mã một xã."]}),
        ({"region": "XYZ"}, {"region": ["“XYZ” không phải là một lựa chọn hợp lệ."]}),
        (
            {"region": "TN", "values": {"income_per_capita": "năm mươi"}},
            {"values": {"income_per_capita": ["Thu nhập bình quân đầu người: 'năm mươi' không phải là số."]}},
        ),
        (
            {"region": "TN", "values": {"poverty_rate": 120}},
            {"values": {"poverty_rate": ["Tỷ lệ hộ nghèo đa chiều: 120 lớn hơn giá trị lớn nhất cho phép (100)."]}},
        ),
        (
            {"region": "TN", "values": {"plan_approved": "có"}},
            {"values": {"plan_approved": ["Có quy hoạch chung được duyệt: 'có' không phải giá trị có/không."]}},
        ),
        (
            {"region": "TN", "values": {"income_per_capita": [1, 2]}},
            {"values": {"income_per_capita": ["Thu nhập bình quân đầu người: '[1, 2]' không phải là số."]}},
        ),
        (
            {"region": "TN", "values": {"income": 50}},
            {"values": {"income": ["Không có số liệu mã “income”."]}},
        ),
    ],
)
def test_evaluate_invalid_input_is_explained_in_vietnamese(district_api, standard, body, errors):
    response = evaluate(district_api, **body)
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid"
    assert answer["errors"] == errors


@pytest.mark.parametrize(
    "body",
    [
        [],
        "2024",
        {"programme": 2021, "year": 2024, "region": "TN", "values": "income=50"},
        {"programme": "2021-2025", "year": True, "region": "TN"},
        {"programme": "2021-2025", "year": 2024, "region": "TN", "tdmnpb": "perhaps"},
        {"programme": "2021-2025", "year": 2024, "region": "TN", "commune_group": 7},
        {"programme": "2021-2025", "year": 2024, "region": "TN", "values": {"income_per_capita": {"a": 1}}},
        {"programme": "2021-2025", "year": 2024, "region": "TN", "values": {"\x00": 1}},
        {"programme": "2021-2025\x00", "year": 2024, "region": "TN"},
        {"programme": "2021-2025", "year": 2024, "unit": "x" * 200, "values": {}},
        {"programme": "2021-2025", "year": 2024, "region": "TN", "values": {f"m{i}": 1 for i in range(600)}},
    ],
)
def test_evaluate_malformed_json_is_a_400_never_a_crash(district_api, standard, body):
    response = district_api.post(EVALUATE_URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_evaluate_refuses_a_value_too_large_for_any_gap_to_be_a_json_number(district_api, standard):
    Measure.objects.create(code="forest_area", name="Diện tích rừng", kind="number", unit="ha")
    response = evaluate(district_api, region="TN", values={"forest_area": 1e300})
    assert response.status_code == 400
    assert response.json()["errors"] == {"values": {"forest_area": ["Diện tích rừng: 1e+300 quá lớn."]}}
    # Typed as text, an exponent is not a number people write (criteria.measures.parse_number).
    response = evaluate(district_api, region="TN", values={"forest_area": "1e999999"})
    assert response.json()["errors"] == {"values": {"forest_area": ["Diện tích rừng: '1e999999' không phải là số."]}}


def test_evaluate_rejects_a_body_that_is_not_json(district_api, standard):
    response = district_api.post(EVALUATE_URL, "{not json", content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "parse_error")
    response = district_api.post(EVALUATE_URL, {"programme": "2021-2025"}, format="multipart")
    assert response.status_code == 415
