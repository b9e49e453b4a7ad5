"""No page breaks the Content-Security-Policy (issue 16): the browser reports no refused script, style, image or
font on the main pages, Swagger UI included, and Swagger UI actually draws the API."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from communes.models import Role
from tests.factories import MembershipFactory, kon_tum_tree, reform_kon_tum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_main_pages_raise_no_policy_violation(live_server, page: Page):
    from criteria.yaml_io import import_criteria_text

    for name in ("2021-2025/commune-standard.yaml", "2026-2030/commune-standard.yaml"):
        import_criteria_text((settings.BASE_DIR / "fixtures" / "criteria" / name).read_bytes())
    reform = reform_kon_tum(kon_tum_tree())
    MembershipFactory(unit=reform.quang_ngai, role=Role.OFFICE, user__username="vpdp.quangngai")
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("vpdp.quangngai")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    for path in (
        "/dashboard/51/?month=2026-03",
        "/scorecard/23341/?month=2026-03",
        "/monthly/23341/2026-03/",
        "/monthly/review/2026-03/",
        "/groups/51/",
        "/criteria/2026-2030/commune-standard/",
        "/provinces/",
    ):
        page.goto(live_server.url + path)
        expect(page.locator("h1").first).to_be_visible()
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible(timeout=15000)
    assert violations == []
