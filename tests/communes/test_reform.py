"""A code is resolved at a date (issue 14, item 3): the 2025 reform reused codes, so 23341 is the test tree's
Xã Đắk Môn until 30/06/2025 and Xã Đăk Pék since; pages with a month resolve it in that month, other pages on
?on= (default today), the API on as_of. Unit pages show the lineage both ways."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Lineage
from communes.permissions import pick_at
from criteria.yaml_io import import_criteria_text
from tests.criteria.samples import STANDARD
from tests.factories import UserFactory, reform_kon_tum

pytestmark = pytest.mark.django_db


@pytest.fixture
def reformed(tree):
    reform = reform_kon_tum(tree)
    return reform.quang_ngai, reform.dak_pek


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_paths_keep_the_two_lists_apart(tree, reformed):
    quang_ngai, dak_pek = reformed
    assert (quang_ngai.path, dak_pek.path) == ("2025/51/", "2025/51/23341/")
    assert (dak_pek.province_code, dak_pek.province_path) == ("51", "2025/51/")
    assert tree.dak_mon.province_path == "62/"


def test_pick_at_takes_the_unit_in_force_then_the_last_one_ended(tree, reformed):
    _quang_ngai, dak_pek = reformed
    both = [AdministrativeUnit.objects.get(pk=tree.dak_mon.pk), dak_pek]
    assert pick_at(both, dt.date(2024, 6, 1)).name == "Xã Đắk Môn"
    assert pick_at(both, dt.date(2025, 6, 30)).name == "Xã Đắk Môn"
    assert pick_at(both, REFORM_DATE).name == "Xã Đăk Pék"
    # A unit merged away still opens on its last day's terms: Kon Tum, asked for today.
    assert pick_at([AdministrativeUnit.objects.get(pk=tree.province.pk)], dt.date(2026, 12, 2)).name == "Tỉnh Kon Tum"
    assert pick_at([], dt.date(2026, 1, 1)) is None


def test_a_page_with_a_month_resolves_the_code_in_that_month(tree, reformed, admin_client):
    import_criteria_text(STANDARD)
    before = admin_client.get(reverse("monthly:report", args=["23341", "2024-06"]))
    assert before.status_code == 200
    assert before.context["unit"].name == "Xã Đắk Môn"
    after = admin_client.get(reverse("monthly:report", args=["23341", "2026-03"]))
    assert after.status_code == 200
    assert after.context["unit"].name == "Xã Đăk Pék"


def test_other_pages_take_on_and_default_to_today(tree, reformed, admin_client):
    url = reverse("communes:commune-detail", args=["23341"])
    today = admin_client.get(url)
    assert today.context["unit"].name == "Xã Đăk Pék"
    assert "Hiệu lực" in today.text
    assert "từ 01/07/2025" in today.text
    old = admin_client.get(url, {"on": "2024-06-01"})
    assert old.context["unit"].name == "Xã Đắk Môn"
    assert "đến 30/06/2025" in old.text
    # An unreadable day counts as not given.
    assert admin_client.get(url, {"on": "2024-13-45"}).context["unit"].name == "Xã Đăk Pék"


def test_unit_pages_link_the_lineage_both_ways(tree, reformed, admin_client):
    page = admin_client.get(reverse("communes:commune-detail", args=["23341"])).text
    assert "Hình thành từ" in page
    assert f'href="{reverse("communes:commune-detail", args=["23341"])}?on=2025-06-30">Xã Đắk Môn</a>' in page
    assert f'href="{reverse("communes:commune-detail", args=["23353"])}?on=2025-06-30">Xã Đắk Pék</a>' in page
    old = admin_client.get(reverse("communes:commune-detail", args=["23353"])).text
    assert "Đã sáp nhập vào" in old
    assert f'href="{reverse("communes:commune-detail", args=["23341"])}">Xã Đăk Pék</a>' in old


def test_the_province_list_shows_one_list_at_a_time(tree, reformed, admin_client):
    today = admin_client.get(reverse("communes:province-list"))
    assert [p.code for p in today.context["provinces"]] == ["51"]
    assert "Xem danh mục trước 01/07/2025" in today.text
    before = admin_client.get(reverse("communes:province-list"), {"on": "2025-06-30"})
    assert sorted(p.code for p in before.context["provinces"]) == ["62", "64"]
    assert 'href="/provinces/62/?on=2025-06-30"' in before.text


def test_the_api_resolves_a_code_on_as_of(tree, reformed):
    api = APIClient()
    api.force_authenticate(UserFactory(is_superuser=True))
    assert api.get("/api/v1/units/23341/").json()["name"] == "Xã Đăk Pék"
    assert api.get("/api/v1/units/23341/", {"as_of": "2024-06-01"}).json()["name"] == "Xã Đắk Môn"
    listed = api.get("/api/v1/units/", {"province": "51"}).json()
    assert {u["code"] for u in listed["results"]} == {"51", "23341"}


def test_search_labels_each_unit_with_its_period(tree, reformed, admin_client):
    page = admin_client.get(reverse("communes:search"), {"q": "dak pek"}).text
    assert "Xã Đắk Pék" in page
    assert "Xã Đăk Pék" in page
    assert "(đến 30/06/2025)" in page
    assert "(từ 01/07/2025)" in page


# ---------------------------------------------------------------- scope across the reform (item 6)


def _member(unit, role):
    from tests.factories import MembershipFactory

    user = MembershipFactory(unit=unit, role=role).user
    client = Client()
    client.force_login(user)
    return client


def test_the_new_provinces_office_reads_kon_tums_history_but_cannot_change_it(tree, reformed, district_user):
    from communes.models import Role
    from monthly.services import save_values, submit_report

    import_criteria_text(STANDARD)
    quang_ngai, _dak_pek = reformed
    report = submit_report(
        report=save_values(
            unit=tree.dak_pek, period=dt.date(2024, 5, 1), raw={"income_per_capita": "40"}, by=district_user
        ),
        by=district_user,
    )
    office = _member(quang_ngai, Role.OFFICE)
    assert office.get(reverse("communes:province-detail", args=["62"])).status_code == 200
    assert office.get(reverse("communes:commune-detail", args=["23353"])).status_code == 200
    page = office.get(reverse("monthly:report", args=["23353", "2024-05"]))
    assert page.status_code == 200
    assert page.context["can_review"] is False  # history is read-only: no approve or return buttons
    approve = office.post(reverse("monthly:approve", args=["23353", "2024-05"]), {"version": report.version})
    assert approve.status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"
    # The other province of the test tree is no predecessor of Quảng Ngãi.
    assert office.get(reverse("communes:commune-detail", args=["23617"])).status_code == 404


def test_a_communes_people_read_only_the_communes_it_was_formed_from(tree, reformed):
    from communes.models import Role

    _quang_ngai, dak_pek = reformed
    # A neighbour: Xã Đắk Xú's history went to another new commune, with part of the divided Đắk Pék.
    neighbour = AdministrativeUnit.objects.create(
        code="23380",
        level=Level.COMMUNE,
        kind=Kind.XA,
        name="Xã Bờ Y",
        short_name="Bờ Y",
        parent=dak_pek.parent,
        valid_from=REFORM_DATE,
    )
    dak_xu = AdministrativeUnit.objects.get(code="23380", valid_from__isnull=True)
    Lineage.objects.create(successor=neighbour, predecessor=dak_xu)
    Lineage.objects.create(successor=neighbour, predecessor=tree.dak_pek, is_split=True)
    Lineage.objects.filter(successor=dak_pek, predecessor=tree.dak_pek).update(is_split=True)

    viewer = _member(dak_pek, Role.VIEWER)
    assert viewer.get(reverse("communes:commune-detail", args=["23353"])).status_code == 200
    assert viewer.get(reverse("communes:commune-detail", args=["23341"]), {"on": "2024-06-01"}).status_code == 200
    # Not the neighbour's own history, though both took part of Đắk Pék.
    assert viewer.get(reverse("communes:commune-detail", args=["23380"]), {"on": "2024-06-01"}).status_code == 404
    assert viewer.get(reverse("communes:commune-detail", args=["23380"])).status_code == 404


def test_a_pre_reform_membership_keeps_its_period_and_nothing_after(tree, reformed):
    from communes.models import Role

    import_criteria_text(STANDARD)
    district = _member(tree.dak_glei, Role.DISTRICT)
    assert district.get(reverse("monthly:report", args=["23341", "2024-06"])).status_code == 200
    assert district.get(reverse("monthly:report", args=["23341", "2026-03"])).status_code == 404
    # Its own unit's page, as it stood, even today; never the commune that reuses the code.
    assert district.get(reverse("communes:commune-detail", args=["23341"])).context["unit"].name == "Xã Đắk Môn"
    # Its provinces list shows Kon Tum as it last stood, not an empty page.
    listed = district.get(reverse("communes:province-list"))
    assert [p.code for p in listed.context["provinces"]] == ["62"]


# ---------------------------------------------------------------- each month's structure (item 5, part)


def test_the_review_desk_and_overdue_board_follow_the_months_structure(tree, reformed, district_user):
    from communes.models import Role
    from monthly.services import save_values, submit_report

    import_criteria_text(STANDARD)
    quang_ngai, dak_pek = reformed
    august = dt.date(2025, 8, 1)  # after the reform, still judged by the 2021-2025 programme
    submit_report(
        report=save_values(unit=dak_pek, period=august, raw={"income_per_capita": "50"}, by=district_user),
        by=district_user,
    )
    office = _member(quang_ngai, Role.OFFICE)

    desk = office.get(reverse("monthly:review", args=["2025-08"]))
    assert desk.status_code == 200
    assert [r.unit.name for s in desk.context["sections"] for r in s.waiting] == ["Xã Đăk Pék"]
    assert [s.district for s in desk.context["sections"]] == [None]  # no districts since July 2025

    board = office.get(reverse("monthly:overdue", args=["2025-08"]))
    assert board.context["commune_total"] == 1  # Xã Đăk Pék only: Kon Tum's communes ended in June 2025
    assert board.context["sent_total"] == 1
    # Kon Tum's 2024 is history to the new office: its board of May 2024 lists the old communes.
    old_board = office.get(reverse("monthly:overdue", args=["2024-05"]))
    assert {r.unit.name for r in old_board.context["pending"]} >= {"Xã Đắk Pék", "Xã Đắk Môn"}
    assert "Xã Đăk Pék" not in {r.unit.name for r in old_board.context["pending"]}


def test_a_commune_official_enters_sends_corrects_and_the_office_approves(tree, reformed):
    from communes.models import Role
    from monthly.models import Report

    import_criteria_text(STANDARD)
    quang_ngai, dak_pek = reformed
    official, office = _member(dak_pek, Role.COMMUNE), _member(quang_ngai, Role.OFFICE)
    url = lambda action="": reverse(f"monthly:{action or 'report'}", args=["23341", "2025-08"])  # noqa: E731

    # The official's "Báo cáo tháng" opens the commune's own report.
    home = official.get(reverse("monthly:home"))
    assert home.status_code == 302
    assert home.url.startswith(reverse("monthly:report", args=["23341", "2025-01"])[:-8])

    saved = official.post(url(), {"version": "0", "m_income_per_capita": "52", "m_poverty_rate": "4"})
    assert saved.status_code == 302
    report = Report.objects.get(unit=dak_pek)
    assert official.post(url("submit"), {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"

    returned = office.post(url("return"), {"version": report.version, "reason": "Thu nhập chưa khớp điều tra."})
    assert returned.status_code == 302
    report.refresh_from_db()
    assert report.status == "returned"

    official.post(url(), {"version": str(report.version), "m_income_per_capita": "51", "m_poverty_rate": "4"})
    report.refresh_from_db()
    official.post(url("submit"), {"version": report.version})
    report.refresh_from_db()
    assert office.post(url("approve"), {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.values.get(measure__code="income_per_capita").number == 51


def test_a_commune_official_reads_but_cannot_change_the_predecessors_reports(tree, reformed):
    from communes.models import Role

    import_criteria_text(STANDARD)
    _quang_ngai, dak_pek = reformed
    official = _member(dak_pek, Role.COMMUNE)
    page = official.get(reverse("monthly:report", args=["23353", "2024-05"]))
    assert page.status_code == 200
    refused = official.post(
        reverse("monthly:report", args=["23353", "2024-05"]), {"version": "0", "m_income_per_capita": "60"}
    )
    assert refused.status_code == 403
    # Nor a commune of another district's history, nor another new commune.
    assert official.get(reverse("monthly:report", args=["23380", "2024-05"])).status_code == 404


def test_the_old_provinces_office_and_district_land_on_their_last_month(tree, reformed):
    from communes.models import Role

    office, district = _member(tree.province, Role.OFFICE), _member(tree.dak_glei, Role.DISTRICT)
    assert office.get(reverse("monthly:home")).url == reverse("monthly:review", args=["2025-06"])
    assert district.get(reverse("monthly:home")).url == reverse("monthly:district", args=["610", "2025-06"])


def test_recognitions_stay_on_the_units_that_received_them(tree, reformed):
    from communes.models import Role
    from criteria.models import Programme
    from records.models import RecognisedTier, Recognition

    import_criteria_text(STANDARD)
    quang_ngai, dak_pek = reformed
    Recognition.objects.create(
        unit=tree.dak_pek,
        programme=Programme.objects.get(code="2021-2025"),
        tier=RecognisedTier.STANDARD,
        decision_number="1380/QĐ-UBND",
        decision_date=dt.date(2021, 12, 30),
        issuer="Chủ tịch UBND tỉnh Kon Tum",
    )
    office = _member(quang_ngai, Role.OFFICE)
    page = office.get(reverse("reports:scorecard", args=["23341"]), {"month": "2025-08"})
    assert page.status_code == 200
    # The new commune has none of its own; Đắk Pék's decision shows as history, with the unit it belongs to.
    assert page.context["recognitions"] == []
    assert page.context["recognition"] is None
    assert [r.decision_number for r in page.context["history_recognitions"]] == ["1380/QĐ-UBND"]
    assert "Quyết định công nhận của các đơn vị trước sáp nhập" in page.text
    assert "Xã Đắk Pék, Huyện Đắk Glei" in page.text
    # Kon Tum's own commune keeps it as its recognition.
    old = office.get(reverse("reports:scorecard", args=["23353"]), {"month": "2024-12"})
    assert [r.decision_number for r in old.context["recognitions"]] == ["1380/QĐ-UBND"]
    assert old.context["history_recognitions"] == []


def test_the_scorecard_tells_the_history_across_the_merge_and_both_programmes(tree, reformed):
    """Issue 15, item 9: the predecessors' 2021-2025 results until 06/2025, the commune's own 2021-2025 result from
    July 2025, its 2026-2030 result since February 2026, each labelled with its yardstick."""
    from django.conf import settings

    from communes.models import Role
    from criteria.models import Programme
    from reports.models import Status

    for name in ("2021-2025/commune-standard.yaml", "2026-2030/commune-standard.yaml"):
        import_criteria_text((settings.BASE_DIR / "fixtures" / "criteria" / name).read_bytes())
    _quang_ngai, dak_pek = reformed
    old, new = Programme.objects.get(code="2021-2025"), Programme.objects.get(code="2026-2030")
    rows = [(tree.dak_pek, dt.date(2025, 5, 1), old, 16, 19), (tree.dak_pek, dt.date(2025, 6, 1), old, 17, 19)]
    rows += [(dak_pek, dt.date(2025, 12, 1), old, 15, 19), (dak_pek, dt.date(2026, 1, 1), old, 15, 19)]
    rows += [(dak_pek, dt.date(2026, 2, 1), new, 6, 10), (dak_pek, dt.date(2026, 4, 1), new, 7, 10)]
    for unit, period, programme, met, total in rows:
        Status.objects.create(
            unit=unit, period=period, programme=programme, tier="", criteria_met=met, criteria_total=total, sets={}
        )
    office = _member(reformed[0], Role.OFFICE)
    page = office.get(reverse("reports:scorecard", args=["23341"]), {"month": "2026-04"})
    assert page.status_code == 200
    points = {p.label: (p.criteria_met, p.programme) for p in page.context["history"]}
    assert points["12/25"] == (15, "2021-2025")
    assert points["02/26"] == (6, "2026-2030")
    assert points["06/25"] == (None, "")  # the commune did not exist yet
    assert page.context["history_runs"] == [("12/25", "01/26", "2021-2025"), ("02/26", "04/26", "2026-2030")]
    [predecessor] = [h for h in page.context["predecessors_history"] if h.unit.name == "Xã Đắk Pék"]
    assert {p.label: p.criteria_met for p in predecessor.points if p.criteria_met} == {"05/25": 16, "06/25": 17}
    text = page.content.decode()
    assert "02/26–04/26: đánh giá theo bộ tiêu chí giai đoạn 2026-2030" in text
    assert "kết quả của Xã Đắk Pék, đơn vị trước sáp nhập" in text
