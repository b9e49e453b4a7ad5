"""The coordination office in a browser: the province dashboard's map of communes, switched to criteria met; a
click on a commune opens its scorecard, where the indicator it still misses carries its forecast month; the
dashboard's forecast section fills in after the page with the year's target."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect

from communes.models import AdministrativeUnit, Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from records.models import Target, TargetKind
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAY = dt.date(2024, 5, 1)
POSITIONS = {"23353": (15.08, 107.73), "23341": (15.02, 107.80), "23380": (14.72, 107.69)}


def _history(tree) -> None:
    official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    office = tree.office
    programme = Programme.objects.get(code="2021-2025")
    # Đắk Pék's income rises by one million a month toward Kon Tum's 54 (2024): 51 in May, so 54 in August.
    for month, income in ((2, "48"), (3, "49"), (4, "50"), (5, "51")):
        period = dt.date(2024, month, 1)
        for unit, raw in (
            (tree.dak_pek, {"income_per_capita": income, "poverty_rate": "4", "plan_approved": True}),
            (tree.dak_mon, {"income_per_capita": "60", "poverty_rate": "3", "plan_approved": True}),
        ):
            report = submit_report(report=save_values(unit=unit, period=period, raw=raw, by=official), by=official)
            approve_report(report=report, by=office)
        recompute_statuses(period=period, units=tracked_units(), programme=programme)


def test_the_office_reads_the_map_and_the_forecast(live_server, browser: Browser):
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    tree.office = MembershipFactory(unit=tree.province, role=Role.OFFICE, user__username="vpdp.bando").user
    for code, (lat, lon) in POSITIONS.items():
        AdministrativeUnit.objects.filter(code=code).update(latitude=lat, longitude=lon)
    Target.objects.create(unit=tree.province, year=2024, kind=TargetKind.UNITS_AT_TIER, tier="standard", value=2)
    _history(tree)

    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("vpdp.bando")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/dashboard/62/?month=2024-05")

    # The forecast section arrives after the page: the 2024 plan of two communes, one reached, one on its way.
    section = page.locator(".forecast-section")
    expect(section.locator("[data-forecast]")).to_be_visible()
    expect(section.locator('tr[data-target="2024-standard"]')).to_contain_text("dự báo: 2 / 2 xã (kế hoạch 2024)")
    expect(section).to_contain_text("đây không phải kết quả đánh giá")

    # The map by tier: Đắk Môn reaches the standard, Đắk Pék does not yet.
    figure = page.locator("section.commune-map")
    expect(figure.locator("svg.map-tier")).to_be_visible()
    expect(figure.locator('a.map-mark[data-tier="standard"]')).to_have_count(1)
    expect(figure.locator('a.map-mark[data-tier="none"]')).to_have_count(1)

    page.get_by_role("link", name="Số tiêu chí đạt").click()
    expect(page).to_have_url(re.compile(r"map=criteria"))
    criteria_map = page.locator("section.commune-map svg.map-criteria")
    expect(criteria_map).to_be_visible()
    pek = criteria_map.locator("a.map-mark", has=page.locator("title", has_text="Xã Đắk Pék"))
    expect(pek).to_have_attribute("data-met", "2")
    pek.click()

    expect(page).to_have_url(re.compile(r"/scorecard/23353/\?month=2024-05$"))
    step = page.locator("#muc-tiep-theo").locator("xpath=..")
    expect(step).to_contain_text("Với nhịp độ hiện nay, xã đạt mức Đạt chuẩn NTM vào tháng 08/2024")
    row = step.locator("table.next-step-table tbody tr", has_text="Thu nhập")
    expect(row.locator("td.forecast")).to_have_text("với nhịp độ này: đạt vào 08/2024")
