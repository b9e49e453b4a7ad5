"""QĐ 18/2022/QĐ-TTg's rule for revoking a recognition, on a unit's criteria results."""


def revocation_risk(*, failed: int, total: int, key_failed: bool) -> bool:
    """QĐ 18/2022/QĐ-TTg: at risk when 50% or more of the criteria fail, or 30% or more with a key one among them."""
    if total <= 0:
        return False
    # Integer arithmetic: 30% of 20 is exactly 6, with no floating-point doubt at the edge.
    return failed * 100 >= 50 * total or (key_failed and failed * 100 >= 30 * total)
