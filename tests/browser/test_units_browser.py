"""What a person clicks through, in Debian's Chromium driven by Playwright against live_server."""

import re

import pytest
from playwright.sync_api import Page, expect

from communes.models import Role
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_logs_in_searches_dak_glei_and_reaches_the_district(live_server, page: Page):
    tree = kon_tum_tree()
    user = MembershipFactory(unit=tree.province, role=Role.OFFICE, user__username="vpdp").user

    page.goto(f"{live_server.url}/provinces/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tỉnh, thành phố")).to_be_visible()

    page.get_by_placeholder("Tìm tỉnh, huyện, xã…").fill("dak glei")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.locator(".result-count")).to_contain_text("dak glei")
    page.get_by_role("link", name="Huyện Đắk Glei").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Huyện Đắk Glei")
    expect(page.locator(".breadcrumbs")).to_contain_text("Tỉnh Kon Tum")
    expect(page.get_by_role("link", name="Xã Đắk Pék")).to_be_visible()
    page.get_by_role("link", name="Xã Đắk Pék").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Đắk Pék")
