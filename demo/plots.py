"""The part each rural commune of the demo province plays in 2024 (demo.story tells it): the tier its December
figures reach, when each gap closes, its recognition decisions and its plan. Every random choice comes from
random.Random seeded by a unit code, so the same database gets the same story on every run."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from communes.models import AdministrativeUnit
from records.models import RecognisedTier

YEAR = 2024
STILL_FAILING = 13  # "first month met" of a criterion that is still failing in December

NGOC_HOI = "611"
# Chỉ thị 05/CT-UBND (22/01/2024): recognised communes with more than 30% of their criteria no longer met.
# Code -> the standard criteria failing in December 2024 (each list holds a key criterion: 10, 17 or 19).
AT_RISK = {
    "23326": [9, 10, 11, 12, 13, 17],  # Xã Ia Chim, Thành phố Kon Tum
    "23353": [5, 9, 10, 11, 13, 14, 17],  # Xã Đắk Pék, Huyện Đắk Glei
    "23374": [6, 10, 11, 12, 13, 17],  # Xã Đắk Môn, Huyện Đắk Glei
    "23371": [3, 10, 11, 13, 16, 17, 19],  # Xã Đắk KRoong, Huyện Đắk Glei
}
# DEMO DATA, not the official list: most communes of these districts are treated as especially disadvantaged
# (xã ĐBKK) and so judged on the TDMNPB thresholds (QĐ 318, Article 1).
TDMNPB_DISTRICTS = {"610", "613", "617", "618"}  # Đắk Glei, Kon Plông, Tu Mơ Rông, Ia H' Drai
TDMNPB_SHARE = 0.8
# How easily a district's communes meet the criteria: the city and the plains of the north-south road first.
DISTRICT_EASE = {
    "608": 3.0,  # Thành phố Kon Tum
    "611": 2.8,  # Ngọc Hồi
    "615": 2.6,  # Đắk Hà
    "612": 2.3,  # Đắk Tô
    "616": 1.7,  # Sa Thầy
    "614": 1.6,  # Kon Rẫy
    "613": 1.1,  # Kon Plông
    "618": 0.7,  # Ia H' Drai
    "610": 0.5,  # Đắk Glei
    "617": 0.4,  # Tu Mơ Rông
}
# Standard criteria that remote communes fail most often, with weights (income, poverty, production first).
USUAL_GAPS = {10: 9, 11: 9, 13: 8, 17: 7, 9: 6, 12: 6, 14: 4, 15: 4, 2: 4, 5: 4, 6: 3, 3: 3, 16: 2, 7: 2, 1: 1}
NON_KEY_GAPS = {13: 5, 12: 4, 15: 4, 6: 3, 5: 3, 3: 3, 16: 2, 2: 2, 9: 2}

# Counts of the story outside Ngọc Hồi and the four communes above (85 rural communes in all).
RECOGNISED_STANDARD = 39
RECOGNISED_ADVANCED = 9
RECOGNISED_MODEL = 2
ADVANCED_SLIPPING = 2  # recognised advanced, but their figures only reach standard in 2024
STANDARD_SLIPPING = 4  # recognised standard, one or two criteria not maintained in December
NEW_STANDARD = 6  # not yet recognised, reach the standard during 2024 (two get their decision in December)
NEARLY = 4  # not yet recognised, one or two criteria short in December: planned for 2025


# ---------------------------------------------------------------- what each commune's figures must show


@dataclass
class Plot:
    """The part one commune plays in 2024: the tier its December figures reach, and when each gap closes."""

    unit: AdministrativeUnit
    goal: int  # 0: below standard, 1 standard, 2 advanced, 3 model (computed from the December figures)
    standard_gaps: dict[int, int] = field(default_factory=dict)  # criterion -> first month met (13: never)
    advanced_gaps: dict[int, int] = field(default_factory=dict)
    recognitions: list[tuple[str, dt.date]] = field(default_factory=list)  # (tier, decision date)
    plan: tuple[str, int] | None = None  # (tier, year)
    note: str = ""

    def standard_failing(self, month: int) -> set[int]:
        return {c for c, fixed in self.standard_gaps.items() if month < fixed}

    def advanced_failing(self, month: int) -> set[int]:
        return {c for c, fixed in self.advanced_gaps.items() if month < fixed}


def rng_for(*parts) -> random.Random:
    return random.Random(":".join(str(p) for p in parts))


def _weighted_sample(rng: random.Random, weights: dict[int, int], k: int, exclude: Iterable[int] = ()) -> list[int]:
    pool = {c: w for c, w in weights.items() if c not in set(exclude)}
    chosen = []
    for _ in range(min(k, len(pool))):
        pick = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(pick)
        del pool[pick]
    return chosen


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _early_gaps(rng: random.Random, weights: dict[int, int], k: int, exclude: Iterable[int], last: int) -> dict:
    """Criteria failing in January and met from a month between February and `last`."""
    return {c: rng.randint(2, last) for c in _weighted_sample(rng, weights, k, exclude)}


def _recognised_standard(rng, plot, start=dt.date(2019, 1, 1), end=dt.date(2023, 12, 31)) -> None:
    plot.recognitions.append((RecognisedTier.STANDARD, _date_between(rng, start, end)))


def _advanced_gaps_while_standard(rng, failable_advanced: list[int]) -> dict[int, int]:
    # A commune at the standard tier fails a few advanced criteria all year, so it never reads as advanced.
    return {c: STILL_FAILING for c in rng.sample(failable_advanced, k=rng.randint(3, 7))}


def plot_communes(communes: list[AdministrativeUnit], failable_advanced: list[int]) -> dict[str, Plot]:
    """The part of every rural commune, decided from its code and its district alone."""
    plots: dict[str, Plot] = {}
    district_code = {c.pk: c.path.split("/")[1] for c in communes}
    _plot_at_risk(plots, communes)
    _plot_ngoc_hoi(plots, communes, district_code, failable_advanced)

    # Everyone else, ranked by how easily their district meets the criteria, with chance for the rest.
    others = [c for c in communes if c.code not in plots]
    score = {
        c.code: DISTRICT_EASE.get(district_code[c.pk], 1.0) + rng_for("score", c.code).uniform(0, 2.2) for c in others
    }
    others.sort(key=lambda c: (-score[c.code], c.code))
    recognised = others[:RECOGNISED_STANDARD]
    advanced = recognised[:RECOGNISED_ADVANCED]
    model = advanced[:RECOGNISED_MODEL]
    advanced_slipping = advanced[-ADVANCED_SLIPPING:]
    standard_only = recognised[RECOGNISED_ADVANCED:]
    standard_slipping = standard_only[-STANDARD_SLIPPING:]
    for commune in recognised:
        plots[commune.code] = _plot_recognised(
            commune,
            failable_advanced,
            advanced=commune in advanced,
            advanced_slipping=commune in advanced_slipping,
            model=commune in model,
            standard_slipping=commune in standard_slipping,
        )
    _plot_unrecognised(plots, others[RECOGNISED_STANDARD:], failable_advanced)

    # The roadmap beyond 2024: advanced for three well-placed standard communes, model for one advanced.
    for commune in [c for c in standard_only if c not in standard_slipping][:3]:
        plots[commune.code].plan = (RecognisedTier.ADVANCED, YEAR + 1)
    for commune in [c for c in advanced if c not in model and c not in advanced_slipping][:1]:
        plots[commune.code].plan = (RecognisedTier.MODEL, YEAR + 1)
    return plots


def _plot_at_risk(plots: dict[str, Plot], communes: list[AdministrativeUnit]) -> None:
    """The four communes of Chỉ thị 05: recognised years ago, more than 30% of their criteria no longer met."""
    for commune in communes:
        if commune.code in AT_RISK:
            rng = rng_for("plot", commune.code)
            gaps = {c: STILL_FAILING for c in AT_RISK[commune.code]}
            gaps.update(_early_gaps(rng, NON_KEY_GAPS, 2, gaps, 8))
            plot = Plot(commune, 0, gaps, note="Chỉ thị 05/CT-UBND (22/01/2024): trên 30% tiêu chí không duy trì.")
            _recognised_standard(rng, plot, dt.date(2020, 1, 1), dt.date(2022, 12, 31))
            plots[commune.code] = plot


def _plot_ngoc_hoi(
    plots: dict[str, Plot], communes: list[AdministrativeUnit], district_code: dict, failable_advanced: list[int]
) -> None:
    """Ngọc Hồi: the district of Chỉ thị 05, close to its target by December."""
    ngoc_hoi = sorted((c for c in communes if district_code[c.pk] == NGOC_HOI), key=lambda c: c.code)
    for i, commune in enumerate(ngoc_hoi):
        rng = rng_for("plot", commune.code)
        if i == len(ngoc_hoi) - 1 and len(ngoc_hoi) > 1:
            # The last one still lacks a production cooperative in December: the district's one gap.
            gaps = {13: STILL_FAILING, **_early_gaps(rng, NON_KEY_GAPS, 2, [13], 9)}
            plot = Plot(commune, 0, gaps, plan=(RecognisedTier.STANDARD, YEAR))
        elif i == 0:
            plot = Plot(commune, 2, _early_gaps(rng, NON_KEY_GAPS, 1, [], 5))
            plot.advanced_gaps = {rng.choice(failable_advanced): rng.randint(3, 8)}
            _recognised_standard(rng, plot, dt.date(2019, 1, 1), dt.date(2020, 12, 31))
            plot.recognitions.append(
                (RecognisedTier.ADVANCED, _date_between(rng, dt.date(2023, 1, 1), dt.date(2023, 12, 31)))
            )
        else:
            plot = Plot(commune, 1, _early_gaps(rng, NON_KEY_GAPS, rng.randint(0, 2), [], 8))
            plot.advanced_gaps = _advanced_gaps_while_standard(rng, failable_advanced)
            _recognised_standard(rng, plot)
        plots[commune.code] = plot


def _plot_recognised(
    commune: AdministrativeUnit,
    failable_advanced: list[int],
    *,
    advanced: bool,
    advanced_slipping: bool,
    model: bool,
    standard_slipping: bool,
) -> Plot:
    """A commune recognised before 2024 (at the standard tier, some advanced or model), some slipping."""
    rng = rng_for("plot", commune.code)
    plot = Plot(commune, 1)
    # Advanced communes were recognised at the standard tier years before.
    _recognised_standard(rng, plot, end=dt.date(2021, 12, 31) if advanced else dt.date(2023, 12, 31))
    # Most keep every criterion; some let one or two slip at the start of the year and recover by summer.
    plot.standard_gaps = _early_gaps(rng, NON_KEY_GAPS, rng.choice([0] * 13 + [1] * 5 + [2] * 2), [], 6)
    if advanced:
        standard_date = plot.recognitions[0][1]
        start = max(standard_date + dt.timedelta(days=365), dt.date(2022, 10, 1))
        plot.recognitions.append((RecognisedTier.ADVANCED, _date_between(rng, start, dt.date(2024, 3, 31))))
        plot.goal = 2
        plot.advanced_gaps = {rng.choice(failable_advanced): rng.randint(2, 9)} if rng.random() < 0.5 else {}
        if advanced_slipping:
            plot.goal = 1
            plot.advanced_gaps = {c: STILL_FAILING for c in rng.sample(failable_advanced, k=rng.randint(2, 3))}
        if model:
            plot.goal = 3
            plot.advanced_gaps = {}
            advanced_date = plot.recognitions[-1][1]
            plot.recognitions.append(
                (
                    RecognisedTier.MODEL,
                    _date_between(rng, advanced_date + dt.timedelta(days=180), dt.date(2024, 9, 30)),
                )
            )
    else:
        plot.advanced_gaps = _advanced_gaps_while_standard(rng, failable_advanced)
    if standard_slipping:
        plot.goal = 0
        missing = _weighted_sample(rng, NON_KEY_GAPS, rng.randint(1, 2))
        plot.standard_gaps.update({c: STILL_FAILING for c in missing})
    return plot


def _plot_unrecognised(plots: dict[str, Plot], rest: list[AdministrativeUnit], failable_advanced: list[int]) -> None:
    """The communes not recognised before 2024: six reach the standard, four nearly do, the rest are far from it."""
    new_standard = rest[:NEW_STANDARD]
    nearly = rest[NEW_STANDARD : NEW_STANDARD + NEARLY]
    far = rest[NEW_STANDARD + NEARLY :]
    # Two of the communes that reach the standard early in the year get their decision in December.
    for i, commune in enumerate(new_standard):
        rng = rng_for("plot", commune.code)
        last = 6 + i  # the i-th closes its last gap in month 6 + i
        gaps = _early_gaps(rng, USUAL_GAPS, rng.randint(2, 4), [], last)
        gaps[max(gaps, key=gaps.get)] = last
        plot = Plot(
            commune,
            1,
            gaps,
            _advanced_gaps_while_standard(rng, failable_advanced),
            plan=(RecognisedTier.STANDARD, YEAR),
        )
        if i < 2:
            plot.recognitions.append((RecognisedTier.STANDARD, dt.date(YEAR, 12, 16 + 3 * i)))
        plots[commune.code] = plot
    for commune in nearly:
        rng = rng_for("plot", commune.code)
        missing = _weighted_sample(rng, USUAL_GAPS, rng.randint(1, 2))
        gaps = {c: STILL_FAILING for c in missing}
        gaps.update(_early_gaps(rng, USUAL_GAPS, rng.randint(1, 3), missing, 11))
        plots[commune.code] = Plot(commune, 0, gaps, plan=(RecognisedTier.STANDARD, YEAR + 1))
    for i, commune in enumerate(far):
        rng = rng_for("plot", commune.code)
        # From 3 criteria missing in December for the best placed to 9 for the most remote.
        missing_count = 3 + round(6 * i / max(len(far) - 1, 1)) + rng.choice([-1, 0, 0, 1])
        missing = _weighted_sample(rng, USUAL_GAPS, max(3, min(9, missing_count)))
        gaps = {c: STILL_FAILING for c in missing}
        # No more than ten criteria missing in January.
        gaps.update(_early_gaps(rng, USUAL_GAPS, min(rng.randint(1, 3), 10 - len(missing)), missing, 12))
        plots[commune.code] = Plot(commune, 0, gaps)
