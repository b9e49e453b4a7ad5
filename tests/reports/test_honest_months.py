"""A month is honest about what it knows: every commune approved by then has a result (its latest approved figures,
carried forward), approving one commune never makes the others vanish, and every page and document says how many
results rest on the month's own figures, on an earlier month's, or on none; reports awaiting review are counted,
never judged. The page and its document word these facts, and comparisons without a basis, the same way."""

import datetime as dt
import html
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from communes.models import AdministrativeUnit
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from records.models import Target, TargetKind
from reports.coverage import missing_months
from reports.models import Status
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD

pytestmark = pytest.mark.django_db

DEC, JAN, FEB = dt.date(2024, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 2, 1)
GOOD = {"income_per_capita": "60", "poverty_rate": "4", "plan_approved": True}
POOR = {"income_per_capita": "30", "poverty_rate": "9", "plan_approved": True}


@pytest.fixture(autouse=True)
def criteria():
    import_criteria_text(STANDARD)


@pytest.fixture
def approve(district_user, office_user, django_capture_on_commit_callbacks):
    def approve(unit, period, raw):
        with django_capture_on_commit_callbacks(execute=True):
            report = save_values(unit=unit, period=period, raw=raw, by=district_user)
            submit_report(report=report, by=district_user)
            return approve_report(report=report, by=office_user)

    return approve


@pytest.fixture
def december(tree, approve):
    """Three xã approved for December 2024: Đắk Pék and Đắk Xú meet the sample's 3 criteria, Đắk Môn 1."""
    approve(tree.dak_pek, DEC, GOOD)
    approve(tree.dak_mon, DEC, POOR)
    xu = AdministrativeUnit.objects.get(code="23380")
    approve(xu, DEC, GOOD)
    recompute_statuses(period=DEC, units=tracked_units(tree.province))
    return xu


def _province(client, month: str):
    response = client.get(reverse("reports:province-dashboard", args=["62"]) + f"?month={month}")
    assert response.status_code == 200
    return response


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_approving_one_commune_leaves_the_others_results_the_average_and_the_trend(
    tree, december, approve, office_user, client_for
):
    client = client_for(office_user)
    before = _province(client, "2024-12").context["summary"]
    assert (before.with_status, before.average) == (3, Decimal("2.3"))

    approve(tree.dak_pek, JAN, {**GOOD, "poverty_rate": "3"})

    context = _province(client, "2025-01").context
    summary = context["summary"]
    # Đắk Môn and Đắk Xú keep their December figures: three results, the same average, the same trend.
    assert summary.with_status == 3
    assert summary.average == before.average
    january = {s.unit.code: s for s in Status.objects.filter(period=JAN).select_related("unit")}
    assert {
        code: (s.criteria_met, s.basis_period) for code, s in january.items() if code != "610" and code != "611"
    } == {
        "23353": (3, JAN),
        "23341": (1, DEC),
        "23380": (3, DEC),
    }
    december_point, january_point = context["trend"][-2:]
    assert (december_point.communes, december_point.standard) == (3, 2)
    assert (january_point.communes, january_point.standard, january_point.average) == (3, 2, Decimal("2.3"))


def test_the_month_says_what_its_results_rest_on(tree, december, approve, district_user, office_user, client_for):
    approve(tree.dak_pek, JAN, GOOD)
    # Đắk Môn sends January's figures, not yet reviewed: counted as awaiting, and its December figures still judge it.
    report = save_values(unit=tree.dak_mon, period=JAN, raw=GOOD, by=district_user)
    submit_report(report=report, by=district_user)

    response = _province(client_for(office_user), "2025-01")
    basis = response.context["summary"].basis
    assert (basis.approved, basis.carried, basis.missing, basis.awaiting) == (1, [(DEC, 2)], 0, 1)
    assert Status.objects.get(unit=tree.dak_mon, period=JAN).criteria_met == 1  # the December figures, not the sent
    sentence = (
        "Kết quả tháng 01/2025 dựa trên số liệu đã duyệt: 1 xã có số liệu tháng 01/2025 được duyệt; 2 xã dùng số liệu "
        "đã duyệt của tháng trước (2 xã tháng 12/2024). 1 báo cáo tháng 01/2025 đang chờ duyệt, chưa được tính."
    )
    assert sentence in _text(response)
    # The district table: approved this month / carried / none, per district.
    rows = {row.unit.code: row.basis for row in response.context["districts"] if row.unit}
    assert (rows["610"].approved, rows["610"].carried_total, rows["610"].missing) == (1, 1, 0)
    assert (rows["611"].approved, rows["611"].carried_total, rows["611"].missing) == (0, 1, 0)
    # The printed report of the month, from the same builder.
    preview = client_for(office_user).get(reverse("reports:pdf-province", args=["62", "2025-01"]) + "?preview=1")
    assert sentence in _text(preview)
    # And the PDF itself says the same.
    pdf = client_for(office_user).get(reverse("reports:pdf-province", args=["62", "2025-01"]))
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages).split())
    assert sentence in pdf_text
    # The district page marks which results rest on an earlier month.
    district = _text(
        client_for(office_user).get(reverse("reports:district-dashboard", args=["610"]) + "?month=2025-01")
    )
    assert "1/3 (số liệu 12/2024)" in district


def test_a_commune_never_approved_is_missing_not_zero(tree, approve, office_user, client_for):
    approve(tree.dak_pek, DEC, GOOD)

    summary = _province(client_for(office_user), "2024-12").context["summary"]

    assert (summary.communes, summary.with_status, summary.average) == (3, 1, Decimal("3.0"))
    assert (summary.basis.approved, summary.basis.missing) == (1, 2)
    assert not Status.objects.filter(unit=tree.dak_mon).exists()


def test_a_month_nobody_computed_gets_every_result_when_first_read(tree, december, office_user, client_for):
    assert not Status.objects.filter(period=FEB).exists()
    assert missing_months(tree.province, [DEC, JAN, FEB]) == [JAN, FEB]

    summary = _province(client_for(office_user), "2025-02").context["summary"]

    assert (summary.with_status, summary.basis.carried) == (3, [(DEC, 3)])
    assert missing_months(tree.province, [DEC, JAN, FEB]) == []


def test_the_api_lists_every_result_of_a_month_with_the_month_its_figures_come_from(
    tree, december, approve, office_user
):
    approve(tree.dak_pek, JAN, GOOD)
    api = APIClient()
    api.force_authenticate(office_user)

    body = api.get(reverse("api:status-list") + "?month=2025-01&level=commune").json()

    assert {row["unit"]: row["figures_month"] for row in body["results"]} == {
        "23353": "2025-01",
        "23341": "2024-12",
        "23380": "2024-12",
    }


def test_the_default_month_is_the_latest_with_approved_figures(tree, december, approve, office_user, client_for):
    approve(tree.dak_pek, JAN, GOOD)
    # The approval computed Đắk Glei's later months too; the page still opens on January, the latest figures.
    response = client_for(office_user).get(reverse("reports:province-dashboard", args=["62"]))
    assert response.context["period"] == JAN


# ---------------------------------------------------------------- comparisons without a basis


@pytest.fixture
def yearly_gain(tree):
    return Target.objects.create(unit=tree.province, kind=TargetKind.YEARLY_GAIN, year=2025, value=1)


@pytest.mark.parametrize("kind", ["province", "district", "commune", "directive"])
def test_no_document_claims_a_change_from_a_month_without_results(
    tree, december, yearly_gain, office_user, client_for, kind
):
    """December 2024 has results, December 2023 none: a 2024 document cannot say how much communes gained."""
    code = {"province": "62", "district": "610", "commune": "23353", "directive": "62"}[kind]
    preview = client_for(office_user).get(reverse(f"reports:pdf-{kind}", args=[code, "2024-12"]) + "?preview=1")
    assert preview.status_code == 200
    text = _text(preview)
    assert "đã tăng đủ so với" not in text
    if kind == "province":
        assert "chưa có kết quả tháng 12/2023 để so sánh" in text
        # The dashboard words it the same way.
        assert "chưa có kết quả tháng 12/2023 để so sánh" in _text(_province(client_for(office_user), "2024-12"))


def test_with_a_baseline_the_gain_is_counted_on_page_and_paper_alike(
    tree, december, yearly_gain, office_user, client_for
):
    recompute_statuses(period=dt.date(2023, 12, 1), units=tracked_units(tree.province))  # nobody approved yet: none
    _province(client_for(office_user), "2025-12")  # computes 2025's months from the December 2024 figures
    page = _text(_province(client_for(office_user), "2025-12"))
    preview = _text(client_for(office_user).get(reverse("reports:pdf-province", args=["62", "2025-12"]) + "?preview=1"))
    line = "Mỗi xã tăng thêm ít nhất 1 tiêu chí mỗi năm (kế hoạch 2025): 0/3 xã đã tăng đủ so với tháng 12/2024"
    assert line in page
    assert line in preview
