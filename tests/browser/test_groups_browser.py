"""The 2026-2030 programme as the Quảng Ngãi office meets it (issue 15): the scorecard of a commune without a group
says "chưa phân nhóm"; the office puts it in group 3 from 15/02/2026 and the scorecard judges it by group 3's
requirements; the office drafts a new version of the set, raises group 3's income threshold, publishes it, and the
commune's scorecard changes."""

import datetime as dt

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from communes.models import Role
from tests.factories import MembershipFactory, UserFactory, kon_tum_tree, reform_kon_tum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_assigns_a_group_and_the_scorecard_follows(live_server, page: Page):
    from criteria.yaml_io import import_criteria_text
    from monthly.services import approve_report, save_values, submit_report

    for name in ("2021-2025/commune-standard.yaml", "2026-2030/commune-standard.yaml"):
        import_criteria_text((settings.BASE_DIR / "fixtures" / "criteria" / name).read_bytes())
    reform = reform_kon_tum(kon_tum_tree())
    clerk = UserFactory()
    report = save_values(unit=reform.dak_pek, period=dt.date(2026, 3, 1), raw={"income_per_capita": "60"}, by=clerk)
    approve_report(report=submit_report(report=report, by=clerk), by=clerk)
    MembershipFactory(unit=reform.quang_ngai, role=Role.OFFICE, user__username="vpdp.quangngai")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("vpdp.quangngai")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"{live_server.url}/scorecard/23341/?month=2026-03")
    expect(page.locator(".illustrative").first).to_contain_text("bộ minh họa")
    expect(page.locator(".commune-group")).to_contain_text("chưa phân nhóm")

    page.goto(f"{live_server.url}/provinces/51/")
    page.get_by_role("link", name="Phân nhóm xã theo Quyết định 51/2025/QĐ-TTg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phân nhóm xã của Tỉnh Quảng Ngãi")
    page.get_by_role("checkbox", name="Xã Đăk Pék").check()
    page.get_by_label("Nhóm", exact=True).select_option("3")
    page.get_by_label("Từ ngày (ngày/tháng/năm)").fill("15/02/2026")
    page.get_by_label("Căn cứ (số, ngày quyết định)").fill("QĐ 120/QĐ-UBND ngày 10/02/2026")
    page.get_by_role("button", name="Ghi nhóm").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi 1 xã vào Nhóm 3 từ ngày 15/02/2026")
    expect(page.locator(".groups-table")).to_contain_text("QĐ 120/QĐ-UBND ngày 10/02/2026")

    page.goto(f"{live_server.url}/scorecard/23341/?month=2026-03")
    expect(page.locator(".commune-group")).to_have_text("Nhóm 3")

    income = page.locator(".result-table tr").filter(has_text="3.1 Thu nhập bình quân")
    expect(income.locator(".outcome")).to_contain_text("Đạt")  # 60 against group 3's 58

    # A new version of the set from 01/03/2026: group 3's income threshold raised to 65.
    page.goto(f"{live_server.url}/criteria/2026-2030/commune-standard/")
    page.get_by_label("Tạo phiên bản dự thảo để sửa, áp dụng từ ngày").fill("01/03/2026")
    page.get_by_role("button", name="Tạo bản dự thảo").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo bản dự thảo")
    row = (
        page.locator("tr.threshold-row")
        .filter(has=page.locator("select[name$='-indicator'] option[selected]", has_text="3.1."))
        .filter(has=page.locator("select[name$='-commune_group'] option[value='3'][selected]"))
    )
    row.locator("input[name$='-value']").fill("65")
    row.locator("input[name$='-verified']").check()
    page.get_by_role("button", name="Lưu bản dự thảo").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu bản dự thảo; bộ tiêu chí hợp lệ")
    page.get_by_role("button", name="Ban hành").click()
    expect(page.locator(".messages")).to_contain_text("Đã ban hành")

    page.goto(f"{live_server.url}/scorecard/23341/?month=2026-03")
    income = page.locator(".result-table tr").filter(has_text="3.1 Thu nhập bình quân")
    expect(income.locator(".outcome")).to_contain_text("Chưa đạt")
    expect(income).to_contain_text("65")
