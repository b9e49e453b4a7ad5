"""Entering the law in the browser (issue 15, item 4): the office copies a set into a draft version, edits a group's
threshold, is refused (nothing saved) when the set would break the import's rules, and publishes: who and when are
recorded and the months the version covers are judged again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from communes.groups import CommuneGroupAssignment
from communes.models import AdministrativeUnit, Role
from criteria.definitions import build_programme
from criteria.models import CriteriaSet, SetStatus, Threshold
from criteria.yaml_dump import dump_criteria_set
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from reports.models import Status
from reports.services import recompute_statuses
from tests.factories import MembershipFactory, UserFactory, reform_kon_tum

pytestmark = pytest.mark.django_db

JULY = dt.date(2026, 7, 1)


@pytest.fixture
def qd51(tree):
    for name in ("2021-2025/commune-standard.yaml", "2026-2030/commune-standard.yaml"):
        import_criteria_text((settings.BASE_DIR / "fixtures" / "criteria" / name).read_bytes())
    reform = reform_kon_tum(tree)
    return reform, CriteriaSet.objects.get(programme__code="2026-2030", code="commune-standard")


def _office(unit):
    client = Client()
    client.force_login(MembershipFactory(unit=unit, role=Role.OFFICE).user)
    return client


def _income_threshold(criteria_set, group):
    return Threshold.objects.get(
        indicator__criterion__criteria_set=criteria_set,
        indicator__measure__code="income_per_capita",
        commune_group=group,
    )


def _formset_data(client, draft, changes: dict[int, dict]):
    """The editor's forms as the page renders them (criteria, indicators, thresholds), with some thresholds'
    fields changed (threshold pk → fields)."""
    page = client.get(reverse("records:criteria-edit", args=[draft.pk]))
    data = {}
    for name in ("criteria_formset", "indicator_formset", "formset"):
        formset = page.context[name]
        data |= {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
        for index, form in enumerate(formset.forms):
            for field_name, field in form.fields.items():
                value = form.initial.get(field_name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if value is None or value is False:
                    continue
                data[f"{formset.prefix}-{index}-{field_name}"] = value
            if name == "formset" and form.instance.pk in changes:
                for field_name, value in changes[form.instance.pk].items():
                    data[f"{formset.prefix}-{index}-{field_name}"] = value
    return data


def test_the_office_drafts_edits_and_publishes_and_the_months_are_judged_again(
    qd51, django_capture_on_commit_callbacks
):
    reform, national = qd51
    office = _office(reform.quang_ngai)
    dak_pek = reform.dak_pek
    CommuneGroupAssignment.objects.create(unit=dak_pek, group=1, valid_from=dt.date(2026, 2, 15))
    clerk = UserFactory()
    report = save_values(unit=dak_pek, period=JULY, raw={"income_per_capita": "82"}, by=clerk)
    approve_report(report=submit_report(report=report, by=clerk), by=clerk)
    recompute_statuses(period=JULY, units=AdministrativeUnit.objects.filter(pk=dak_pek.pk))
    assert "3.1" in Status.objects.get(unit=dak_pek, period=JULY).sets["commune-standard"]["failing"]  # 82 < 85

    response = office.post(reverse("records:criteria-draft", args=[national.pk]), {"effective_from": "01/06/2026"})
    draft = CriteriaSet.objects.get(code="commune-standard", programme__code="2026-2030", status=SetStatus.DRAFT)
    assert response.url == reverse("records:criteria-edit", args=[draft.pk])
    assert (
        Threshold.objects.filter(indicator__criterion__criteria_set=draft).count()
        == Threshold.objects.filter(indicator__criterion__criteria_set=national).count()
    )
    # A draft judges nobody.
    assert build_programme("2026-2030", "51", JULY).set("commune-standard").version == national.version_label

    changed = _income_threshold(draft, 1)
    data = _formset_data(office, draft, {changed.pk: {"value": "80", "verified": "on"}})
    assert office.post(reverse("records:criteria-edit", args=[draft.pk]), data).status_code == 302
    changed.refresh_from_db()
    assert (changed.value, changed.verified) == (Decimal(80), True)
    assert _income_threshold(national, 1).value == Decimal(85)  # the version in force is untouched

    with django_capture_on_commit_callbacks(execute=True) as published:
        assert office.post(reverse("records:criteria-publish", args=[draft.pk])).status_code == 302
    assert len(published) == 1
    draft.refresh_from_db()
    assert draft.status == SetStatus.PUBLISHED
    assert draft.published_by.memberships.get().unit == reform.quang_ngai
    assert draft.published_at is not None
    # July is judged again by the published version: 82 meets group 1's 80.
    assert "3.1" not in Status.objects.get(unit=dak_pek, period=JULY).sets["commune-standard"]["failing"]
    # The edited set exports to YAML that imports as the same set.
    assert import_criteria_text(dump_criteria_set(draft))[1] == "unchanged"


def test_an_edit_that_breaks_the_import_rules_saves_nothing(qd51):
    reform, national = qd51
    office = _office(reform.quang_ngai)
    office.post(reverse("records:criteria-draft", args=[national.pk]), {"effective_from": "01/06/2026"})
    draft = CriteriaSet.objects.get(code="commune-standard", programme__code="2026-2030", status=SetStatus.DRAFT)
    target = _income_threshold(draft, 2)
    data = _formset_data(office, draft, {target.pk: {"value": ""}})  # a ">=" indicator without a value
    response = office.post(reverse("records:criteria-edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Chưa lưu" in response.content.decode()
    target.refresh_from_db()
    assert target.value == Decimal(72)


@pytest.mark.parametrize("day", ["15/02/2026", "2031-01-01", "ngày mai"])
def test_a_draft_needs_a_day_inside_the_programme_after_the_version_in_force(qd51, day):
    reform, national = qd51
    office = _office(reform.quang_ngai)
    office.post(reverse("records:criteria-draft", args=[national.pk]), {"effective_from": "01/06/2026"})
    before = CriteriaSet.objects.count()
    response = office.post(reverse("records:criteria-draft", args=[national.pk]), {"effective_from": day})
    assert response.status_code == 302  # back to the set, with the reason
    assert CriteriaSet.objects.count() == before if day != "15/02/2026" else before + 1


def test_only_the_office_edits_and_a_published_set_is_never_edited(qd51):
    reform, national = qd51
    viewer = Client()
    viewer.force_login(MembershipFactory(unit=reform.quang_ngai, role=Role.VIEWER).user)
    assert (
        viewer.post(reverse("records:criteria-draft", args=[national.pk]), {"effective_from": "01/06/2026"}).status_code
        == 403
    )
    assert viewer.get(reverse("records:criteria-edit", args=[national.pk])).status_code == 403
    assert viewer.post(reverse("records:criteria-publish", args=[national.pk])).status_code == 403
    office = _office(reform.quang_ngai)
    response = office.get(reverse("records:criteria-edit", args=[national.pk]))
    assert response.status_code == 302  # a published set: make a draft first
    assert CriteriaSet.objects.filter(status=SetStatus.DRAFT).count() == 0


def test_the_office_renames_criteria_and_indicators_of_a_draft(qd51):
    reform, national = qd51
    office = _office(reform.quang_ngai)
    office.post(reverse("records:criteria-draft", args=[national.pk]), {"effective_from": "01/06/2026"})
    draft = CriteriaSet.objects.get(code="commune-standard", programme__code="2026-2030", status=SetStatus.DRAFT)
    data = _formset_data(office, draft, {})
    page = office.get(reverse("records:criteria-edit", args=[draft.pk]))
    criterion_index = next(i for i, f in enumerate(page.context["criteria_formset"]) if f.instance.number == 3)
    indicator_index = next(i for i, f in enumerate(page.context["indicator_formset"]) if f.instance.code == "3.1")
    data[f"crit-{criterion_index}-name"] = "Phát triển kinh tế nông thôn và thu nhập"
    data[f"ind-{indicator_index}-name"] = "Thu nhập bình quân đầu người (triệu đồng/người/năm)"
    assert office.post(reverse("records:criteria-edit", args=[draft.pk]), data).status_code == 302
    assert draft.criteria.get(number=3).name == "Phát triển kinh tế nông thôn và thu nhập"
    assert draft.criteria.get(number=3).indicators.get(code="3.1").name.startswith("Thu nhập bình quân đầu người (")
    assert national.criteria.get(number=3).name == "Phát triển kinh tế nông thôn"  # the version in force unchanged
