"""A database migrated before the split of `communes` (commit f5c36f9) reaches today's layout without losing a row.

The test rolls the test database back to the leaf migrations of that time, fills every table that moved with the
historical models, migrates forward and reads everything back through today's models: the rows, their field values
and foreign keys, and the content type (with the permissions and groups that hang on it) now under its new app.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Our apps' leaf migrations before the split. The other apps (contrib, third-party) stay at their leaves: none of
# them depends on the portal's apps and the split did not touch them.
OLD_LEAVES = [("communes", "0004_api_token"), ("criteria", "0001_initial"), ("reports", "0002_document_settings")]
NEW_APPS = ("monthly", "records", "api")
OLD_TARGETS = OLD_LEAVES + [(app, None) for app in NEW_APPS]

# model name -> (app label after the split, db table, which was never renamed)
MOVED = {
    "report": ("monthly", "communes_report"),
    "value": ("monthly", "communes_value"),
    "valuechange": ("monthly", "communes_valuechange"),
    "reportevent": ("monthly", "communes_reportevent"),
    "recognition": ("records", "communes_recognition"),
    "target": ("records", "communes_target"),
    "communeplan": ("records", "communes_communeplan"),
    "apitoken": ("api", "communes_apitoken"),
}

APPROVED_AT = datetime(2024, 6, 3, 2, 30, tzinfo=UTC)


def _migrate(targets) -> MigrationExecutor:
    """Migrate the test database to `targets` and return an executor whose loader sees the result."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # the applied set changed; Django's own migration tests reload the same way
    return executor


def _leaf_nodes() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrate_to_old_layout():
    """Roll back to before the split and return the historical apps of that state."""
    executor = _migrate(OLD_TARGETS)
    applied = [key for key in executor.loader.applied_migrations if key in executor.loader.graph.nodes]
    assert not [key for key in applied if key[0] in NEW_APPS]
    assert ("communes", "0005_move_models_to_apps") not in applied
    return executor.loader.project_state(applied).apps


def _rows(model) -> list[dict]:
    return list(model.objects.order_by("pk").values())


def _fill_old_database(old_apps) -> dict:
    """One row (or a few) in every table that moved, plus the tree, programme and measures they point at."""
    User = old_apps.get_model("auth", "User")
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    Permission = old_apps.get_model("auth", "Permission")
    Group = old_apps.get_model("auth", "Group")
    Unit = old_apps.get_model("communes", "AdministrativeUnit")
    Programme = old_apps.get_model("criteria", "Programme")
    Measure = old_apps.get_model("criteria", "Measure")
    Report = old_apps.get_model("communes", "Report")
    Value = old_apps.get_model("communes", "Value")
    ValueChange = old_apps.get_model("communes", "ValueChange")
    ReportEvent = old_apps.get_model("communes", "ReportEvent")
    Recognition = old_apps.get_model("communes", "Recognition")
    Target = old_apps.get_model("communes", "Target")
    CommunePlan = old_apps.get_model("communes", "CommunePlan")
    ApiToken = old_apps.get_model("communes", "ApiToken")

    # Historical models have no save() of their own: path, search and sort keys are written as the model would.
    province = Unit.objects.create(
        code="62",
        level="province",
        kind="tinh",
        name="Tỉnh Kon Tum",
        short_name="Kon Tum",
        region="TN",
        path="62/",
        search_key="tinh kon tum 62",
        sort_key="kon tum",
        report_due_day=20,
    )
    district = Unit.objects.create(
        code="610",
        level="district",
        kind="huyen",
        name="Huyện Đắk Glei",
        short_name="Đắk Glei",
        parent=province,
        path="62/610/",
        search_key="huyen dak glei 610",
        sort_key="dak glei",
    )
    commune = Unit.objects.create(
        code="23353",
        level="commune",
        kind="xa",
        name="Xã Đắk Pék",
        short_name="Đắk Pék",
        parent=district,
        path="62/610/23353/",
        search_key="xa dak pek 23353",
        sort_key="dak pek",
        applies_tdmnpb_thresholds=True,
    )
    programme = Programme.objects.create(code="2021-2025", name="Giai đoạn 2021-2025", start_year=2021, end_year=2025)
    percent = Measure.objects.create(code="ty-le-ho-nghe-o", name="Tỷ lệ hộ nghèo", kind="percent", unit="%")
    flag = Measure.objects.create(code="co-quy-hoach", name="Có quy hoạch chung xây dựng xã", kind="boolean")
    level = Measure.objects.create(code="xep-loai-an-ninh", name="Xếp loại an ninh", kind="level", levels=["C", "B"])

    user = User.objects.create(username="can-bo-huyen", password="!", email="huyen@example.vn")
    report = Report.objects.create(
        unit=commune,
        period=date(2024, 5, 1),
        programme=programme,
        status="approved",
        version=3,
        updated_by=user,
        submitted_at=datetime(2024, 6, 1, 9, 0, tzinfo=UTC),
        is_late=True,
        approved_at=APPROVED_AT,
    )
    draft = Report.objects.create(unit=commune, period=date(2024, 6, 1), programme=programme)
    Value.objects.create(report=report, measure=percent, number=Decimal("3.2500"), note="theo rà soát cuối năm")
    Value.objects.create(report=report, measure=flag, flag=True)
    Value.objects.create(report=report, measure=level, level="B")
    Value.objects.create(report=draft, measure=percent, number=Decimal("2.9000"))
    ValueChange.objects.create(
        report=report, measure=percent, old_value="4", new_value="3,25", via="excel", changed_by=user
    )
    ReportEvent.objects.create(report=report, action="submitted", by=user)
    ReportEvent.objects.create(report=report, action="returned", by=user, reason="Thiếu minh chứng", criterion_number=1)
    ReportEvent.objects.create(report=report, action="approved", by=user)
    Recognition.objects.create(
        unit=commune,
        programme=programme,
        tier="standard",
        decision_number="1234/QĐ-UBND",
        decision_date=date(2024, 12, 20),
        issuer="UBND tỉnh Kon Tum",
        note="Đợt 2 năm 2024",
    )
    Target.objects.create(
        unit=province,
        year=2025,
        kind="units_at_tier",
        level="commune",
        tier="standard",
        value=56,
        source="Nghị quyết 01/NQ-HĐND",
    )
    CommunePlan.objects.create(unit=commune, tier="advanced", year=2025, note="Phấn đấu nâng cao")
    ApiToken.objects.create(
        user=user,
        name="CSDL Sở NN",
        prefix="ab12cd34",
        key_hash="f" * 64,
        can_write=True,
        expires_at=datetime(2027, 1, 1, tzinfo=UTC),
    )

    # The test database was built with today's app labels; a database of before the split knew these models
    # as communes.*, with their permissions and a group holding one.
    ContentType.objects.filter(model__in=MOVED, app_label__in=("communes", *NEW_APPS)).delete()
    content_types = {model: ContentType.objects.create(app_label="communes", model=model) for model in MOVED}
    permissions = {
        f"{action}_report": Permission.objects.create(
            content_type=content_types["report"], codename=f"{action}_report", name=f"Can {action} báo cáo tháng"
        )
        for action in ("add", "change", "delete", "view")
    }
    reviewers = Group.objects.create(name="Văn phòng điều phối (duyệt)")
    reviewers.permissions.add(permissions["change_report"], permissions["view_report"])
    user.groups.add(reviewers)

    models = [Report, Value, ValueChange, ReportEvent, Recognition, Target, CommunePlan, ApiToken]
    return {
        "rows": {model._meta.model_name: _rows(model) for model in models},
        "tables": {model._meta.model_name: model._meta.db_table for model in models},
        "units": (province.pk, district.pk, commune.pk),
        "report": report.pk,
        "user": user.pk,
        "content_types": {model: ct.pk for model, ct in content_types.items()},
        "permissions": {codename: perm.pk for codename, perm in permissions.items()},
        "group": reviewers.pk,
    }


def _assert_new_layout(before: dict) -> None:
    from api.models import ApiToken
    from communes.models import AdministrativeUnit
    from criteria.models import Measure
    from monthly.models import Report, ReportEvent, Value, ValueChange
    from records.models import CommunePlan, Recognition, Target

    models = [Report, Value, ValueChange, ReportEvent, Recognition, Target, CommunePlan, ApiToken]
    assert before["tables"] == {model: table for model, (_, table) in MOVED.items()}
    for model in models:
        name = model._meta.model_name
        assert model._meta.app_label == MOVED[name][0]
        assert model._meta.db_table == MOVED[name][1]
        # Every row, every column it had, every foreign key id (columns added since start empty).
        now = _rows(model)
        assert [{key: row[key] for key in then} for row, then in zip(now, before["rows"][name], strict=True)] == before[
            "rows"
        ][name], name
    assert {name: len(rows) for name, rows in before["rows"].items()} == {
        "report": 2,
        "value": 4,
        "valuechange": 1,
        "reportevent": 3,
        "recognition": 1,
        "target": 1,
        "communeplan": 1,
        "apitoken": 1,
    }

    # The foreign keys resolve through today's models, in both directions.
    province_pk, _, commune_pk = before["units"]
    report = Report.objects.select_related("unit__parent__parent", "programme", "updated_by").get(pk=before["report"])
    assert [report.unit.pk, report.unit.parent.pk, report.unit.parent.parent.pk] == list(reversed(before["units"]))
    assert (report.unit.code, report.programme.code) == ("23353", "2021-2025")
    assert (report.status, report.version, report.is_late, report.approved_at) == ("approved", 3, True, APPROVED_AT)
    assert report.updated_by.username == "can-bo-huyen"
    values = {v.measure.code: v.value for v in report.values.select_related("measure")}
    assert values == {"ty-le-ho-nghe-o": Decimal("3.2500"), "co-quy-hoach": True, "xep-loai-an-ninh": "B"}
    assert [e.action for e in report.events.all()] == ["submitted", "returned", "approved"]
    assert report.changes.get().measure == Measure.objects.get(code="ty-le-ho-nghe-o")
    commune = AdministrativeUnit.objects.get(pk=commune_pk)
    assert list(commune.reports.values_list("period", flat=True)) == [date(2024, 6, 1), date(2024, 5, 1)]
    assert commune.recognitions.get().decision_number == "1234/QĐ-UBND"
    assert commune.plans.get().tier == "advanced"
    assert AdministrativeUnit.objects.get(pk=province_pk).targets.get().value == 56
    token = ApiToken.objects.select_related("user").get()
    assert (token.user.pk, token.prefix, token.can_write) == (before["user"], "ab12cd34", True)
    assert token.user.api_tokens.get() == token

    # The content types moved in place (same ids), so permissions, groups and admin history follow them.
    ContentType.objects.clear_cache()
    for name, pk in before["content_types"].items():
        ct = ContentType.objects.get(pk=pk)
        assert (ct.app_label, ct.model) == (MOVED[name][0], name)
    assert not ContentType.objects.filter(app_label="communes", model__in=MOVED).exists()
    assert ContentType.objects.get_for_model(Report).pk == before["content_types"]["report"]
    group = Group.objects.get(pk=before["group"])
    assert sorted(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("monthly", "change_report"),
        ("monthly", "view_report"),
    ]
    user = type(token.user).objects.get(pk=before["user"])  # a fresh instance: permissions are cached per object
    assert user.has_perm("monthly.change_report")
    assert not user.has_perm("communes.change_report")


@pytest.mark.django_db(transaction=True)
def test_a_database_of_before_the_split_migrates_without_losing_a_row():
    try:
        before = _fill_old_database(_migrate_to_old_layout())

        _migrate(_leaf_nodes())
        _assert_new_layout(before)

        # `manage.py migrate` ends with post_migrate, which creates missing content types and permissions: the
        # moved ones are found under their new label, so nothing is duplicated.
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        _assert_new_layout(before)
        assert Permission.objects.filter(content_type__app_label="monthly", codename="change_report").count() == 1

        # And back again: the rows stay, the content types return to communes; then forward once more.
        old_apps = _migrate_to_old_layout()
        OldReport = old_apps.get_model("communes", "Report")
        assert _rows(OldReport) == before["rows"]["report"]
        assert old_apps.get_model("communes", "Value").objects.count() == 4
        ContentType.objects.clear_cache()
        assert ContentType.objects.get(pk=before["content_types"]["report"]).app_label == "communes"

        _migrate(_leaf_nodes())
        _assert_new_layout(before)
    finally:
        # The rest of the suite runs on this database: leave it fully migrated whatever happened above.
        _migrate(_leaf_nodes())
        ContentType.objects.clear_cache()
