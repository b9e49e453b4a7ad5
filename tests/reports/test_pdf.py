import datetime as dt
from io import BytesIO

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from communes.models import AdministrativeUnit, CommunePlan, Level, Recognition, Role, Target, TargetKind
from communes.services import approve_report, save_values, submit_report
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = pytest.mark.django_db

DEC = dt.date(2024, 12, 1)
NOV = dt.date(2024, 11, 1)
MONTH = "2024-12"
GOOD = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}
WEAK = {"income_per_capita": "40", "poverty_rate": "8", "plan_approved": True}
POOR = {"income_per_capita": "55", "poverty_rate": "8", "plan_approved": True}


def _approved(unit, raw, *, official, office, period=DEC):
    report = save_values(unit=unit, period=period, raw=raw, by=official)
    report = submit_report(report=report, by=official)
    return approve_report(report=report, by=office)


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    moment = timezone.make_aware(dt.datetime(2025, 1, 10, 12, 0))
    out = {}
    with (
        pytest.MonkeyPatch.context() as mp,
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        mp.setattr(timezone, "now", lambda: moment)
        from django.db import connection
        assert "memory" in str(connection.settings_dict["NAME"]) or "test" in str(connection.settings_dict["NAME"])
        tree = kon_tum_tree()
        import_criteria_text(STANDARD)
        office = MembershipFactory(unit=tree.province, role=Role.OFFICE).user
        official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
        dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
        other = MembershipFactory(unit=tree.ngoc_hoi, role=Role.DISTRICT).user
        _approved(tree.dak_pek, GOOD, official=official, office=office)
        _approved(tree.dak_mon, WEAK, official=official, office=office)
        _approved(dak_xu, POOR, official=other, office=office)
        programme = Programme.objects.get(code="2021-2025")
        for period in (NOV, DEC):
            recompute_statuses(period=period, units=tracked_units(tree.province), programme=programme)
        client = Client()
        client.force_login(office)
        for kind, code in [("province", "62"), ("district", "610"), ("commune", "23341"), ("directive", "62")]:
            r = client.get(reverse(f"reports:pdf-{kind}", args=[code, MONTH]))
            out[kind] = r
        transaction.set_rollback(True)
    return out


def test_dump(rendered):
    for kind, r in rendered.items():
        reader = PdfReader(BytesIO(r.content))
        with open(f"/tmp/explore/{kind}.txt", "w") as f:
            for i, page in enumerate(reader.pages):
                f.write(f"===== page {i + 1} {page.mediabox}\n")
                f.write(page.extract_text())
                f.write("\n")
        with open(f"/tmp/explore/{kind}.pdf", "wb") as f:
            f.write(r.content)
