"""The district hears about the office's decisions: one email per returned or approved report to each district
official of the unit (after the commit, in Vietnamese, with the reason of a return), and the same decisions
announced on the district official's home page, the district's page."""

import datetime as dt

import pytest
from django.urls import reverse

from communes.models import Role
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_all, approve_report, return_report, save_values, submit_report, unapprove_report
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

MAY = dt.date(2024, 5, 1)
RAW = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}


@pytest.fixture(autouse=True)
def criteria():
    import_criteria_text(STANDARD)


@pytest.fixture
def official(tree):
    return MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT, user__email="huyen@example.vn").user


@pytest.fixture
def office(tree):
    return MembershipFactory(unit=tree.province, role=Role.OFFICE, user__email="vpdp@example.vn").user


def _submitted(unit, official):
    return submit_report(report=save_values(unit=unit, period=MAY, raw=RAW, by=official), by=official)


def test_a_return_is_emailed_to_the_district_officials_with_the_reason(
    tree, official, office, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT, user__email="pho@example.vn").user
    MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT)  # no email address: nothing to send
    MembershipFactory(unit=tree.ngoc_hoi, role=Role.DISTRICT, user__email="ngoc-hoi@example.vn")  # other district
    MembershipFactory(unit=tree.dak_glei, role=Role.VIEWER, user__email="xem@example.vn")  # not an official
    report = _submitted(tree.dak_pek, official)

    with django_capture_on_commit_callbacks(execute=True):
        return_report(report=report, by=office, reason="Tỷ lệ hộ nghèo chưa khớp số liệu của Sở LĐTBXH.")

    assert sorted(m.to[0] for m in mailoutbox) == sorted([official.email, colleague.email])
    message = mailoutbox[0]
    assert message.subject == "Báo cáo Xã Đắk Pék tháng 05/2024 bị trả lại"
    assert "Lý do: Tỷ lệ hộ nghèo chưa khớp số liệu của Sở LĐTBXH." in message.body
    assert "http://127.0.0.1:8000/monthly/23353/2024-05/" in message.body


def test_an_approval_is_emailed_once_per_report(tree, official, office, mailoutbox, django_capture_on_commit_callbacks):
    _submitted(tree.dak_pek, official)
    _submitted(tree.dak_mon, official)
    with django_capture_on_commit_callbacks(execute=True):
        assert approve_all(district=tree.dak_glei, period=MAY, by=office) == 2
    assert sorted(m.subject for m in mailoutbox) == [
        "Báo cáo Xã Đắk Môn tháng 05/2024 đã được duyệt",
        "Báo cáo Xã Đắk Pék tháng 05/2024 đã được duyệt",
    ]
    assert all(m.to == [official.email] for m in mailoutbox)


def test_an_unapproval_is_emailed_as_a_return(tree, official, office, mailoutbox, django_capture_on_commit_callbacks):
    report = approve_report(report=_submitted(tree.dak_pek, official), by=office)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unapprove_report(report=report, by=office, reason="Nhập nhầm tháng.")
    assert [m.subject for m in mailoutbox] == ["Báo cáo Xã Đắk Pék tháng 05/2024 bị trả lại"]
    assert "Lý do: Nhập nhầm tháng." in mailoutbox[0].body


def test_nothing_is_sent_before_the_commit_nor_for_the_districts_own_steps(
    tree, official, office, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = _submitted(tree.dak_pek, official)
        approve_report(report=report, by=office)
    assert mailoutbox == []  # the transaction has not committed
    assert len(callbacks) == 2  # the approval's email and the recompute of the statuses; none for saving, submitting


def test_the_email_is_vietnamese_whoever_decided(
    tree, official, office, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import translation

    report = _submitted(tree.dak_pek, official)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        approve_report(report=report, by=office)
    assert mailoutbox[0].subject == "Báo cáo Xã Đắk Pék tháng 05/2024 đã được duyệt"


def test_the_district_page_announces_returns_and_approvals_with_links(tree, official, office, client_for):
    return_report(report=_submitted(tree.dak_pek, official), by=office, reason="Thiếu số liệu thu nhập.")
    approve_report(report=_submitted(tree.dak_mon, official), by=office)

    page = client_for(official).get(reverse("communes:district-detail", args=["610"])).text

    assert "Báo cáo bị trả lại, được duyệt (30 ngày qua)" in page
    assert reverse("monthly:report", args=["23353", "2024-05"]) in page
    assert "bị trả lại" in page
    assert "Lý do: Thiếu số liệu thu nhập." in page
    assert reverse("monthly:report", args=["23341", "2024-05"]) in page
    assert "đã được duyệt" in page
    # Newest first: the approval came after the return.
    assert page.index("Xã Đắk Môn · tháng 05/2024") < page.index("Xã Đắk Pék · tháng 05/2024")


def test_announcements_are_the_district_officials_only_and_recent(tree, official, office, client_for):
    from monthly.models import ReportEvent

    approve_report(report=_submitted(tree.dak_pek, official), by=office)
    office_page = client_for(office).get(reverse("communes:district-detail", args=["610"])).text
    assert "Báo cáo bị trả lại, được duyệt" not in office_page
    other = MembershipFactory(unit=tree.ngoc_hoi, role=Role.DISTRICT).user
    MembershipFactory(unit=tree.province, role=Role.VIEWER, user=other)  # sees Đắk Glei, does not enter it
    assert "Báo cáo bị trả lại, được duyệt" not in client_for(other).get("/districts/610/").text

    ReportEvent.objects.update(at=ReportEvent.objects.first().at - dt.timedelta(days=31))
    assert "Báo cáo bị trả lại, được duyệt" not in client_for(official).get("/districts/610/").text


def test_the_district_official_lands_on_the_announcements(tree, official, office, client_for):
    approve_report(report=_submitted(tree.dak_pek, official), by=office)
    response = client_for(official).get("/", follow=True)
    assert "Xã Đắk Pék · tháng 05/2024" in response.text


def test_announcements_take_one_query_however_many(tree, official, office, client_for, django_assert_num_queries):
    client = client_for(official)
    url = reverse("communes:district-detail", args=["610"])
    return_report(report=_submitted(tree.dak_pek, official), by=office, reason="Thiếu số liệu.")
    client.get(url)
    with django_assert_num_queries(8):  # the district page's 7, and the announcements with their reports
        client.get(url)
    approve_report(report=_submitted(tree.dak_mon, official), by=office)
    approve_report(report=_submitted(tree.dak_glei_town, official), by=office)
    with django_assert_num_queries(8):
        page = client.get(url).text
    assert page.count('class="announcement ') == 3


def test_a_mail_server_down_does_not_undo_nor_break_the_approval(
    tree, official, office, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from monthly import notifications
    from monthly.models import Report, ReportStatus

    def down(event):
        raise ConnectionRefusedError("SMTP server unreachable")

    monkeypatch.setattr(notifications, "send_decision_email", down)
    report = _submitted(tree.dak_pek, official)
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(report=report, by=office)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    assert "SMTP server unreachable" in caplog.text
