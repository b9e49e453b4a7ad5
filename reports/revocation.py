"""QĐ 18/2022/QĐ-TTg for districts: when a recognised NTM district is at risk of losing its recognition.

A pure rule over counts, like criteria.evaluation.revocation_risk for communes; the dashboards count the
communes and the district's criteria and call it.
"""

from __future__ import annotations

# The key criteria of the district rule, by name as QĐ 18/2022 lists them (R18 in the legal verification):
# one of them failing turns 30% to <50% of failing criteria into a risk.
DISTRICT_KEY_CRITERIA = (
    "Kinh tế",
    "Môi trường",
    "Chất lượng môi trường sống",
    "Hệ thống chính trị - An ninh, trật tự - Hành chính công",
    "An ninh, trật tự - Hành chính công",
)


def district_revocation_risk(
    *, communes_revoked: int, communes_total: int, failed_criteria: int, total_criteria: int, key_failed: bool
) -> bool:
    """At risk when 30% or more of the district's communes lost their NTM standing, when 30% to <50% of the
    district criteria fail with a key one among them, or when 50% or more fail.

    communes_revoked: the district's communes recognised as NTM whose recognition was revoked or that no longer
    meet the standard set; communes_total: the district's communes; failed_criteria / total_criteria: the
    district set's counted criteria not met / all of them (conditions excluded); key_failed: one of the failing
    criteria is a key one (DISTRICT_KEY_CRITERIA, flagged `key: true` in the district set).
    """
    # Integer arithmetic: 30% of 10 communes is exactly 3, with no floating-point doubt at the edge.
    communes_at_risk = communes_total > 0 and communes_revoked * 100 >= 30 * communes_total
    if total_criteria <= 0:
        return communes_at_risk
    criteria_at_risk = failed_criteria * 100 >= 50 * total_criteria or (
        key_failed and failed_criteria * 100 >= 30 * total_criteria
    )
    return communes_at_risk or criteria_at_risk


def is_district_key_criterion(name: str) -> bool:
    """A criterion name of QĐ 18/2022's district key list (for sets that do not flag `key`)."""
    return name.strip() in DISTRICT_KEY_CRITERIA
