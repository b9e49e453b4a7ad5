"""The overdue board and the entry page ask only the communes the criteria judge (criteria data, not code)."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from communes.models import Level
from criteria.models import CriteriaSet
from criteria.models import Level as CriteriaLevel
from criteria.yaml_io import import_criteria_text
from monthly.judged import is_judged, judged_kinds_in, not_judged_page
from tests.criteria.samples import STANDARD
from tests.factories import unit

MAY = dt.date(2024, 5, 1)


@pytest.fixture(autouse=True)
def criteria(db):
    import_criteria_text(STANDARD)  # applies_to: [xa]


@pytest.fixture
def ward(tree):
    city = unit("608", "Thành phố Kon Tum", Level.DISTRICT, tree.province)
    return unit("23281", "Phường Quyết Thắng", Level.COMMUNE, city)


@pytest.fixture(autouse=True)
def after_due_day(monkeypatch):
    moment = timezone.make_aware(dt.datetime(2024, 6, 10, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _pending(client) -> set[str]:
    response = client.get(reverse("monthly:overdue", args=["2024-05"]))
    assert response.status_code == 200
    return {row.unit.name for row in response.context["pending"]}


def test_overdue_board_lists_neither_a_ward_nor_a_town(tree, ward, office_client):
    pending = _pending(office_client)
    assert pending == {"Xã Đắk Pék", "Xã Đắk Môn", "Xã Đắk Xú"}


def test_changing_applies_to_in_data_changes_the_overdue_board(tree, ward, office_client):
    CriteriaSet.objects.filter(code="commune-standard").update(unit_kinds=["xa", "phuong"])
    assert "Phường Quyết Thắng" in _pending(office_client)
    assert "Thị trấn Đắk Glei" not in _pending(office_client)


def test_judged_kinds_are_the_union_of_the_sets_in_force(tree):
    assert judged_kinds_in(MAY, CriteriaLevel.COMMUNE).kinds == {"xa"}
    assert not judged_kinds_in(MAY, CriteriaLevel.DISTRICT)  # no district set loaded here
    assert not judged_kinds_in(dt.date(2027, 5, 1), CriteriaLevel.COMMUNE)  # no programme that year
    CriteriaSet.objects.update(unit_kinds=[])
    assert judged_kinds_in(MAY, CriteriaLevel.COMMUNE).every


def test_the_entry_page_refusal_explains_why_to_a_town(tree, office_user):
    request = RequestFactory().get("/")
    request.user = office_user
    assert is_judged(tree.dak_pek, MAY)
    assert not is_judged(tree.dak_glei_town, MAY)
    assert not_judged_page(request, tree.dak_pek, MAY) is None
    response = not_judged_page(request, tree.dak_glei_town, MAY, status=409)
    assert response.status_code == 409
    assert "không phải đối tượng của bộ tiêu chí nông thôn mới" in response.content.decode()
