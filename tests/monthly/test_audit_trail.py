"""The audit trail records what people changed: prefilled carry-forward values are where a report starts, an Excel
upload touches only the communes whose cells differ, and the entry form shows last month's approved figure and
never the stored figure's verdict beside a value that failed validation.

The district is Huyện Đắk Glei (610): Thị trấn Đắk Glei (23338, template row 4), Xã Đắk Môn (23341, row 5), Xã Đắk
Pék (23353, row 6). Measures, in criteria order: plan_approved (column C), income_per_capita (D), poverty_rate (E).
"""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from criteria.models import Criterion, Indicator, Measure, Threshold
from criteria.yaml_io import import_criteria_text
from monthly.excel import CONTENT_TYPE, SHEET_DATA
from monthly.excel_template import export_template
from monthly.models import Report, ReportStatus, Value, ValueChange
from monthly.services import approve_report, save_values, submit_report
from tests.criteria.samples import STANDARD

pytestmark = pytest.mark.django_db

MONTH = "2024-05"
MAY, APRIL = dt.date(2024, 5, 1), dt.date(2024, 4, 1)
PEK = "23353"
EXTRA = 15  # measures beyond the sample's three, so that a noisy trail would show


@pytest.fixture(autouse=True)
def criteria(db):
    import_criteria_text(STANDARD)


def _add_measures(count: int) -> None:
    criterion = Criterion.objects.get(criteria_set__code="commune-standard", number=10)
    for i in range(count):
        measure = Measure.objects.create(code=f"extra_{i}", name=f"Số liệu thêm {i}", kind="number", unit="ha")
        indicator = Indicator.objects.create(
            criterion=criterion, code=f"10.{i + 2}", name=f"Chỉ tiêu thêm {i}", measure=measure, comparison=">="
        )
        Threshold.objects.create(indicator=indicator, value=i, source="thử", verified=True)


def _approved(unit, raw, by, reviewer, period=APRIL):
    report = save_values(unit=unit, period=period, raw=raw, by=by)
    return approve_report(report=submit_report(report=report, by=by), by=reviewer)


def _report_url(code: str = PEK) -> str:
    return reverse("monthly:report", args=[code, MONTH])


def _prefilled_post(client) -> dict[str, str]:
    """The entry form as the page gives it: every field with its prefilled text, and the version."""
    form = client.get(_report_url()).context["page"].form
    return {bound.html_name: "" if bound.value() is None else str(bound.value()) for bound in form}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _trail(report) -> dict[str, tuple[str, str, str]]:
    return {c.measure.code: (c.old_value, c.new_value, c.via) for c in report.changes.select_related("measure")}


# ---------------------------------------------------------------- the entry form


@pytest.fixture
def april(tree, district_user, office_user):
    """Đắk Pék's April, approved with a figure for every measure: May's form starts from these."""
    _add_measures(EXTRA)
    raw = {"plan_approved": "Có", "income_per_capita": "48,5", "poverty_rate": "4"}
    raw.update({f"extra_{i}": str(i + 10) for i in range(EXTRA)})
    return _approved(tree.dak_pek, raw, district_user, office_user)


def test_first_save_of_a_prefilled_report_records_only_the_typed_fields(tree, april, district_client):
    data = _prefilled_post(district_client)
    assert data["m_income_per_capita"] == "48,5"  # prefilled from April
    data.update({"m_income_per_capita": "52", "m_extra_3": "20"})

    assert district_client.post(_report_url(), data).status_code == 302

    report = Report.objects.get(unit=tree.dak_pek, period=MAY)
    # Every submitted figure is stored, as before: the report holds its month whole.
    assert report.values.count() == 3 + EXTRA
    assert report.values.get(measure__code="extra_0").value == Decimal(10)
    # Only what was typed is a change, from the figure the report started from.
    assert _trail(report) == {
        "income_per_capita": ("48.5", "52", "form"),
        "extra_3": ("13", "20", "form"),
    }


def test_a_second_save_records_only_what_changed(tree, april, district_client):
    data = _prefilled_post(district_client)
    data["m_income_per_capita"] = "52"
    district_client.post(_report_url(), data)

    data = _prefilled_post(district_client)
    assert data["version"] == "1"
    data["m_poverty_rate"] = ""
    assert district_client.post(_report_url(), data).status_code == 302

    report = Report.objects.get(unit=tree.dak_pek, period=MAY)
    changes = list(report.changes.order_by("pk").values_list("measure__code", "old_value", "new_value"))
    assert changes == [("income_per_capita", "48.5", "52"), ("poverty_rate", "4", "")]
    assert report.version == 2


def test_saving_a_prefilled_form_unchanged_records_no_change(tree, april, district_client):
    assert district_client.post(_report_url(), _prefilled_post(district_client)).status_code == 302
    report = Report.objects.get(unit=tree.dak_pek, period=MAY)
    assert report.values.count() == 3 + EXTRA
    assert not report.changes.exists()


def test_the_api_records_changes_against_the_carried_values_too(tree, april, district_user):
    report = save_values(
        unit=tree.dak_pek,
        period=MAY,
        raw={"income_per_capita": "48.5", "poverty_rate": "3"},
        by=district_user,
        via="api",
    )
    assert _trail(report) == {"poverty_rate": ("4", "3", "api")}


def test_the_entry_page_shows_the_previous_months_approved_value(tree, april, district_user, district_client):
    save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "52"}, by=district_user)
    response = district_client.get(_report_url())
    text = response.text
    assert 'name="m_income_per_capita" value="52"' in text
    assert "Tháng trước: 48,5" in text
    assert "Tháng trước: 4%" in text  # poverty_rate, a percentage
    assert "Tháng trước: Có" in text
    fields = {f.measure.code: f for group in response.context["page"].groups for f in group.fields}
    assert fields["income_per_capita"].previous == Decimal("48.5")


def test_a_month_without_an_earlier_approval_shows_no_previous_value(tree, district_user, district_client):
    save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "52"}, by=district_user)
    assert "Tháng trước:" not in district_client.get(_report_url()).text


def _row(text: str, name: str) -> str:
    """The entry table row holding the named field."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", text, flags=re.DOTALL)
    return next(row for row in rows if f'name="{name}"' in row)


def test_an_invalid_value_shows_its_error_and_not_the_stored_values_verdict(
    tree, district_user, office_user, district_client
):
    # April's 60 meets the 54 Kon Tum faces: stored, the row reads "✓ đạt".
    _approved(tree.dak_pek, {"income_per_capita": "60", "plan_approved": "Có"}, district_user, office_user)
    assert "✓ đạt" in _row(district_client.get(_report_url()).text, "m_income_per_capita")

    response = district_client.post(_report_url(), {"version": "0", "m_income_per_capita": "abc"})

    assert response.status_code == 200
    row = _row(response.text, "m_income_per_capita")
    assert "&#x27;abc&#x27; không phải là số." in row
    assert 'value="abc"' in row
    assert "✓ đạt" not in row
    assert "✗ chưa đạt" not in row
    assert "≥ 54" in row  # the threshold itself still shows
    assert "✓ đạt" in _row(response.text, "m_plan_approved")  # valid rows keep theirs
    fields = {f.measure.code: f for group in response.context["page"].groups for f in group.fields}
    assert fields["income_per_capita"].reading.met is None
    assert not Report.objects.filter(period=MAY).exists()


# ---------------------------------------------------------------- the Excel upload


@pytest.fixture
def district_april(tree, district_user, office_user):
    """April approved for the three communes of Đắk Glei, and Đắk Pék's May begun (a draft of one figure)."""
    for commune, income in ((tree.dak_glei_town, "60"), (tree.dak_mon, "45"), (tree.dak_pek, "50")):
        _approved(
            commune,
            {"plan_approved": "Có", "income_per_capita": income, "poverty_rate": "5"},
            district_user,
            office_user,
        )
    return save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "3"}, by=district_user)


def _template(tree) -> bytes:
    return export_template(district=tree.dak_glei, period=MAY)[2]


def _edit(content: bytes, cells: dict[str, object]) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    for coordinate, value in cells.items():
        workbook[SHEET_DATA][coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, content: bytes):
    file = SimpleUploadedFile("so-lieu-610-2024-05.xlsx", content, content_type=CONTENT_TYPE)
    return client.post(reverse("monthly:upload", args=["610", MONTH]), {"file": file})


def _state() -> tuple:
    reports = sorted(Report.objects.values_list("unit__code", "period", "status", "version"))
    return reports, Value.objects.count(), ValueChange.objects.count()


def test_uploading_an_untouched_template_changes_nothing(tree, district_april, district_client):
    before = _state()

    response = _upload(district_client, _template(tree))

    assert response.status_code == 302
    assert _state() == before  # no new draft, no version, no value, no change
    assert not Report.objects.filter(period=MAY).exclude(unit=tree.dak_pek).exists()
    assert "(0 xã, 0 giá trị thay đổi)" in " ".join(_messages(response))


def test_an_upload_changing_one_cell_changes_only_that_commune(tree, district_april, district_user, district_client):
    pek = Report.objects.get(unit=tree.dak_pek, period=MAY)
    changes_before = ValueChange.objects.count()

    response = _upload(district_client, _edit(_template(tree), {"D5": 47}))  # Đắk Môn's income, 45 -> 47

    assert response.status_code == 302
    assert "Đã lưu số liệu tháng 05/2024 từ tệp Excel cho 1 xã (1 giá trị thay đổi)." in _messages(response)
    mon = Report.objects.get(unit=tree.dak_mon, period=MAY)
    assert (mon.status, mon.version) == (ReportStatus.DRAFT, 1)
    assert _trail(mon) == {"income_per_capita": ("45", "47", "excel")}
    assert ValueChange.objects.count() == changes_before + 1
    # The others are left as they were: no draft for the town, Đắk Pék's draft untouched.
    assert not Report.objects.filter(unit=tree.dak_glei_town, period=MAY).exists()
    assert Report.objects.get(pk=pek.pk).version == pek.version
