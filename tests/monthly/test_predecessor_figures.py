"""Carrying figures across the 2025 reform (issue 14, item 7): a post-reform commune starts with no figures of its
own; its form shows each predecessor's last approved value beside the field, and an unchanged commune (one
predecessor, whole) may take its predecessor's values as its starting point in one click."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Lineage, Role
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus, ValueChange
from monthly.predecessors import predecessors_of
from monthly.services import approve_report, save_values, submit_report
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UserFactory, reform_kon_tum

pytestmark = pytest.mark.django_db

AUGUST = dt.date(2025, 8, 1)


def _approved(unit, period, raw, by):
    report = save_values(unit=unit, period=period, raw=raw, by=by)
    report = submit_report(report=report, by=by)
    return approve_report(report=report, by=by)


def _client_of(unit, role):
    client = Client()
    client.force_login(MembershipFactory(unit=unit, role=role).user)
    return client


@pytest.fixture
def history(tree):
    """Kon Tum's last approved figures, and two post-reform communes: Xã Đăk Pék (merged from Đắk Môn and Đắk
    Pék) and Xã Đắk Xú (unchanged: formed whole from the Đắk Xú of Ngọc Hồi)."""
    import_criteria_text(STANDARD)
    reform = reform_kon_tum(tree)
    clerk = UserFactory()
    dak_xu_old = AdministrativeUnit.objects.get(code="23380", valid_to=REFORM_DATE)
    _approved(tree.dak_pek, dt.date(2025, 5, 1), {"income_per_capita": "48", "poverty_rate": "6,5"}, clerk)
    _approved(tree.dak_mon, dt.date(2025, 6, 1), {"income_per_capita": "55"}, clerk)
    _approved(dak_xu_old, dt.date(2025, 4, 1), {"income_per_capita": "41", "poverty_rate": "9"}, clerk)
    _approved(dak_xu_old, dt.date(2025, 6, 1), {"income_per_capita": "43,5"}, clerk)
    dak_xu = AdministrativeUnit.objects.create(
        code="23380",
        level=Level.COMMUNE,
        kind=Kind.XA,
        name="Xã Đắk Xú",
        short_name="Đắk Xú",
        parent=reform.quang_ngai,
        valid_from=REFORM_DATE,
    )
    Lineage.objects.create(successor=dak_xu, predecessor=dak_xu_old)
    return reform.quang_ngai, reform.dak_pek, dak_xu


def test_each_predecessors_last_approved_value_stands_beside_the_field(history):
    _quang_ngai, dak_pek, _dak_xu = history
    official = _client_of(dak_pek, Role.COMMUNE)
    page = official.get(reverse("monthly:report", args=["23341", "2025-08"]))
    assert page.status_code == 200
    fields = {f.measure.code: f for group in page.context["page"].groups for f in group.fields}
    income = [(p.unit.name, p.month, value) for p, value in fields["income_per_capita"].inherited]
    assert income == [
        ("Xã Đắk Môn", dt.date(2025, 6, 1), Decimal(55)),
        ("Xã Đắk Pék", dt.date(2025, 5, 1), Decimal(48)),
    ]
    poverty = [(p.unit.name, value) for p, value in fields["poverty_rate"].inherited]
    assert poverty == [("Xã Đắk Pék", Decimal("6.5"))]
    # Shown, never filled in: the new commune has no figures of its own.
    assert fields["income_per_capita"].value is None
    body = page.content.decode()
    assert "Xã Đắk Môn (06/2025): 55" in body
    assert "Xã Đắk Pék (05/2025): 48" in body
    # Merged from two communes: nothing stands for the whole, so there is no "take" button.
    assert "take-predecessor" not in body
    assert "không lấy nguyên số liệu của đơn vị nào" in body


def test_an_unchanged_commune_takes_its_predecessors_figures_in_one_click(history):
    _quang_ngai, _dak_pek, dak_xu = history
    official = _client_of(dak_xu, Role.COMMUNE)
    url = reverse("monthly:report", args=["23380", "2025-08"])
    page = official.get(url)
    assert "Lấy 2 số liệu của Xã Đắk Xú làm số liệu ban đầu" in page.content.decode()

    taken = official.post(reverse("monthly:take-predecessor", args=["23380", "2025-08"]), {"version": "0"})
    assert taken.status_code == 302
    report = Report.objects.get(unit=dak_xu, period=AUGUST)
    assert report.status == ReportStatus.DRAFT
    # The last approved value of each measure: income from June, poverty carried from April.
    assert {v.measure.code: v.number for v in report.values.select_related("measure")} == {
        "income_per_capita": Decimal("43.5"),
        "poverty_rate": Decimal(9),
    }
    assert set(ValueChange.objects.filter(report=report).values_list("via", flat=True)) == {"lineage"}
    after = official.get(url).content.decode()
    assert "Đã lấy 2 số liệu của đơn vị trước sáp nhập vào bản nháp" in after
    assert "lấy từ đơn vị trước sáp nhập" in after  # the change history says where the figures came from


def test_taking_keeps_what_the_official_entered_and_checks_the_version(history):
    _quang_ngai, _dak_pek, dak_xu = history
    official = _client_of(dak_xu, Role.COMMUNE)
    official.post(reverse("monthly:report", args=["23380", "2025-08"]), {"version": "0", "m_income_per_capita": "47"})
    report = Report.objects.get(unit=dak_xu, period=AUGUST)
    take = reverse("monthly:take-predecessor", args=["23380", "2025-08"])
    # A page read before the save: refused, nothing changed.
    stale = official.post(take, {"version": "0"})
    assert stale.status_code == 409
    assert report.values.count() == 1
    assert official.post(take, {"version": str(report.version)}).status_code == 302
    values = {v.measure.code: v.number for v in report.values.select_related("measure")}
    assert values == {"income_per_capita": Decimal(47), "poverty_rate": Decimal(9)}


def test_a_merged_commune_cannot_take_one_predecessors_figures(history):
    _quang_ngai, dak_pek, _dak_xu = history
    official = _client_of(dak_pek, Role.COMMUNE)
    refused = official.post(reverse("monthly:take-predecessor", args=["23341", "2025-08"]), {"version": "0"})
    assert refused.status_code == 409
    assert "không có số liệu nào đại diện cho cả xã" in refused.content.decode()
    assert not Report.objects.filter(unit=dak_pek).exists()


def test_only_the_communes_own_officials_may_take(history):
    quang_ngai, _dak_pek, dak_xu = history
    take = reverse("monthly:take-predecessor", args=["23380", "2025-08"])
    assert _client_of(quang_ngai, Role.OFFICE).post(take, {"version": "0"}).status_code == 403
    # A commune official of another commune does not see Đắk Xú at all.
    assert _client_of(history[1], Role.COMMUNE).post(take, {"version": "0"}).status_code == 404
    assert not Report.objects.filter(unit=dak_xu).exists()


def test_a_pre_reform_unit_has_no_predecessors_and_costs_no_query(tree, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert predecessors_of(tree.dak_pek, dt.date(2024, 5, 1)).units == []


def test_the_report_page_of_a_merged_commune_runs_a_fixed_number_of_queries(history, django_assert_num_queries):
    _quang_ngai, dak_pek, _dak_xu = history
    official = _client_of(dak_pek, Role.COMMUNE)
    url = reverse("monthly:report", args=["23341", "2025-08"])
    official.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        official.get(url)
    # A third predecessor with figures adds no query.
    third = AdministrativeUnit.objects.get(code="23338", valid_to=REFORM_DATE)
    Lineage.objects.create(successor=dak_pek, predecessor=third)
    _approved(third, dt.date(2025, 6, 1), {"income_per_capita": "60"}, UserFactory())
    with django_assert_num_queries(len(first)):
        page = official.get(url)
    assert "Thị trấn Đắk Glei (06/2025): 60" in page.content.decode()


def test_the_predecessors_leave_the_form_once_the_commune_has_approved_figures(history):
    _quang_ngai, dak_pek, _dak_xu = history
    _approved(dak_pek, AUGUST, {"income_per_capita": "52"}, UserFactory())
    official = _client_of(dak_pek, Role.COMMUNE)
    page = official.get(reverse("monthly:report", args=["23341", "2025-09"]))
    assert page.context["page"].predecessors.units == []
    assert "Xã Đắk Môn (06/2025)" not in page.content.decode()
