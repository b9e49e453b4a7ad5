"""The permission matrix of monthly reporting: role × page or action × own scope / other scope.

Out of scope answers 404 (as if the unit did not exist); in scope but not the role's job answers 403.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from communes.models import Role
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MONTH = "2024-05"
PERIOD = dt.date(2024, 5, 1)
OWN_COMMUNE, OWN_DISTRICT = "23353", "610"  # Xã Đắk Pék, Huyện Đắk Glei (Kon Tum)
NEAR_COMMUNE, NEAR_DISTRICT = "23380", "611"  # Ngọc Hồi: same province, another district
FAR_COMMUNE, FAR_DISTRICT = "23617", "625"  # Gia Lai


def _setup_users(tree):
    department = MembershipFactory(unit=tree.province, role=Role.DEPARTMENT, department="Sở LĐTBXH").user
    return {
        "office": MembershipFactory(unit=tree.province, role=Role.OFFICE).user,
        "district": MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user,
        "department": department,
        "viewer": MembershipFactory(unit=tree.province, role=Role.VIEWER).user,
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


def _report(unit, state: str, official, office):
    report = save_values(unit=unit, period=PERIOD, raw={"poverty_rate": "4"}, by=official)
    if state in ("submitted", "approved"):
        report = submit_report(report=report, by=official)
    if state == "approved":
        report = approve_report(report=report, by=office)
    return report


# (action, method, url name, code kind, report state needed, POST data)
ACTIONS = {
    "report page": ("get", "monthly:report", "commune", "draft", None),
    "save draft": ("post", "monthly:report", "commune", "draft", {"version": "1", "m_poverty_rate": "3"}),
    "submit": ("post", "monthly:submit", "commune", "draft", {}),
    "approve": ("post", "monthly:approve", "commune", "submitted", {}),
    "return": ("post", "monthly:return", "commune", "submitted", {"reason": "Chưa khớp"}),
    "unapprove": ("post", "monthly:unapprove", "commune", "approved", {"reason": "Sai số"}),
    "comment": ("post", "monthly:comment", "commune", "draft", {"criterion": "11", "text": "Cần rà soát"}),
    "district page": ("get", "monthly:district", "district", "draft", None),
    "submit all": ("post", "monthly:submit-all", "district", "draft", {}),
    "approve all": ("post", "monthly:approve-all", "district", "submitted", {}),
    "excel template": ("get", "monthly:template", "district", None, None),
    "excel upload": ("post", "monthly:upload", "district", "draft", "FILE"),
}

OK_GET, DONE, BAD_FILE = 200, 302, 400
# Expected status in own scope, per role; out of scope is always 404 and anonymous always goes to the login page.
EXPECTED = {
    "report page": {"office": OK_GET, "district": OK_GET, "department": OK_GET, "viewer": OK_GET, "admin": OK_GET},
    "save draft": {"office": 403, "district": DONE, "department": 403, "viewer": 403, "admin": DONE},
    "submit": {"office": 403, "district": DONE, "department": 403, "viewer": 403, "admin": DONE},
    "approve": {"office": DONE, "district": 403, "department": 403, "viewer": 403, "admin": DONE},
    "return": {"office": DONE, "district": 403, "department": 403, "viewer": 403, "admin": DONE},
    "unapprove": {"office": DONE, "district": 403, "department": 403, "viewer": 403, "admin": DONE},
    "comment": {"office": 403, "district": 403, "department": DONE, "viewer": 403, "admin": DONE},
    "district page": {"office": OK_GET, "district": OK_GET, "department": OK_GET, "viewer": OK_GET, "admin": OK_GET},
    "submit all": {"office": 403, "district": DONE, "department": 403, "viewer": 403, "admin": DONE},
    "approve all": {"office": DONE, "district": 403, "department": 403, "viewer": 403, "admin": DONE},
    "excel template": {"office": 403, "district": OK_GET, "department": 403, "viewer": 403, "admin": OK_GET},
    "excel upload": {"office": 403, "district": BAD_FILE, "department": 403, "viewer": 403, "admin": BAD_FILE},
}
ROLES = ["office", "district", "department", "viewer", "admin"]


def _other_scope(role: str, kind: str) -> str:
    # A district official's other scope is the next district of the same province; the province's roles' is Gia Lai.
    if role == "district":
        return NEAR_COMMUNE if kind == "commune" else NEAR_DISTRICT
    return FAR_COMMUNE if kind == "commune" else FAR_DISTRICT


def _call(client: Client, action: str, code: str):
    method, name, _kind, _state, data = ACTIONS[action]
    url = reverse(name, args=[code, MONTH])
    if method == "get":
        return client.get(url)
    if data == "FILE":
        data = {"file": SimpleUploadedFile("so-lieu.xlsx", b"", content_type="application/octet-stream")}
    return client.post(url, data)


def _prepare(tree, users, action: str, code: str):
    _method, _name, kind, state, _data = ACTIONS[action]
    if state is None:
        return
    units = {u.code: u for u in [tree.dak_pek, tree.dak_mon, tree.other_commune]}
    near = type(tree.dak_pek).objects.get(code=NEAR_COMMUNE, level="commune")
    units[NEAR_COMMUNE] = near
    if kind == "commune":
        target = units[code]
    else:
        target = {OWN_DISTRICT: tree.dak_pek, NEAR_DISTRICT: near, FAR_DISTRICT: tree.other_commune}[code]
    _report(target, state, users["admin"], users["admin"])


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_own_scope(tree, role, action):
    import_criteria_text(STANDARD)
    users = _setup_users(tree)
    code = OWN_COMMUNE if ACTIONS[action][2] == "commune" else OWN_DISTRICT
    _prepare(tree, users, action, code)
    client = Client()
    client.force_login(users[role])
    assert _call(client, action, code).status_code == EXPECTED[action][role]


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_other_scope_is_404(tree, role, action):
    import_criteria_text(STANDARD)
    users = _setup_users(tree)
    code = _other_scope(role, ACTIONS[action][2])
    _prepare(tree, users, action, code)
    client = Client()
    client.force_login(users[role])
    assert _call(client, action, code).status_code == 404


@pytest.mark.parametrize("action", list(ACTIONS))
def test_anonymous_goes_to_login(tree, action, client):
    import_criteria_text(STANDARD)
    code = OWN_COMMUNE if ACTIONS[action][2] == "commune" else OWN_DISTRICT
    response = _call(client, action, code)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("role", "expected"),
    [("office", 200), ("district", 403), ("department", 403), ("viewer", 403), ("admin", 200)],
)
def test_review_page_is_the_offices(tree, role, expected):
    import_criteria_text(STANDARD)
    client = Client()
    client.force_login(_setup_users(tree)[role])
    assert client.get(reverse("monthly:review", args=[MONTH])).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_overdue_board_is_open_to_every_role_in_their_scope(tree, role):
    import_criteria_text(STANDARD)
    client = Client()
    client.force_login(_setup_users(tree)[role])
    assert client.get(reverse("monthly:overdue", args=[MONTH])).status_code == 200


def test_a_user_without_any_membership_sees_no_report(tree):
    import_criteria_text(STANDARD)
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("monthly:report", args=[OWN_COMMUNE, MONTH])).status_code == 404
