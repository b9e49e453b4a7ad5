"""Recomputing statuses as a task (reports/tasks.py): what approving queues, what pages show while the recompute is
pending or after it failed, and how a later run clears the marks.

Approving Đắk Pék's May report concerns Huyện Đắk Glei and its rural communes, Đắk Pék and Đắk Môn (a district's
shares depend on all its communes); Thị trấn Đắk Glei is not judged as a xã, so it is never marked.
"""

import datetime as dt
import io
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus, default_task_backend
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from communes.models import Role
from criteria.yaml_io import import_criteria_text
from monthly.models import ReportStatus
from monthly.services import approve_report, save_values, submit_report, unapprove_report
from reports import services, tasks
from reports.models import RecomputeMark, Status
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MAY, JUNE = dt.date(2024, 5, 1), dt.date(2024, 6, 1)
GOOD = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def criteria():
    import_criteria_text(STANDARD)


@pytest.fixture
def official(tree):
    return MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user


@pytest.fixture
def submitted(tree, official):
    report = save_values(unit=tree.dak_pek, period=MAY, raw=GOOD, by=official)
    return submit_report(report=report, by=official)


@pytest.fixture
def failing(monkeypatch):
    """Every recompute raises, as a bug in the criteria or a lost database connection would."""

    def fail(**kwargs):
        raise RuntimeError("the criteria could not be evaluated")

    monkeypatch.setattr(services, "recompute_statuses", fail)
    return monkeypatch


def _marked(period=MAY) -> set[str]:
    return set(RecomputeMark.objects.filter(period=period).values_list("unit__code", flat=True))


def _district_page(client) -> str:
    return client.get(reverse("reports:district-dashboard", args=["610"]) + "?month=2024-05").text


# ---------------------------------------------------------------- what approving queues


def test_approving_queues_one_recompute_and_marks_the_units_concerned(
    tree, submitted, office_client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY  # keeps what is queued, runs nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(reverse("monthly:approve", args=["23353", "2024-05"]))

    assert response.status_code == 302
    [queued] = default_task_backend.results
    assert queued.task.func is tasks.recompute_after_approval.func
    assert queued.kwargs == {"unit_ids": [tree.dak_pek.pk], "month": "2024-05", "token": queued.kwargs["token"]}
    assert _marked() == {"610", "23353", "23341"}
    assert {str(t) for t in RecomputeMark.objects.values_list("token", flat=True)} == {queued.kwargs["token"]}
    assert not Status.objects.exists()

    # Until the worker runs it, the district page says so instead of showing figures.
    page = _district_page(office_client)
    assert page.count(">đang tính lại<") == 3  # the district's standing and both communes' rows
    assert "3 đơn vị đang được tính lại kết quả tháng này" in page

    # Đắk Pék and the district; Đắk Môn has no approved figures, so no result (it was marked all the same).
    assert tasks.recompute_after_approval.call(**queued.kwargs) == 2
    assert not RecomputeMark.objects.exists()
    assert Status.objects.get(unit=tree.dak_pek, period=MAY).tier == "standard"
    assert "đang tính lại" not in _district_page(office_client)


def test_unapproving_queues_one_recompute_from_that_month_on(
    tree, submitted, office_user, settings, django_capture_on_commit_callbacks
):
    report = approve_report(report=submitted, by=office_user)
    call_command("recompute_status", "--month", "2024-06", stdout=io.StringIO())
    settings.TASKS = DUMMY

    with django_capture_on_commit_callbacks(execute=True):
        unapprove_report(report=report, by=office_user, reason="Sai tỷ lệ nghèo")

    [queued] = default_task_backend.results
    assert queued.kwargs["month"] == "2024-05"
    # June's statuses carry May's figures forward: they are being recomputed too.
    assert _marked(MAY) == _marked(JUNE) == {"610", "23353", "23341"}


# ---------------------------------------------------------------- a failing recompute


@pytest.mark.parametrize("rerun", ["task", "command"])
def test_a_failing_recompute_leaves_the_approval_standing_and_the_units_marked_until_a_later_run(
    tree, submitted, office_client, failing, caplog, django_capture_on_commit_callbacks, rerun
):
    with caplog.at_level(logging.ERROR, logger="reports.tasks"), django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(reverse("monthly:approve", args=["23353", "2024-05"]))

    # The approval committed before the recompute ran: the office sees it done, the figures are locked.
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    # Nothing silently lost: the failure is logged, the units stay marked and the pages say so.
    [record] = [r for r in caplog.records if r.name == "reports.tasks"]
    assert record.exc_info[0] is RuntimeError
    assert "they stay marked stale" in record.getMessage()
    assert _marked() == {"610", "23353", "23341"}
    assert not Status.objects.exists()
    assert "đang tính lại" in _district_page(office_client)
    province = office_client.get(reverse("reports:province-dashboard", args=["62"]) + "?month=2024-05").text
    assert "đang tính lại" in province
    scorecard = office_client.get(reverse("reports:scorecard", args=["23353"]) + "?month=2024-05")
    assert scorecard.context["stale"] is True
    assert "kết quả lưu của tháng 05/2024 đang được tính lại" in scorecard.text

    failing.undo()
    if rerun == "task":
        token = str(RecomputeMark.objects.values_list("token", flat=True).first())
        result = tasks.recompute_after_approval.enqueue(unit_ids=[tree.dak_pek.pk], month="2024-05", token=token)
        assert result.status == TaskResultStatus.SUCCESSFUL
    else:
        call_command("recompute_status", "--month", "2024-05", stdout=io.StringIO())

    assert not RecomputeMark.objects.exists()
    assert Status.objects.get(unit=tree.dak_pek, period=MAY).tier == "standard"
    assert "đang tính lại" not in _district_page(office_client)


def test_the_command_reports_a_failed_recompute_and_leaves_the_month_marked(tree, failing):
    with pytest.raises(CommandError, match=r"Không tính lại được kết quả tháng 05/2024 của Huyện Đắk Glei"):
        call_command("recompute_status", "--month", "2024-05", "--unit", "610")

    assert _marked() == {"610", "23353", "23341"}


# ---------------------------------------------------------------- marks and tokens


def test_a_recompute_clears_only_the_marks_of_its_own_token(tree):
    """A recompute queued before another approval may have read the older figures: only the newer one clears."""
    units = services.tracked_units(tree.dak_glei)
    first = services.mark_stale(units=units, periods=[MAY])
    second = services.mark_stale(units=units, periods=[MAY])  # another approval, before the first task ran

    services.recompute_marked(units=units, periods=[MAY], token=first)
    assert _marked() == {"610", "23353", "23341"}

    services.recompute_marked(units=units, periods=[MAY], token=second)
    assert not RecomputeMark.objects.exists()
    assert uuid.UUID(first) != uuid.UUID(second)


def test_dashboards_know_which_units_are_being_recomputed(tree, office_client):
    services.mark_stale(units=services.tracked_units(tree.dak_glei), periods=[MAY])
    page = office_client.get(reverse("reports:province-dashboard", args=["62"]) + "?month=2024-05")
    assert page.context["rows"].stale == {tree.dak_glei.pk, tree.dak_pek.pk, tree.dak_mon.pk}


# ---------------------------------------------------------------- the database backend (production)


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_command_queues_and_the_worker_recomputes(tree, settings, capsys):
    settings.TASKS = DATABASE

    call_command("recompute_status", "--month", "2024-05", "--unit", "610")

    out = capsys.readouterr().out
    assert "Đã xếp hàng tính lại 3 đơn vị tháng 05/2024 của Huyện Đắk Glei" in out
    assert "db_worker" in out
    assert _marked() == {"610", "23353", "23341"}
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    task = DBTaskResult.objects.get()
    # No commune has approved figures: only the district gets a result (its communes' shares).
    assert (task.status, task.return_value) == (TaskResultStatus.SUCCESSFUL, 1)
    assert not RecomputeMark.objects.exists()
    assert list(Status.objects.filter(period=MAY).values_list("unit__code", flat=True)) == ["610"]


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_the_tasks_backend_is_chosen_by_the_environment():
    assert _check({"DJANGO_TASKS_BACKEND": "database"}).returncode == 0
    result = _check({"DJANGO_TASKS_BACKEND": "celery"})
    assert result.returncode != 0
    assert "DJANGO_TASKS_BACKEND must be one of immediate, database, not 'celery'." in result.stderr
