"""An agency's developer, logged in to the portal, reads the API's documentation (served by the portal itself,
offline) and tries a call from it: the units of their scope come back."""

import pytest
from playwright.sync_api import Browser, expect

from communes.models import AdministrativeUnit, Role
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_developer_tries_the_units_endpoint_from_swagger_ui(live_server, browser: Browser):
    kon_tum_tree()
    MembershipFactory(
        unit=AdministrativeUnit.objects.get(code="610"),
        role=Role.DISTRICT,
        user__username="huyen",
    )
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("huyen")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="API cho hệ thống khác").click()
    expect(page.locator(".swagger-ui .title")).to_contain_text("NTM portal API")
    operation = page.locator("#operations-units-units_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='q']").fill("dak pek")
    operation.get_by_role("button", name="Execute").click()
    response = operation.locator(".live-responses-table .response").first
    expect(response.locator(".response-col_status")).to_contain_text("200")
    expect(response.locator(".response-col_description")).to_contain_text("Xã Đắk Pék")
    expect(response.locator(".response-col_description")).not_to_contain_text("Xã Đông")
    # Swagger UI, its scripts and the schema all came from the portal: nothing from a CDN.
    outside = [url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))]
    assert outside == []
