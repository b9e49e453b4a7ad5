"""The monthly entry form: its fields follow the entry measures, the services' rules put errors under the fields,
and valid figures go through monthly.services.save_values."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms

from communes.models import Level
from criteria.models import Criterion, Indicator, Measure
from criteria.yaml_io import import_criteria_text
from monthly import services
from monthly.forms import ReportValuesForm
from monthly.models import Report, Value
from tests.criteria.samples import STANDARD

pytestmark = pytest.mark.django_db

MAY = dt.date(2024, 5, 1)


@pytest.fixture(autouse=True)
def criteria(db):
    import_criteria_text(STANDARD)


@pytest.fixture
def measures(tree):
    programme = services.programme_for(MAY)
    entries = services.entry_measures(
        programme=programme, level=Level.COMMUNE, province_code=tree.dak_pek.province_code
    )
    return [entry.measure for entry in entries]


def test_one_field_per_entry_measure_with_the_widget_of_its_kind(measures):
    level = Measure.objects.create(code="security_rating", name="Xếp loại an ninh", kind="level", levels=["Kém", "Tốt"])
    criterion = Criterion.objects.get(criteria_set__code="commune-standard", number=11)
    Indicator.objects.create(criterion=criterion, code="11.2", name="Xếp loại an ninh", measure=level, comparison=">=")
    form = ReportValuesForm(measures=[*measures, level], values={"income_per_capita": Decimal("48.5")}, version=3)

    assert list(form.fields) == ["version", *(f"m_{m.code}" for m in measures), "m_security_rating"]
    assert isinstance(form.fields["version"].widget, forms.HiddenInput)
    number = form["m_income_per_capita"]
    assert isinstance(number.field.widget, forms.TextInput)
    assert number.field.widget.attrs["inputmode"] == "decimal"
    assert number.value() == "48,5"  # the stored figure, with the Vietnamese decimal comma
    assert isinstance(form.fields["m_poverty_rate"].widget, forms.TextInput)
    assert form.fields["m_plan_approved"].choices == [("", "(trống)"), ("true", "Có"), ("false", "Không")]
    assert isinstance(form.fields["m_plan_approved"].widget, forms.Select)
    assert form.fields["m_security_rating"].choices == [("", "(trống)"), ("Kém", "Kém"), ("Tốt", "Tốt")]
    assert form["version"].value() == 3
    assert number.label_tag() == '<label for="id_m_income_per_capita">Thu nhập bình quân đầu người</label>'


def test_a_bad_number_is_shown_under_its_field_and_keeps_the_typed_text(measures):
    form = ReportValuesForm({"version": "0", "m_income_per_capita": "abc", "m_poverty_rate": "7,5"}, measures=measures)
    assert not form.is_valid()
    assert form.errors == {"m_income_per_capita": ["'abc' không phải là số."]}
    html = str(form["m_income_per_capita"])
    assert 'value="abc"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_m_income_per_capita_error"' in html


def test_a_missing_version_is_an_error_of_its_own(measures):
    form = ReportValuesForm({"m_poverty_rate": "7"}, measures=measures)
    assert not form.is_valid()
    assert list(form.errors) == ["version"]


def test_good_figures_save_through_the_service(tree, district_user, measures):
    data = {"version": "0", "m_income_per_capita": "52,5", "m_plan_approved": "true", "m_poverty_rate": ""}
    form = ReportValuesForm(data, measures=measures)
    assert form.is_valid(), form.errors
    # Only what was posted: a field missing from the POST is left alone.
    assert form.raw_values() == {"income_per_capita": "52,5", "plan_approved": "true", "poverty_rate": ""}

    services.save_values(
        unit=tree.dak_pek,
        period=MAY,
        raw=form.raw_values(),
        by=district_user,
        expected_version=form.cleaned_data["version"],
        measures=form.measures,
    )
    report = Report.objects.get(unit=tree.dak_pek, period=MAY)
    values = {v.measure.code: v.value for v in Value.objects.filter(report=report).select_related("measure")}
    assert values == {"income_per_capita": Decimal("52.5"), "plan_approved": True}
    assert report.version == 1
