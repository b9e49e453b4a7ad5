"""The portal's frame in a browser: on a phone (390 px) the entry form, the review desk, the dashboards and the
scorecard fit the screen (wide tables scroll in their own box); no page asks anything of another host; "Gửi tất
cả" asks before sending; the error pages and the favicon."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from communes.models import Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAY = dt.date(2024, 5, 1)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _portal():
    """Kon Tum with May 2024's results (one commune approved, one submitted, one draft), an office and an official."""
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT, user__username="huyen").user
    office = MembershipFactory(unit=tree.province, role=Role.OFFICE, user__username="vpdp").user
    raw = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}
    approve_report(
        report=submit_report(report=save_values(unit=tree.dak_pek, period=MAY, raw=raw, by=official), by=official),
        by=office,
    )
    submit_report(report=save_values(unit=tree.dak_mon, period=MAY, raw=raw, by=official), by=official)
    save_values(unit=tree.dak_glei_town, period=MAY, raw={"poverty_rate": "6"}, by=official)
    programme = Programme.objects.get(code="2021-2025")
    recompute_statuses(period=MAY, units=tracked_units(tree.province), programme=programme)
    return tree


def _log_in(browser: Browser, base_url: str, username: str, viewport: dict) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(f"{base_url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    return page


# For the failure message: the first elements that reach past the screen's right edge, outside scrolling boxes.
WIDE_ELEMENTS = """
[...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((e) => !e.parentElement.closest("table.data, .table-scroll"))
  .slice(0, 8)
  .map((e) => `${e.tagName}.${e.className} in ${e.parentElement.tagName}.${e.parentElement.className}`)
"""


def _overflow(page: Page) -> int:
    """How far the page scrolls sideways (0 when it fits the viewport)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("huyen", "/monthly/23338/2024-05/"),  # the entry form (a draft)
        ("huyen", "/monthly/district/610/2024-05/"),  # the district's month
        ("vpdp", "/monthly/review/2024-05/"),
        ("vpdp", "/dashboard/62/?month=2024-05"),
        ("vpdp", "/dashboard/district/610/?month=2024-05"),
        ("vpdp", "/scorecard/23353/?month=2024-05"),
    ],
)
def test_pages_fit_a_phone_without_scrolling_sideways(live_server, browser: Browser, username, path):
    _portal()
    page = _log_in(browser, live_server.url, username, PHONE)
    response = page.goto(live_server.url + path)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    wide = page.evaluate(WIDE_ELEMENTS)
    assert _overflow(page) <= 0, f"{path} is {_overflow(page)} px wider than the phone: {wide}"
    # The header folds: its search box stays within the screen.
    box = page.locator(".search-form").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]


def test_no_page_requests_another_host(live_server, browser: Browser):
    _portal()
    page = _log_in(browser, live_server.url, "vpdp", DESKTOP)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    own = urlsplit(live_server.url).netloc
    pages = [
        "/",
        "/dashboard/62/?month=2024-05",
        "/dashboard/district/610/?month=2024-05",
        "/scorecard/23353/?month=2024-05",
        "/monthly/23338/2024-05/",
        "/monthly/review/2024-05/",
        "/monthly/district/610/2024-05/",
        "/criteria/",
        "/what-if/",
        "/records/recognitions/",
        "/records/targets/",
        "/records/plans/",
        "/districts/610/",
        "/khong-co-trang-nay/",
        "/api/v1/docs/",
    ]
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    expect(page.locator(".swagger-ui .title")).to_contain_text("NTM portal API")  # Swagger UI drew the schema
    visited_hosts = {urlsplit(url).netloc for url in requested if urlsplit(url).scheme in ("http", "https")}
    assert visited_hosts == {own}, sorted(url for url in requested if urlsplit(url).netloc != own)
    assert any(url.endswith("/static/img/favicon.svg") for url in requested)


def test_send_all_asks_with_the_count_before_sending(live_server, browser: Browser):
    _portal()
    page = _log_in(browser, live_server.url, "huyen", DESKTOP)
    page.goto(live_server.url + "/monthly/district/610/2024-05/")
    asked: list[str] = []

    def refuse(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.get_by_role("button", name="Gửi tất cả").click()
    assert len(asked) == 1
    assert asked[0].startswith("Gửi 1 báo cáo (bản nháp hoặc bị trả lại) tháng 05/2024")
    expect(page.locator(".status-counts")).to_contain_text("Bản nháp: 1")  # nothing was sent

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Gửi tất cả").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator(".status-counts")).to_contain_text("Bản nháp: 0")
    expect(page.get_by_role("button", name="Gửi tất cả")).to_be_disabled()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_district_and_commune_tables_fit_a_1366_px_screen_in_both_languages(
    live_server, browser: Browser, language
):
    _portal()
    page = _log_in(browser, live_server.url, "vpdp", {"width": 1366, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    for path, table in [
        ("/dashboard/62/?month=2024-05", ".district-table"),
        ("/dashboard/district/610/?month=2024-05", ".commune-table"),
    ]:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.lang") == language
        box = page.locator(table).evaluate("t => [t.scrollWidth, t.closest('.table-scroll').clientWidth]")
        assert box[0] <= box[1], f"{path} in {language}: the table is {box[0]} px in a {box[1]} px box"
        assert _overflow(page) <= 0
