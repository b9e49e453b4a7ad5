"""The 2025 reform as an office meets it: the merged Quảng Ngãi's office opens Xã Đăk Pék, follows "Hình thành từ"
to the Xã Đắk Pék of Kon Tum (until 30/06/2025), and comes back through "Đã sáp nhập vào"."""

import re

import pytest
from playwright.sync_api import Page, expect

from communes.models import Role
from tests.factories import MembershipFactory, kon_tum_tree, reform_kon_tum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_new_provinces_office_follows_the_lineage_both_ways(live_server, page: Page):
    quang_ngai = reform_kon_tum(kon_tum_tree()).quang_ngai
    MembershipFactory(unit=quang_ngai, role=Role.OFFICE, user__username="vpdp.quangngai")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("vpdp.quangngai")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"{live_server.url}/provinces/")
    expect(page.locator(".period-switch")).to_contain_text("Danh mục từ ngày 01/07/2025")
    page.get_by_role("link", name="Tỉnh Quảng Ngãi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh Quảng Ngãi")
    expect(page.locator(".lineage")).to_contain_text("Tỉnh Kon Tum")
    page.get_by_role("link", name="Xã Đăk Pék").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Đăk Pék")
    expect(page.locator(".facts")).to_contain_text("từ 01/07/2025")

    # Formed from the Đắk Pék of Kon Tum: the link opens that unit, on its last day.
    lineage = page.locator(".lineage")
    expect(lineage.get_by_role("heading", name="Hình thành từ")).to_be_visible()
    lineage.get_by_role("link", name="Xã Đắk Pék").click()
    expect(page).to_have_url(re.compile(r"/communes/23353/\?on=2025-06-30$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Đắk Pék")
    expect(page.locator(".facts")).to_contain_text("đến 30/06/2025")
    expect(page.locator(".breadcrumbs")).to_contain_text("Huyện Đắk Glei")

    # And back: merged into Xã Đăk Pék.
    expect(page.locator(".lineage").get_by_role("heading", name="Đã sáp nhập vào")).to_be_visible()
    page.locator(".lineage").get_by_role("link", name="Xã Đăk Pék").click()
    expect(page).to_have_url(re.compile(r"/communes/23341/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Đăk Pék")


def test_a_commune_official_enters_and_sends_the_communes_report(live_server, page: Page):
    from criteria.yaml_io import import_criteria_text
    from tests.criteria.samples import STANDARD

    import_criteria_text(STANDARD)
    dak_pek = reform_kon_tum(kon_tum_tree()).dak_pek
    MembershipFactory(unit=dak_pek, role=Role.COMMUNE, user__username="xa.dakpek")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("xa.dakpek")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Báo cáo tháng").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Đăk Pék")

    # August 2025: the commune's first month of its own, still judged by the 2021-2025 criteria.
    page.goto(f"{live_server.url}/monthly/23341/2025-08/")
    page.get_by_label("Thu nhập bình quân đầu người", exact=True).fill("52")
    page.get_by_label("Tỷ lệ hộ nghèo đa chiều").fill("4,5")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu bản nháp")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo Xã Đăk Pék tháng 08/2025")
    expect(page.locator(".report-flags")).to_contain_text("Đã gửi")
