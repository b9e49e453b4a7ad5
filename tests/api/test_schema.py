"""Schemathesis against the live schema: every operation of /api/v1/schema/, called through the WSGI application as a
district official with a read-write token (the role that may do the most, writes included), with valid and
invalid inputs. No answer may be a server error, and every documented answer must match its schema."""

import datetime as dt

import pytest
import schemathesis
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.models import ApiToken
from communes.models import Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from ntm_portal.wsgi import application
from records.models import Recognition
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree

MAY = dt.date(2024, 5, 1)
CONFIG = SchemathesisConfig.from_str(
    """
[generation]
mode = "all"
max-examples = 25
database = "none"
"""
)

# The schema needs a login in the portal; opened for this load (api.views.SchemaAccess), it loads before any
# database exists.
with override_settings(API_SCHEMA_PUBLIC=True):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)


@pytest.fixture
def _keep_connection():
    """Through the real WSGI handler, Django closes the database connection after each request; in a test that
    would close the test's own transaction (PostgreSQL), so the handler's closing is switched off meanwhile."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token_key(db, _keep_connection):
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    office = MembershipFactory(unit=tree.province, role=Role.OFFICE).user
    for unit, income in ((tree.dak_pek, "55"), (tree.dak_mon, "40")):
        report = save_values(unit=unit, period=MAY, raw={"income_per_capita": income, "poverty_rate": "4"}, by=official)
        approve_report(report=submit_report(report=report, by=official), by=office)
    programme = Programme.objects.get(code="2021-2025")
    recompute_statuses(period=MAY, units=tracked_units(tree.province), programme=programme)
    Recognition.objects.create(
        unit=tree.dak_mon,
        tier="standard",
        programme=programme,
        decision_number="1234/QĐ-UBND",
        decision_date=dt.date(2023, 12, 20),
        issuer="UBND tỉnh Kon Tum",
    )
    token = ApiToken(user=official, name="Hệ thống của huyện", can_write=True)
    key = token.issue_key()
    token.save()
    return key


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_no_operation_errs_or_breaks_its_schema(case, token_key):
    case.call_and_validate(
        headers={"Authorization": f"Token {token_key}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


def test_the_evaluate_example_uses_measures_the_portal_ships():
    """Whoever copies the example from Swagger UI gets an answer about real measures (fixtures/criteria)."""
    import re
    from pathlib import Path

    from reports.api import views

    shipped = {
        code
        for path in Path(views.__file__).resolve().parents[2].glob("fixtures/criteria/*/*.yaml")
        for code in re.findall(r"^  - code: (\w+)$", path.read_text(encoding="utf-8"), re.M)
    }
    from drf_spectacular.generators import SchemaGenerator

    generated = SchemaGenerator().get_schema(request=None, public=True)
    examples = generated["paths"]["/api/v1/evaluate/"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    for example in examples.values():
        codes = set(example["value"]["values"])
        assert codes <= shipped, codes - shipped
