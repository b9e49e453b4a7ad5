"""What dashboards count from statuses: the QĐ 18/2022 revocation rule and watch-list, the national bands,
the average number of criteria, progress towards targets, and QĐ 320's district conditions.

Most tests work on unsaved rows (these functions read loaded rows, never the database); the last ones go
through the database from approved figures to the watch-list.
"""

import datetime as dt
from decimal import Decimal

import pytest

from communes.models import AdministrativeUnit, Level, Role
from criteria.models import Programme
from criteria.revocation import revocation_risk
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from records.models import RecognisedTier, Recognition, Target, TargetKind
from reports.models import Status
from reports.services import (
    average_criteria,
    bucket_counts,
    district_rule,
    recompute_statuses,
    target_progress,
    tracked_units,
    watch_list,
)
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory

MAY = dt.date(2024, 5, 1)
STANDARD_SET, ADVANCED_SET = "commune-standard", "commune-advanced"

_next_pk = iter(range(1, 10_000))


def commune(name: str = "", *, level: str = Level.COMMUNE) -> AdministrativeUnit:
    pk = next(_next_pk)
    unit = AdministrativeUnit(pk=pk, code=f"{pk:05d}", level=level, name=name or f"Xã {pk}", short_name=name or f"{pk}")
    unit.refresh_derived_fields()
    return unit


def status(unit: AdministrativeUnit, criteria_met: int = 0, tier: str = "", **sets) -> Status:
    return Status(unit=unit, period=MAY, tier=tier, criteria_met=criteria_met, sets=sets)


def summary(failed=(), key_failed=(), total=19) -> dict:
    return {
        "met": not failed,
        "reached": not failed,
        "criteria_met": total - len(failed),
        "criteria_total": total,
        "failed": list(failed),
        "key_failed": list(key_failed),
        "no_data": [],
        "failing": {},
    }


def recognised(unit, tier=RecognisedTier.STANDARD, revoked: dt.date | None = None) -> Recognition:
    return Recognition(
        unit=unit,
        tier=tier,
        decision_number=f"{unit.pk}/QĐ-UBND",
        decision_date=dt.date(2023, 12, 1),
        issuer="UBND tỉnh Kon Tum",
        revoked_date=revoked,
        revoked_decision_number="99/QĐ-UBND" if revoked else "",
    )


# ---------------------------------------------------------------- QĐ 18/2022: the revocation rule


@pytest.mark.parametrize(
    ("failed", "total", "without_key", "with_key"),
    [
        # 19 criteria (communes, QĐ 318): 30 % is 5.7 criteria, 50 % is 9.5.
        (0, 19, False, False),
        (1, 19, False, False),
        (5, 19, False, False),  # 26.3 %: never
        (6, 19, False, True),  # 31.6 %: only with a key criterion
        (9, 19, False, True),  # 47.4 %: only with a key criterion
        (10, 19, True, True),  # 52.6 %
        (19, 19, True, True),
        # 20 criteria: the edges fall on whole numbers.
        (5, 20, False, False),  # 25 %
        (6, 20, False, True),  # exactly 30 %: at risk only with a key criterion
        (9, 20, False, True),  # 45 %
        (10, 20, True, True),  # exactly 50 %: at risk without a key criterion
        # 10 criteria (districts, QĐ 320).
        (2, 10, False, False),
        (3, 10, False, True),  # exactly 30 %
        (4, 10, False, True),
        (5, 10, True, True),  # exactly 50 %
        # Nothing to judge.
        (0, 0, False, False),
        (3, 0, False, False),
    ],
)
def test_revocation_risk_edges(failed, total, without_key, with_key):
    assert revocation_risk(failed=failed, total=total, key_failed=False) is without_key
    assert revocation_risk(failed=failed, total=total, key_failed=True) is with_key


@pytest.mark.parametrize(
    ("failed", "key", "total", "at_risk", "share"),
    [
        (5, False, 19, False, "26.3"),
        (5, True, 19, False, "26.3"),
        (6, False, 19, False, "31.6"),
        (6, True, 19, True, "31.6"),
        (9, False, 19, False, "47.4"),
        (9, True, 19, True, "47.4"),
        (10, False, 19, True, "52.6"),
        (6, False, 20, False, "30.0"),
        (6, True, 20, True, "30.0"),
        (10, False, 20, True, "50.0"),
        (3, True, 10, True, "30.0"),
        (3, False, 10, False, "30.0"),
        (5, False, 10, True, "50.0"),
    ],
)
def test_watch_list_applies_the_rule_to_the_recognised_tiers_summary(failed, key, total, at_risk, share):
    unit = commune()
    numbers = list(range(1, failed + 1))
    statuses = {unit.pk: status(unit, **{STANDARD_SET: summary(numbers, [numbers[0]] if key else [], total)})}

    [item] = watch_list(statuses, [recognised(unit)])

    assert (item.unit, item.failed, item.total, item.at_risk) == (unit, numbers, total, at_risk)
    assert item.key_failed == ([1] if key else [])
    assert item.share == Decimal(share)


def test_communes_failing_no_criterion_are_not_listed():
    fine, no_status, failing = commune(), commune(), commune()
    statuses = {
        fine.pk: status(fine, 19, "standard", **{STANDARD_SET: summary()}),
        failing.pk: status(failing, 18, **{STANDARD_SET: summary([7])}),
    }

    items = watch_list(statuses, [recognised(fine), recognised(no_status), recognised(failing)])

    assert [i.unit for i in items] == [failing]
    assert items[0].at_risk is False


def test_the_recognised_tier_decides_which_set_is_watched():
    """An advanced commune failing an advanced criterion is listed even though it still meets the standard set;
    a standard commune failing only advanced criteria is not."""
    advanced, standard = commune(), commune()
    sets = {STANDARD_SET: summary(), ADVANCED_SET: summary([3, 5, 8, 12, 14, 17], [17])}
    statuses = {advanced.pk: status(advanced, 19, **sets), standard.pk: status(standard, 19, **sets)}

    items = watch_list(statuses, [recognised(advanced, RecognisedTier.ADVANCED), recognised(standard)])

    assert [(i.unit, i.at_risk) for i in items] == [(advanced, True)]


def test_a_recognised_tier_without_a_computed_set_is_not_listed():
    unit = commune()
    statuses = {unit.pk: status(unit, 19, **{STANDARD_SET: summary([1, 2])})}

    assert watch_list(statuses, [recognised(unit, RecognisedTier.MODEL)]) == []


def test_watch_list_is_at_risk_first_then_most_failed_then_in_vietnamese_order():
    failing = {
        "Đắk Pék": ([1, 2], []),  # not at risk, 2 failed
        "Đắk Môn": ([1, 2, 3, 4, 5, 6], [6]),  # at risk, 6 failed
        "Dục Nông": ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], []),  # at risk, 10 failed
        "Bờ Y": ([1, 2, 3, 4, 5, 6], [2]),  # at risk, 6 failed
        "Ân Nghĩa": ([1, 2, 3, 4, 5, 6], [2]),  # at risk, 6 failed
        "Ea Tul": ([1, 2], []),  # not at risk, 2 failed
        "An Hòa": ([1, 2], []),  # not at risk, 2 failed
        "Ia Chim": ([1, 2, 3, 4, 5, 6, 7, 8, 9], []),  # not at risk (47 % without a key criterion), 9 failed
    }
    units = {name: commune(name) for name in failing}
    statuses = {
        units[name].pk: status(units[name], **{STANDARD_SET: summary(failed, key)})
        for name, (failed, key) in failing.items()
    }

    items = watch_list(statuses, [recognised(u) for u in units.values()])

    # Ă/Â sort after A and before B, Đ after D and before E, as in Vietnamese (not as in Unicode).
    assert [i.unit.short_name for i in items] == [
        "Dục Nông",
        "Ân Nghĩa",
        "Bờ Y",
        "Đắk Môn",
        "Ia Chim",
        "An Hòa",
        "Đắk Pék",
        "Ea Tul",
    ]
    assert [i.at_risk for i in items] == [True, True, True, True, False, False, False, False]


def test_a_revoked_recognition_is_not_watched():
    """A commune whose recognition was revoked is no longer recognised: there is nothing left to revoke.

    watch_list skips revoked recognitions itself, as target_progress does, so a page may pass
    Recognition.objects.all() without listing revoked communes as at risk."""
    unit = commune()
    statuses = {unit.pk: status(unit, **{STANDARD_SET: summary(list(range(1, 11)))})}

    assert watch_list(statuses, [recognised(unit, revoked=dt.date(2024, 3, 1))]) == []


def test_a_commune_recognised_twice_is_listed_once_at_its_highest_tier():
    """Standard in 2022, advanced in 2024: both decisions stay in force, the commune is one line of the list.

    watch_list makes one item per commune, not one per recognition."""
    unit = commune()
    sets = {STANDARD_SET: summary([4]), ADVANCED_SET: summary([4, 9])}
    statuses = {unit.pk: status(unit, 17, **sets)}

    items = watch_list(statuses, [recognised(unit), recognised(unit, RecognisedTier.ADVANCED)])

    assert [(i.unit, i.recognition.tier, i.failed) for i in items] == [(unit, "advanced", [4, 9])]


# ---------------------------------------------------------------- the national bands and the average


@pytest.mark.parametrize(
    ("criteria_met", "band"),
    [
        (19, "19"),
        (18, "15-18"),
        (15, "15-18"),
        (14, "10-14"),
        (10, "10-14"),
        (9, "5-9"),
        (5, "5-9"),
        (4, "<5"),
        (0, "<5"),
    ],
)
def test_bucket_edges(criteria_met, band):
    counts = bucket_counts([status(commune(), criteria_met)])

    assert counts == {label: int(label == band) for label in ("19", "15-18", "10-14", "5-9", "<5")}


def test_bucket_counts_keep_the_bands_order_and_sum_to_the_communes():
    met = [19, 19, 18, 15, 14, 10, 9, 5, 4, 0, 0]

    counts = bucket_counts(status(commune(), n) for n in met)

    assert list(counts.items()) == [("19", 2), ("15-18", 2), ("10-14", 2), ("5-9", 2), ("<5", 3)]
    assert sum(counts.values()) == len(met)
    assert bucket_counts([]) == {"19": 0, "15-18": 0, "10-14": 0, "5-9": 0, "<5": 0}


@pytest.mark.parametrize(
    ("met", "average"),
    [([19], "19.0"), ([19, 18], "18.5"), ([19, 18, 18], "18.3"), ([0, 0, 1], "0.3"), ([15, 16, 16], "15.7")],
)
def test_average_criteria(met, average):
    assert average_criteria(status(commune(), n) for n in met) == Decimal(average)


def test_average_of_no_communes_is_none():
    assert average_criteria([]) is None


# ---------------------------------------------------------------- targets


def target(kind, value, *, tier="", level=Level.COMMUNE) -> Target:
    return Target(
        unit=commune("Kon Tum", level=Level.PROVINCE), year=2025, kind=kind, level=level, tier=tier, value=value
    )


def test_units_at_tier_counts_recognitions_in_force_at_the_tier_or_above():
    communes = [commune() for _ in range(100)]
    recognitions = [recognised(u) for u in communes[:50]]
    recognitions += [recognised(u, RecognisedTier.ADVANCED) for u in communes[50:60]]
    recognitions += [recognised(u, RecognisedTier.MODEL) for u in communes[60:62]]
    # Revoked: not counted, unless another decision for the commune is in force.
    recognitions += [recognised(u, revoked=dt.date(2024, 6, 1)) for u in communes[62:70]]
    recognitions += [recognised(u, RecognisedTier.ADVANCED, revoked=dt.date(2024, 6, 1)) for u in communes[:5]]
    # A commune outside the scope counts for nobody here.
    recognitions.append(recognised(commune()))
    standard = target(TargetKind.UNITS_AT_TIER, 94, tier=RecognisedTier.STANDARD)
    advanced = target(TargetKind.UNITS_AT_TIER, 30, tier=RecognisedTier.ADVANCED)
    model = target(TargetKind.UNITS_AT_TIER, 4, tier=RecognisedTier.MODEL)

    progress = target_progress(
        [standard, advanced, model], communes=communes, districts=[], recognitions=recognitions, statuses_by_unit={}
    )

    assert [(p.target, p.achieved, p.out_of) for p in progress] == [
        (standard, 62, 100),
        (advanced, 12, 100),
        (model, 2, 100),
    ]
    # "đạt 66% kế hoạch": 62 of the 94 communes planned.
    assert [p.percent for p in progress] == [Decimal(66), Decimal(40), Decimal(50)]


def test_a_commune_revoked_then_recognised_again_counts_once():
    unit = commune()
    recognitions = [recognised(unit, revoked=dt.date(2023, 6, 1)), recognised(unit)]

    [progress] = target_progress(
        [target(TargetKind.UNITS_AT_TIER, 1, tier=RecognisedTier.STANDARD)],
        communes=[unit],
        districts=[],
        recognitions=recognitions,
        statuses_by_unit={},
    )

    assert (progress.achieved, progress.percent) == (1, Decimal(100))


def test_district_targets_count_districts_not_communes():
    districts = [commune(f"Huyện {n}", level=Level.DISTRICT) for n in range(10)]
    communes = [commune() for _ in range(20)]
    recognitions = [recognised(d) for d in districts[:3]] + [recognised(c) for c in communes]
    recognitions.append(recognised(districts[3], revoked=dt.date(2024, 1, 2)))
    goal = target(TargetKind.UNITS_AT_TIER, 5, tier=RecognisedTier.STANDARD, level=Level.DISTRICT)

    [progress] = target_progress(
        [goal], communes=communes, districts=districts, recognitions=recognitions, statuses_by_unit={}
    )

    assert (progress.achieved, progress.out_of, progress.percent) == (3, 10, Decimal(60))


def test_min_criteria_counts_communes_with_at_least_that_many_criteria():
    communes = [commune() for _ in range(5)]
    met = [19, 15, 14, 16]  # the fifth commune has no status yet
    statuses = {u.pk: status(u, n) for u, n in zip(communes, met, strict=False)}
    goal = target(TargetKind.MIN_CRITERIA, 15)

    [progress] = target_progress([goal], communes=communes, districts=[], recognitions=[], statuses_by_unit=statuses)

    assert (progress.achieved, progress.out_of) == (3, 5)


def test_min_criteria_percent_is_the_share_of_communes():
    """'Every commune reaches at least 15 criteria': 3 of 5 communes there is 60 % of the target.

    TargetProgress.percent divides by the number of communes, not by target.value (a number of criteria for this
    kind), which would report 20 % (3/15), and 413 % once 62 communes reach 15 criteria."""
    communes = [commune() for _ in range(5)]
    statuses = {u.pk: status(u, n) for u, n in zip(communes, [19, 15, 14, 16, 3], strict=True)}

    [progress] = target_progress(
        [target(TargetKind.MIN_CRITERIA, 15)],
        communes=communes,
        districts=[],
        recognitions=[],
        statuses_by_unit=statuses,
    )

    assert progress.percent == Decimal(60)


def test_yearly_gain_compares_with_the_earlier_status():
    communes = [commune() for _ in range(5)]
    now = {u.pk: status(u, n) for u, n in zip(communes, [12, 11, 10, 19, 8], strict=True)}
    earlier = {u.pk: n for u, n in zip(communes[:4], [10, 10, 10, 15], strict=True)}  # 5th: no earlier

    [progress] = target_progress(
        [target(TargetKind.YEARLY_GAIN, 2)],
        communes=communes,
        districts=[],
        recognitions=[],
        statuses_by_unit=now,
        earlier_met=earlier,
    )

    assert (progress.achieved, progress.out_of) == (2, 5)
    [without_earlier] = target_progress(
        [target(TargetKind.YEARLY_GAIN, 2)], communes=communes, districts=[], recognitions=[], statuses_by_unit=now
    )
    assert without_earlier.achieved == 0


@pytest.mark.parametrize(("achieved", "value", "percent"), [(62, 94, 66), (0, 94, 0), (94, 94, 100), (100, 94, 106)])
def test_percent_of_plan(achieved, value, percent):
    communes = [commune() for _ in range(achieved)]

    [progress] = target_progress(
        [target(TargetKind.UNITS_AT_TIER, value, tier=RecognisedTier.STANDARD)],
        communes=communes,
        districts=[],
        recognitions=[recognised(u) for u in communes],
        statuses_by_unit={},
    )

    assert progress.percent == Decimal(percent)


def test_percent_of_a_zero_target_is_none():
    [progress] = target_progress(
        [target(TargetKind.UNITS_AT_TIER, 0, tier=RecognisedTier.STANDARD)],
        communes=[],
        districts=[],
        recognitions=[],
        statuses_by_unit={},
    )

    assert progress.percent is None


# ---------------------------------------------------------------- QĐ 320: a district's communes


def tiers(*counts: tuple[str, int]) -> list[Status]:
    return [status(commune(), tier=tier) for tier, n in counts for _ in range(n)]


@pytest.mark.parametrize(
    ("statuses", "standard_pct", "advanced_pct", "all_standard", "advanced_ok"),
    [
        (tiers(("standard", 9), ("advanced", 1)), "100.0", "10.0", True, True),  # exactly 10 %
        (tiers(("standard", 10), ("advanced", 1)), "100.0", "9.1", True, False),  # 1 of 11
        (tiers(("standard", 18), ("advanced", 1), ("model", 1)), "100.0", "10.0", True, True),  # model counts
        (tiers(("standard", 19), ("advanced", 2)), "100.0", "9.5", True, False),  # 2 of 21
        (tiers(("", 1), ("standard", 8), ("advanced", 1)), "90.0", "10.0", False, True),  # one commune short
        (tiers(("advanced", 3)), "100.0", "100.0", True, True),
        (tiers(("", 3)), "0.0", "0.0", False, False),
        ([], "0", "0", False, False),
    ],
)
def test_district_rule(statuses, standard_pct, advanced_pct, all_standard, advanced_ok):
    rule = district_rule(commune_statuses=statuses)

    assert (rule["standard_pct"], rule["advanced_pct"]) == (Decimal(standard_pct), Decimal(advanced_pct))
    assert (rule["all_standard"], rule["advanced_ok"]) == (all_standard, advanced_ok)
    assert rule["communes"] == len(statuses)
    assert rule["standard"] == sum(1 for s in statuses if s.tier)
    assert rule["advanced"] == sum(1 for s in statuses if s.tier in ("advanced", "model"))


# ---------------------------------------------------------------- from approved figures to the watch-list


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("figures", "failed", "key_failed", "at_risk"),
    [
        ({"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}, [], [], None),
        # 1 of 3 criteria (33 %) failed: at risk only because income (10) is a key criterion.
        ({"income_per_capita": "50", "poverty_rate": "4", "plan_approved": True}, [10], [10], True),
        ({"income_per_capita": "55", "poverty_rate": "7", "plan_approved": True}, [11], [], False),
        ({"income_per_capita": "55", "poverty_rate": "7", "plan_approved": False}, [1, 11], [], True),
    ],
)
def test_watch_list_from_approved_figures(tree, figures, failed, key_failed, at_risk):
    import_criteria_text(STANDARD)
    official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    office = MembershipFactory(unit=tree.province, role=Role.OFFICE).user
    report = save_values(unit=tree.dak_pek, period=MAY, raw=figures, by=official)
    submit_report(report=report, by=official)
    approve_report(report=report, by=office)
    Recognition.objects.create(
        unit=tree.dak_pek,
        tier=RecognisedTier.STANDARD,
        programme=Programme.objects.get(),
        decision_number="123/QĐ-UBND",
        decision_date=dt.date(2023, 12, 20),
        issuer="UBND tỉnh Kon Tum",
    )
    recompute_statuses(period=MAY, units=tracked_units())
    statuses = {s.unit_id: s for s in Status.objects.filter(period=MAY)}

    items = watch_list(statuses, Recognition.objects.in_force().select_related("unit"))

    assert [(i.unit, i.failed, i.key_failed, i.total, i.at_risk) for i in items] == (
        [(tree.dak_pek, failed, key_failed, 3, at_risk)] if failed else []
    )
