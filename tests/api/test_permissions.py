"""The permission matrix of /api/v1/: who × endpoint × method × own or other scope → status.

"Own" is Xã Đắk Pék (Huyện Đắk Glei, Kon Tum): in every member's scope. "Other" is Xã Đông of Gia Lai: outside
everyone's, so it is 404 like a missing row. Tokens belong to the Đắk Glei district official: read-write, read-only,
expired, revoked. A browser session and a token of the same user reach exactly the same rows.
"""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from communes.models import Level, Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report
from monthly.services import save_values
from records.models import Recognition, Target, TargetKind
from reports.models import Status
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree

MAY = dt.date(2024, 5, 1)
JUNE = "2024-06"

SESSIONS = ["office", "district", "department", "viewer"]
TOKENS = ["rw_token", "ro_token"]
DEAD_TOKENS = ["expired_token", "revoked_token"]
READERS = SESSIONS + TOKENS


@pytest.fixture
def world(db):
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    programme = Programme.objects.get(code="2021-2025")
    people = {
        "office": MembershipFactory(unit=tree.province, role=Role.OFFICE).user,
        "district": MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user,
        "department": MembershipFactory(
            unit=tree.province, role=Role.DEPARTMENT, department="Sở Nông nghiệp và PTNT"
        ).user,
        "viewer": MembershipFactory(unit=tree.province, role=Role.VIEWER).user,
    }
    # Figures of both communes, entered by their own district officials.
    other_official = MembershipFactory(unit=tree.other_commune.parent, role=Role.DISTRICT).user
    rows = {}
    for scope, unit, official in (
        ("own", tree.dak_pek, people["district"]),
        ("other", tree.other_commune, other_official),
    ):
        report = save_values(unit=unit, period=MAY, raw={"income_per_capita": "45", "poverty_rate": "5"}, by=official)
        status = Status.objects.create(
            unit=unit, period=MAY, programme=programme, tier="", criteria_met=1, criteria_total=3
        )
        recognition = Recognition.objects.create(
            unit=unit,
            tier="standard",
            programme=programme,
            decision_number="12/QĐ-UBND",
            decision_date=dt.date(2023, 12, 20),
            issuer="UBND tỉnh",
        )
        target = Target.objects.create(
            unit=unit.parent,  # a district's own target: in the district official's scope too
            year=2025,
            kind=TargetKind.UNITS_AT_TIER,
            level=Level.COMMUNE,
            tier="standard",
            value=10,
        )
        rows[scope] = {
            "unit": unit,
            "report": report,
            "status": status,
            "recognition": recognition,
            "target": target,
        }
    keys = {}
    for name, fields in {
        "rw_token": {"can_write": True},
        "ro_token": {"can_write": False},
        "expired_token": {"can_write": True, "expires_at": timezone.now() - dt.timedelta(hours=1)},
        "revoked_token": {"can_write": True, "revoked_at": timezone.now()},
    }.items():
        token = ApiToken(user=people["district"], name=name, **fields)
        keys[name] = token.issue_key()
        token.save()
    return {"people": people, "rows": rows, "keys": keys}


def _client(world, who: str) -> APIClient:
    client = APIClient()
    if who in world["people"]:
        client.force_login(world["people"][who])
    elif who in world["keys"]:
        client.credentials(HTTP_AUTHORIZATION=f"Token {world['keys'][who]}")
    return client


def _call(world, who, method, endpoint, scope):
    """One request of the matrix; `endpoint` names the resource, `scope` picks own or other rows."""
    rows = world["rows"][scope]
    client = _client(world, who)
    unit = rows["unit"]
    if endpoint == "evaluate":
        body = {"programme": "2021-2025", "year": 2024, "unit": unit.code, "values": {"income_per_capita": "50"}}
        return client.post("/api/v1/evaluate/", body, format="json")
    if endpoint == "reports:create":
        body = {"unit": unit.code, "month": JUNE, "values": {"income_per_capita": "47"}}
        return client.post("/api/v1/reports/", body, format="json")
    if endpoint == "reports:update":
        report = rows["report"]
        body = {"values": {"income_per_capita": "48"}, "version": report.version}
        return client.patch(f"/api/v1/reports/{report.pk}/", body, format="json")
    if endpoint == "reports:submit":
        return client.post(f"/api/v1/reports/{rows['report'].pk}/submit/", format="json")
    if endpoint == "forecasts":  # the commune's district: in every member's scope, or in none
        return client.get("/api/v1/forecasts/", {"unit": unit.parent.code})
    detail = {
        "units": unit.code,
        "reports": rows["report"].pk,
        "statuses": rows["status"].pk,
        "recognitions": rows["recognition"].pk,
        "targets": rows["target"].pk,
    }
    return client.get(f"/api/v1/{endpoint}/{detail[endpoint]}/")


READ_ENDPOINTS = ["units", "reports", "statuses", "recognitions", "targets"]
WRITE_ENDPOINTS = ["reports:create", "reports:update", "reports:submit"]
WRITE_OK = {"reports:create": 201, "reports:update": 200, "reports:submit": 200}


def _matrix():
    cases = []
    for endpoint in READ_ENDPOINTS:
        for who in READERS:
            cases.append((who, "GET", endpoint, "own", 200))
            cases.append((who, "GET", endpoint, "other", 404))
    for endpoint in WRITE_ENDPOINTS:
        method = "PATCH" if endpoint == "reports:update" else "POST"
        for who in ("district", "rw_token"):
            cases.append((who, method, endpoint, "own", WRITE_OK[endpoint]))
            cases.append((who, method, endpoint, "other", 404))
        # Roles that see the commune but do not enter its figures, and a token that may only read.
        for who in ("office", "department", "viewer", "ro_token"):
            cases.append((who, method, endpoint, "own", 403))
        for who in ("office", "department", "viewer"):
            cases.append((who, method, endpoint, "other", 404))
        cases.append(("ro_token", method, endpoint, "other", 403))  # refused before anything is looked up
    for who in READERS:
        cases.append((who, "GET", "forecasts", "own", 200))
        cases.append((who, "GET", "forecasts", "other", 404))
    for who in READERS:  # evaluating writes nothing, so a read-only token may; another province's commune is unknown
        cases.append((who, "POST", "evaluate", "own", 200))
        cases.append((who, "POST", "evaluate", "other", 400))
    for who in ["anonymous", *DEAD_TOKENS]:
        for endpoint in [*READ_ENDPOINTS, *WRITE_ENDPOINTS, "evaluate", "forecasts"]:
            for scope in ("own", "other"):
                cases.append((who, "-", endpoint, scope, 401))
    return cases


@pytest.mark.parametrize(("who", "method", "endpoint", "scope", "expected"), _matrix())
def test_permission_matrix(world, who, method, endpoint, scope, expected):
    response = _call(world, who, method, endpoint, scope)
    assert response.status_code == expected, response.content
    body = response.json()
    if expected >= 400:
        assert body["status"] == expected
        assert body["detail"]  # a Vietnamese sentence, never empty


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("endpoint", READ_ENDPOINTS)
def test_lists_hold_own_rows_and_never_other_scopes(world, who, endpoint):
    response = _client(world, who).get(f"/api/v1/{endpoint}/", {"page_size": 1000})
    assert response.status_code == 200
    results = response.json()["results"]
    key = "code" if endpoint == "units" else "id"
    listed = {row[key] for row in results}
    own, other = world["rows"]["own"], world["rows"]["other"]
    if endpoint == "units":
        assert own["unit"].code in listed
        assert other["unit"].code not in listed
    else:
        row = endpoint[:-1] if endpoint != "statuses" else "status"
        assert own[row].pk in listed
        assert other[row].pk not in listed


@pytest.mark.parametrize("who", ["office", "department", "viewer", "ro_token"])
def test_refused_writes_change_nothing(world, who):
    before = (Report.objects.count(), list(Report.objects.values_list("pk", "status", "version")))
    for endpoint in WRITE_ENDPOINTS:
        _call(world, who, "POST", endpoint, "own")
    assert (Report.objects.count(), list(Report.objects.values_list("pk", "status", "version"))) == before


def test_a_token_reaches_what_its_users_session_reaches(world):
    session, token = _client(world, "district"), _client(world, "rw_token")
    for endpoint in READ_ENDPOINTS:
        by_session = session.get(f"/api/v1/{endpoint}/", {"page_size": 1000}).json()["results"]
        by_token = token.get(f"/api/v1/{endpoint}/", {"page_size": 1000}).json()["results"]
        assert by_session == by_token


def test_a_superuser_reaches_every_scope(world, admin_user):
    client = APIClient()
    client.force_login(admin_user)
    for scope in ("own", "other"):
        assert client.get(f"/api/v1/units/{world['rows'][scope]['unit'].code}/").status_code == 200
        assert client.get(f"/api/v1/statuses/{world['rows'][scope]['status'].pk}/").status_code == 200
