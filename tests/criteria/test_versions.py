"""A criteria set amended by a later decision (QĐ 211/QĐ-TTg 2024 amended QĐ 318 and QĐ 320) gets a new version with
the same code and the day it applies from; each month is judged by the version in force at its end, and the pages
and documents say which version judged."""

import datetime as dt
import html
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from communes.models import Role
from criteria.definitions import build_programme
from criteria.models import CriteriaSet
from criteria.yaml_dump import dump_criteria_set
from criteria.yaml_io import CriteriaFileError, import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from reports.models import Status
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

MAY, JUNE = dt.date(2024, 5, 1), dt.date(2024, 6, 1)
# The amendment: from 1 June 2024 poverty must be at most 3 % (an illustration, not QĐ 211's text).
AMENDED = STANDARD.replace(
    'legal_basis: "318/QĐ-TTg"', 'legal_basis: "211/QĐ-TTg"\n  effective_from: 2024-06-01'
).replace("          - value: 6.5", "          - value: 3")


@pytest.fixture
def versions(db):
    import_criteria_text(STANDARD)
    import_criteria_text(AMENDED)
    return CriteriaSet.objects.filter(code="commune-standard").order_by("effective_from")


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_an_amendment_is_a_new_version_beside_the_published_set(versions):
    base, amended = sorted(versions, key=lambda s: s.effective_from or dt.date.min)
    assert (base.effective_from, base.legal_basis) == (None, "318/QĐ-TTg")
    assert (amended.effective_from, amended.legal_basis) == (JUNE, "211/QĐ-TTg")
    assert amended.version_label == "211/QĐ-TTg, từ 01/06/2024"
    assert base.version_label == "318/QĐ-TTg, từ đầu giai đoạn"
    # Importing the same files again changes nothing.
    import_criteria_text(AMENDED)
    assert CriteriaSet.objects.filter(code="commune-standard").count() == 2


def test_the_version_in_force_is_the_latest_applying_by_that_day(versions):
    def in_force(day):
        return [s.effective_from for s in CriteriaSet.objects.filter(code="commune-standard").in_force_for("62", day)]

    assert in_force(dt.date(2024, 5, 31)) == [None]
    assert in_force(dt.date(2024, 6, 1)) == [JUNE]
    assert in_force(dt.date(2025, 1, 1)) == [JUNE]
    assert build_programme("2021-2025", "62", dt.date(2024, 5, 31)).set("commune-standard").version.startswith("318")
    assert build_programme("2021-2025", "62", dt.date(2024, 6, 30)).set("commune-standard").version.startswith("211")


def test_each_month_is_judged_by_the_version_in_force_at_its_end(tree, versions, client_for):
    official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    office = MembershipFactory(unit=tree.province, role=Role.OFFICE).user
    report = save_values(
        unit=tree.dak_pek,
        period=MAY,
        raw={"income_per_capita": "60", "poverty_rate": "4", "plan_approved": True},
        by=official,
    )
    approve_report(report=submit_report(report=report, by=official), by=office)
    for month in (MAY, JUNE):
        recompute_statuses(period=month, units=tracked_units(tree.province))

    may, june = (Status.objects.get(unit=tree.dak_pek, period=month) for month in (MAY, JUNE))
    # The same figures (May's, carried into June): 4 % poverty meets 6.5 % in May, not 3 % in June.
    assert (may.tier, may.sets["commune-standard"]["failed"]) == ("standard", [])
    assert (june.tier, june.sets["commune-standard"]["failed"]) == ("", [11])

    client = client_for(office)
    june_card = _text(client.get(reverse("reports:scorecard", args=["23353"]) + "?month=2024-06"))
    assert "Phiên bản áp dụng cho tháng này: 211/QĐ-TTg, từ 01/06/2024" in june_card
    may_card = _text(client.get(reverse("reports:scorecard", args=["23353"]) + "?month=2024-05"))
    assert "Phiên bản áp dụng cho tháng này: 318/QĐ-TTg, từ đầu giai đoạn" in may_card
    dashboard = _text(client.get(reverse("reports:province-dashboard", args=["62"]) + "?month=2024-06"))
    assert (
        "Đánh giá theo các bộ tiêu chí giai đoạn 2021-2025; phiên bản sửa đổi đang áp dụng: "
        "Bộ tiêu chí xã NTM (thử nghiệm) (211/QĐ-TTg, từ 01/06/2024)."
    ) in dashboard
    report_preview = _text(client.get(reverse("reports:pdf-province", args=["62", "2024-05"]) + "?preview=1"))
    assert "Đánh giá theo các bộ tiêu chí giai đoạn 2021-2025, bản áp dụng từ đầu giai đoạn." in report_preview


def test_the_criteria_page_shows_the_version_of_a_day_and_lists_them_all(versions, district_client):
    url = reverse("criteria:set-detail", args=["2021-2025", "commune-standard"])
    today = _text(district_client.get(url))
    assert "Áp dụng từ ngày 01/06/2024" in today
    assert "≤ 3" in today
    earlier = district_client.get(url + "?on=2024-05-01")
    assert earlier.status_code == 200
    assert "Áp dụng từ đầu giai đoạn" in _text(earlier)
    assert "?on=2024-06-01" in earlier.content.decode()  # a link to the amended version
    assert district_client.get(url + "?on=2024-13-01").status_code == 404
    criterion = reverse("criteria:criterion-detail", args=["2021-2025", "commune-standard", 11])
    assert district_client.get(criterion + "?on=2024-05-01").status_code == 200


def test_the_yaml_round_trip_keeps_the_day(versions):
    amended = CriteriaSet.objects.get(code="commune-standard", effective_from=JUNE)
    assert "effective_from: '2024-06-01'" in dump_criteria_set(amended)


@pytest.mark.parametrize("day", ["2024-02-30", "01/06/2024", "soon"])
def test_a_wrong_day_is_refused_with_the_field_named(db, day):
    text = STANDARD.replace('legal_basis: "318/QĐ-TTg"', f'legal_basis: "211/QĐ-TTg"\n  effective_from: "{day}"')
    with pytest.raises(CriteriaFileError) as error:
        import_criteria_text(text)
    assert "'effective_from' của set phải là một ngày có thật dạng YYYY-MM-DD" in str(error.value)
    assert not CriteriaSet.objects.exists()


def test_export_writes_the_version_of_a_day(versions, capsys):
    call_command("export_criteria", "--programme", "2021-2025", "--set", "commune-standard", "--on", "2024-05-31")
    assert "effective_from" not in capsys.readouterr().out
    call_command("export_criteria", "--programme", "2021-2025", "--set", "commune-standard", "--on", "2024-06-01")
    assert "effective_from: '2024-06-01'" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Ngày '1/6/2024' không hợp lệ"):
        call_command("export_criteria", "--programme", "2021-2025", "--set", "commune-standard", "--on", "1/6/2024")


def test_a_draft_amendment_judges_nobody_until_published(db):
    import_criteria_text(STANDARD)
    import_criteria_text(AMENDED.replace("status: published", "status: draft"))
    in_force = CriteriaSet.objects.filter(code="commune-standard").in_force_for("62", dt.date(2024, 7, 31))
    assert [s.effective_from for s in in_force] == [None]
    CriteriaSet.objects.filter(effective_from=JUNE).update(status="published")
    assert [s.effective_from for s in in_force.all()] == [JUNE]
