"""QĐ 18/2022/QĐ-TTg, the district rule (reports.revocation): the 30% of communes, and the 30% / 50% bands of the
district criteria with and without a key criterion, at their edges."""

import pytest

from reports.revocation import DISTRICT_KEY_CRITERIA, district_revocation_risk, is_district_key_criterion


def _risk(communes_revoked=0, communes_total=100, failed=0, total=100, key_failed=False) -> bool:
    return district_revocation_risk(
        communes_revoked=communes_revoked,
        communes_total=communes_total,
        failed_criteria=failed,
        total_criteria=total,
        key_failed=key_failed,
    )


@pytest.mark.parametrize(
    ("revoked", "total", "at_risk"), [(29, 100, False), (30, 100, True), (3, 10, True), (2, 10, False)]
)
def test_thirty_percent_of_communes_revoked_puts_the_district_at_risk(revoked, total, at_risk):
    assert _risk(communes_revoked=revoked, communes_total=total) is at_risk


def test_two_of_seven_communes_is_under_thirty_percent():
    # 2/7 = 28.6%: not yet; 3/7 = 42.9%: at risk.
    assert _risk(communes_revoked=2, communes_total=7) is False
    assert _risk(communes_revoked=3, communes_total=7) is True


@pytest.mark.parametrize(
    ("failed", "key_failed", "at_risk"),
    [
        (29, True, False),  # under 30%, even with a key criterion
        (30, True, True),  # 30% with a key criterion
        (30, False, False),  # 30% without one
        (49, False, False),
        (49, True, True),
        (50, False, True),  # 50% whatever fails
        (50, True, True),
    ],
)
def test_district_criteria_bands(failed, key_failed, at_risk):
    assert _risk(failed=failed, total=100, key_failed=key_failed) is at_risk


def test_the_bands_on_a_real_district_set_of_nine_criteria():
    # 3/9 = 33% with a key criterion: at risk; 4/9 = 44% without: not; 5/9 = 56%: at risk.
    assert _risk(failed=3, total=9, key_failed=True) is True
    assert _risk(failed=2, total=9, key_failed=True) is False
    assert _risk(failed=4, total=9, key_failed=False) is False
    assert _risk(failed=5, total=9, key_failed=False) is True


def test_nothing_to_count_is_no_risk():
    assert _risk(communes_revoked=0, communes_total=0, failed=0, total=0) is False
    assert _risk(communes_revoked=5, communes_total=10, failed=0, total=0) is True


def test_the_key_list_is_the_five_names_of_the_rule():
    assert len(DISTRICT_KEY_CRITERIA) == 5
    assert is_district_key_criterion("Kinh tế")
    assert is_district_key_criterion(" An ninh, trật tự - Hành chính công ")
    assert not is_district_key_criterion("Giao thông")
