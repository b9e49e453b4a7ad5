"""A month's report from both sides: the district enters and sends, the office returns it with a reason, the
district corrects and resends, the office approves, and the district's form is locked."""

import pytest
from playwright.sync_api import Browser, Page, expect

from communes.models import Role
from criteria.yaml_io import import_criteria_text
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A month of the sample programme (2021-2025). The clock is not frozen: the browser would drop session cookies
# that expired by its own clock.
REPORT = "/monthly/23353/2025-05/"  # Xã Đắk Pék, Huyện Đắk Glei


def _log_in(browser: Browser, base_url: str, username: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base_url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    return page


def test_district_sends_office_returns_district_corrects_office_approves(live_server, browser: Browser):
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT, user__username="huyen")
    MembershipFactory(unit=tree.province, role=Role.OFFICE, user__username="vpdp")

    # The district official finds the commune from the month's district page and fills the form.
    official = _log_in(browser, live_server.url, "huyen")
    official.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Báo cáo tháng").click()
    expect(official.get_by_role("heading", level=1)).to_contain_text("Huyện Đắk Glei")
    official.goto(live_server.url + "/monthly/district/610/2025-05/")
    official.get_by_role("link", name="Xã Đắk Pék").click()
    expect(official.get_by_role("heading", level=1)).to_contain_text("Xã Đắk Pék")
    official.get_by_label("Thu nhập bình quân đầu người", exact=True).fill("52")
    official.get_by_label("Tỷ lệ hộ nghèo đa chiều").fill("7,5")
    official.get_by_label("Có quy hoạch chung được duyệt").select_option(label="Có")
    official.get_by_role("button", name="Lưu bản nháp").click()
    expect(official.locator(".messages")).to_contain_text("Đã lưu bản nháp")
    official.get_by_role("button", name="Gửi báo cáo").click()
    expect(official.locator(".messages")).to_contain_text("Đã gửi báo cáo Xã Đắk Pék tháng 05/2025")
    expect(official.locator(".report-flags")).to_contain_text("Đã gửi")

    # The office returns it with a reason.
    office = _log_in(browser, live_server.url, "vpdp")
    office.goto(live_server.url + REPORT)
    office.get_by_label("Lý do trả lại (bắt buộc)").fill("Tỷ lệ hộ nghèo chưa khớp số liệu rà soát cuối năm.")
    office.get_by_role("button", name="Trả lại").click()
    expect(office.locator(".messages")).to_contain_text("Đã trả lại báo cáo")

    # The official sees why, corrects and resends.
    official.reload()
    expect(official.locator(".notice.returned")).to_contain_text("Tỷ lệ hộ nghèo chưa khớp số liệu rà soát cuối năm.")
    official.get_by_label("Tỷ lệ hộ nghèo đa chiều").fill("5,2")
    official.get_by_role("button", name="Lưu bản nháp").click()
    expect(official.locator(".messages")).to_contain_text("Đã lưu bản nháp")
    official.get_by_role("button", name="Gửi báo cáo").click()
    expect(official.locator(".report-flags")).to_contain_text("Đã gửi")

    # The office approves.
    office.reload()
    office.get_by_role("button", name="Duyệt", exact=True).click()
    expect(office.locator(".messages")).to_contain_text("Đã duyệt báo cáo")

    # The official's form is now locked: figures shown, no inputs, the reason given.
    official.reload()
    expect(official.locator(".report-flags")).to_contain_text("Đã duyệt")
    expect(official.locator("input[name^='m_'], select[name^='m_']")).to_have_count(0)
    expect(official.get_by_role("button", name="Lưu bản nháp")).to_have_count(0)
    expect(official.locator(".notice.locked")).to_contain_text("nên đã khóa")
    expect(official.locator("table.entry-table")).to_contain_text("5,2")
    expect(official.locator("table.changes")).to_contain_text("7.5")
