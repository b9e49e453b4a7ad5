"""What a criteria import may not change: the definitions that published sets (and stored figures) rely on.

A file brings its programme and its measures along with its set. Saving them as given would let a draft rewrite
what a published set judges with: a shared measure renamed, its maximum cut from 2000 to 1 (so the monthly form
then refuses 41.5), or the programme's name and years changed, all under a "saved" message. So a file that
redefines a programme having published sets, or a measure read by a published set or holding monthly figures, is
refused, each problem named by the file's line; a new definition takes a new code. An administrator can still
correct a definition on purpose in the admin, one field at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from criteria.models import CriteriaSet, Measure, Programme, SetStatus
from criteria.yaml_reading import CriteriaFileError

PROGRAMME_FIELDS = ("name", "legal_basis", "start_year", "end_year", "starts_on", "ends_on")
# A programme's first or last day may be filled in where the database has none (and a file may leave it out):
# that completes the programme; changing a day already set is a redefinition.
FILLABLE_FIELDS = ("starts_on", "ends_on")
MEASURE_FIELDS = ("name", "name_en", "kind", "unit", "min_value", "max_value", "levels")


def refuse_redefinitions(parsed) -> None:
    """CriteriaFileError listing, by line, each shared definition the parsed file would change."""
    errors = _programme_errors(parsed.programme)
    errors += _measure_errors(parsed.measures)
    if errors:
        raise CriteriaFileError(errors)


def _programme_errors(p: dict) -> list[str]:
    programme = Programme.objects.filter(code=p.get("code")).first()
    if programme is None:
        return []
    changes = _changes(programme, p, PROGRAMME_FIELDS)
    if not changes:
        return []
    published = list(
        programme.sets.filter(status=SetStatus.PUBLISHED).order_by("rank", "code").values_list("name", flat=True)
    )
    if not published:
        return []
    message = _(
        "Dòng %(line)s: giai đoạn '%(code)s' đã có bộ tiêu chí đã ban hành (%(sets)s) nên tệp không được sửa giai "
        "đoạn (%(changes)s). Hãy ghi phần 'programme' đúng như đang có (xuất một bộ của giai đoạn này để xem), hoặc "
        "đặt mã giai đoạn mới."
    )
    return [
        message
        % {"line": p.get("line", 1), "code": programme.code, "sets": _names(published), "changes": "; ".join(changes)}
    ]


def _measure_errors(measures: list[dict]) -> list[str]:
    codes = [m["code"] for m in measures]
    existing = {m.code: m for m in Measure.objects.filter(code__in=codes)}
    changed = {m["code"]: _changes(existing[m["code"]], m, MEASURE_FIELDS) for m in measures if m["code"] in existing}
    changed = {code: changes for code, changes in changed.items() if changes}
    if not changed:
        return []
    readers = _published_readers(changed)
    with_figures = set(
        Measure.objects.filter(code__in=list(changed), values__isnull=False).values_list("code", flat=True)
    )
    errors = []
    for data in measures:
        code = data["code"]
        if code not in changed or not (readers.get(code) or code in with_figures):
            continue
        uses = []
        if readers.get(code):
            uses.append(_("bộ tiêu chí đã ban hành %(sets)s") % {"sets": _names(readers[code])})
        if code in with_figures:
            uses.append(_("số liệu tháng đã lưu"))
        message = _(
            "Dòng %(line)s: số liệu '%(code)s' đang được dùng (%(uses)s) nên tệp không được định nghĩa lại nó "
            "(%(changes)s). Hãy ghi số liệu này đúng như đang có, hoặc đặt mã mới cho định nghĩa mới."
        )
        errors.append(
            message % {"line": data["line"], "code": code, "uses": "; ".join(uses), "changes": "; ".join(changed[code])}
        )
    return errors


def _published_readers(codes: Iterable[str]) -> dict[str, list[str]]:
    """Measure code -> names of the published sets that read it (as an indicator's figure or a threshold's
    condition)."""
    codes = list(codes)
    rows = (
        CriteriaSet.objects.filter(status=SetStatus.PUBLISHED)
        .filter(
            Q(criteria__indicators__measure__code__in=codes)
            | Q(criteria__indicators__thresholds__condition_measure__code__in=codes)
        )
        .values_list(
            "criteria__indicators__measure__code",
            "criteria__indicators__thresholds__condition_measure__code",
            "name",
        )
        .distinct()
    )
    readers: dict[str, list[str]] = {}
    for measure_code, condition_code, name in rows:
        for code in (measure_code, condition_code):
            if code in codes and name not in readers.setdefault(code, []):
                readers[code].append(name)
    return readers


def _changes(stored: Any, given: dict, fields: tuple[str, ...]) -> list[str]:
    """Each field the file gives differently, as "field: old → new"."""
    changes = []
    for name in fields:
        old, new = getattr(stored, name), given.get(name)
        if _same(old, new) or (name in FILLABLE_FIELDS and (old is None or new is None)):
            continue
        changes.append(f"{name}: {_shown(old)} → {_shown(new)}")
    return changes


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(old) == Decimal(new)
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(old, list | tuple) or isinstance(new, list | tuple):
        return list(old or []) == list(new or [])
    return old == new


def _shown(value: Any) -> str:
    if value in (None, ""):
        return _("(trống)")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or _("(trống)")
    return f"'{value}'" if isinstance(value, str) else str(value)


def _names(names: list[str]) -> str:
    shown = ", ".join(f"'{name}'" for name in names[:3])
    return shown + (_(" và %(count)d bộ khác") % {"count": len(names) - 3} if len(names) > 3 else "")


def fill_programme_days(programme: Programme, p: dict) -> None:
    """A file may give a programme's first or last day where the database has none: that completes the programme
    (criteria.import_guard), so the stored sets then compare with the file as they are."""
    days = {key: p[key] for key in ("starts_on", "ends_on", "buckets") if p.get(key) and not getattr(programme, key)}
    if days:
        for key, value in days.items():
            setattr(programme, key, value)
        programme.save()
