"""An office official reads the criteria, then tries a commune's income against them."""

import re

import pytest
from playwright.sync_api import Page, expect

from communes.models import Role
from criteria.yaml_io import import_criteria_text
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_reads_the_income_criterion_then_tries_a_value(live_server, page: Page):
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    user = MembershipFactory(unit=tree.province, role=Role.OFFICE, user__username="vpdp").user

    page.goto(f"{live_server.url}/criteria/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Bộ tiêu chí").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bộ tiêu chí nông thôn mới")
    page.get_by_role("link", name="Bộ tiêu chí xã NTM (thử nghiệm)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bộ tiêu chí xã NTM (thử nghiệm)")
    expect(page.locator("#tc-10")).to_contain_text("then chốt")

    page.get_by_role("link", name="Tiêu chí 10. Thu nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tiêu chí 10. Thu nhập")
    expect(page.locator(".breadcrumbs")).to_contain_text("Bộ tiêu chí xã NTM (thử nghiệm)")
    table = page.locator("table.region-table")
    expect(table.get_by_role("columnheader", name="Tây Nguyên")).to_be_visible()
    expect(table).to_contain_text("≥ 54")
    expect(table.locator(".badge.unverified").first).to_have_attribute("title", re.compile("Nguồn:"))
    expect(page.locator("ol.footnotes")).to_contain_text("minh họa TN 2024")

    page.locator(".breadcrumbs").get_by_role("link", name="Bộ tiêu chí xã NTM (thử nghiệm)").click()
    page.get_by_role("link", name=re.compile("Thử đánh giá một xã")).click()
    page.get_by_label("Vùng").select_option("TN")
    page.get_by_label("Năm đánh giá").fill("2024")
    page.get_by_label("Thu nhập bình quân đầu người").fill("52")
    page.get_by_role("button", name="Đánh giá").click()

    result = page.locator("#ket-qua")
    expect(result).to_contain_text("Chưa đạt chuẩn")
    row = result.locator("tr", has_text="10.1 Thu nhập bình quân đầu người")
    expect(row).to_contain_text("✗ Chưa đạt")
    expect(row).to_contain_text("vùng Tây Nguyên, năm 2024")
    expect(row.locator("td").last).to_have_text("2 triệu đồng/người/năm")
