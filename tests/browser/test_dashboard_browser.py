"""The coordination office's overview, followed down: the province dashboard it lands on after logging in, a
district's page from the districts table, then a commune's scorecard from the communes table."""

import datetime as dt

import pytest
from playwright.sync_api import Browser, expect

from communes.models import Level, Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from records.models import Recognition, Target, TargetKind
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAY = dt.date(2024, 5, 1)


def _approved(unit, raw, official, office):
    report = submit_report(report=save_values(unit=unit, period=MAY, raw=raw, by=official), by=official)
    approve_report(report=report, by=office)


def test_office_follows_the_dashboard_down_to_a_commune_scorecard(live_server, browser: Browser):
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    office = MembershipFactory(unit=tree.province, role=Role.OFFICE, user__username="vpdp").user
    _approved(tree.dak_pek, {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}, official, office)
    _approved(tree.dak_mon, {"income_per_capita": "40", "poverty_rate": "8", "plan_approved": True}, official, office)
    programme = Programme.objects.get(code="2021-2025")
    recompute_statuses(period=MAY, units=tracked_units(tree.province), programme=programme)
    Recognition.objects.create(
        unit=tree.dak_mon,
        tier="standard",
        programme=programme,
        decision_number="1234/QĐ-UBND",
        decision_date=dt.date(2023, 12, 20),
        issuer="UBND tỉnh Kon Tum",
    )
    Target.objects.create(
        unit=tree.province, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=2
    )

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("vpdp")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()

    # The office lands on its province's dashboard, at the latest month with results.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh Kon Tum")
    expect(page.locator(".month-nav")).to_contain_text("Tháng 05/2024")
    expect(page.locator(".tier-lines")).to_contain_text("1/3 xã được công nhận")
    expect(page.locator(".tier-lines")).to_contain_text("kế hoạch 2025: 2 xã, đạt 50% kế hoạch")
    expect(page.locator("table.watch-list")).to_contain_text("nguy cơ thu hồi")
    expect(page.locator("svg.chart").first).to_be_visible()

    page.locator("table.district-table").get_by_role("link", name="Huyện Đắk Glei").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huyện Đắk Glei")
    communes = page.locator("table.commune-table")
    expect(communes).to_contain_text("Xã Đắk Pék")
    expect(communes).to_contain_text("1234/QĐ-UBND")

    communes.get_by_role("link", name="Xã Đắk Môn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Đắk Môn")
    expect(page.locator(".at-risk-notice")).to_contain_text("Nguy cơ thu hồi")
    expect(page.locator(".next-step-table")).to_contain_text("Thu nhập bình quân đầu người")
    expect(page.locator(".month-nav")).to_contain_text("Tháng 05/2024")
