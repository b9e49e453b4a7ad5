"""Monthly report pages: what each role sees, the entry form, the workflow buttons, the district's month, the
office's review, the overdue board, and the query counts each page is held to."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communes.models import Level, Role
from criteria.models import Criterion, Indicator, Measure, Threshold
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportAction, ReportEvent, ReportStatus, Value, ValueChange
from monthly.services import approve_report, comment_on_criterion, return_report, save_values, submit_report
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UserFactory, unit

pytestmark = pytest.mark.django_db

MONTH = "2024-05"
MAY, APRIL = dt.date(2024, 5, 1), dt.date(2024, 4, 1)
PEK = "23353"  # Xã Đắk Pék, Huyện Đắk Glei


@pytest.fixture(autouse=True)
def criteria(db):
    import_criteria_text(STANDARD)


@pytest.fixture
def frozen(monkeypatch):
    """Freeze the clock (services and views read django.utils.timezone) at noon, Vietnam time, of a day."""

    def freeze(day: dt.date):
        moment = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12, 0))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    freeze(dt.date(2024, 5, 20))
    return freeze


@pytest.fixture
def department_user(tree):
    # Criterion 11 (Nghèo đa chiều) of the sample set names "Sở LĐTBXH" as its department.
    return MembershipFactory(unit=tree.province, role=Role.DEPARTMENT, department="Sở LĐTBXH").user


@pytest.fixture
def viewer_user(tree):
    return MembershipFactory(unit=tree.province, role=Role.VIEWER).user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, code: str = PEK, month: str = MONTH) -> str:
    return reverse(f"monthly:{name.removeprefix('monthly-')}", args=[code, month])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _submitted(tree, official, raw=None, unit=None):
    report = save_values(unit=unit or tree.dak_pek, period=MAY, raw=raw or {"poverty_rate": "4"}, by=official)
    return submit_report(report=report, by=official)


def _value(unit, code: str):
    return Value.objects.get(report__unit=unit, report__period=MAY, measure__code=code).value


# ---------------------------------------------------------------- what each role sees


def test_district_official_gets_an_entry_form_grouped_by_criterion_with_thresholds(district_client, frozen):
    response = district_client.get(_url("monthly-report"))
    assert response.status_code == 200
    text = response.text
    assert [group.label for group in response.context["page"].groups] == [
        "1. Quy hoạch",
        "10. Thu nhập",
        "11. Nghèo đa chiều",
    ]
    assert '<input type="hidden" name="version" value="0" id="id_version">' in text
    assert 'name="m_income_per_capita"' in text
    assert 'name="m_poverty_rate"' in text
    # A boolean is a Có/Không/(trống) select.
    assert '<select name="m_plan_approved" id="id_m_plan_approved">' in text
    assert '<option value="true">Có</option>' in text
    assert '<option value="false">Không</option>' in text
    # Allowed ranges, and the threshold Kon Tum (Tây Nguyên) faces in 2024, unverified.
    fields = {f.measure.code: f for group in response.context["page"].groups for f in group.fields}
    assert fields["income_per_capita"].range_text == "0 – 2000"
    assert fields["poverty_rate"].range_text == "0 – 100"
    assert fields["income_per_capita"].reading.threshold == Decimal(54)
    assert fields["income_per_capita"].reading.basis == "vùng Tây Nguyên, năm 2024"
    assert fields["income_per_capita"].reading.verified is False
    assert "≥ 54 triệu đồng/người/năm" in text
    assert "chưa xác minh" in text
    assert "Lưu bản nháp" in text
    assert "Gửi báo cáo" not in text  # nothing saved yet: save first
    assert response.context["report"] is None


def test_the_form_is_prefilled_with_the_last_approved_values(tree, district_user, office_user, district_client):
    april = save_values(unit=tree.dak_pek, period=APRIL, raw={"income_per_capita": "48,5"}, by=district_user)
    approve_report(report=submit_report(report=april, by=district_user), by=office_user)
    response = district_client.get(_url("monthly-report"))
    assert 'name="m_income_per_capita" value="48,5"' in response.text


@pytest.mark.parametrize("who", ["viewer", "office", "department"])
def test_others_see_the_figures_read_only(tree, district_user, who, viewer_user, office_user, department_user):
    save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "52"}, by=district_user)
    user = {"viewer": viewer_user, "office": office_user, "department": department_user}[who]
    response = _client(user).get(_url("monthly-report"))
    assert response.status_code == 200
    assert 'name="m_income_per_capita"' not in response.text
    assert "Lưu bản nháp" not in response.text
    assert '<span class="shown-value">52</span>' in response.text
    assert "Bạn chỉ xem được báo cáo này" in response.text


def test_office_gets_approve_and_return_on_a_submitted_report(tree, district_user, office_client):
    _submitted(tree, district_user)
    response = office_client.get(_url("monthly-report"))
    assert '<button type="submit" class="primary">Duyệt</button>' in response.text
    assert 'name="reason"' in response.text
    assert "Trả lại" in response.text
    assert "Hủy duyệt" not in response.text
    assert "đang chờ Văn phòng điều phối duyệt nên không sửa được" in response.text


def test_department_may_comment_only_on_its_own_criteria(tree, district_user, department_user):
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=district_user)
    response = _client(department_user).get(_url("monthly-report"))
    assert response.context["department_criteria"] == [(11, "Nghèo đa chiều")]
    assert '<option value="11">11. Nghèo đa chiều</option>' in response.text


def test_unknown_unit_bad_month_and_other_scope_are_404(district_client):
    assert district_client.get(_url("monthly-report", code="99999")).status_code == 404
    assert district_client.get(f"/monthly/{PEK}/2024-5/").status_code == 404
    assert district_client.get(f"/monthly/{PEK}/2024-13/").status_code == 404
    assert district_client.get(_url("monthly-report", code="23380")).status_code == 404  # Ngọc Hồi
    assert district_client.get(_url("monthly-district", code="611")).status_code == 404


def test_a_month_without_programme_says_so(district_client):
    response = district_client.get(_url("monthly-report", month="2031-01"))
    assert response.status_code == 200
    assert "Không có giai đoạn nào của Chương trình áp dụng cho tháng 01/2031" in response.text
    assert 'name="version"' not in response.text


# ---------------------------------------------------------------- saving a draft


def test_saving_a_draft_saves_values_and_records_the_changes(tree, district_user, district_client, frozen):
    response = district_client.post(
        _url("monthly-report"),
        {"version": "0", "m_income_per_capita": "52,5", "m_poverty_rate": "", "m_plan_approved": "true"},
    )
    assert response.status_code == 302
    assert response["Location"] == _url("monthly-report")
    assert "Đã lưu bản nháp báo cáo Xã Đắk Pék tháng 05/2024." in _messages(response)
    report = Report.objects.get(unit=tree.dak_pek, period=MAY)
    assert (report.status, report.version, report.updated_by) == (ReportStatus.DRAFT, 1, district_user)
    assert _value(tree.dak_pek, "income_per_capita") == Decimal("52.5")
    assert _value(tree.dak_pek, "plan_approved") is True
    changes = {c.measure.code: (c.old_value, c.new_value, c.via) for c in ValueChange.objects.filter(report=report)}
    assert changes == {"income_per_capita": ("", "52.5", "form"), "plan_approved": ("", "Có", "form")}

    page = district_client.get(_url("monthly-report")).text
    assert "Lịch sử sửa số liệu" in page
    assert '<span class="muted">(trống)</span> → <strong>52.5</strong>' in page
    assert '<input type="hidden" name="version" value="1" id="id_version">' in page
    assert "Gửi báo cáo" in page


def test_invalid_values_are_shown_next_to_their_fields_and_nothing_is_saved(tree, district_client):
    response = district_client.post(
        _url("monthly-report"), {"version": "0", "m_income_per_capita": "abc", "m_poverty_rate": "150"}
    )
    assert response.status_code == 200
    fields = {f.measure.code: f for group in response.context["page"].groups for f in group.fields}
    assert fields["income_per_capita"].error == "'abc' không phải là số."
    assert fields["poverty_rate"].error == "150 lớn hơn giá trị lớn nhất cho phép (100)."
    assert '<div class="error" id="id_m_poverty_rate_error">150 lớn hơn giá trị lớn nhất cho phép (100).</div>' in (
        response.text
    )
    # What was typed stays in the inputs.
    assert 'name="m_income_per_capita" value="abc"' in response.text
    assert "Số liệu chưa hợp lệ nên chưa lưu gì" in response.text
    assert not Report.objects.exists()
    assert not ValueChange.objects.exists()


def test_a_stale_version_is_refused_and_the_first_persons_value_kept(tree, district_user):
    colleague = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT, user__first_name="Y Blơng").user
    save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "50"}, by=district_user)
    first, second = _client(district_user), _client(colleague)
    # Both open the page at version 1.
    assert first.get(_url("monthly-report")).context["version"] == 1
    assert second.get(_url("monthly-report")).context["version"] == 1

    assert first.post(_url("monthly-report"), {"version": "1", "m_income_per_capita": "60"}).status_code == 302
    response = second.post(_url("monthly-report"), {"version": "1", "m_income_per_capita": "70"})

    assert response.status_code == 409
    assert "sau khi bạn mở trang. Số liệu của bạn chưa được lưu" in response.text
    assert "Bạn đã nhập: 70 (chưa lưu)" in response.text
    assert "Trang dưới đây đã hiện bản mới nhất" in response.text
    assert 'name="m_income_per_capita" value="60"' in response.text  # the form now shows what is stored
    assert _value(tree.dak_pek, "income_per_capita") == Decimal(60)
    assert Report.objects.get(unit=tree.dak_pek, period=MAY).version == 2


def test_saving_needs_a_version(district_client):
    response = district_client.post(_url("monthly-report"), {"m_income_per_capita": "60"})
    assert response.status_code == 400
    assert not Report.objects.exists()


# ---------------------------------------------------------------- the workflow


def test_submit_sends_the_saved_figures(tree, district_user, district_client, frozen):
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=district_user)
    response = district_client.post(_url("monthly-submit"))
    assert response.status_code == 302
    report = Report.objects.get(unit=tree.dak_pek, period=MAY)
    assert (report.status, report.is_late) == (ReportStatus.SUBMITTED, False)
    assert ReportEvent.objects.filter(report=report, action=ReportAction.SUBMITTED, by=district_user).exists()

    page = district_client.get(_url("monthly-report")).text
    assert '<span class="badge status-submitted">Đã gửi</span>' in page
    assert "Đã gửi ngày 20/05/2024 và đang chờ Văn phòng điều phối duyệt nên không sửa được" in page
    assert 'name="m_poverty_rate"' not in page


def test_submitting_after_the_due_day_is_flagged_late(tree, district_user, district_client, frozen):
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=district_user)
    frozen(dt.date(2024, 5, 27))
    response = district_client.post(_url("monthly-submit"), follow=True)
    assert Report.objects.get(unit=tree.dak_pek, period=MAY).is_late
    assert "Báo cáo được ghi là gửi muộn (sau hạn ngày 25/05/2024)." in response.text
    assert '<span class="badge late">Gửi muộn</span>' in response.text


def test_submitting_without_a_report_is_refused(district_client):
    response = district_client.post(_url("monthly-submit"))
    assert response.status_code == 409
    assert "Đơn vị chưa có báo cáo tháng này." in response.text


def test_return_needs_a_reason_and_the_district_sees_it(tree, district_user, district_client, office_client):
    report = _submitted(tree, district_user)
    response = office_client.post(_url("monthly-return"), {"reason": "   "})
    assert response.status_code == 400
    assert "Phải ghi lý do trả lại để cán bộ huyện, xã biết cần sửa gì." in response.text
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    response = office_client.post(_url("monthly-return"), {"reason": "Tỷ lệ nghèo chưa khớp số liệu của Sở."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (ReportStatus.RETURNED, "Tỷ lệ nghèo chưa khớp số liệu của Sở.")

    page = district_client.get(_url("monthly-report")).text
    assert "Văn phòng điều phối đã trả lại báo cáo. Lý do:" in page
    assert "Tỷ lệ nghèo chưa khớp số liệu của Sở." in page
    assert 'name="m_poverty_rate"' in page  # open again for correction


def test_approval_locks_the_report_and_a_later_save_is_refused(tree, district_user, district_client, office_client):
    report = _submitted(tree, district_user, raw={"poverty_rate": "4"})
    response = office_client.post(_url("monthly-approve"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    page = district_client.get(_url("monthly-report")).text
    assert 'name="m_poverty_rate"' not in page
    assert "nên đã khóa" in page

    response = district_client.post(_url("monthly-report"), {"version": str(report.version), "m_poverty_rate": "9"})
    assert response.status_code == 409
    assert "đã được duyệt ngày" in response.text
    assert "nên đã khóa" in response.text
    assert _value(tree.dak_pek, "poverty_rate") == Decimal(4)
    assert ValueChange.objects.filter(report=report).count() == 1


def test_approving_a_draft_is_refused(tree, district_user, office_client):
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=district_user)
    response = office_client.post(_url("monthly-approve"))
    assert response.status_code == 409
    assert "Chỉ duyệt được báo cáo đã gửi" in response.text


def test_unapprove_needs_a_reason_and_reopens_the_report(tree, district_user, office_user, office_client):
    report = approve_report(report=_submitted(tree, district_user), by=office_user)
    assert office_client.post(_url("monthly-unapprove"), {"reason": ""}).status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    assert office_client.post(_url("monthly-unapprove"), {"reason": "Sai đơn vị tính"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    page = office_client.get(_url("monthly-report"))
    assert [(e.action, e.reason) for e in page.context["page"].trail] == [
        (ReportAction.SUBMITTED, ""),
        (ReportAction.APPROVED, ""),
        (ReportAction.UNAPPROVED, "Sai đơn vị tính"),
    ]
    assert "Sai đơn vị tính" in page.text


def test_department_comments_on_its_criterion_but_not_on_another(tree, district_user, department_user):
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=district_user)
    client = _client(department_user)
    response = client.post(
        _url("monthly-comment"), {"criterion": "11", "text": "Đề nghị đối chiếu danh sách hộ nghèo."}
    )
    assert response.status_code == 302
    event = ReportEvent.objects.get(action=ReportAction.COMMENTED)
    assert (event.criterion_number, event.by, event.reason) == (
        11,
        department_user,
        "Đề nghị đối chiếu danh sách hộ nghèo.",
    )

    assert client.post(_url("monthly-comment"), {"criterion": "10", "text": "Thu nhập?"}).status_code == 403
    assert client.post(_url("monthly-comment"), {"criterion": "x", "text": "?"}).status_code == 403
    assert client.post(_url("monthly-comment"), {"criterion": "11", "text": " "}).status_code == 400
    assert ReportEvent.objects.filter(action=ReportAction.COMMENTED).count() == 1

    page = _client(district_user).get(_url("monthly-report")).text
    assert "Tiêu chí 11. Nghèo đa chiều" in page
    assert "Đề nghị đối chiếu danh sách hộ nghèo." in page


# ---------------------------------------------------------------- the district's month


def test_district_page_lists_communes_with_status_and_lateness(tree, district_user, district_client, frozen):
    _submitted(tree, district_user)
    save_values(unit=tree.dak_mon, period=MAY, raw={"poverty_rate": "5"}, by=district_user)
    frozen(dt.date(2024, 5, 28))
    response = district_client.get(_url("monthly-district", code="610"))
    assert response.status_code == 200
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert [row.unit.short_name for row in response.context["rows"]] == ["Đắk Glei", "Đắk Môn", "Đắk Pék"]
    assert rows[PEK].status == ReportStatus.SUBMITTED
    assert rows[PEK].overdue_days == 0
    assert rows["23341"].status == ReportStatus.DRAFT
    assert rows["23341"].overdue_days == 3
    assert rows["23338"].report is None
    assert rows["23338"].overdue_days == 3
    text = response.text
    assert f'href="{_url("monthly-report")}">Xã Đắk Pék</a>' in text
    assert "Gửi tất cả" in text
    assert reverse("monthly:template", args=["610", MONTH]) in text
    assert 'type="file" name="file"' in text
    assert reverse("monthly:upload", args=["610", MONTH]) in text
    assert "Duyệt tất cả" not in text


def test_district_page_gives_the_office_approve_all_and_a_viewer_nothing(office_client, viewer_user):
    office_page = office_client.get(_url("monthly-district", code="610")).text
    assert "Duyệt tất cả" in office_page
    assert "Gửi tất cả" not in office_page
    viewer_page = _client(viewer_user).get(_url("monthly-district", code="610")).text
    assert "Duyệt tất cả" not in viewer_page
    assert "Gửi tất cả" not in viewer_page
    assert 'name="file"' not in viewer_page


def test_submit_all_says_what_was_sent_and_what_had_nothing(tree, district_user, district_client):
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=district_user)
    save_values(unit=tree.dak_mon, period=MAY, raw={}, by=district_user)  # opened, nothing entered
    response = district_client.post(_url("monthly-submit-all", code="610"))
    assert response.status_code == 302
    assert response["Location"] == _url("monthly-district", code="610")
    assert _messages(response) == [
        "Đã gửi 1 báo cáo tháng 05/2024.",
        "Chưa có số liệu nên chưa gửi: Xã Đắk Môn.",
        "Chưa có báo cáo tháng này: Thị trấn Đắk Glei.",
    ]
    assert Report.objects.get(unit=tree.dak_pek, period=MAY).status == ReportStatus.SUBMITTED
    assert Report.objects.get(unit=tree.dak_mon, period=MAY).status == ReportStatus.DRAFT


def test_approve_all_from_the_review_page_returns_to_it(tree, district_user, office_client):
    _submitted(tree, district_user)
    _submitted(tree, district_user, unit=tree.dak_mon)
    review_url = reverse("monthly:review", args=[MONTH])
    response = office_client.post(_url("monthly-approve-all", code="610"), {"next": review_url})
    assert response.status_code == 302
    assert response["Location"] == review_url
    assert "Đã duyệt 2 báo cáo của Huyện Đắk Glei tháng 05/2024." in _messages(response)
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.APPROVED}


def test_approve_all_ignores_a_next_address_on_another_site(tree, district_user, office_client):
    _submitted(tree, district_user)
    response = office_client.post(_url("monthly-approve-all", code="610"), {"next": "https://example.com/"})
    assert response["Location"] == _url("monthly-district", code="610")


# ---------------------------------------------------------------- the office's review


def test_review_lists_submitted_reports_by_district_with_counts(tree, district_user, office_client, admin_user):
    _submitted(tree, district_user)
    save_values(unit=tree.dak_mon, period=MAY, raw={"poverty_rate": "5"}, by=district_user)
    plei_kan = type(tree.dak_pek).objects.get(code="23368")
    _submitted(tree, admin_user, unit=plei_kan)
    _submitted(tree, admin_user, unit=tree.other_commune)  # Gia Lai: not this office's

    response = office_client.get(reverse("monthly:review", args=[MONTH]))
    assert response.status_code == 200
    sections = {s.district.code: s for s in response.context["sections"] if s.district}
    assert set(sections) == {"610", "611"}
    assert dict(sections["610"].counts) == {"submitted": 1, "draft": 1, "commune": 2}
    assert sections["610"].commune_count == 3
    assert sections["610"].without_report == 1
    assert [r.unit.code for r in sections["610"].waiting] == [PEK]
    assert [r.unit.code for r in sections["611"].waiting] == ["23368"]
    assert response.context["waiting_total"] == 2
    assert "Xã Đông" not in response.text
    assert f'href="{_url("monthly-report")}">Xã Đắk Pék</a>' in response.text
    assert response.text.count("Duyệt tất cả (1)") == 2


def test_review_is_for_the_office(district_client):
    assert district_client.get(reverse("monthly:review", args=[MONTH])).status_code == 403


# ---------------------------------------------------------------- the overdue board


def test_overdue_board_before_the_due_day_says_not_due(tree, district_user, office_client, frozen):
    frozen(dt.date(2024, 5, 20))
    _submitted(tree, district_user)
    response = office_client.get(reverse("monthly:overdue", args=[MONTH]))
    assert response.status_code == 200
    assert response.context["overdue_count"] == 0
    assert response.context["days_left"] == 5
    # The judged communes only (the sample sets apply to xã): the two towns are not asked for figures.
    assert [row.overdue_days for row in response.context["pending"]] == [0, 0]
    assert "chưa đến hạn" in response.text
    assert response.context["sent_total"] == 1
    assert response.context["commune_total"] == 3


def test_overdue_board_after_the_due_day_counts_days_and_flags_late_sendings(
    tree, district_user, office_client, frozen
):
    frozen(dt.date(2024, 5, 24))
    _submitted(tree, district_user)  # on time
    frozen(dt.date(2024, 5, 27))
    _submitted(tree, district_user, unit=tree.dak_mon)  # two days late
    save_values(unit=tree.dak_glei_town, period=MAY, raw={"poverty_rate": "3"}, by=district_user)  # a draft
    frozen(dt.date(2024, 5, 30))

    response = office_client.get(reverse("monthly:overdue", args=[MONTH]))
    pending = {row.unit.code: row for row in response.context["pending"]}
    assert set(pending) == {"23380"}  # Xã Đắk Xú; the towns (one with a draft) are not judged, so not listed
    assert {row.overdue_days for row in pending.values()} == {5}
    assert response.context["overdue_count"] == 1
    assert [(row.unit.code, row.overdue_days) for row in response.context["late"]] == [("23341", 2)]
    assert "đã quá hạn" in response.text


def test_overdue_board_follows_the_provinces_due_day_and_the_users_scope(tree, district_client, frozen):
    tree.province.report_due_day = 10
    tree.province.save()
    frozen(dt.date(2024, 5, 12))
    response = district_client.get(reverse("monthly:overdue", args=[MONTH]))
    assert {row.unit.code for row in response.context["pending"]} == {"23341", PEK}  # Đắk Glei's xã only
    assert {row.overdue_days for row in response.context["pending"]} == {2}


# ---------------------------------------------------------------- home and links


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("office", "monthly:review"),
        ("district", "monthly:district"),
        ("viewer", "monthly:overdue"),
        ("department", "monthly:overdue"),
    ],
)
def test_monthly_home_sends_each_role_to_its_page(tree, role, expected, frozen):
    unit_for_role = tree.dak_glei if role == "district" else tree.province
    user = MembershipFactory(unit=unit_for_role, role=role).user
    response = _client(user).get(reverse("monthly:home"))
    args = ["610", MONTH] if role == "district" else [MONTH]
    assert response["Location"] == reverse(expected, args=args)


def test_unit_pages_link_to_this_months_reports(district_client, office_client, frozen):
    district_page = district_client.get(reverse("communes:district-detail", args=["610"])).text
    assert _url("monthly-district", code="610") in district_page
    commune_page = office_client.get(reverse("communes:commune-detail", args=[PEK])).text
    assert _url("monthly-report") in commune_page
    assert f'href="{reverse("monthly:home")}">Báo cáo tháng</a>' in commune_page


def test_a_district_seen_only_as_an_ancestor_has_no_report_links(tree, frozen):
    commune_viewer = MembershipFactory(unit=tree.dak_pek, role=Role.VIEWER).user
    page = _client(commune_viewer).get(reverse("communes:district-detail", args=["610"])).text
    assert _url("monthly-district", code="610") not in page


# ---------------------------------------------------------------- query counts


def _grow_district(tree, communes: int) -> None:
    for i in range(communes):
        unit(f"{24000 + i}", f"Xã Thêm {i}", Level.COMMUNE, tree.dak_glei)


def _add_measures(count: int) -> None:
    criterion = Criterion.objects.get(criteria_set__code="commune-standard", number=10)
    for i in range(count):
        measure = Measure.objects.create(code=f"extra_{i}", name=f"Số liệu thêm {i}", kind="number", unit="ha")
        indicator = Indicator.objects.create(
            criterion=criterion, code=f"10.{i + 2}", name=f"Chỉ tiêu thêm {i}", measure=measure, comparison=">="
        )
        Threshold.objects.create(indicator=indicator, value=i, source="thử", verified=i % 2 == 0)


def _busy_report(tree, district_user, office_user, department_user):
    """A report with values, changes, events and a comment, so every list on the page has rows to read."""
    report = save_values(
        unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4", "plan_approved": "true"}, by=district_user
    )
    report = submit_report(report=report, by=district_user)
    report = return_report(report=report, by=office_user, reason="Sửa lại")
    comment_on_criterion(report=report, by=department_user, criterion_number=11, text="Xem lại")


@pytest.mark.parametrize(("extra_communes", "extra_measures"), [(0, 0), (22, 0), (22, 15)])
def test_report_page_runs_a_fixed_number_of_queries(
    tree,
    district_user,
    office_user,
    department_user,
    district_client,
    extra_communes,
    extra_measures,
    django_assert_num_queries,
):
    _grow_district(tree, extra_communes)
    _add_measures(extra_measures)
    _busy_report(tree, district_user, office_user, department_user)
    # session, user, memberships, unit, programme, report (+ who saved it), ancestors, entry measures (and the
    # thresholds that depend on another figure, e.g. the number of schools),
    # the approved values before this month (both the prefill and "Tháng trước: …"), the report's values,
    # programme definition (sets, criteria, indicators + measures, thresholds), events (+ who),
    # value changes (+ measure, who), the header's membership, the kinds the sets in force judge (monthly.judged)
    with django_assert_num_queries(18):
        response = district_client.get(_url("monthly-report"))
    assert response.status_code == 200
    assert sum(len(group.fields) for group in response.context["page"].groups) == 3 + extra_measures
    assert len(response.context["page"].changes) == 2


def test_report_page_for_a_department_adds_its_criteria(
    tree, district_user, office_user, department_user, django_assert_num_queries
):
    _busy_report(tree, district_user, office_user, department_user)
    client = _client(department_user)
    # the 19 above, plus the user's departments and the criteria of the unit's sets
    with django_assert_num_queries(20):
        client.get(_url("monthly-report"))


@pytest.mark.parametrize("extra_communes", [0, 22])
def test_district_page_runs_a_fixed_number_of_queries(
    tree, district_user, district_client, extra_communes, django_assert_num_queries
):
    _grow_district(tree, extra_communes)
    for commune in type(tree.dak_pek).objects.filter(parent=tree.dak_glei):
        save_values(unit=commune, period=MAY, raw={"poverty_rate": "4"}, by=district_user)
    # session, user, memberships, district, ancestors, programme, communes with village counts,
    # the district's reports (+ unit, who saved), the header's membership
    with django_assert_num_queries(8):
        response = district_client.get(_url("monthly-district", code="610"))
    assert len(response.context["rows"]) == 3 + extra_communes


@pytest.mark.parametrize("extra_communes", [0, 22])
def test_review_page_runs_a_fixed_number_of_queries(
    tree, district_user, office_client, extra_communes, django_assert_num_queries
):
    _grow_district(tree, extra_communes)
    for commune in type(tree.dak_pek).objects.filter(parent=tree.dak_glei):
        _submitted(tree, district_user, unit=commune)
    # session, user, memberships, provinces and districts with commune counts, reports (+ unit, who), header
    with django_assert_num_queries(5):
        response = office_client.get(reverse("monthly:review", args=[MONTH]))
    assert response.context["waiting_total"] == 3 + extra_communes


@pytest.mark.parametrize("extra_communes", [0, 22])
def test_overdue_board_runs_a_fixed_number_of_queries(
    tree, district_user, office_client, extra_communes, django_assert_num_queries, frozen
):
    _grow_district(tree, extra_communes)
    _submitted(tree, district_user)
    frozen(dt.date(2024, 5, 30))
    # session, user, memberships, the unit kinds judged (monthly.judged), due days, communes (+ district),
    # reports, header
    with django_assert_num_queries(7):
        response = office_client.get(reverse("monthly:overdue", args=[MONTH]))
    assert response.context["commune_total"] == 3 + extra_communes


def test_superuser_without_membership_may_use_every_page(admin_client, tree):
    assert admin_client.get(reverse("monthly:home"))["Location"].startswith("/monthly/review/")
    for name, args in [
        ("monthly:review", [MONTH]),
        ("monthly:overdue", [MONTH]),
        ("monthly:district", ["610", MONTH]),
        ("monthly:report", [PEK, MONTH]),
    ]:
        assert admin_client.get(reverse(name, args=args)).status_code == 200


def test_a_user_without_scope_gets_404_on_the_overdue_board(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("monthly:overdue", args=[MONTH])).status_code == 404


def test_a_level_measure_is_a_select_and_saves(tree, district_client):
    measure = Measure.objects.create(
        code="security_rating", name="Xếp loại an ninh", kind="level", levels=["Kém", "Trung bình", "Tốt"]
    )
    criterion = Criterion.objects.get(criteria_set__code="commune-standard", number=11)
    indicator = Indicator.objects.create(
        criterion=criterion, code="11.2", name="Xếp loại an ninh", measure=measure, comparison=">="
    )
    Threshold.objects.create(indicator=indicator, level_value="Trung bình", source="thử", verified=True)
    page = district_client.get(_url("monthly-report")).text
    assert '<option value="Trung bình">Trung bình</option>' in page
    assert "≥ Trung bình" in page

    response = district_client.post(_url("monthly-report"), {"version": "0", "m_security_rating": "Tốt"})
    assert response.status_code == 302
    assert _value(tree.dak_pek, "security_rating") == "Tốt"
    assert '<option value="Tốt" selected>Tốt</option>' in district_client.get(_url("monthly-report")).text


def test_village_and_district_reports_have_their_own_pages(tree, district_client):
    unit("23353001", "Thôn Đắk Xuân", Level.VILLAGE, tree.dak_pek)
    village = district_client.get(_url("monthly-report", code="23353001"))
    assert village.status_code == 200
    assert f'<a href="{_url("monthly-report")}">Xã Đắk Pék</a>' in village.text
    assert "chưa có số liệu nào phải nhập" in village.text  # the sample has no village set
    district = district_client.get(_url("monthly-report", code="610"))
    assert district.status_code == 200
    assert "Huyện Đắk Glei" in district.text
