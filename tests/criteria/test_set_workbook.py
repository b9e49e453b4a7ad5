"""A criteria set as an Excel workbook, both ways (issue 15, item 4): every shipped set reads back from its workbook
as its YAML; an edited cell changes exactly that threshold; a malformed workbook saves nothing and names the cell;
only the coordination office uploads, and a published set is never replaced."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from communes.models import Role
from criteria.models import CriteriaSet, SetStatus, Threshold
from criteria.set_workbook import (
    CONTENT_TYPE,
    DATA_SHEETS,
    INDICATOR_COLUMNS,
    OTHER_COLUMNS,
    SHEET_INDICATORS,
    SHEET_MEASURES,
    SHEET_OTHER,
    SHEET_SET,
    export_set_workbook,
)
from criteria.set_workbook_reader import import_set_workbook, read_set_workbook
from criteria.yaml_dump import dump_criteria_set, dump_parsed
from criteria.yaml_io import import_criteria_text, parse_criteria_yaml
from criteria.yaml_reading import CriteriaFileError
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "criteria"
FILES = sorted(str(p) for p in FIXTURES.glob("*/*.yaml"))
COLUMN = {column.key: get_column_letter(n) for n, column in enumerate(INDICATOR_COLUMNS, start=1)}
UPLOAD_URL = reverse("communes:set-workbook-upload")
DOWNLOAD_URL = reverse("communes:set-workbook", args=["2026-2030", "commune-standard"])


@pytest.fixture
def fixture_sets():
    call_command("import_criteria", *FILES, verbosity=0)
    return list(CriteriaSet.objects.select_related("programme").order_by("programme__code", "code"))


def _import_2026(status: str) -> CriteriaSet:
    text = (FIXTURES / "2026-2030" / "commune-standard.yaml").read_text(encoding="utf-8")
    criteria_set, _outcome = import_criteria_text(text.replace("status: published", f"status: {status}"))
    return criteria_set


@pytest.fixture
def draft():
    """The 2026-2030 commune set (thresholds by commune group 1, 2, 3), as a draft a workbook may replace."""
    return _import_2026(SetStatus.DRAFT)


@pytest.fixture
def published():
    return _import_2026(SetStatus.PUBLISHED)


def _edited(data: bytes, sheet: str, changes: dict) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    for cell, value in changes.items():
        workbook[sheet][cell] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(data: bytes, sheet: str, first_cell: str, column: str = "I") -> int:
    """The row of the sheet whose cell in `column` reads `first_cell` (an indicator code, a field name)."""
    rows = load_workbook(io.BytesIO(data), read_only=True)[sheet].iter_rows(values_only=True)
    index = ord(column) - ord("A")
    return next(n for n, values in enumerate(rows, start=1) if len(values) > index and values[index] == first_cell)


def _thresholds(criteria_set: CriteriaSet) -> set[tuple]:
    return set(
        Threshold.objects.filter(indicator__criterion__criteria_set=criteria_set).values_list(
            "indicator__code", "commune_group", "region", "year", "value", "source", "verified"
        )
    )


# ---------------------------------------------------------------- the round trip


def test_every_fixture_set_reads_back_from_its_workbook_as_its_yaml(fixture_sets):
    assert len(fixture_sets) == len(FILES) == 10
    for criteria_set in fixture_sets:
        text = read_set_workbook(export_set_workbook(criteria_set))
        assert dump_parsed(parse_criteria_yaml(text)) == dump_criteria_set(criteria_set), criteria_set


def test_an_unchanged_workbook_of_a_published_set_changes_nothing(fixture_sets):
    for criteria_set in fixture_sets:
        assert import_set_workbook(export_set_workbook(criteria_set)) == (criteria_set, "unchanged")


def test_the_workbook_has_a_group_grid_and_the_other_thresholds_apart(fixture_sets):
    by_code = {(s.programme.code, s.code): s for s in fixture_sets}
    data = export_set_workbook(by_code[("2026-2030", "commune-standard")])
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Hướng dẫn", *DATA_SHEETS]
    row = _row(data, SHEET_INDICATORS, "2.1")
    grid = [workbook[SHEET_INDICATORS][f"{COLUMN[f'group.{g}']}{row}"].value for g in (0, 1, 2, 3)]
    assert grid == [None, 100, 100, 90]
    assert workbook[SHEET_INDICATORS][f"{COLUMN['group.0']}{_row(data, SHEET_INDICATORS, '1.1')}"].value == "Đạt"
    other = [values for values in workbook[SHEET_OTHER].iter_rows(min_row=2, values_only=True) if any(values)]
    assert other == []  # every 2026-2030 threshold fits the grid
    # 2021-2025: thresholds by region and year go to 'Ngưỡng khác', one row each.
    regional = load_workbook(io.BytesIO(export_set_workbook(by_code[("2021-2025", "commune-standard")])))
    other_rows = list(regional[SHEET_OTHER].iter_rows(min_row=2, values_only=True))
    region_column = [c.key for c in OTHER_COLUMNS].index("region")
    assert {values[region_column] for values in other_rows if values[0]} >= {"TDMNPB", "DBSCL"}


def test_editing_one_group_threshold_changes_exactly_that_threshold(draft):
    before = _thresholds(draft)
    data = export_set_workbook(draft)
    row = _row(data, SHEET_INDICATORS, "2.2")
    criteria_set, outcome = import_set_workbook(_edited(data, SHEET_INDICATORS, {f"{COLUMN['group.2']}{row}": 85}))
    assert (criteria_set.pk, outcome) == (draft.pk, "replaced")
    after = _thresholds(draft)
    assert before - after == {next(t for t in before if t[:2] == ("2.2", 2))}
    (changed,) = after - before
    assert changed[:2] == ("2.2", 2)
    assert changed[4] == 85


# ---------------------------------------------------------------- malformed workbooks


def _set_cell(sheet: str, field: str, value, column: str = "B"):
    def change(data: bytes) -> bytes:
        return _edited(data, sheet, {f"{column}{_row(data, sheet, field, 'A')}": value})

    return change


def _indicator_cell(code: str, key: str, value):
    def change(data: bytes) -> bytes:
        return _edited(data, SHEET_INDICATORS, {f"{COLUMN[key]}{_row(data, SHEET_INDICATORS, code)}": value})

    return change


def _delete_set_row(field: str):
    def change(data: bytes) -> bytes:
        workbook = load_workbook(io.BytesIO(data))
        workbook[SHEET_SET].delete_rows(_row(data, SHEET_SET, field, "A"))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    return change


def _rename_sheet(data: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    workbook[SHEET_INDICATORS].title = "Chi tieu"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_dtd(data: bytes) -> bytes:
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                content = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + content  # openpyxl writes no <?xml ?> line
            target.writestr(item, content)
    return buffer.getvalue()


CODE, MEASURE, COMPARISON, GROUP_1, VERIFIED = (
    COLUMN[key] for key in ("code", "measure", "comparison", "group.1", "verified")
)
# case -> (a change to the draft's workbook, the message expected: {2.1} stands for the row of indicator 2.1)
MALFORMED = {
    "unknown measure": (
        _indicator_cell("2.1", "measure", "khong_co"),
        SHEET_INDICATORS
        + "', ô "
        + MEASURE
        + "{2.1} (Mã số liệu): mã số liệu 'khong_co' không có trong sheet 'Số liệu'",
    ),
    "bad comparison": (
        _indicator_cell("2.1", "comparison", "lớn hơn"),
        SHEET_INDICATORS
        + "', ô "
        + COMPARISON
        + "{2.1} (So sánh): phép so sánh 'lớn hơn' không hợp lệ; dùng một trong "
        ">=, >, <=, <, ==, achieved, reached.",
    ),
    "non-numeric threshold": (
        _indicator_cell("2.1", "group.1", "nhiều"),
        SHEET_INDICATORS + "', ô " + GROUP_1 + "{2.1} (Nhóm 1): phải là số",
    ),
    "a value on an achieved indicator": (
        _indicator_cell("1.1", "group.1", 50),
        SHEET_INDICATORS + "', ô " + GROUP_1 + "{1.1} (Nhóm 1): chỉ tiêu so sánh 'achieved' không có giá trị ngưỡng",
    ),
    "duplicate indicator code": (
        _indicator_cell("2.2", "code", "2.1"),
        SHEET_INDICATORS + "', ô " + CODE + "{2.2} (Mã chỉ tiêu): mã chỉ tiêu '2.1' đã có ở dòng {2.1}.",
    ),
    "missing required set field": (
        _set_cell(SHEET_SET, "set.name", None),
        SHEET_SET + "', ô B{set.name} (set.name): bắt buộc, chưa có giá trị.",
    ),
    "missing row of a required set field": (
        _delete_set_row("set.code"),
        SHEET_SET + "': thiếu dòng của trường bắt buộc 'set.code'.",
    ),
    "verified not true/false": (
        _indicator_cell("2.1", "verified", "có"),
        SHEET_INDICATORS + "', ô " + VERIFIED + "{2.1} (Đã xác minh): 'có' không hợp lệ; ghi true, false.",
    ),
    "formula": (
        _indicator_cell("2.1", "group.1", "=40+50"),
        SHEET_INDICATORS + "', ô " + GROUP_1 + "{2.1} (Nhóm 1): ô chứa công thức",
    ),
    "indicator row without criterion": (
        _indicator_cell("2.2", "criterion.number", None),
        SHEET_INDICATORS + "', ô A{2.2} (Số tiêu chí): thiếu số tiêu chí",
    ),
    "criterion named differently on a later row": (
        _indicator_cell("2.2", "criterion.name", "Hạ tầng"),
        SHEET_INDICATORS + "', ô B{2.2} (Tên tiêu chí): tiêu chí 2 đã ghi 'Tên tiêu chí' khác ở dòng {2.1}",
    ),
    "threshold outside the measure's range (a rule of the YAML import)": (
        _indicator_cell("2.1", "group.1", 150),
        SHEET_INDICATORS + "', ô " + GROUP_1 + "{2.1} (Nhóm 1): chỉ tiêu '2.1': ngưỡng 150 nằm ngoài khoảng hợp lệ",
    ),
    "a yes/no measure compared as a number (a rule of the YAML import)": (
        lambda data: _indicator_cell("1.1", "group.0", 1)(_indicator_cell("1.1", "comparison", ">=")(data)),
        SHEET_INDICATORS
        + "', ô "
        + COMPARISON
        + "{1.1} (So sánh): chỉ tiêu '1.1': số liệu có/không không so sánh như số",
    ),
    "unknown indicator in 'Ngưỡng khác'": (
        lambda data: _edited(data, SHEET_OTHER, {"A2": "9.9", "B2": 5, "J2": "QĐ thử"}),
        SHEET_OTHER + "', ô A2 (Mã chỉ tiêu): chỉ tiêu '9.9' không có",
    ),
    "a measure no indicator reads (a rule of the YAML import)": (
        lambda data: _edited(data, SHEET_MEASURES, {"A40": "unused_measure", "B40": "Thử", "D40": "count"}),
        SHEET_MEASURES + "', ô A40 (Mã số liệu): số liệu 'unused_measure' không được chỉ tiêu nào dùng.",
    ),
    "changed header": (
        lambda data: _edited(data, SHEET_INDICATORS, {f"{COMPARISON}1": "Phép so sánh"}),
        SHEET_INDICATORS + "', ô " + COMPARISON + "1 (So sánh): tiêu đề cột phải là 'So sánh', tệp ghi 'Phép so sánh'.",
    ),
    "cell right of the template": (
        lambda data: _edited(data, SHEET_INDICATORS, {"Z5": "ghi thêm"}),
        SHEET_INDICATORS + "', ô Z5 (Z): ô nằm ngoài các cột của mẫu",
    ),
    "renamed sheet": (_rename_sheet, "Tệp không có sheet 'Chỉ tiêu' (tệp có: 'Hướng dẫn', 'Bộ tiêu chí'"),
    "not an xlsx file": (lambda data: b"programme:\n  code: x\n", "Tệp không phải tệp Excel .xlsx"),
    "empty file": (lambda data: b"", "Tệp tải lên rỗng (0 byte)."),
    "an .xls or password-protected file": (
        lambda data: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "Tệp có định dạng Excel 97-2003 (.xls) hoặc là tệp Excel có đặt mật khẩu",
    ),
    "a file over 5 MB": (lambda data: b"PK" + bytes(5 * 1024 * 1024), "vượt quá giới hạn 5 MB"),
    "a DTD in a sheet": (_with_dtd, "Tệp Excel chứa khai báo DTD hoặc thực thể ngoài"),
}


def _expected(template: str, data: bytes) -> str:
    """The message with {code} replaced by that indicator's row (or a field's row of 'Bộ tiêu chí')."""
    for code in ("1.1", "2.1", "2.2"):
        template = template.replace("{" + code + "}", str(_row(data, SHEET_INDICATORS, code)))
    if "{set.name}" in template:
        template = template.replace("{set.name}", str(_row(data, SHEET_SET, "set.name", "A")))
    return template


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_workbook_saves_nothing_and_names_the_cell(draft, case):
    change, template = MALFORMED[case]
    data = export_set_workbook(draft)
    text, counts = dump_criteria_set(draft), (CriteriaSet.objects.count(), Threshold.objects.count())
    with pytest.raises(CriteriaFileError) as raised:
        import_set_workbook(change(data))
    expected = _expected(template, data)
    if template.startswith(("Chỉ tiêu", "Bộ tiêu chí", "Số liệu", "Ngưỡng khác")):
        expected = "Sheet '" + expected
    assert any(expected in error for error in raised.value.errors), raised.value.errors
    assert (CriteriaSet.objects.count(), Threshold.objects.count()) == counts
    assert dump_criteria_set(draft) == text


def test_too_many_rows_are_refused(draft, monkeypatch):
    monkeypatch.setattr("criteria.set_workbook_reader.MAX_ROWS", 3)
    rows = {f"A{n}": "2.1" for n in range(2, 8)}
    with pytest.raises(CriteriaFileError) as raised:
        import_set_workbook(_edited(export_set_workbook(draft), SHEET_OTHER, rows))
    assert any("sheet có quá nhiều dòng (tối đa 3 dòng có dữ liệu)" in error for error in raised.value.errors)


def test_every_problem_is_listed_at_once(draft):
    data = export_set_workbook(draft)
    data = _indicator_cell("2.1", "comparison", "lớn hơn")(_indicator_cell("2.2", "group.3", "abc")(data))
    with pytest.raises(CriteriaFileError) as raised:
        import_set_workbook(_set_cell(SHEET_SET, "set.rank", "một")(data))
    cells = [error.split(":")[0] for error in raised.value.errors]
    assert cells == [
        f"Sheet '{SHEET_SET}', ô B{_row(data, SHEET_SET, 'set.rank', 'A')} (set.rank)",
        f"Sheet '{SHEET_INDICATORS}', ô {COMPARISON}{_row(data, SHEET_INDICATORS, '2.1')} (So sánh)",
        f"Sheet '{SHEET_INDICATORS}', ô {COLUMN['group.3']}{_row(data, SHEET_INDICATORS, '2.2')} (Nhóm 3)",
    ]


# ---------------------------------------------------------------- the pages


@pytest.fixture
def viewer_client(tree, client_for):
    return client_for(MembershipFactory(unit=tree.province, role=Role.VIEWER).user)


def _upload(client, data: bytes, name: str = "bo-tieu-chi.xlsx"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data, content_type=CONTENT_TYPE)})


def test_anyone_signed_in_downloads_a_sets_workbook(published, viewer_client):
    response = viewer_client.get(DOWNLOAD_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="2026-2030_commune-standard.xlsx"'
    assert read_set_workbook(response.content) == read_set_workbook(export_set_workbook(published))
    assert viewer_client.get("/criteria/2026-2030/khong-co/workbook.xlsx").status_code == 404


def test_only_the_office_uploads(draft, viewer_client, district_client, client):
    data = export_set_workbook(draft)
    counts = (CriteriaSet.objects.count(), Threshold.objects.count())
    assert _upload(viewer_client, data).status_code == 403
    assert _upload(district_client, data).status_code == 403
    assert _upload(client, data).status_code == 302  # to the login page
    assert viewer_client.get(UPLOAD_URL).status_code == 405
    assert (CriteriaSet.objects.count(), Threshold.objects.count()) == counts


def test_the_office_replaces_a_draft_from_its_workbook(draft, office_client):
    data = export_set_workbook(draft)
    row = _row(data, SHEET_INDICATORS, "2.1")
    response = _upload(office_client, _edited(data, SHEET_INDICATORS, {f"{COLUMN['group.3']}{row}": 80}))
    assert response.status_code == 302
    assert response["Location"] == "/criteria/2026-2030/commune-standard/"
    page = office_client.get(response["Location"])
    assert "Đã thay bản dự thảo Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026 - 2030" in page.text
    assert ("2.1", 3, "", None, 80) in {t[:5] for t in _thresholds(draft)}


def test_an_upload_with_errors_lists_them_and_saves_nothing(draft, office_client):
    data = _indicator_cell("2.2", "group.1", "=1")(export_set_workbook(draft))
    data = _indicator_cell("2.1", "measure", "khong_co")(data)
    text = dump_criteria_set(draft)
    response = _upload(office_client, data, "sua.xlsx")
    assert response.status_code == 400
    assert [t.name for t in response.templates][0] == "criteria/set_workbook_result.html"
    errors = response.context["errors"]
    assert len(errors) == 2
    assert all(error.startswith("Sheet 'Chỉ tiêu', ô ") for error in errors)
    assert "Tệp sua.xlsx có 2 lỗi nên không có gì được lưu" in response.text
    assert dump_criteria_set(draft) == text


def test_a_published_set_is_not_replaced_by_an_upload(published, office_client):
    data = export_set_workbook(published)
    text, counts = dump_criteria_set(published), Threshold.objects.count()
    row = _row(data, SHEET_INDICATORS, "2.1")
    response = _upload(office_client, _edited(data, SHEET_INDICATORS, {f"{COLUMN['group.3']}{row}": 80}))
    assert response.status_code == 400
    (error,) = response.context["errors"]
    assert error.startswith("Sheet 'Bộ tiêu chí': bộ tiêu chí 'commune-standard' giai đoạn 2026-2030 đã ban hành")
    assert (dump_criteria_set(published), Threshold.objects.count()) == (text, counts)
    # The same workbook unchanged is accepted: nothing to replace.
    response = _upload(office_client, data)
    assert response.status_code == 302
    assert "không có gì thay đổi" in office_client.get(response["Location"]).text


def test_an_upload_without_a_file_is_refused(office_client):
    response = office_client.post(UPLOAD_URL)
    assert response.status_code == 400
    assert response.context["errors"] == ["Chưa chọn tệp: hãy chọn tệp Excel .xlsx của bộ tiêu chí rồi bấm Tải lên."]
