"""Nothing a colleague did is lost without a word: the API needs the version it read to update a report, and the
reviewer's approve, return, un-approve and "Duyệt tất cả" act only on reports as the page showed them (issue 13,
item 1)."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus
from monthly.services import approve_report, return_report, save_values, submit_report
from tests.criteria.samples import STANDARD

pytestmark = pytest.mark.django_db

MAY = dt.date(2024, 5, 1)
RAW = {"income_per_capita": "40", "poverty_rate": "4", "plan_approved": True}


@pytest.fixture(autouse=True)
def criteria():
    import_criteria_text(STANDARD)


def _income(report: Report) -> str:
    return f"{report.values.get(measure__code='income_per_capita').value:f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- the API


def test_updating_an_existing_report_through_the_api_needs_the_version_read(tree, district_user):
    report = save_values(unit=tree.dak_pek, period=MAY, raw=RAW, by=district_user)
    api = APIClient()
    api.force_authenticate(district_user)
    body = {"unit": "23353", "month": "2024-05", "values": {"income_per_capita": "55"}}

    response = api.post(reverse("api:report-list"), body, format="json")
    assert response.status_code == 409
    assert "gửi kèm 'version'" in response.json()["detail"]
    assert _income(Report.objects.get(pk=report.pk)) == "40"

    stale = api.post(reverse("api:report-list"), {**body, "version": report.version - 1}, format="json")
    assert stale.status_code == 409
    assert _income(Report.objects.get(pk=report.pk)) == "40"

    fresh = api.post(reverse("api:report-list"), {**body, "version": report.version}, format="json")
    assert fresh.status_code == 200
    assert _income(Report.objects.get(pk=report.pk)) == "55"


def test_creating_a_report_through_the_api_needs_no_version(tree, district_user):
    api = APIClient()
    api.force_authenticate(district_user)
    body = {"unit": "23353", "month": "2024-05", "values": {"income_per_capita": "55"}}
    assert api.post(reverse("api:report-list"), body, format="json").status_code == 201


# ---------------------------------------------------------------- the reviewer's page


@pytest.fixture
def resent(tree, district_user, office_user):
    """A report the office opened (version seen), then returned by a colleague, changed 40 -> 1999 and re-sent."""
    report = submit_report(
        report=save_values(unit=tree.dak_pek, period=MAY, raw=RAW, by=district_user), by=district_user
    )
    seen = report.version
    return_report(report=report, by=office_user, reason="Kiểm tra thu nhập")
    save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "1999"}, by=district_user)
    submit_report(report=Report.objects.get(pk=report.pk), by=district_user)
    return seen


def test_approving_a_report_changed_since_the_page_was_opened_is_refused(tree, office_user, resent, client_for):
    response = client_for(office_user).post(
        reverse("monthly:approve", args=["23353", "2024-05"]), {"version": str(resent)}
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "đã thay đổi sau khi bạn mở trang" in text
    assert "Đã gửi" in text  # where it stands now
    report = Report.objects.get(unit=tree.dak_pek, period=MAY)
    assert report.status == ReportStatus.SUBMITTED
    assert _income(report) == "1999"


def test_approving_the_report_as_seen_works(tree, office_user, resent, client_for):
    current = Report.objects.get(unit=tree.dak_pek, period=MAY).version
    response = client_for(office_user).post(
        reverse("monthly:approve", args=["23353", "2024-05"]), {"version": str(current)}
    )
    assert response.status_code == 302
    assert Report.objects.get(unit=tree.dak_pek, period=MAY).status == ReportStatus.APPROVED


@pytest.mark.parametrize("action", ["return", "unapprove"])
def test_returning_or_unapproving_a_changed_report_is_refused(tree, district_user, office_user, client_for, action):
    report = submit_report(
        report=save_values(unit=tree.dak_pek, period=MAY, raw=RAW, by=district_user), by=district_user
    )
    if action == "unapprove":
        report = approve_report(report=report, by=office_user)
    seen = report.version - 1  # a colleague acted after the page was opened
    response = client_for(office_user).post(
        reverse(f"monthly:{action}", args=["23353", "2024-05"]), {"version": str(seen), "reason": "Sai số liệu"}
    )
    assert response.status_code == 409
    assert Report.objects.get(pk=report.pk).status == report.status


def test_approve_all_refuses_when_a_report_changed_since_the_page(tree, district_user, office_user, resent, client_for):
    mon = submit_report(report=save_values(unit=tree.dak_mon, period=MAY, raw=RAW, by=district_user), by=district_user)
    pek = Report.objects.get(unit=tree.dak_pek, period=MAY)
    url = reverse("monthly:approve-all", args=["610", "2024-05"])
    client = client_for(office_user)

    response = client.post(url, {"seen": [f"{pek.pk}:{resent}", f"{mon.pk}:{mon.version}"]}, follow=True)

    assert "Đã có báo cáo thay đổi sau khi bạn mở trang (Xã Đắk Pék)" in response.content.decode()
    assert not Report.objects.filter(status=ReportStatus.APPROVED).exists()

    # A report sent after the page was opened is not approved unseen either.
    response = client.post(url, {"seen": [f"{pek.pk}:{pek.version}"]}, follow=True)
    assert not Report.objects.filter(status=ReportStatus.APPROVED).exists()

    client.post(url, {"seen": [f"{pek.pk}:{pek.version}", f"{mon.pk}:{mon.version}"]})
    assert Report.objects.filter(status=ReportStatus.APPROVED).count() == 2


def test_the_district_page_carries_what_it_shows(tree, district_user, office_user, client_for):
    report = submit_report(
        report=save_values(unit=tree.dak_pek, period=MAY, raw=RAW, by=district_user), by=district_user
    )
    page = client_for(office_user).get(reverse("monthly:district", args=["610", "2024-05"])).content.decode()
    assert f'name="seen" value="{report.pk}:{report.version}"' in page
    page = client_for(office_user).get(reverse("monthly:report", args=["23353", "2024-05"])).content.decode()
    assert f'name="version" value="{report.version}"' in page


# ---------------------------------------------------------------- sending


def test_sending_a_report_changed_since_the_page_was_opened_is_refused(tree, district_user, client_for):
    report = save_values(unit=tree.dak_pek, period=MAY, raw=RAW, by=district_user)
    seen = report.version
    colleague = client_for(district_user)
    colleague.post(
        reverse("monthly:report", args=["23353", "2024-05"]), {"version": str(seen), "m_income_per_capita": "1999"}
    )

    response = client_for(district_user).post(reverse("monthly:submit", args=["23353", "2024-05"]), {"version": seen})

    assert response.status_code == 409
    assert "đã thay đổi sau khi bạn mở trang" in response.context["error"]
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_sending_through_the_api_checks_the_version_when_given(tree, district_user):
    report = save_values(unit=tree.dak_pek, period=MAY, raw=RAW, by=district_user)
    api = APIClient()
    api.force_authenticate(district_user)
    url = reverse("api:report-submit", args=[report.pk])

    stale = api.post(url, {"version": report.version - 1}, format="json")
    assert stale.status_code == 409
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    assert api.post(url, {"version": report.version}, format="json").status_code == 200
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
