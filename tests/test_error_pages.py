"""The pages people meet when something is wrong (DEBUG off, as in production): 403, 404 and 500 in the portal's
layout and in Vietnamese, each with a way home; the JSON shape under /api/; and no telling a unit outside one's
scope from a missing one."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from communes.models import Role
from ntm_portal.urls import urlpatterns as portal_urls
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_error_pages")]


def _refused(request):
    raise PermissionDenied("Chỉ Văn phòng điều phối mới được làm việc này.")


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-errors/refused/", _refused),
    path("test-errors/broken/", _broken),
    path("api/v1/test-errors/broken/", _broken),
    *portal_urls,
]
handler403 = "django.views.defaults.permission_denied"
handler404 = "api.exceptions.not_found"
handler500 = "api.exceptions.server_error"


def _main(response) -> str:
    """The page's own content: what differs by request only in form tokens and the language switch's `next`."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'name="next" type="hidden" value="[^"]*"', "", html)


@override_settings(DEBUG=False)
def test_404_is_the_portals_page_in_vietnamese_with_a_link_home(district_client):
    response = district_client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "Không tìm thấy trang này" in html
    assert '<a class="button-link" href="/">Về trang chủ</a>' in html
    assert 'rel="icon"' in html


@override_settings(DEBUG=False)
def test_404_for_a_unit_outside_ones_scope_looks_like_a_missing_one(tree, district_client):
    kbang = tree.other_commune.parent  # Gia Lai's district: exists, not the official's
    outside = district_client.get(f"/districts/{kbang.code}/")
    missing = district_client.get("/districts/99999/")
    assert outside.status_code == missing.status_code == 404
    assert _main(outside) == _main(missing)
    assert kbang.name not in outside.content.decode()
    # The same through a unit_or_404 page (its exception says "not in your scope" for both, and is not shown).
    outside = district_client.get(f"/dashboard/district/{kbang.code}/")
    missing = district_client.get("/dashboard/district/99999/")
    assert outside.status_code == missing.status_code == 404
    assert _main(outside) == _main(missing)


@override_settings(DEBUG=False)
def test_404_under_the_api_keeps_its_json_shape(district_client):
    response = district_client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "Không tìm thấy, hoặc không thuộc phạm vi của bạn.",
    }


@override_settings(DEBUG=False)
def test_403_is_the_portals_page_with_the_reason_and_a_link_home(district_client):
    response = district_client.get("/test-errors/refused/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Bạn không có quyền thực hiện việc này" in html
    assert "Chỉ Văn phòng điều phối mới được làm việc này." in html
    assert 'href="/">Về trang chủ</a>' in html


@override_settings(DEBUG=False)
def test_403_of_a_real_page_the_role_may_not_use(tree, client_for):
    viewer = MembershipFactory(unit=tree.dak_glei, role=Role.VIEWER).user
    response = client_for(viewer).post(f"/monthly/district/{tree.dak_glei.code}/2024-05/submit-all/")
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện việc này" in response.content.decode()


@override_settings(DEBUG=False)
def test_500_renders_without_touching_the_database(tree, district_user, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    client.force_login(district_user)
    # The session and its user (for the login check); the 500 page itself reads nothing.
    with django_assert_num_queries(2):
        response = client.get("/test-errors/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống gặp lỗi" in html
    assert '<a class="button-link" href="/">Về trang chủ</a>' in html
    assert 'href="/static/css/portal.css"' in html
    # The id the user can quote, the same as in the response header and the log line.
    request_id = response["X-Request-ID"]
    assert f"Mã yêu cầu (báo cho quản trị nếu lỗi lặp lại): {request_id}" in html


@override_settings(DEBUG=False)
def test_a_server_error_is_logged_with_the_request_id(district_user, caplog):
    client = Client(raise_request_exception=False, headers={"X-Request-ID": "nginx-0123456789abcdef"})
    client.force_login(district_user)
    response = client.get("/test-errors/broken/")
    assert response["X-Request-ID"] == "nginx-0123456789abcdef"
    assert "Server error on GET /test-errors/broken/, request id nginx-0123456789abcdef" in caplog.text
    # An id that does not look like one is replaced, never echoed.
    response = client.get("/test-errors/broken/", headers={"X-Request-ID": "<script>"})
    assert len(response["X-Request-ID"]) == 32


@override_settings(DEBUG=False)
def test_500_under_the_api_answers_json(district_user):
    client = Client(raise_request_exception=False)
    client.force_login(district_user)
    response = client.get("/api/v1/test-errors/broken/")
    assert response.status_code == 500
    assert response.json()["code"] == "error"
    assert response.json()["request_id"] == response["X-Request-ID"]


@override_settings(DEBUG=False, LANGUAGE_CODE="vi")
def test_error_pages_follow_the_chosen_language(district_client):
    district_client.cookies["django_language"] = "en"
    response = district_client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Back to the home page" in response.content.decode()
