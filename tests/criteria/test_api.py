"""/api/v1/programmes/ and /api/v1/criteria-sets/: what they say (compared with the database), their filters,
who may read them, and how many queries they run."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from criteria.models import CriteriaSet, Programme, SetStatus, Threshold
from criteria.services import clone_set_for_province
from criteria.yaml_io import import_criteria_text
from tests.criteria.samples import STANDARD
from tests.criteria.test_views import advanced_yaml
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROGRAMMES_URL = reverse("api:programme-list")
SETS_URL = reverse("api:criteria-set-list")


def set_url(criteria_set: CriteriaSet) -> str:
    return reverse("api:criteria-set-detail", args=[criteria_set.pk])


@pytest.fixture
def standard(db):
    return import_criteria_text(STANDARD)[0]


@pytest.fixture
def advanced(standard):
    return import_criteria_text(advanced_yaml())[0]


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("url", [PROGRAMMES_URL, SETS_URL])
def test_criteria_endpoints_require_authentication(standard, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_read_only_token_reads_the_criteria(standard):
    token = ApiToken(user=UserFactory(), name="CSDL Sở NN")
    key = token.issue_key()
    token.save()
    response = APIClient().get(set_url(standard), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["code"] == "commune-standard"


def test_criteria_sets_are_read_only(api, standard):
    assert api.delete(set_url(standard)).status_code == 405
    assert api.post(SETS_URL, {"code": "x"}).status_code == 405


# ---------------------------------------------------------------- programmes


def test_programmes_list_code_name_legal_basis_and_years(api, standard):
    response = api.get(PROGRAMMES_URL)
    assert response.status_code == 200
    programme = Programme.objects.get()
    assert response.json()["results"] == [
        {
            "code": programme.code,
            "name": programme.name,
            "legal_basis": programme.legal_basis,
            "start_year": 2021,
            "end_year": 2025,
        }
    ]


def test_a_programme_is_found_by_its_code(api, standard):
    assert api.get(reverse("api:programme-detail", args=["2021-2025"])).json()["start_year"] == 2021
    assert api.get(reverse("api:programme-detail", args=["2016-2020"])).status_code == 404


# ---------------------------------------------------------------- criteria sets


def test_set_list_gives_each_sets_identity_and_standing(api, standard):
    response = api.get(SETS_URL)
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": standard.pk,
            "programme": "2021-2025",
            "code": "commune-standard",
            "name": standard.name,
            "level": "commune",
            "tier": "standard",
            "rank": 1,
            "status": "published",
            "province_code": "",
            "province_name": "",
            "legal_basis": "318/QĐ-TTg",
            "derived_from": None,
            "effective_from": None,  # the version from the programme's start (no amendment)
        }
    ]


def test_set_detail_nests_criteria_indicators_measures_and_thresholds(api, standard):
    response = api.get(set_url(standard))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["code"], body["programme"], body["description"]) == (
        standard.pk,
        "commune-standard",
        "2021-2025",
        "",
    )
    assert [c["number"] for c in body["criteria"]] == [1, 10, 11]
    income = body["criteria"][1]
    assert {k: v for k, v in income.items() if k != "indicators"} == {
        "number": 10,
        "name": "Thu nhập",
        "group": "Kinh tế",
        "is_key": True,
        "kind": "criterion",
        "department": "Cục Thống kê",
    }
    (indicator,) = income["indicators"]
    assert {k: v for k, v in indicator.items() if k not in ("measure", "thresholds")} == {
        "code": "10.1",
        "official_code": "",
        "name": "Thu nhập bình quân đầu người",
        "comparison": ">=",
        "reference": "",
        "multiplier": None,
    }
    assert indicator["measure"] == {
        "code": "income_per_capita",
        "name": "Thu nhập bình quân đầu người",
        "kind": "number",
        "unit": "triệu đồng/người/năm",
        "min": 0,
        "max": 2000,
        "levels": [],
    }
    stored = Threshold.objects.filter(indicator__criterion__criteria_set=standard, indicator__code="10.1")
    assert indicator["thresholds"] == [
        {
            "value": float(t.value),
            "level_value": t.level_value,
            "region": t.region,
            "tdmnpb_rule": t.tdmnpb_rule,
            "commune_group": t.commune_group,
            "year": t.year,
            "source": t.source,
            "verified": t.verified,
        }
        for t in stored.order_by("pk")
    ]
    assert indicator["thresholds"][1] == {
        "value": 54,
        "level_value": "",
        "region": "TN",
        "tdmnpb_rule": None,
        "commune_group": None,
        "year": 2024,
        "source": "minh họa TN 2024",
        "verified": False,
    }
    poverty = body["criteria"][2]["indicators"][0]
    assert (poverty["thresholds"][0]["value"], poverty["thresholds"][0]["verified"]) == (6.5, True)
    plan = body["criteria"][0]["indicators"][0]
    assert (plan["comparison"], plan["measure"]["kind"], plan["thresholds"][0]["value"]) == (
        "achieved",
        "boolean",
        None,
    )


def test_a_reached_indicator_has_no_measure_and_the_set_it_refers_to(api, advanced):
    body = api.get(set_url(advanced)).json()
    (reached,) = body["criteria"][0]["indicators"]
    assert (reached["measure"], reached["comparison"], reached["reference"], reached["thresholds"]) == (
        None,
        "reached",
        "commune-standard",
        [],
    )
    group_row = body["criteria"][1]["indicators"][0]["thresholds"][3]
    assert (group_row["commune_group"], group_row["value"]) == (2, 55)
    assert body["criteria"][1]["indicators"][0]["thresholds"][1]["tdmnpb_rule"] is True


@pytest.mark.parametrize("lookup", ["commune-standard", "1.5", "99999999999999999999999", "-1"])
def test_an_unknown_or_malformed_set_id_is_404(api, standard, lookup):
    response = api.get(f"{SETS_URL}{lookup}/")
    assert response.status_code == 404


def test_drafts_and_every_provinces_versions_are_listed_like_on_the_criteria_pages(api, standard):
    provincial = clone_set_for_province(criteria_set=standard, province_code="64", province_name="Tỉnh Gia Lai")
    body = api.get(SETS_URL).json()
    assert [(s["province_code"], s["status"], s["derived_from"]) for s in body["results"]] == [
        ("", "published", None),
        ("64", "draft", standard.pk),
    ]
    assert api.get(set_url(provincial)).json()["province_name"] == "Tỉnh Gia Lai"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["commune-standard", "commune-standard@62", "commune-advanced"]),
        ("?programme=2021-2025", ["commune-standard", "commune-standard@62", "commune-advanced"]),
        ("?programme=2026-2030", []),
        ("?code=commune-advanced", ["commune-advanced"]),
        ("?level=commune&tier=standard", ["commune-standard", "commune-standard@62"]),
        ("?level=district", []),
        ("?status=draft", ["commune-standard@62"]),
        ("?status=published", ["commune-standard", "commune-advanced"]),
        ("?province=62", ["commune-standard@62"]),
        ("?national=true", ["commune-standard", "commune-advanced"]),
        ("?national=false", ["commune-standard@62"]),
        ("?ordering=-rank,province_code", ["commune-advanced", "commune-standard", "commune-standard@62"]),
    ],
)
def test_set_filters(api, advanced, query, expected):
    clone_set_for_province(
        criteria_set=CriteriaSet.objects.get(code="commune-standard"), province_code="62", province_name="Tỉnh Kon Tum"
    )
    body = api.get(SETS_URL + query).json()
    found = [s["code"] + (f"@{s['province_code']}" if s["province_code"] else "") for s in body["results"]]
    assert found == expected


@pytest.mark.parametrize("query", ["?level=city", "?tier=best", "?status=old", "?province=123"])
def test_invalid_filters_answer_400_in_vietnamese(api, standard, query):
    response = api.get(SETS_URL + query)
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["detail"]) == ("invalid", "Dữ liệu gửi lên không hợp lệ.")
    assert len(body["errors"]) == 1


def test_an_invalid_choice_is_named_in_vietnamese(api, standard):
    errors = api.get(SETS_URL + "?level=city").json()["errors"]
    assert errors == {"level": ["Hãy chọn một lựa chọn hợp lệ. city không phải là một trong các lựa chọn khả thi."]}


# ---------------------------------------------------------------- queries


def test_set_list_runs_two_queries_whatever_the_number_of_sets(api, advanced, django_assert_num_queries):
    # The page count, then the sets with their programme joined.
    with django_assert_num_queries(2):
        assert len(api.get(SETS_URL).json()["results"]) == 2
    for code in ("62", "64", "66"):
        clone_set_for_province(criteria_set=advanced, province_code=code, province_name=f"Tỉnh {code}")
    with django_assert_num_queries(2):
        assert len(api.get(SETS_URL).json()["results"]) == 5


def test_programme_list_runs_two_queries(api, standard, django_assert_num_queries):
    Programme.objects.create(code="2026-2030", name="Giai đoạn 2026 - 2030", start_year=2026, end_year=2030)
    # The page count, then the programmes.
    with django_assert_num_queries(2):
        assert len(api.get(PROGRAMMES_URL).json()["results"]) == 2


@pytest.mark.parametrize("criteria_count", [1, 6])
def test_set_detail_runs_four_queries_whatever_its_size(api, standard, django_assert_num_queries, criteria_count):
    advanced = import_criteria_text(advanced_yaml(criteria_count=criteria_count, indicators_per_criterion=3))[0]
    # The set with its programme; its criteria; their indicators with measures; their thresholds.
    with django_assert_num_queries(4):
        body = api.get(set_url(advanced)).json()
    assert len(body["criteria"]) == criteria_count + 1
    assert sum(len(i["thresholds"]) for c in body["criteria"] for i in c["indicators"]) == 4 * 3 * criteria_count


def test_draft_status_is_shown_as_stored(api, standard):
    CriteriaSet.objects.filter(pk=standard.pk).update(status=SetStatus.DRAFT)
    assert api.get(set_url(standard)).json()["status"] == "draft"
