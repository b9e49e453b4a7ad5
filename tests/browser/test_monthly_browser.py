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


def _type_into(download, folder, commune: str, measure: str, value) -> str:
    """What the official does in Excel: type a figure into the downloaded template and save it."""
    from openpyxl import load_workbook

    path = folder / download.suggested_filename
    download.save_as(path)
    workbook = load_workbook(path)
    sheet = workbook["Số liệu"]
    column = next(c.column for c in sheet[1] if c.value == measure)
    row = next(r for r in range(4, sheet.max_row + 1) if str(sheet.cell(r, 1).value) == commune)
    sheet.cell(row, column, value)
    filled = str(path)
    workbook.save(filled)
    return filled


def test_a_workbook_older_than_a_colleagues_save_is_refused_then_a_fresh_one_goes_up(
    live_server, browser: Browser, tmp_path
):
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT, user__username="huyen")
    MembershipFactory(
        unit=tree.dak_glei, role=Role.DISTRICT, user__username="dongnghiep", user__first_name="Trần Văn Hùng"
    )
    district_month = live_server.url + "/monthly/district/610/2025-05/"

    # 9:00: the official downloads the district's template.
    official = _log_in(browser, live_server.url, "huyen")
    official.goto(district_month)
    with official.expect_download() as download:
        official.get_by_role("link", name="Tải mẫu Excel").click()
    morning = download.value

    # 10:00: a colleague types Đắk Pék's income in the browser.
    colleague = _log_in(browser, live_server.url, "dongnghiep")
    colleague.goto(live_server.url + REPORT)
    colleague.get_by_label("Thu nhập bình quân đầu người", exact=True).fill("61")
    colleague.get_by_role("button", name="Lưu bản nháp").click()
    expect(colleague.locator(".messages")).to_contain_text("Đã lưu bản nháp")

    # 11:00: the morning's file, with Đắk Môn filled in, is refused whole, naming Đắk Pék and the colleague.
    official.set_input_files("#upload-file", _type_into(morning, tmp_path, "23341", "income_per_capita", 48))
    official.get_by_role("button", name="Tải lên").click()
    expect(official.get_by_role("heading", level=1)).to_have_text("Tệp Excel chưa được nhận")
    expect(official.locator(".message.error")).to_contain_text("Cả tệp không được lưu")
    expect(official.locator(".upload-errors")).to_contain_text("Xã Đắk Pék: Trần Văn Hùng cập nhật lúc")

    # A fresh template carries the colleague's 61; filled and uploaded from the district's page, it is saved.
    with official.expect_download() as download:
        official.get_by_role("link", name="Tải tệp mẫu mới").click()
    official.get_by_role("link", name="← Quay lại trang số liệu tháng của Huyện Đắk Glei").click()
    official.set_input_files("#upload-file", _type_into(download.value, tmp_path, "23341", "income_per_capita", 48))
    official.get_by_role("button", name="Tải lên").click()
    expect(official.locator(".messages")).to_contain_text("Đã lưu số liệu tháng 05/2025 từ tệp Excel cho 1 xã")
    official.goto(live_server.url + REPORT)
    expect(official.get_by_label("Thu nhập bình quân đầu người", exact=True)).to_have_value("61")
