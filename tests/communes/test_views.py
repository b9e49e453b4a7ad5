import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.models import Level
from tests.factories import UnitFactory, unit

PAGES = [
    reverse("communes:home"),
    reverse("communes:province-list"),
    reverse("communes:province-detail", args=["62"]),
    reverse("communes:district-detail", args=["610"]),
    reverse("communes:commune-detail", args=["23353"]),
    reverse("communes:search") + "?q=dak",
    "/admin/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_but_login_requires_login(client, tree, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(("/login/", "/admin/login/"))


def test_login_page_is_public_and_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.text
    assert 'lang="vi"' in response.text


def test_login_then_lands_on_own_unit(client, district_user):
    response = client.post(reverse("login"), {"username": district_user.username, "password": "matkhau-thu-nghiem"})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("communes:district-detail", args=["610"])


def test_wrong_password_shows_a_vietnamese_error(client, district_user):
    response = client.post(reverse("login"), {"username": district_user.username, "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text


def test_province_list_for_admin_shows_every_province(admin_client, tree):
    response = admin_client.get(reverse("communes:province-list"))
    assert response.status_code == 200
    assert "Tỉnh Kon Tum" in response.text
    assert "Tỉnh Gia Lai" in response.text


def test_province_list_for_office_shows_only_its_province(office_client):
    response = office_client.get(reverse("communes:province-list"))
    assert "Tỉnh Kon Tum" in response.text
    assert "Tỉnh Gia Lai" not in response.text


def test_province_page_lists_districts_with_commune_counts(office_client):
    response = office_client.get(reverse("communes:province-detail", args=["62"]))
    assert response.status_code == 200
    districts = {d.code: d.commune_count for d in response.context["districts"]}
    assert districts == {"610": 3, "611": 2}
    assert "Huyện Đắk Glei" in response.text
    assert "Tây Nguyên" in response.text


def test_district_page_lists_its_communes_with_breadcrumbs(office_client):
    response = office_client.get(reverse("communes:district-detail", args=["610"]))
    assert response.status_code == 200
    assert [c.short_name for c in response.context["communes"]] == ["Đắk Glei", "Đắk Môn", "Đắk Pék"]
    assert '<a href="/provinces/62/">Tỉnh Kon Tum</a>' in response.text
    assert '<span aria-current="page">Huyện Đắk Glei</span>' in response.text


def test_commune_page_lists_its_villages(office_client, tree):
    unit("23353001", "Thôn Đắk Xuân", Level.VILLAGE, tree.dak_pek, is_demo=True)
    response = office_client.get(reverse("communes:commune-detail", args=["23353"]))
    assert response.status_code == 200
    assert "Thôn Đắk Xuân" in response.text
    assert "dữ liệu minh họa" in response.text
    assert [a.code for a in response.context["ancestors"]] == ["62", "610"]


@pytest.mark.parametrize(
    "url",
    [
        reverse("communes:province-detail", args=["64"]),
        reverse("communes:district-detail", args=["625"]),
        reverse("communes:commune-detail", args=["23617"]),
        reverse("communes:district-detail", args=["611"]),
        reverse("communes:commune-detail", args=["99999"]),
    ],
)
def test_units_outside_the_district_officials_scope_answer_404(district_client, url):
    assert district_client.get(url).status_code == 404


def test_a_code_at_the_wrong_level_is_404(admin_client, tree):
    assert admin_client.get(reverse("communes:district-detail", args=["23353"])).status_code == 404


@pytest.mark.parametrize("query", ["dak glei", "ĐẮK GLEI", "Đăk Glei", "  dak  GLEI "])
def test_search_ignores_case_and_diacritics(office_client, query):
    response = office_client.get(reverse("communes:search"), {"q": query})
    assert response.status_code == 200
    results = list(response.context["page"])
    assert results[0].name == "Huyện Đắk Glei"  # the district before the town that shares its name
    assert "Thị trấn Đắk Glei" in [u.name for u in results]


def test_search_stays_in_scope(district_client):
    response = district_client.get(reverse("communes:search"), {"q": "xa dong"})
    assert list(response.context["page"]) == []
    assert "Không tìm thấy" in response.text


def test_search_without_query_shows_the_form(office_client):
    response = office_client.get(reverse("communes:search"))
    assert response.status_code == 200
    assert "page" in response.context


def test_header_shows_user_and_unit(office_client, office_user):
    response = office_client.get(reverse("communes:province-list"))
    assert office_user.first_name in response.text
    assert "Văn phòng điều phối NTM · Tỉnh Kon Tum" in response.text


def test_vietnamese_even_when_the_browser_asks_for_english(office_client):
    response = office_client.get(reverse("communes:province-list"), headers={"accept-language": "en-US,en"})
    assert "Tỉnh, thành phố" in response.text


def test_english_through_the_language_switch(office_client):
    response = office_client.post(reverse("set_language"), {"language": "en", "next": "/provinces/"})
    assert response.status_code == 302
    response = office_client.get(reverse("communes:province-list"))
    assert "Provinces and cities" in response.text
    assert 'lang="en"' in response.text


def _district_with(n: int):
    from communes.models import AdministrativeUnit

    province = AdministrativeUnit.objects.get(code="62", level=Level.PROVINCE)
    district = unit(f"9{n:02d}", f"Huyện Thử {n}", Level.DISTRICT, province)
    for i in range(n):
        commune = UnitFactory(level=Level.COMMUNE, parent=district)
        if i % 2:
            UnitFactory(level=Level.VILLAGE, name=f"Thôn {i}", code=f"{commune.code}001", parent=commune)
    return district


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_district_page_runs_the_same_queries_for_3_and_25_communes(office_client):
    small, large = _district_with(3), _district_with(25)
    # session, user, membership (scope, and the header's), district, ancestors, communes with counts, lineage
    expected = 7
    assert _queries(office_client, reverse("communes:district-detail", args=[small.code])) == expected
    assert _queries(office_client, reverse("communes:district-detail", args=[large.code])) == expected


def test_province_page_and_list_run_a_fixed_number_of_queries(office_client):
    _district_with(3)
    before_province = _queries(office_client, reverse("communes:province-detail", args=["62"]))
    before_list = _queries(office_client, reverse("communes:province-list"))
    _district_with(25)
    # session, user, membership (scope, and the header's), province, districts with counts, lineage
    assert _queries(office_client, reverse("communes:province-detail", args=["62"])) == before_province == 6
    # session, user, membership (scope, and the header's), provinces with counts
    assert _queries(office_client, reverse("communes:province-list")) == before_list == 4


def test_search_runs_a_fixed_number_of_queries(office_client):
    _district_with(3)
    # session, user, membership (scope, and the header's), count, page of results with parents
    assert _queries(office_client, reverse("communes:search") + "?q=xa") == 5
    _district_with(25)
    assert _queries(office_client, reverse("communes:search") + "?q=xa") == 5
