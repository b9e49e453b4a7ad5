"""What the dashboards show stays fresh: statuses written by fingerprint, the page data version, the cached bodies.

reports.services.store_statuses rewrites only the statuses whose result changed and moves the data version when it
wrote anything; saves of the watched models (reports.freshness.WATCHED) move it too; the province and district
dashboards cache their body under it, so a warm page is never older than the last change.

Kon Tum (Tây Nguyên) in May 2024 with the sample standard set (tests/criteria/samples.py): income at least 54,
poverty at most 6.5 %, the general plan approved. Its rural communes: Đắk Pék and Đắk Môn (Huyện Đắk Glei), Đắk Xú
(Huyện Ngọc Hồi).
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communes.models import AdministrativeUnit, Level
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report
from monthly.services import approve_report, save_values, submit_report, unapprove_report
from records.models import Recognition, Target, TargetKind
from reports.freshness import data_version
from reports.models import Status
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD

pytestmark = pytest.mark.django_db

MAY = dt.date(2024, 5, 1)
GOOD = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}  # 3/3: standard
WEAK = {"income_per_capita": "40", "poverty_rate": "8", "plan_approved": True}  # fails 10 (key) and 11: 1/3
POOR = {"income_per_capita": "55", "poverty_rate": "8", "plan_approved": True}  # fails 11 only: 2/3


@pytest.fixture(autouse=True)
def criteria():
    import_criteria_text(STANDARD)


@pytest.fixture
def clock(monkeypatch):
    """Move the clock on: what is written after `clock(hours)` carries a later time than what was written before."""
    start = timezone.now()

    def move(hours: int) -> dt.datetime:
        moment = start + dt.timedelta(hours=hours)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return move


@pytest.fixture
def approved(district_user, office_user):
    def approve(unit, raw) -> Report:
        report = save_values(unit=unit, period=MAY, raw=raw, by=district_user)
        report = submit_report(report=report, by=district_user)
        return approve_report(report=report, by=office_user)

    return approve


@pytest.fixture
def corrected(district_user, office_user):
    """The office withdraws the approval of a unit's May report; the district corrects it; the office approves it."""

    def correct(unit, raw) -> Report:
        report = Report.objects.get(unit=unit, period=MAY)
        unapprove_report(report=report, by=office_user, reason="Số liệu chưa khớp điều tra")
        save_values(unit=unit, period=MAY, raw=raw, by=district_user)
        report = submit_report(report=Report.objects.get(pk=report.pk), by=district_user)
        return approve_report(report=report, by=office_user)

    return correct


@pytest.fixture
def dak_xu(tree):
    return AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)


def _recompute() -> int:
    return recompute_statuses(period=MAY, units=tracked_units())


def _stored() -> dict[str, tuple]:
    """The month's statuses by unit code: (pk, computed_at, tier, criteria met)."""
    return {
        code: (pk, computed_at, tier, met)
        for code, pk, computed_at, tier, met in Status.objects.filter(period=MAY).values_list(
            "unit__code", "pk", "computed_at", "tier", "criteria_met"
        )
    }


# ---------------------------------------------------------------- statuses written by fingerprint


def test_recomputing_unchanged_figures_rewrites_nothing_and_keeps_the_version(tree, approved, dak_xu, clock):
    approved(tree.dak_pek, GOOD)
    approved(tree.dak_mon, WEAK)
    approved(dak_xu, POOR)
    assert _recompute() == 6  # three communes, three districts (Gia Lai's KBang among them)
    before, version = _stored(), data_version()
    assert len(before) == 6

    clock(hours=1)
    assert _recompute() == 6

    assert _stored() == before  # same rows, same computed_at
    assert data_version() == version


def test_a_changed_figure_rewrites_only_that_units_status_and_moves_the_version(
    tree, approved, corrected, dak_xu, clock
):
    approved(tree.dak_pek, GOOD)
    approved(tree.dak_mon, WEAK)
    approved(dak_xu, POOR)
    _recompute()
    before = _stored()

    later = clock(hours=1)
    corrected(tree.dak_mon, POOR)  # income now reaches 54: 2 of 3
    version = data_version()
    _recompute()

    after = _stored()
    assert data_version() > version
    mon_pk, mon_computed_at, mon_tier, mon_met = after["23341"]
    assert (mon_pk, mon_tier, mon_met) == (before["23341"][0], "", 2)  # updated in place
    assert mon_computed_at == later != before["23341"][1]
    assert before["23341"][3] == 1
    # The other communes and the districts (no district set: nothing of theirs changed) are left as they were.
    assert {code: row for code, row in after.items() if code != "23341"} == {
        code: row for code, row in before.items() if code != "23341"
    }


def test_a_unit_without_a_result_any_more_loses_its_status(tree, approved, office_user, clock):
    approved(tree.dak_pek, GOOD)
    mon = approved(tree.dak_mon, WEAK)
    _recompute()
    before = _stored()
    assert "23341" in before

    clock(hours=1)
    unapprove_report(report=mon, by=office_user, reason="Chưa có số liệu điều tra")  # its only approved report
    version = data_version()
    assert _recompute() == 4  # Đắk Pék and the three districts

    after = _stored()
    assert "23341" not in after
    assert not Status.objects.filter(unit=tree.dak_mon).exists()
    assert data_version() > version
    assert after == {code: row for code, row in before.items() if code != "23341"}


def test_a_recompute_that_adds_a_status_moves_the_version(tree, approved, dak_xu):
    approved(tree.dak_pek, GOOD)
    _recompute()
    approved(dak_xu, GOOD)
    version = data_version()

    _recompute()

    assert Status.objects.filter(unit=dak_xu, period=MAY, tier="standard").exists()
    assert data_version() > version


# ---------------------------------------------------------------- watched models


def test_saving_or_deleting_a_recognition_or_a_target_moves_the_version(tree):
    programme = Programme.objects.get(code="2021-2025")
    versions = [data_version()]

    recognition = Recognition.objects.create(
        unit=tree.dak_pek,
        tier="standard",
        programme=programme,
        decision_number="1234/QĐ-UBND",
        decision_date=dt.date(2023, 12, 20),
        issuer="UBND tỉnh Kon Tum",
    )
    versions.append(data_version())
    recognition.revoked_decision_number = "89/QĐ-UBND"
    recognition.revoked_date = dt.date(2024, 8, 1)
    recognition.save()
    versions.append(data_version())
    target = Target.objects.create(
        unit=tree.province, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=2
    )
    versions.append(data_version())
    target.value = 3
    target.save()
    versions.append(data_version())
    target.delete()
    versions.append(data_version())
    recognition.delete()
    versions.append(data_version())

    assert versions == sorted(set(versions))  # strictly increasing: every save and delete moved it
    assert len(versions) == 7


# ---------------------------------------------------------------- cached dashboards


def _province_page(client):
    return client.get(reverse("reports:province-dashboard", args=["62"]) + "?month=2024-05")


def _district_page(client):
    return client.get(reverse("reports:district-dashboard", args=["610"]) + "?month=2024-05")


def test_a_warm_page_never_shows_a_status_older_than_the_last_recompute(tree, approved, corrected, office_client):
    approved(tree.dak_pek, GOOD)
    approved(tree.dak_mon, WEAK)
    _recompute()

    first = _province_page(office_client)  # the body is now cached
    assert first.status_code == 200
    assert "theo số liệu 1 xã đạt" in first.text
    assert "bình quân <strong>2,0</strong> tiêu chí/xã" in first.text  # (3 + 1) / 2

    # Đắk Môn's figures are corrected and approved; the page is viewed before the recompute has run.
    corrected(tree.dak_mon, GOOD)
    between = _province_page(office_client)
    assert "theo số liệu 1 xã đạt" in between.text  # still the statuses of the last recompute

    _recompute()
    with CaptureQueriesContext(connection) as cold:
        fresh = _province_page(office_client)
    assert "theo số liệu 2 xã đạt" in fresh.text
    assert "bình quân <strong>3,0</strong> tiêu chí/xã" in fresh.text
    assert "theo số liệu 1 xã đạt" not in fresh.text

    # Nothing changed since: the page comes from the cache, the same page for three queries (session, user, version).
    with CaptureQueriesContext(connection) as warm:
        again = _province_page(office_client)
    assert again.content == fresh.content
    assert len(warm) == 3 < len(cold)


def test_a_warm_page_is_served_from_the_cache_until_something_changes(tree, approved, office_client):
    approved(tree.dak_pek, GOOD)
    _recompute()
    with CaptureQueriesContext(connection) as cold:
        first = _province_page(office_client)
    with CaptureQueriesContext(connection) as warm:
        second = _province_page(office_client)
    assert second.content == first.content
    assert len(warm) == 3 < len(cold)

    # A target saved: the version moves, the body is built again (and says so).
    Target.objects.create(
        unit=tree.province, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=2
    )
    with CaptureQueriesContext(connection) as rebuilt:
        third = _province_page(office_client)
    assert len(rebuilt) > len(warm)
    assert "kế hoạch 2025: 2 xã" in third.text
    assert "kế hoạch 2025: 2 xã" not in first.text


def test_the_district_page_shows_a_recognition_saved_after_it_was_cached(tree, approved, district_client):
    approved(tree.dak_pek, GOOD)
    _recompute()
    recognised = '<span class="tier tier-standard recognised">Đạt chuẩn NTM</span>'
    first = _district_page(district_client)
    assert first.status_code == 200
    assert recognised not in first.text

    Recognition.objects.create(
        unit=tree.dak_pek,
        tier="standard",
        programme=Programme.objects.get(code="2021-2025"),
        decision_number="1234/QĐ-UBND",
        decision_date=dt.date(2023, 12, 20),
        issuer="UBND tỉnh Kon Tum",
    )

    assert recognised in _district_page(district_client).text


def test_a_bulk_import_of_the_unit_lists_moves_the_version(db):
    """import_divisions writes units, lineage and positions in bulk (no post_save): it announces them instead."""
    from communes.signals import units_imported

    before = data_version()
    units_imported.send(sender=None)
    assert data_version() == before + 1


def test_a_kept_page_is_not_served_once_the_membership_is_gone(tree, approved, office_user, office_client):
    """The whole page is kept for the session that saw it; a membership removed moves the version, so the next
    request checks the scope again and answers 404."""
    from communes.models import Membership

    approved(tree.dak_pek, GOOD)
    _recompute()
    assert _province_page(office_client).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert _province_page(office_client).status_code == 200
    assert len(warm) == 3
    Membership.objects.filter(user=office_user).delete()
    assert _province_page(office_client).status_code == 404


def test_a_kept_page_belongs_to_its_session(tree, approved, office_user, office_client, client_for):
    approved(tree.dak_pek, GOOD)
    _recompute()
    first = _province_page(office_client)
    other = client_for(office_user)  # the same person, another browser: its own session
    with CaptureQueriesContext(connection) as elsewhere:
        second = _province_page(other)
    assert second.status_code == 200
    assert second.context is not None  # rendered for this session (its body from the cache of bodies), not copied
    assert len(elsewhere) > 3
    assert first.status_code == 200


def test_a_page_with_messages_waiting_is_neither_kept_nor_served_from_the_cache(rf, office_user):
    from django.contrib.messages import add_message, constants
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from reports.freshness import _page_key

    request = rf.get("/dashboard/62/?month=2024-05")
    request.user = office_user
    request.session = SessionStore()
    request.session.save()
    request._messages = FallbackStorage(request)
    assert _page_key(request) is not None
    add_message(request, constants.SUCCESS, "Đã lưu.")
    assert _page_key(request) is None
