"""The national coordination office in a browser: it logs in, lands on the country's dashboard at the latest month
with results, reads the provinces table, and follows a province's name to that province's dashboard."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect

from communes.models import Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from records.models import Recognition
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAY = dt.date(2024, 5, 1)


def test_the_national_office_lands_on_the_country_and_opens_a_province(live_server, browser: Browser):
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    office = MembershipFactory(unit=tree.province, role=Role.OFFICE).user
    MembershipFactory(unit=None, role=Role.NATIONAL, user__username="vpdp.trunguong")
    good = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}
    report = submit_report(report=save_values(unit=tree.dak_pek, period=MAY, raw=good, by=official), by=official)
    approve_report(report=report, by=office)
    programme = Programme.objects.get(code="2021-2025")
    recompute_statuses(period=MAY, units=tracked_units(), programme=programme)
    Recognition.objects.create(
        unit=tree.dak_mon,
        tier="standard",
        programme=programme,
        decision_number="1234/QĐ-UBND",
        decision_date=dt.date(2023, 12, 20),
        issuer="UBND tỉnh Kon Tum",
    )

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("vpdp.trunguong")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()

    # Home sends the national office to the country's dashboard, at the latest month with results.
    expect(page).to_have_url(re.compile(r"/dashboard/country/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng quan nông thôn mới cả nước")
    expect(page.locator(".month-nav")).to_contain_text("Tháng 05/2024")
    expect(page.get_by_role("heading", name="2 tỉnh, thành phố")).to_be_visible()
    table = page.locator("table.country-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td.unit-name")).to_have_text("Tỉnh Gia Lai")
    kon_tum = rows.nth(1)
    expect(kon_tum.locator("td.unit-name")).to_have_text("Tỉnh Kon Tum")
    # Three rural communes judged, one with a result; Đắk Môn recognised (1 of 3), Đắk Pék standard by its figures.
    expect(kon_tum.locator("td.num")).to_have_text(["3", "1", "1 (33,3%)", "1 (100,0%)"])
    expect(table.locator("tfoot")).to_contain_text("Cả nước")

    kon_tum.get_by_role("link", name="Tỉnh Kon Tum").click()
    expect(page).to_have_url(re.compile(r"/dashboard/62/\?month=2024-05$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh Kon Tum")
    expect(page.locator(".month-nav")).to_contain_text("Tháng 05/2024")
    expect(page.locator(".tier-lines")).to_contain_text("1/3 xã được công nhận")
    expect(page.locator("table.district-table")).to_contain_text("Huyện Đắk Glei")
