import pytest


@pytest.mark.parametrize("query", ["dak glei", "ĐẮK GLEI"])
def test_admin_unit_search_ignores_diacritics(admin_client, tree, query):
    response = admin_client.get("/admin/communes/administrativeunit/", {"q": query})
    assert response.status_code == 200
    names = [u.name for u in response.context["cl"].result_list]
    assert "Huyện Đắk Glei" in names
    assert "Tỉnh Gia Lai" not in names


def test_admin_filters_by_level_and_province(admin_client, tree):
    response = admin_client.get("/admin/communes/administrativeunit/", {"level__exact": "commune", "province": "62"})
    assert response.status_code == 200
    codes = {u.code for u in response.context["cl"].result_list}
    assert codes == {"23338", "23353", "23341", "23368", "23380"}


def test_admin_is_closed_to_non_staff(office_client):
    response = office_client.get("/admin/communes/administrativeunit/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_edit_keeps_path_in_step(admin_client, tree):
    response = admin_client.get(f"/admin/communes/administrativeunit/{tree.dak_pek.pk}/change/")
    assert response.status_code == 200
    assert "62/610/23353/" in response.text
