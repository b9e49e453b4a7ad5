"""How a system proves who it is to /api/v1/, and what every answer shares: tokens (hashed, read-only or read-write,
expiring, revocable, acting within their user's scope), the one error shape in Vietnamese, pages, the throttle,
the schema and its offline viewers."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.throttling import TokenRateThrottle
from communes.models import Role
from tests.factories import MembershipFactory, UserFactory

ROOT = "/api/v1/"


def _token(user, **fields) -> tuple[ApiToken, str]:
    token = ApiToken(user=user, name="Hệ thống Sở", **fields)
    key = token.issue_key()
    token.save()
    return token, key


def _client(key: str | None = None, keyword: str = "Token") -> APIClient:
    client = APIClient()
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


@pytest.fixture
def official(tree):
    return MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user


# ---------------------------------------------------------------- tokens


def test_only_the_hash_of_a_key_is_stored(db):
    token, key = _token(UserFactory())
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in (stored.key_hash, stored.prefix)
    assert stored.key_hash == ApiToken.hash(key)
    assert key.startswith(stored.prefix)
    assert len(key) >= 40


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "token"])
def test_a_valid_token_authenticates_as_its_user(official, keyword):
    _token_row, key = _token(official)
    response = _client(key, keyword).get(ROOT)
    assert response.status_code == 200


def test_a_request_without_credentials_is_told_how_to_authenticate(db):
    response = _client().get(ROOT)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json() == {
        "status": 401,
        "code": "not_authenticated",
        "detail": "Cần đăng nhập hoặc gửi khóa truy cập (Authorization: Token <khóa>).",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"revoked_at": timezone.now()}, "Khóa truy cập đã bị thu hồi."),
        ({"expires_at": timezone.now() - dt.timedelta(minutes=1)}, "Khóa truy cập đã hết hạn."),
    ],
)
def test_revoked_and_expired_tokens_are_refused(official, change, message):
    token, key = _token(official)
    ApiToken.objects.filter(pk=token.pk).update(**change)
    response = _client(key).get(ROOT)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response.json()["detail"] == message


def test_a_token_expiring_later_still_works(official):
    _token_row, key = _token(official, expires_at=timezone.now() + dt.timedelta(days=1))
    assert _client(key).get(ROOT).status_code == 200


def test_a_token_of_a_deactivated_account_is_refused(official):
    _token_row, key = _token(official)
    official.is_active = False
    official.save()
    response = _client(key).get(ROOT)
    assert response.status_code == 401
    assert response.json()["detail"] == "Tài khoản của khóa truy cập đã bị khóa."


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Token", "Tiêu đề Authorization phải có dạng “Token <khóa>”, khóa không chứa dấu cách."),
        ("Token a b", "Tiêu đề Authorization phải có dạng “Token <khóa>”, khóa không chứa dấu cách."),
        ("Token khong-phai-khoa", "Khóa truy cập không hợp lệ."),
    ],
)
def test_malformed_and_unknown_keys_are_refused(db, header, message):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(ROOT)
    assert response.status_code == 401
    assert response.json()["detail"] == message


def test_last_use_is_recorded_at_most_every_few_minutes(official):
    token, key = _token(official)
    _client(key).get(ROOT)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    _client(key).get(ROOT)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first


def test_a_read_only_token_may_not_write(official, tree):
    _token_row, key = _token(official, can_write=False)
    response = _client(key).post(
        "/api/v1/reports/", {"unit": tree.dak_pek.code, "month": "2024-05", "values": {}}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "code": "permission_denied",
        "detail": "Khóa truy cập này chỉ được đọc: dùng khóa được ghi để gửi hoặc sửa số liệu.",
    }


def test_a_token_sees_only_its_users_scope(official, tree):
    _token_row, key = _token(official)
    client = _client(key)
    assert client.get(f"/api/v1/units/{tree.dak_pek.code}/").status_code == 200
    assert client.get(f"/api/v1/units/{tree.other_province.code}/").status_code == 404
    codes = {row["code"] for row in client.get("/api/v1/units/", {"page_size": 1000}).json()["results"]}
    assert tree.dak_pek.code in codes
    assert tree.other_province.code not in codes
    assert tree.ngoc_hoi.code not in codes


# ---------------------------------------------------------------- what every answer shares


def test_not_found_answers_in_the_shared_shape(official):
    _token_row, key = _token(official)
    response = _client(key).get("/api/v1/units/khong-co/")
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == 404
    assert body["code"] == "not_found"
    assert body["detail"]


def test_a_method_the_endpoint_lacks_is_405_in_the_shared_shape(official):
    _token_row, key = _token(official)
    response = _client(key).delete("/api/v1/units/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response.json()["detail"] == "Phương thức này không được hỗ trợ ở địa chỉ này."


def test_a_body_that_is_not_json_is_400_in_the_shared_shape(official):
    _token_row, key = _token(official, can_write=True)
    response = _client(key).post("/api/v1/reports/", "{không phải json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["detail"] == "Dữ liệu gửi lên không đọc được: JSON không hợp lệ."


def test_pages_hold_up_to_a_thousand_rows(official, tree):
    _token_row, key = _token(official)
    client = _client(key)
    body = client.get("/api/v1/units/", {"page_size": 2}).json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert len(body["results"]) == 2
    assert body["count"] > 2
    assert "page=2" in body["next"]
    # Asking for more than the ceiling gets the ceiling, not an error.
    assert client.get("/api/v1/units/", {"page_size": 5000}).status_code == 200


def test_a_page_past_the_end_is_404(official):
    _token_row, key = _token(official)
    response = _client(key).get("/api/v1/units/", {"page": 999})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_each_token_has_its_own_allowance(official, monkeypatch):
    # The rates are read into the class when DRF loads; patch them there for this test only.
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    try:
        _first, key = _token(official)
        _second, other = _token(official)
        client = _client(key)
        assert [client.get(ROOT).status_code for _i in range(3)] == [200, 200, 200]
        response = client.get(ROOT)
        assert response.status_code == 429
        assert response.json()["code"] == "throttled"
        assert response.json()["detail"].startswith("Quá nhiều yêu cầu: vui lòng thử lại sau")
        assert _client(other).get(ROOT).status_code == 200
    finally:
        cache.clear()


# ---------------------------------------------------------------- the schema and its viewers


def test_the_schema_and_its_viewer_need_a_login_unless_opened(client, settings, district_user):
    assert client.get(reverse("api:schema"), {"format": "json"}).status_code == 401
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 302
    assert docs["Location"].startswith("/login/")
    settings.API_SCHEMA_PUBLIC = True
    assert client.get(reverse("api:schema"), {"format": "json"}).status_code == 200
    assert client.get(reverse("api:docs")).status_code == 200


def test_a_token_opens_the_schema(district_user):
    _token_, key = _token(district_user)
    assert _client(key).get(reverse("api:schema"), {"format": "json"}).status_code == 200


def test_the_schema_is_openapi_3_and_names_the_token_scheme(client, district_user):
    client.force_login(district_user)
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    for path in ("/api/v1/units/", "/api/v1/statuses/", "/api/v1/reports/", "/api/v1/evaluate/"):
        assert path in schema["paths"]


def test_the_viewer_is_served_from_the_portal_itself(client, district_user):
    client.force_login(district_user)
    # Swagger UI only: Redoc was removed, its menu always loads a logo from cdn.redoc.ly (issue 12, item 10).
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower()
    assert client.get("/api/v1/redoc/").status_code == 404


def test_the_schema_validates(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


# ---------------------------------------------------------------- the admin


def test_the_admin_shows_a_new_key_once_and_keeps_its_hash(admin_client, official):
    response = admin_client.post(
        reverse("admin:api_apitoken_add"),
        {"user": official.pk, "name": "CSDL Sở Nông nghiệp", "can_write": "on"},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"] if "chỉ hiện một lần" in str(m)]
    assert len(shown) == 1
    key = shown[0].split("”: ", 1)[1].split(" — ", 1)[0]
    assert ApiToken.hash(key) == token.key_hash
    assert token.can_write
    assert _client(key).get(ROOT).status_code == 200
    # The key is nowhere on the token's own page afterwards.
    page = admin_client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert key not in page.content.decode()


def test_the_admin_revokes_tokens_in_one_action(admin_client, official):
    token, key = _token(official)
    admin_client.post(reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _client(key).get(ROOT).status_code == 401


def test_a_path_no_route_knows_answers_json_under_the_api(official, client):
    _token_row, key = _token(official)
    response = _client(key).get("/api/v1/khong-co/a.b/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "Không tìm thấy, hoặc không thuộc phạm vi của bạn.",
    }
    # Elsewhere the portal's HTML page answers.
    client.force_login(official)
    assert "text/html" in client.get("/khong-co-trang-nay/")["Content-Type"]
