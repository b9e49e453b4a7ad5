"""Where each role lands on "/": the office, the departments and the viewers on their dashboard, a district
official on their district's page (where the office's decisions are announced)."""

import pytest
from django.urls import reverse

from communes.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PROVINCE_DASHBOARD = reverse("reports:province-dashboard", args=["62"])


@pytest.mark.parametrize(
    ("role", "unit", "expected"),
    [
        (Role.OFFICE, "province", PROVINCE_DASHBOARD),
        (Role.DEPARTMENT, "province", PROVINCE_DASHBOARD),
        (Role.VIEWER, "province", PROVINCE_DASHBOARD),
        (Role.DISTRICT, "dak_glei", reverse("communes:district-detail", args=["610"])),
        # Below the province a dashboard of the province would answer 404: their own unit's instead.
        (Role.VIEWER, "dak_glei", reverse("reports:district-dashboard", args=["610"])),
        (Role.DEPARTMENT, "dak_pek", reverse("reports:scorecard", args=["23353"])),
    ],
)
def test_each_role_lands_where_it_works(tree, client_for, role, unit, expected):
    user = MembershipFactory(unit=getattr(tree, unit), role=role).user
    response = client_for(user).get(reverse("communes:home"))
    assert response.status_code == 302
    assert response["Location"] == expected
    assert client_for(user).get(expected).status_code == 200


def test_a_district_official_who_also_views_lands_on_the_district_page(tree, client_for):
    user = MembershipFactory(unit=tree.province, role=Role.VIEWER).user
    MembershipFactory(unit=tree.ngoc_hoi, role=Role.DISTRICT, user=user)
    assert client_for(user).get("/")["Location"] == reverse("communes:district-detail", args=["611"])


def test_someone_without_a_unit_lands_on_the_province_list(tree, client_for):
    assert client_for(UserFactory()).get("/")["Location"] == reverse("communes:province-list")
