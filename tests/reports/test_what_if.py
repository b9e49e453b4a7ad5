from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from criteria.choices import Region
from criteria.evaluation import Outcome, UnitProfile
from criteria.yaml_io import import_criteria_text
from reports.services import what_if_measures
from tests.criteria.samples import STANDARD
from tests.criteria.test_views import advanced_yaml

URL = reverse("reports:what-if")


@pytest.fixture
def standard(db):
    return import_criteria_text(STANDARD)[0]


def what_if(client, **params):
    query = {"programme": "2021-2025", "year": 2024, **params}
    return client.get(f"{URL}?{urlencode(query)}")


def indicator(response, code: str, set_code: str = "commune-standard"):
    result = response.context["result"]
    return next(i for c in result.sets[set_code].criteria for i in c.indicators if i.code == code)


# ---------------------------------------------------------------- the form


def test_what_if_requires_login(client, standard):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_form_offers_one_field_per_measure_with_unit_and_range(district_client, standard):
    response = district_client.get(URL)
    assert response.status_code == 200
    assert response.context["result"] is None
    assert not response.context["form"].is_bound
    text = response.text
    assert "Thu nhập bình quân đầu người" in text
    # The range as the entry page words it (criteria.measures.range_text).
    assert "triệu đồng/người/năm · 0 – 2000" in text
    assert 'name="m_income_per_capita"' in text
    assert 'name="m_poverty_rate"' in text
    # A boolean measure is a select: empty, yes, no.
    assert '<select name="m_plan_approved"' in text
    assert '<option value="true">Có</option>' in text
    assert '<option value="false">Không</option>' in text
    assert '<option value="TN">Tây Nguyên</option>' in text
    assert "Chưa đạt chuẩn" not in text


def test_a_link_with_programme_and_set_fills_the_form_without_submitting(district_client, standard):
    response = district_client.get(f"{URL}?programme=2021-2025&set=commune-standard")
    assert response.status_code == 200
    assert response.context["result"] is None
    assert not response.context["form"].errors
    assert '<option value="commune-standard" selected>' in response.text


# ---------------------------------------------------------------- results for a region


def test_region_below_threshold_is_not_met_with_its_gap(district_client, standard):
    response = what_if(district_client, region="TN", m_income_per_capita="52")
    assert response.status_code == 200
    income = indicator(response, "10.1")
    assert income.outcome is Outcome.NOT_MET
    assert income.threshold == Decimal(54)
    assert income.gap == Decimal(2)
    assert income.basis == "vùng Tây Nguyên, năm 2024"
    text = response.text
    assert "Chưa đạt chuẩn" in text
    assert "✗ Chưa đạt" in text
    assert "vùng Tây Nguyên, năm 2024" in text
    assert '<td class="num">2 <span class="muted">triệu đồng/người/năm</span>' in text
    assert '<span class="badge unverified" title="Nguồn: minh họa TN 2024">chưa xác minh</span>' in text
    assert "Đạt 0/3 tiêu chí." in text
    assert "Chưa có số liệu" in text


def test_every_criterion_met_reaches_the_standard_tier(district_client, standard):
    response = what_if(
        district_client, region="TN", m_income_per_capita="60", m_poverty_rate="3,5", m_plan_approved="true"
    )
    result = response.context["result"]
    assert result.tier == "standard"
    assert result.sets["commune-standard"].met
    text = response.text
    assert '<span class="badge outcome-met">Đạt chuẩn</span>' in text
    assert "Đạt 3/3 tiêu chí." in text
    assert '<span class="badge verified" title="Nguồn: minh họa">đã xác minh</span>' in text
    assert indicator(response, "11.1").value == Decimal("3.5")


def test_boolean_no_is_not_met(district_client, standard):
    response = what_if(district_client, region="TN", m_plan_approved="false")
    plan = indicator(response, "1.1")
    assert plan.value is False
    assert plan.outcome is Outcome.NOT_MET


def test_region_flagged_tdmnpb_uses_the_tdmnpb_threshold(district_client, standard):
    response = what_if(district_client, region="TN", tdmnpb="on", m_income_per_capita="52")
    income = indicator(response, "10.1")
    assert income.outcome is Outcome.MET
    assert income.threshold == Decimal(39)
    assert "ngưỡng vùng TDMNPB" in income.basis


def test_a_bad_number_is_an_error_with_its_message_not_a_fail(district_client, standard):
    response = what_if(district_client, region="TN", m_income_per_capita="năm mươi")
    assert response.status_code == 200
    income = indicator(response, "10.1")
    assert income.outcome is Outcome.ERROR
    assert "Giá trị không hợp lệ: &#x27;năm mươi&#x27; không phải là số" in response.text


def test_a_number_out_of_range_is_an_error(district_client, standard):
    response = what_if(district_client, region="TN", m_poverty_rate="140")
    assert indicator(response, "11.1").outcome is Outcome.ERROR
    assert "140 lớn hơn giá trị lớn nhất cho phép (100)" in response.text


def test_one_set_only(district_client, standard):
    import_criteria_text(advanced_yaml())
    response = what_if(district_client, region="TN", set="commune-standard", m_income_per_capita="60")
    assert list(response.context["result"].sets) == ["commune-standard"]


def test_advanced_set_shows_the_measures_of_the_sets_below_it(district_client, standard):
    import_criteria_text(advanced_yaml())
    response = district_client.get(f"{URL}?programme=2021-2025&set=commune-advanced")
    assert set(response.context["values_form"].fields) == {"m_income_per_capita", "m_poverty_rate", "m_plan_approved"}

    response = what_if(district_client, region="DBSH", set="commune-advanced", m_income_per_capita="65")
    result = response.context["result"]
    assert list(result.sets) == ["commune-advanced"]
    reached = indicator(response, "0.1", "commune-advanced")
    assert reached.outcome is Outcome.NOT_MET  # the standard set is not reached: no poverty rate, no plan
    # The lower set by its name (in the basis column), never its code.
    assert "Đạt bộ tiêu chí mức dưới" in response.text
    assert "commune-standard</code>" not in response.text
    assert indicator(response, "1.1", "commune-advanced").gap == Decimal(5)  # DBSH 2024: 70, verified
    assert "Đạt 0/2 tiêu chí." in response.text


# ---------------------------------------------------------------- results for a commune


def test_commune_in_tay_nguyen_uses_its_province_region(district_client, standard):
    response = what_if(district_client, commune="23353", m_income_per_capita="52")
    assert response.context["form"].errors == {}
    income = indicator(response, "10.1")
    assert income.basis == "vùng Tây Nguyên, năm 2024"
    assert income.outcome is Outcome.NOT_MET
    assert "Xã Đắk Pék</a> (23353)" in response.text


def test_commune_flagged_tdmnpb_in_tay_nguyen_uses_the_tdmnpb_rule(district_client, tree, standard):
    tree.dak_mon.applies_tdmnpb_thresholds = True
    tree.dak_mon.save()
    response = what_if(district_client, commune="23341", region="DBSH", m_income_per_capita="52")
    income = indicator(response, "10.1")
    assert income.outcome is Outcome.MET
    assert income.threshold == Decimal(39)
    assert income.basis == "ngưỡng vùng TDMNPB (xã áp dụng ngưỡng TDMNPB theo Điều 1 QĐ 318), năm 2024"
    assert response.context["profile"] == UnitProfile(region="TN", applies_tdmnpb=True, province_code="62")


# ---------------------------------------------------------------- bad input: a form error, never a 500


def assert_form_error(response, message: str):
    assert response.status_code == 200
    assert response.context["result"] is None
    assert message in response.text
    assert "Chưa đánh giá được. Vui lòng sửa:" in response.text


def test_commune_outside_the_users_scope_is_a_form_error(district_client, standard):
    # 23368 is in Huyện Ngọc Hồi, beside the district official's Đắk Glei.
    response = what_if(district_client, commune="23368", m_income_per_capita="52")
    assert_form_error(response, "Mã xã: Không có xã mã 23368 trong phạm vi bạn được xem.")


def test_commune_of_another_province_is_a_form_error_for_the_office(office_client, standard):
    response = what_if(office_client, commune="23617")
    assert_form_error(response, "Mã xã: Không có xã mã 23617 trong phạm vi bạn được xem.")


def test_unknown_commune_code_is_a_form_error(district_client, standard):
    assert_form_error(what_if(district_client, commune="99999"), "Không có xã mã 99999")


def test_a_district_code_is_not_a_commune(district_client, standard):
    assert_form_error(what_if(district_client, commune="610"), "Không có xã mã 610")


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("2031", "Năm đánh giá: Năm phải từ 2021 đến 2030."),
        ("2019", "Năm đánh giá: Năm phải từ 2021 đến 2030."),
        ("hai nghìn", "Năm đánh giá: Năm phải là một số nguyên, ví dụ 2024."),
        ("", "Năm đánh giá: Nhập năm đánh giá."),
        ("2027", "Năm đánh giá: Năm 2027 nằm ngoài giai đoạn 2021-2025."),
    ],
)
def test_bad_year_is_a_form_error(district_client, standard, year, message):
    assert_form_error(what_if(district_client, region="TN", year=year), message)


def test_neither_commune_nor_region_is_a_form_error(district_client, standard):
    assert_form_error(what_if(district_client), "Vùng: Chọn một vùng, hoặc nhập mã một xã.")


def test_unknown_programme_is_a_form_error(district_client, standard):
    assert_form_error(what_if(district_client, programme="1999-2000", region="TN"), "Giai đoạn:")


def test_set_missing_from_the_programme_is_a_form_error(district_client, standard):
    later = (
        STANDARD.replace('code: "2021-2025"', 'code: "2026-2030"')
        .replace("start_year: 2021", "start_year: 2026")
        .replace("end_year: 2025", "end_year: 2030")
        .replace("code: commune-standard", "code: commune-modern")
        .replace("tier: standard", "tier: modern")
    )
    import_criteria_text(later)
    response = what_if(district_client, region="TN", set="commune-modern")
    assert_form_error(response, "Bộ tiêu chí: Giai đoạn 2021-2025 không có bộ tiêu chí &#x27;commune-modern&#x27;.")


def test_unknown_level_value_is_a_form_error(district_client, standard):
    response = what_if(district_client, region="TN", m_plan_approved="maybe")
    assert_form_error(response, "Có quy hoạch chung được duyệt:")


# ---------------------------------------------------------------- queries


def test_what_if_runs_a_fixed_number_of_queries(district_client, tree, standard):
    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as context:
            response = what_if(district_client, **params)
        assert response.context["result"] is not None
        return len(context)

    # session, user, programmes, set choices, measures, then evaluate_values' four (sets with programme,
    # criteria, indicators with measures, thresholds), the header's membership
    by_region = queries(region="TN", m_income_per_capita="52")
    # + the user's memberships (then the header's too), the commune in scope, its province's region
    by_commune = queries(commune="23353", m_income_per_capita="52")
    import_criteria_text(advanced_yaml(criteria_count=15, indicators_per_criterion=4))
    assert (by_region, by_commune) == (10, 12)
    assert queries(region="TN", m_income_per_capita="52") == by_region
    assert queries(commune="23353", m_income_per_capita="52") == by_commune


# ---------------------------------------------------------------- services


def test_unit_profile_reads_the_province_region_in_one_query(tree, django_assert_num_queries):
    tree.dak_pek.applies_tdmnpb_thresholds = True
    tree.dak_pek.save()
    with django_assert_num_queries(1):
        profile = tree.dak_pek.threshold_profile()
    # The commune group is dated data the evaluation reads for the month (communes.groups), not the unit's.
    assert profile == UnitProfile(region=Region.TN, applies_tdmnpb=True, group=None, province_code="62")


def test_unit_profile_of_a_province_needs_no_query(tree, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert tree.province.threshold_profile().region == Region.TN


def test_measures_follow_the_order_of_the_criteria(standard, django_assert_num_queries):
    with django_assert_num_queries(1):
        measures = what_if_measures(programme="2021-2025")
    assert [m.code for m in measures] == ["plan_approved", "income_per_capita", "poverty_rate"]
    assert what_if_measures(programme="2026-2030") == []
    assert what_if_measures(programme="2021-2025", set_code="commune-unknown") == []
