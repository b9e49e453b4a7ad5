"""Names in force in the period shown (issue 14, item 9): a rename or a change of kind is a new version of the same
unit, which keeps its former names; unit pages, dashboards and documents show the name in force on their day.

The test tree after the reform has the merged Quảng Ngãi (51); here it becomes a city on a re-run of the import, as
Quảng Ninh, Bắc Ninh and Đồng Nai did between vietnam-provinces 2026.2.3 and 2026.9.0. Today is 10/10/2026.
"""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from communes.divisions import SINCE_2025, ImportResult, _sync_level, correction_renames, load_corrections
from communes.models import AdministrativeUnit, Kind, Level
from communes.permissions import unit_or_404
from tests.factories import reform_kon_tum

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 10)
BEFORE, UNTIL = dt.date(2026, 9, 19), dt.date(2026, 9, 20)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    moment = timezone.make_aware(dt.datetime(2026, 10, 10, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _sync_provinces(*rows: tuple[str, str], renames: dict | None = None) -> ImportResult:
    result = ImportResult()
    _sync_level(SINCE_2025, Level.PROVINCE, [(code, name, None) for code, name in rows], {}, result, renames or {})
    return result


@pytest.fixture
def city(tree):
    """Quảng Ngãi (51) renamed by a re-run of the import; its former name corrected to the data's date, as the
    correction file does for the three real provinces."""
    reform = reform_kon_tum(tree)
    _sync_provinces(("51", "Thành phố Quảng Ngãi"))
    unit = AdministrativeUnit.objects.get(pk=reform.quang_ngai.pk)
    unit.former_names[0]["until"] = UNTIL.isoformat()
    AdministrativeUnit.objects.filter(pk=unit.pk).update(former_names=unit.former_names)
    return AdministrativeUnit.objects.get(pk=unit.pk)


def test_a_rename_seen_by_a_rerun_of_the_import_is_kept_as_a_former_name(tree):
    quang_ngai = reform_kon_tum(tree).quang_ngai
    result = _sync_provinces(("51", "Thành phố Quảng Ngãi"))
    assert result.counts[(SINCE_2025, Level.PROVINCE)].renamed == ["Tỉnh Quảng Ngãi → Thành phố Quảng Ngãi"]
    unit = AdministrativeUnit.objects.get(pk=quang_ngai.pk)
    assert (unit.name, unit.short_name, unit.kind) == ("Thành phố Quảng Ngãi", "Quảng Ngãi", Kind.THANH_PHO_TW)
    [entry] = unit.former_names
    # The data has no effective date: the day of the run, not verified, and the package named as the source.
    assert entry | {"source": ""} == {
        "name": "Tỉnh Quảng Ngãi",
        "short_name": "Quảng Ngãi",
        "kind": Kind.TINH,
        "until": "2026-10-10",
        "source": "",
        "date_verified": False,
    }
    assert entry["source"].startswith("vietnam-provinces ")
    # The same list again changes nothing.
    again = _sync_provinces(("51", "Thành phố Quảng Ngãi"))
    assert again.counts[(SINCE_2025, Level.PROVINCE)].unchanged == 1
    assert AdministrativeUnit.objects.get(pk=quang_ngai.pk).former_names == [entry]


def test_named_on_gives_the_name_in_force_that_day(city):
    assert city.named_on(BEFORE).name == "Tỉnh Quảng Ngãi"
    assert (city.short_name, city.kind, city.current_name) == ("Quảng Ngãi", Kind.TINH, "Thành phố Quảng Ngãi")
    # Named again, from the stored names, not from the shown ones.
    assert city.named_on(UNTIL).name == "Thành phố Quảng Ngãi"
    assert (city.kind, city.current_name) == (Kind.THANH_PHO_TW, "")
    assert city.named_on(dt.date(2025, 7, 1)).name == "Tỉnh Quảng Ngãi"
    # A unit with no former names is unchanged.
    gia_lai = AdministrativeUnit.objects.get(code="64").named_on(BEFORE)
    assert (gia_lai.name, gia_lai.current_name) == ("Tỉnh Gia Lai", "")


def test_save_never_writes_a_former_name_back(city):
    city.named_on(BEFORE)
    city.report_due_day = 20
    city.save()
    stored = AdministrativeUnit.objects.get(pk=city.pk)
    assert (stored.name, stored.kind, stored.report_due_day) == ("Thành phố Quảng Ngãi", Kind.THANH_PHO_TW, 20)
    assert stored.sort_key == city.sort_key
    # A name the caller sets on a named unit is theirs to save.
    stored.named_on(BEFORE)
    stored.name = "Thành phố Quảng Ngãi Mới"
    stored.save()
    assert AdministrativeUnit.objects.get(pk=city.pk).name == "Thành phố Quảng Ngãi Mới"


def test_ancestors_are_named_on_the_same_day_without_another_query(city, django_assert_num_queries):
    commune = AdministrativeUnit.objects.get(code="23341", valid_from__isnull=False).named_on(BEFORE)
    with django_assert_num_queries(1):
        assert [a.name for a in commune.ancestors()] == ["Tỉnh Quảng Ngãi"]
    assert [a.name for a in AdministrativeUnit.objects.get(pk=commune.pk).ancestors()] == ["Thành phố Quảng Ngãi"]


def test_unit_or_404_names_the_unit_on_the_requested_day(city, admin_user):
    def resolve(query: dict, on=None):
        request = RequestFactory().get("/", query)
        request.user = admin_user
        return unit_or_404(request, "51", [Level.PROVINCE], on=on).name

    assert resolve({"on": "2026-09-19"}) == "Tỉnh Quảng Ngãi"
    assert resolve({"month": "2026-08"}) == "Tỉnh Quảng Ngãi"
    assert resolve({}, on=dt.date(2026, 9, 1)) == "Tỉnh Quảng Ngãi"
    assert resolve({}) == "Thành phố Quảng Ngãi"


def test_the_unit_page_shows_the_former_name_and_the_current_one(city, admin_client):
    url = reverse("communes:province-detail", args=["51"])
    earlier = admin_client.get(url, {"on": "2026-09-01"})
    assert earlier.context["unit"].name == "Tỉnh Quảng Ngãi"
    assert '<h1>Tỉnh Quảng Ngãi <span class="period">(nay là Thành phố Quảng Ngãi)</span></h1>' in earlier.text
    now = admin_client.get(url)
    assert "<h1>Thành phố Quảng Ngãi</h1>" in now.text
    assert "nay là" not in now.text
    for page in (earlier, now):
        assert "<dt>Tên trước đây</dt>" in page.text
        assert 'Tỉnh Quảng Ngãi</span> <span class="period">(đến 19/09/2026; ngày đổi chưa xác minh)' in page.text


def test_a_commune_page_names_its_province_on_the_day(city, admin_client):
    page = admin_client.get(reverse("communes:commune-detail", args=["23341"]), {"on": "2026-09-01"})
    assert page.context["unit"].name == "Xã Đăk Pék"
    assert [a.name for a in page.context["ancestors"]] == ["Tỉnh Quảng Ngãi"]
    assert ">Tỉnh Quảng Ngãi</a>" in page.text


def test_the_province_dashboard_names_the_province_in_the_month_shown(city, admin_client):
    url = reverse("reports:province-dashboard", args=["51"])
    august = admin_client.get(url, {"month": "2026-08"})
    assert august.status_code == 200
    assert august.context["province"].name == "Tỉnh Quảng Ngãi"
    assert "Tổng quan nông thôn mới · Tỉnh Quảng Ngãi" in august.text
    # Without a month: the latest with approved figures, else this month, after the change.
    assert admin_client.get(url).context["province"].name == "Thành phố Quảng Ngãi"


def test_a_document_names_the_unit_in_its_month(city, admin_client):
    preview = admin_client.get(reverse("reports:pdf-province", args=["51", "2026-08"]), {"preview": "1"})
    assert preview.status_code == 200
    assert preview.context["province"].name == "Tỉnh Quảng Ngãi"
    assert "TỈNH QUẢNG NGÃI" in preview.text
    assert "THÀNH PHỐ QUẢNG NGÃI" not in preview.text
    later = admin_client.get(reverse("reports:pdf-province", args=["51", "2026-10"]), {"preview": "1"})
    assert "THÀNH PHỐ QUẢNG NGÃI" in later.text


def test_search_finds_a_unit_by_a_former_name(city):
    assert list(AdministrativeUnit.objects.search("tinh quang ngai")) == [city]
    assert city in AdministrativeUnit.objects.search("Thành phố Quảng Ngãi")


# ---------------------------------------------------------------- the correction file


PROVINCES_2026 = [("22", "Quảng Ninh"), ("24", "Bắc Ninh"), ("75", "Đồng Nai")]


def test_the_correction_file_names_the_three_provinces_that_became_cities():
    renames = load_corrections()["renames"]
    assert [(r["era"], r["level"], r["code"], r["name"]) for r in renames] == [
        (SINCE_2025, Level.PROVINCE, code, f"Tỉnh {name}") for code, name in PROVINCES_2026
    ]
    assert all(r["until"] == "2026-09-20" and r["date_verified"] is False and r["source"] for r in renames)


def test_the_corrections_renames_are_applied_once(db):
    cities = [(code, f"Thành phố {name}") for code, name in PROVINCES_2026]
    _sync_provinces(*cities, renames=correction_renames())
    result = _sync_provinces(*cities, renames=correction_renames())
    assert result.counts[(SINCE_2025, Level.PROVINCE)].unchanged == 3
    quang_ninh = AdministrativeUnit.objects.get(code="22", level=Level.PROVINCE)
    [entry] = quang_ninh.former_names
    assert (entry["name"], entry["kind"], entry["until"], entry["date_verified"]) == (
        "Tỉnh Quảng Ninh",
        Kind.TINH,
        "2026-09-20",
        False,
    )
    assert entry["source"].startswith("fixtures/units/corrections-2025.yaml: NSO list")
    assert quang_ninh.named_on(BEFORE).name == "Tỉnh Quảng Ninh"
    assert quang_ninh in AdministrativeUnit.objects.search("tinh quang ninh")


def test_an_upgrade_from_the_older_package_keeps_the_corrections_date(db):
    # 2026.2.3: still provinces, so the correction is no former name yet.
    _sync_provinces(*((code, f"Tỉnh {name}") for code, name in PROVINCES_2026), renames=correction_renames())
    assert AdministrativeUnit.objects.get(code="24", level=Level.PROVINCE).former_names == []
    # 2026.9.0: the rename is seen, and the correction's date (the data's) wins over the day of the run.
    result = _sync_provinces(
        *((code, f"Thành phố {name}") for code, name in PROVINCES_2026), renames=correction_renames()
    )
    assert len(result.counts[(SINCE_2025, Level.PROVINCE)].renamed) == 3
    bac_ninh = AdministrativeUnit.objects.get(code="24", level=Level.PROVINCE)
    assert [(e["name"], e["until"]) for e in bac_ninh.former_names] == [("Tỉnh Bắc Ninh", "2026-09-20")]
