"""communes.permissions: every may-see / may-do decision, as one matrix against the module itself.

The pages' matrix (tests/communes/test_permissions.py) checks that each view asks the right question; this one
checks the answers: role × unit (own district, the province, a neighbouring district, another province).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from communes import permissions
from communes.models import AdministrativeUnit, Role
from monthly.models import Report
from records.models import Recognition
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

UNITS = ["own_commune", "own_district", "province", "near_commune", "far_commune"]
ROLES = ["office", "district", "department", "viewer", "admin", "nobody"]

# What each role may do on each unit: E edit figures, R review, C comment, S see (in scope), D set a unit document.
EXPECTED = {
    "office": {
        "own_commune": "RSD",
        "own_district": "RSD",
        "province": "RSD",
        "near_commune": "RSD",
        "far_commune": "",
    },
    "district": {"own_commune": "ESD", "own_district": "ESD", "province": "", "near_commune": "", "far_commune": ""},
    "department": {
        "own_commune": "CS",
        "own_district": "CS",
        "province": "CS",
        "near_commune": "CS",
        "far_commune": "",
    },
    "viewer": {"own_commune": "S", "own_district": "S", "province": "S", "near_commune": "S", "far_commune": ""},
    "admin": {u: "ERCSD" for u in UNITS},
    "nobody": {u: "" for u in UNITS},
}


@pytest.fixture
def people(tree):
    return {
        "office": MembershipFactory(unit=tree.province, role=Role.OFFICE).user,
        "district": MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user,
        "department": MembershipFactory(unit=tree.province, role=Role.DEPARTMENT, department="Sở Y tế").user,
        "viewer": MembershipFactory(unit=tree.province, role=Role.VIEWER).user,
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "nobody": UserFactory(),
    }


@pytest.fixture
def units(tree):
    return {
        "own_commune": tree.dak_pek,
        "own_district": tree.dak_glei,
        "province": tree.province,
        "near_commune": AdministrativeUnit.objects.get(code="23380"),  # Xã Đắk Xú, Huyện Ngọc Hồi
        "far_commune": tree.other_commune,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit_name", UNITS)
def test_each_decision_for_each_role_and_unit(people, units, role, unit_name):
    user, unit = people[role], units[unit_name]
    expected = EXPECTED[role][unit_name]
    assert permissions.can_edit(user, unit) == ("E" in expected)
    assert permissions.can_review(user, unit) == ("R" in expected)
    assert permissions.can_comment(user, unit) == ("C" in expected)
    assert permissions.in_scope(user, unit) == ("S" in expected)
    assert permissions.can_set_document(user, unit, unit_document=True) == ("D" in expected)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit_name", UNITS)
def test_unit_or_404_finds_exactly_the_units_in_scope(people, units, role, unit_name):
    request = RequestFactory().get("/")
    request.user = people[role]
    if "S" in EXPECTED[role][unit_name]:
        assert permissions.unit_or_404(request, units[unit_name].code) == units[unit_name]
    else:
        with pytest.raises(Http404):
            permissions.unit_or_404(request, units[unit_name].code)


@pytest.mark.parametrize(
    ("role", "office", "district_official", "records", "has_scope"),
    [
        ("office", True, False, True, True),
        ("district", False, True, False, True),
        ("department", False, False, False, True),
        ("viewer", False, False, False, True),
        ("admin", True, False, True, True),
        ("nobody", False, False, False, False),
    ],
)
def test_role_wide_decisions(people, role, office, district_official, records, has_scope):
    user = people[role]
    assert permissions.is_office(user) is office
    assert permissions.is_district_official(user) is district_official
    assert permissions.can_manage_records(user) is records
    assert permissions.has_scope(user) is has_scope


def test_the_province_documents_are_the_office_s_alone(people, units):
    district_official = people["district"]
    assert permissions.can_set_document(district_official, units["own_district"], unit_document=True)
    assert not permissions.can_set_document(district_official, units["own_district"], unit_document=False)


def test_departments_of_reads_the_department_memberships(people):
    assert permissions.departments_of(people["department"]) == {"Sở Y tế"}
    assert permissions.departments_of(people["office"]) == set()


def test_visible_to_is_the_same_scope_on_every_listed_model(people, units):
    anonymous = AnonymousUser()
    for model in (Report, Recognition):
        assert not model.objects.visible_to(anonymous).exists()
        # The queryset compiles to a filter on the user's subtrees; an administrator's is unfiltered.
        assert "WHERE" not in str(model.objects.visible_to(people["admin"]).query)
        assert "WHERE" in str(model.objects.visible_to(people["viewer"]).query)
