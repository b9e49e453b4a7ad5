"""Only the units the criteria judge (CriteriaSet.unit_kinds, `applies_to` in the YAML) are counted, listed or
named: a ward and a town of the tree appear in no bucket, average, district table or document."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.models import AdministrativeUnit, Level
from criteria.models import CriteriaSet, Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus
from reports.models import Status
from reports.services import judged_units, recompute_statuses
from tests.criteria.samples import STANDARD
from tests.factories import unit

DEC = dt.date(2024, 12, 1)
MONTH = "2024-12"


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    moment = timezone.make_aware(dt.datetime(2025, 1, 10, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def programme(db):
    import_criteria_text(STANDARD)  # applies_to: [xa]
    return Programme.objects.get(code="2021-2025")


@pytest.fixture
def ward(tree):
    city = unit("608", "Thành phố Kon Tum", Level.DISTRICT, tree.province)
    return unit("23281", "Phường Quyết Thắng", Level.COMMUNE, city)


def _status(commune, programme, met: int) -> Status:
    return Status.objects.create(
        unit=commune, period=DEC, programme=programme, tier="", criteria_met=met, criteria_total=3, sets={}
    )


@pytest.fixture
def statuses(tree, ward, programme):
    """Each xã has met 2 criteria; the ward and the town carry a stored status of 0 (as computed before)."""
    for commune in AdministrativeUnit.objects.filter(path__startswith=tree.province.path, level=Level.COMMUNE):
        _status(commune, programme, 2 if commune.kind == "xa" else 0)
    return tree


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_judged_units_are_the_kinds_the_sets_apply_to(tree, ward, programme):
    communes = set(judged_units(tree.province).filter(level=Level.COMMUNE).values_list("kind", flat=True))
    assert communes == {"xa"}
    # The districts keep their own figure (QĐ 320), whatever their kind.
    assert judged_units(tree.province).filter(level=Level.DISTRICT).count() == 3


def test_recompute_gives_no_status_to_a_ward_or_a_town(tree, ward, programme):
    communes = AdministrativeUnit.objects.filter(path__startswith=tree.province.path, level=Level.COMMUNE)
    for commune in communes:  # every commune has approved figures, the ward and the town too
        Report.objects.create(unit=commune, period=DEC, programme=programme, status=ReportStatus.APPROVED)
    recompute_statuses(period=DEC, units=AdministrativeUnit.objects.filter(path__startswith=tree.province.path))
    kinds = set(Status.objects.filter(unit__level=Level.COMMUNE).values_list("unit__kind", flat=True))
    assert kinds == {"xa"}


def test_province_dashboard_buckets_average_and_districts_leave_out_wards_and_towns(statuses, office_client):
    response = office_client.get(reverse("reports:province-dashboard", args=["62"]) + f"?month={MONTH}")
    summary = response.context["summary"]
    assert (summary.communes, summary.with_status) == (3, 3)  # Đắk Pék, Đắk Môn, Đắk Xú
    assert sum(n for _label, n in summary.buckets) == 3
    assert summary.average == Decimal("2.0")  # the zeros of the ward and the town do not pull it down
    rows = {row.unit.code if row.unit else "": row for row in response.context["districts"]}
    # No commune sent December's figures: the two xã are overdue, the town is not asked.
    assert (rows["610"].communes, rows["610"].reporting, rows["610"].overdue) == (2, 2, 2)
    assert (rows["608"].communes, rows["608"].reporting, rows["608"].overdue) == (0, 0, 0)
    assert "Phường Quyết Thắng" not in _text(response)


def test_province_document_names_no_ward_or_town(statuses, office_client):
    response = office_client.get(f"/pdf/province/62/{MONTH}/?preview=1")
    assert response.status_code == 200
    text = _text(response)
    assert response.context["summary"].communes == 3
    for name in ("Phường Quyết Thắng", "Thị trấn Đắk Glei", "Thị trấn Plei Kần"):
        assert name not in text, name
    overdue = {commune.name for commune, _district in response.context["overdue_units"]}
    assert overdue == {"Xã Đắk Pék", "Xã Đắk Môn", "Xã Đắk Xú"}  # the ward and the towns are not asked


def test_directive_names_no_ward_or_town(statuses, office_client):
    text = _text(office_client.get(f"/pdf/directive/62/{MONTH}/?preview=1"))
    for name in ("thị trấn", "phường quyết thắng"):
        assert name not in text.lower(), name


def test_changing_applies_to_in_data_changes_what_is_judged(statuses, office_client):
    CriteriaSet.objects.filter(code="commune-standard").update(unit_kinds=["xa", "thi_tran"])
    response = office_client.get(reverse("reports:province-dashboard", args=["62"]) + f"?month={MONTH}")
    summary = response.context["summary"]
    assert summary.communes == 5  # the two towns now count; the ward still does not
    assert summary.average == Decimal("1.2")
    kinds = set(judged_units().filter(level=Level.COMMUNE).values_list("kind", flat=True))
    assert kinds == {"xa", "thi_tran"}
    CriteriaSet.objects.filter(code="commune-standard").update(unit_kinds=[])  # empty: every kind of the level
    assert (
        judged_units().filter(level=Level.COMMUNE).count()
        == AdministrativeUnit.objects.filter(level=Level.COMMUNE).count()
    )
