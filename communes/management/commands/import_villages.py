"""Load the villages (thôn, bản, tổ dân phố…) of communes from a spreadsheet.

No national register lists villages: each commune keeps its own list, usually in Excel. This command takes
such a list as .xlsx or .csv (columns: commune code, village name, kind), checks every line before saving
anything, and reports every problem by line and column so the sender can fix the file in one go. Villages
already present (same name under the same commune) are updated, not duplicated, so a file can be loaded
again after corrections. load_demo reuses the core, load_village_rows(), with rows built in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communes.models import NAME_PREFIXES, AdministrativeUnit, Kind, Level, split_name
from communes.text import fold

# An update sets name, short name and kind, then whatever refresh_derived_fields() derives from them; comparing
# and saving every concrete field keeps this right when derived fields are added or renamed.
UPDATE_FIELDS = [f.name for f in AdministrativeUnit._meta.concrete_fields if not f.primary_key]
NAME_MAX_LENGTH = AdministrativeUnit._meta.get_field("name").max_length
SEQUENCE_DIGITS = 3
# GSO commune codes have five digits; Excel drops the leading zeros of "00001".
COMMUNE_CODE_DIGITS = 5

# The prefix each village kind writes before the name ("Thôn", "Tổ dân phố"…).
VILLAGE_PREFIX: dict[str, str] = {kind: prefix for prefix, kind in NAME_PREFIXES[Level.VILLAGE]}
VILLAGE_KINDS = [kind for kind in Kind if kind in VILLAGE_PREFIX]
# A kind cell may hold the stored value ("to_dan_pho") or the label ("Tổ dân phố"), in any case or accents.
KIND_BY_FOLDED: dict[str, str] = {
    spelling: kind.value
    for kind in VILLAGE_KINDS
    for spelling in (fold(kind.value), fold(kind.value.replace("_", " ")), fold(VILLAGE_PREFIX[kind]))
}
KIND_LIST = ", ".join(VILLAGE_PREFIX[kind] for kind in VILLAGE_KINDS)

# Column -> (name used in messages, header spellings after _header_key()).
COLUMNS: dict[str, tuple[str, set[str]]] = {
    "commune_code": ("mã xã", {"ma xa", "ma xa phuong", "ma xa phuong thi tran", "ma don vi", "commune code"}),
    "name": (
        "tên thôn",
        {"ten thon", "ten thon ban", "ten thon ban to dan pho", "ten", "village name", "village", "name"},
    ),
    "kind": ("loại", {"loai", "loai thon", "loai don vi", "kind", "type"}),
}
REQUIRED_COLUMNS = ["commune_code", "name"]  # without a kind column, the kind is read from each name
SUPPORTED_SUFFIXES = {".xlsx", ".xlsm", ".csv"}

# (line number, commune code, village name, kind) as read from a file; the kind may be empty.
Row = tuple[int, str, str, str]


class VillageImportError(Exception):
    """Bad input: every problem found, each a Vietnamese sentence naming its line and, where there is one, column."""

    def __init__(self, errors: list[str], *, bad_lines: int | None = None):
        self.errors = errors
        # None when the file as a whole could not be read (no line to blame).
        self.bad_lines = bad_lines
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        if self.bad_lines is None:
            return "Không nạp gì. " + " ".join(self.errors)
        return f"Không nạp gì: {self.bad_lines} dòng có lỗi."


class Command(BaseCommand):
    help = (
        "Nạp danh sách thôn, bản, tổ dân phố từ tệp .xlsx hoặc .csv (cột: mã xã, tên thôn, loại). "
        "Mọi dòng được kiểm tra trước; có dòng lỗi thì không nạp gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Tệp .xlsx (trang đầu tiên) hoặc .csv (UTF-8), dòng 1 là tiêu đề.")
        parser.add_argument("--demo", action="store_true", help="Đánh dấu các thôn mới là dữ liệu minh họa.")

    def handle(self, *args, **options):
        try:
            rows = read_village_file(options["file"])
            counts = load_village_rows(rows, demo=options["demo"])
        except VillageImportError as exc:
            if exc.bad_lines is not None:
                for error in exc.errors:
                    self.stderr.write(error)
            raise CommandError(exc.summary) from None

        self.stdout.write(
            f"Thôn: {counts['total']} dòng (mới {counts['created']}, cập nhật {counts['updated']}, "
            f"không đổi {counts['unchanged']})"
        )
        if counts["created"] == 0 and counts["updated"] == 0:
            self.stdout.write(self.style.SUCCESS("Danh sách thôn đã đầy đủ, không có thay đổi."))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Đã nạp: {counts['created']} thôn mới, {counts['updated']} thôn cập nhật.")
            )


# Reading files -------------------------------------------------------------------------------------------------


def read_village_file(path: Path) -> list[Row]:
    """The data lines of a village list, numbered as in the file (header = line 1)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise VillageImportError(
            [f"Không đọc được tệp '{path.name}': chỉ nhận tệp .xlsx hoặc .csv (tệp này là '{suffix or 'không đuôi'}')."]
        )
    if not path.is_file():
        raise VillageImportError([f"Không tìm thấy tệp '{path}'."])
    table = _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
    return _rows_from_table(table)


def _read_xlsx(path: Path) -> list[list[object]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise VillageImportError([f"Không đọc được tệp Excel '{path.name}': tệp hỏng hoặc không phải .xlsx."]) from exc
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _read_csv(path: Path) -> list[list[object]]:
    try:
        # utf-8-sig drops the byte-order mark Excel writes, and reads files without one unchanged.
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VillageImportError(
            [f"Không đọc được tệp CSV '{path.name}': không phải văn bản UTF-8 (hãy lưu lại dạng CSV UTF-8)."]
        ) from exc
    if "\x00" in text:
        raise VillageImportError(
            [f"Không đọc được tệp CSV '{path.name}': tệp chứa dữ liệu nhị phân, không phải văn bản."]
        )
    first_line = text.split("\n", 1)[0]
    # Excel in Vietnamese locales saves CSV with semicolons; pick whichever separator the header uses most.
    delimiter = max(",;\t", key=first_line.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise VillageImportError([f"Không đọc được tệp CSV '{path.name}': {exc}."]) from exc


def _header_key(value: object) -> str:
    """'Tên thôn/bản' -> 'ten thon ban', 'commune_code' -> 'commune code'."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(_cell_text(value))).split())


def _rows_from_table(table: list[list[object]]) -> list[Row]:
    if not any(_cell_text(cell) for row in table for cell in row):
        raise VillageImportError(["Tệp trống: không có dòng tiêu đề và dữ liệu."])

    header = table[0]
    positions: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(header):
        key = _header_key(cell)
        for column, (label, spellings) in COLUMNS.items():
            if key in spellings:
                if column in positions:
                    errors.append(
                        f"Dòng 1: cột {label} xuất hiện hai lần (cột {positions[column] + 1} và {index + 1})."
                    )
                positions.setdefault(column, index)
    missing = [COLUMNS[column][0] for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        found = ", ".join(f"'{_cell_text(cell)}'" for cell in header if _cell_text(cell)) or "không có"
        errors.append(
            f"Dòng 1: thiếu cột {', '.join(missing)}. Tiêu đề cần có 'Mã xã', 'Tên thôn', 'Loại' "
            f"(hoặc commune_code, village_name, kind); tiêu đề đọc được: {found}."
        )
    if errors:
        raise VillageImportError(errors)

    def cell(row: list[object], column: str) -> str:
        index = positions.get(column)
        return _cell_text(row[index]) if index is not None and index < len(row) else ""

    rows = [
        (line_no, cell(row, "commune_code"), cell(row, "name"), cell(row, "kind"))
        for line_no, row in enumerate(table[1:], start=2)
        if any(_cell_text(value) for value in row)  # spreadsheets often carry blank lines at the end
    ]
    if not rows:
        raise VillageImportError(["Tệp chỉ có dòng tiêu đề, không có thôn nào."])
    return rows


def _cell_text(value: object) -> str:
    """A cell as trimmed text; Excel's 23353.0 becomes '23353'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# Loading rows --------------------------------------------------------------------------------------------------


def load_village_rows(
    rows: Iterable[Sequence[object]], *, demo: bool = False, on: dt.date | None = None
) -> dict[str, int]:
    """Check every row, then create or update the villages in one transaction; raise VillageImportError if any is bad.

    A row is (line number, commune code, village name, kind) or, for rows built in memory, (commune code,
    village name, kind), numbered from 1 in order. The kind may be empty when the name starts with it. A code
    names the commune in force on `on` (today when not given): codes were reused in July 2025 (23341 was Thị trấn
    Đắk Glei, then Xã Đăk Pék). Returns the counts: total, created, updated, unchanged.
    """
    numbered = [_numbered(position, row) for position, row in enumerate(rows, start=1)]
    with transaction.atomic():
        planned, errors, bad_lines = _validate(numbered, on)
        if errors:
            raise VillageImportError(errors, bad_lines=len(bad_lines))
        return _save(planned, demo=demo)


def _numbered(position: int, row: Sequence[object]) -> Row:
    if len(row) == 3:
        line_no, (code, name, kind) = position, row
    else:
        line_no, code, name, kind = row
    code = _cell_text(code)
    if code.isdigit() and len(code) < COMMUNE_CODE_DIGITS:
        code = code.zfill(COMMUNE_CODE_DIGITS)
    return int(line_no), code, _cell_text(name), _cell_text(kind)


def _village_name(
    raw_name: str, raw_kind: str, kind: str | None, folded_prefixes: set[str]
) -> tuple[str | None, tuple[str, str, str] | None]:
    """(error, None) for a name that cannot be used, (None, None) when the kind's error is already reported, or
    (None, (kind, name, short name)): the kind from its column or from the start of the name."""
    if not raw_name:
        return "cột tên thôn: không được để trống.", None
    if fold(raw_name) in folded_prefixes:
        return f"cột tên thôn: '{raw_name}' chỉ có loại, thiếu tên riêng.", None
    try:
        named_kind, short_name = split_name(raw_name, Level.VILLAGE)
    except ValueError:
        named_kind, short_name = None, raw_name
    if raw_kind and kind is None:
        return None, None  # already reported; the name cannot be built without a kind
    if kind and named_kind and kind != named_kind:
        return (
            f"cột loại: '{raw_kind}' khác với loại ở đầu tên thôn '{raw_name}' ({VILLAGE_PREFIX[named_kind]}).",
            None,
        )
    kind = kind or named_kind
    if kind is None:
        return f"cột loại: để trống thì tên thôn phải bắt đầu bằng loại ({KIND_LIST}); '{raw_name}' không có.", None
    name = f"{VILLAGE_PREFIX[kind]} {short_name}"
    if len(name) > NAME_MAX_LENGTH:
        return f"cột tên thôn: '{name}' dài quá {NAME_MAX_LENGTH} ký tự.", None
    return None, (kind, name, short_name)


def _validate(
    rows: list[Row], on: dt.date | None = None
) -> tuple[list[tuple[int, AdministrativeUnit, str, str, str]], list[str], set[int]]:
    """(line, commune, kind, name, short name) for each good row, the errors, and the lines that have any."""
    codes = {code for _, code, _, _ in rows if code}
    communes = {u.code: u for u in AdministrativeUnit.objects.filter(level=Level.COMMUNE, code__in=codes).current(on)}
    folded_prefixes = {fold(prefix) for prefix in VILLAGE_PREFIX.values()}

    planned, errors, bad_lines = [], [], set()
    seen: dict[tuple[str, str], int] = {}

    def fail(line_no: int, message: str) -> None:
        errors.append(f"Dòng {line_no}, {message}")
        bad_lines.add(line_no)

    for line_no, code, raw_name, raw_kind in rows:
        commune = communes.get(code)
        if not code:
            fail(line_no, "cột mã xã: không được để trống.")
        elif commune is None:
            fail(line_no, f"cột mã xã: không có xã mã {code}.")

        kind = None
        if raw_kind:
            kind = KIND_BY_FOLDED.get(fold(raw_kind))
            if kind is None:
                fail(line_no, f"cột loại: '{raw_kind}' không phải loại thôn hợp lệ ({KIND_LIST}).")

        error, village = _village_name(raw_name, raw_kind, kind, folded_prefixes)
        if error:
            fail(line_no, error)
        if village is None:
            continue
        kind, name, short_name = village

        key = (code, fold(name))
        if key in seen:
            fail(line_no, f"cột tên thôn: '{name}' trùng với dòng {seen[key]} (cùng xã mã {code}).")
            continue
        seen[key] = line_no
        if commune is not None and line_no not in bad_lines:
            planned.append((line_no, commune, kind, name, short_name))
    return planned, errors, bad_lines


def _save(planned: list[tuple[int, AdministrativeUnit, str, str, str]], *, demo: bool) -> dict[str, int]:
    communes = {commune.pk: commune for _, commune, *_ in planned}
    existing: dict[int, list[AdministrativeUnit]] = {pk: [] for pk in communes}
    for village in AdministrativeUnit.objects.filter(level=Level.VILLAGE, parent_id__in=communes).order_by("code"):
        existing[village.parent_id].append(village)

    matched = _match_existing(planned, existing)

    next_sequence = {pk: _last_sequence(commune.code) + 1 for pk, commune in communes.items()}
    to_create, to_update, unchanged = [], [], 0
    for line_no, commune, kind, name, short_name in planned:
        village = matched.get(line_no)
        if village is None:
            sequence = next_sequence[commune.pk]
            if sequence >= 10**SEQUENCE_DIGITS:
                # Checked here rather than in _validate because only new villages take a number.
                raise VillageImportError(
                    [f"Dòng {line_no}, cột mã xã: xã mã {commune.code} đã hết mã thôn (tối đa 999 thôn)."],
                    bad_lines=1,
                )
            next_sequence[commune.pk] = sequence + 1
            village = AdministrativeUnit(
                code=f"{commune.code}{sequence:0{SEQUENCE_DIGITS}d}",
                level=Level.VILLAGE,
                kind=kind,
                name=name,
                short_name=short_name,
                parent=commune,
                is_demo=demo,
            )
            village.refresh_derived_fields()
            to_create.append(village)
            continue
        before = [getattr(village, f) for f in UPDATE_FIELDS]
        village.kind, village.name, village.short_name = kind, name, short_name
        village.refresh_derived_fields()
        if before != [getattr(village, f) for f in UPDATE_FIELDS]:
            to_update.append(village)
        else:
            unchanged += 1

    AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
    AdministrativeUnit.objects.bulk_update(to_update, UPDATE_FIELDS, batch_size=2000)
    return {"total": len(planned), "created": len(to_create), "updated": len(to_update), "unchanged": unchanged}


def _match_existing(
    planned: list[tuple[int, AdministrativeUnit, str, str, str]], existing: dict[int, list[AdministrativeUnit]]
) -> dict[int, AdministrativeUnit]:
    """The existing village each planned line updates, by line number."""
    # By full name first ("Thôn Kon Pia"), then by the name without kind, so "Bản Kon Pia" turns an
    # existing "Thôn Kon Pia" into a bản; a unit matched once is not matched again, so "Thôn 1" and
    # "Tổ dân phố 1" of the same commune stay two villages.
    matched: dict[int, AdministrativeUnit] = {}
    claimed: set[int] = set()
    for line_no, commune, _kind, name, _short in planned:
        for village in existing[commune.pk]:
            if village.pk not in claimed and fold(village.name) == fold(name):
                matched[line_no] = village
                claimed.add(village.pk)
                break
    for line_no, commune, _kind, _name, short_name in planned:
        if line_no in matched:
            continue
        candidates = [v for v in existing[commune.pk] if v.pk not in claimed and fold(v.short_name) == fold(short_name)]
        if len(candidates) == 1:
            matched[line_no] = candidates[0]
            claimed.add(candidates[0].pk)
    return matched


def _last_sequence(commune_code: str) -> int:
    """The highest NNN among village codes '<commune code>NNN', over all villages so codes stay unique."""
    codes = AdministrativeUnit.objects.filter(level=Level.VILLAGE, code__startswith=commune_code).values_list(
        "code", flat=True
    )
    suffixes = [code[len(commune_code) :] for code in codes]
    return max((int(s) for s in suffixes if len(s) == SEQUENCE_DIGITS and s.isdigit()), default=0)
