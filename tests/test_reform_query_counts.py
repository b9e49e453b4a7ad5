"""Query counts of the list pages, pinned for a small and a large province of each period (issue 14): Kon Tum with
its districts in 2024, the merged Quảng Ngãi without districts in 2025. A page runs the same number of queries
whatever the number of communes, and the other period's units (both lists are loaded) change nothing."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Role
from criteria.yaml_io import import_criteria_text
from monthly.services import save_values, submit_report
from reports.freshness import recent
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UserFactory, reform_kon_tum

pytestmark = pytest.mark.django_db

OLD_MONTH, NEW_MONTH = "2024-05", "2025-08"

# Page → (URL, pinned count for the office of the period's province). Fixed whatever the province's size.
OLD_PAGES = {
    "province list": (lambda: reverse("communes:province-list") + "?on=2024-05-01", 4),
    "province page": (lambda: reverse("communes:province-detail", args=["62"]) + "?on=2024-05-01", 6),
    "district page": (lambda: reverse("communes:district-detail", args=["610"]) + "?on=2024-05-01", 7),
    "district month": (lambda: reverse("monthly:district", args=["610", OLD_MONTH]), 8),
    "review desk": (lambda: reverse("monthly:review", args=[OLD_MONTH]), 5),
    "overdue board": (lambda: reverse("monthly:overdue", args=[OLD_MONTH]), 7),
    # Warm: the session's page from the cache (reports.freshness: session, user, data version); cold: built.
    "province dashboard": (lambda: reverse("reports:province-dashboard", args=["62"]) + f"?month={OLD_MONTH}", 3),
    "province dashboard, cold": (
        lambda: reverse("reports:province-dashboard", args=["62"]) + f"?month={OLD_MONTH}",
        18,
    ),
    "units API": (lambda: "/api/v1/units/?level=commune&as_of=2024-05-01", 5),
}
NEW_PAGES = {
    "province list": (lambda: reverse("communes:province-list"), 4),
    "province page": (lambda: reverse("communes:province-detail", args=["51"]), 6),
    "review desk": (lambda: reverse("monthly:review", args=[NEW_MONTH]), 5),
    "overdue board": (lambda: reverse("monthly:overdue", args=[NEW_MONTH]), 7),
    # Warm: the session's page from the cache (reports.freshness: session, user, data version); cold: built.
    "province dashboard": (lambda: reverse("reports:province-dashboard", args=["51"]) + f"?month={NEW_MONTH}", 3),
    "province dashboard, cold": (
        lambda: reverse("reports:province-dashboard", args=["51"]) + f"?month={NEW_MONTH}",
        18,
    ),
    "units API": (lambda: "/api/v1/units/?level=commune", 5),
}


def _count(client: Client, url: str, *, cold: bool = False) -> int:
    client.get(url)  # warm the per-process caches (content types, sessions) out of the count
    if cold:
        cache.clear()
        recent.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _grow(parent: AdministrativeUnit, first_code: int, count: int, period: dt.date, *, since=None) -> None:
    """`count` more communes under `parent`, half of them with a sent report for the month."""
    clerk = UserFactory()
    for offset in range(count):
        commune = AdministrativeUnit.objects.create(
            code=str(first_code + offset),
            level=Level.COMMUNE,
            kind=Kind.XA,
            name=f"Xã Thử {offset:03d}",
            short_name=f"Thử {offset:03d}",
            parent=parent,
            valid_from=since,
            valid_to=None if since else REFORM_DATE,
        )
        if offset % 2:
            report = save_values(unit=commune, period=period, raw={"income_per_capita": "45"}, by=clerk)
            submit_report(report=report, by=clerk)


@pytest.fixture
def both_periods(tree):
    import_criteria_text(STANDARD)
    reform = reform_kon_tum(tree)
    old_office, new_office = Client(), Client()
    old_office.force_login(MembershipFactory(unit=tree.province, role=Role.OFFICE).user)
    new_office.force_login(MembershipFactory(unit=reform.quang_ngai, role=Role.OFFICE).user)
    return tree, reform.quang_ngai, old_office, new_office


def _counts(client, pages) -> dict[str, int]:
    return {name: _count(client, url(), cold=name.endswith("cold")) for name, (url, _pinned) in pages.items()}


def test_the_pages_of_2024_cost_the_same_for_a_small_and_a_large_district(both_periods):
    tree, _quang_ngai, office, _new = both_periods
    small = _counts(office, OLD_PAGES)
    _grow(tree.dak_glei, 90000, 40, dt.date(2024, 5, 1))
    large = _counts(office, OLD_PAGES)
    assert large == small
    assert large == {name: pinned for name, (_url, pinned) in OLD_PAGES.items()}


def test_the_pages_of_2025_cost_the_same_for_a_small_and_a_large_province(both_periods):
    _tree, quang_ngai, _old, office = both_periods
    small = _counts(office, NEW_PAGES)
    _grow(quang_ngai, 95000, 40, dt.date(2025, 8, 1), since=REFORM_DATE)
    large = _counts(office, NEW_PAGES)
    assert large == small
    assert large == {name: pinned for name, (_url, pinned) in NEW_PAGES.items()}
