"""One's own password in a browser: a district official opens the change page from the header, sets a new password
and logs in with it; five wrong passwords in a row show the lockout page."""

import pytest
from playwright.sync_api import Browser, Page, expect

from communes.models import Role
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD = "matkhau-thu-nghiem"
NEW = "Lua-Nuoc-2025-moi"


def _log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_official_changes_their_password_from_the_header(live_server, browser: Browser):
    MembershipFactory(unit=kon_tum_tree().dak_glei, role=Role.DISTRICT, user__username="huyen")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _log_in(page, live_server.url, "huyen", OLD)

    page.locator(".user-box").get_by_role("link", name="Đổi mật khẩu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đổi mật khẩu")
    expect(page.locator("#new_password_rules")).to_contain_text("ít nhất 8 ký tự")
    page.get_by_label("Mật khẩu hiện tại").fill(OLD)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã đổi mật khẩu")

    page.get_by_role("button", name="Đăng xuất").click()
    _log_in(page, live_server.url, "huyen", OLD)
    expect(page.locator(".login-card .message.error")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    _log_in(page, live_server.url, "huyen", NEW)
    expect(page.locator(".user-box")).to_contain_text("Cán bộ huyện")


def test_five_wrong_passwords_show_the_lockout_page(live_server, browser: Browser):
    MembershipFactory(unit=kon_tum_tree().dak_glei, role=Role.DISTRICT, user__username="huyen")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    for _attempt in range(4):
        _log_in(page, live_server.url, "huyen", "sai-mat-khau")
        expect(page.locator(".login-card .message.error")).to_be_visible()
    _log_in(page, live_server.url, "huyen", "sai-mat-khau")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm khóa đăng nhập")
    expect(page.locator(".error-page")).to_contain_text("Vui lòng đợi 15 phút rồi thử lại.")
    page.get_by_role("link", name="Về trang đăng nhập").click()
    _log_in(page, live_server.url, "huyen", OLD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm khóa đăng nhập")
