"""What pages of the reports app compute from units and criteria together."""

from __future__ import annotations

from django.db.models import Min, Subquery

from criteria.models import CriteriaSet, Measure
from criteria.models import Level as CriteriaLevel


def what_if_measures(*, programme: str, set_code: str = "", province_code: str = "") -> list[Measure]:
    """The measures a commune's evaluation reads, in one query, in the order of the criteria that first use them.

    With one set chosen, the lower sets of its ladder count too: its 'reached' indicators depend on them.
    """
    sets = CriteriaSet.objects.filter(programme__code=programme, level=CriteriaLevel.COMMUNE).in_force_for(
        province_code
    )
    if set_code:
        chosen_rank = CriteriaSet.objects.national().filter(programme__code=programme, code=set_code).values("rank")
        sets = sets.filter(rank__lte=Subquery(chosen_rank[:1]))
    # filter() before annotate(): the minimums run over the same join, so only these sets' criteria count.
    return list(
        Measure.objects.filter(indicators__criterion__criteria_set__in=sets)
        .annotate(
            first_rank=Min("indicators__criterion__criteria_set__rank"),
            first_criterion=Min("indicators__criterion__number"),
        )
        .order_by("first_rank", "first_criterion", "code")
    )
