"""The Excel round trip of a district's month: the template, the upload, and every way a file can be wrong.

The district is Huyện Đắk Glei (610) with three communes, in Vietnamese order: Thị trấn Đắk Glei (23338, row 4),
Xã Đắk Môn (23341, row 5), Xã Đắk Pék (23353, row 6). Measures, in criteria order: plan_approved (column C,
boolean), income_per_capita (D, number 0-2000), poverty_rate (E, percent), temporary_houses (F, count >= 0).
"""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from communes.models import Role
from criteria.yaml_io import import_criteria_text
from monthly.excel import (
    CONTENT_TYPE,
    SHEET_DATA,
    SHEET_GUIDE,
    UploadError,
    apply_upload,
    read_upload,
)
from monthly.excel_template import export_template
from monthly.excel_versions import SHEET_VERSIONS
from monthly.models import Report, ReportStatus, Value, ValueChange
from monthly.services import approve_report, save_values, submit_report
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UserFactory

MONTH = "2024-05"
PERIOD = dt.date(2024, 5, 1)
ROW = {"23338": 4, "23341": 5, "23353": 6}

# STANDARD plus a count, so that "a negative count" can be tried.
WITH_COUNT = STANDARD.replace(
    "measures:\n",
    """measures:
  - code: temporary_houses
    name: "Số nhà tạm, dột nát"
    name_en: "Temporary houses"
    kind: count
    unit: "nhà"
    min: 0
    max: null
    levels: []
""",
    1,
) + (
    """      - code: "11.2"
        official_code: null
        name: "Không còn nhà tạm, dột nát"
        measure: temporary_houses
        comparison: "<="
        reference: null
        multiplier: null
        note: ""
        thresholds:
          - value: 0
            region: null
            tdmnpb_rule: null
            group: null
            year: null
            source: "minh họa"
            verified: false
"""
)


@pytest.fixture
def criteria(db):
    import_criteria_text(WITH_COUNT)


@pytest.fixture
def official(tree, criteria):
    return MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


def _template(tree) -> bytes:
    return export_template(district=tree.dak_glei, period=PERIOD)[2]


def _edit(content: bytes, cells: dict[str, object], sheet: str = SHEET_DATA) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    for coordinate, value in cells.items():
        workbook[sheet][coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _file(content: bytes, name: str = "so-lieu-610-2024-05.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=CONTENT_TYPE)


def _upload(client, content: bytes):
    return client.post(reverse("monthly:upload", args=["610", MONTH]), {"file": _file(content)})


def _counts() -> tuple[int, int, int]:
    return Report.objects.count(), Value.objects.count(), ValueChange.objects.count()


def _values(unit) -> dict[str, object]:
    return {v.measure.code: v.value for v in Value.objects.filter(report__unit=unit, report__period=PERIOD)}


def _approved(unit, raw, by, period=PERIOD):
    report = save_values(unit=unit, period=period, raw=raw, by=by)
    return approve_report(report=submit_report(report=report, by=by), by=by)


# ---------------------------------------------------------------- the template


def test_template_download_is_an_xlsx_named_after_district_and_month(official_client):
    response = official_client.get(reverse("monthly:template", args=["610", MONTH]))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="so-lieu-610-2024-05.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [SHEET_GUIDE, SHEET_DATA, SHEET_VERSIONS]
    # The versions are kept out of sight: not even in Excel's "Unhide" list.
    assert [s.sheet_state for s in workbook.worksheets] == ["visible", "visible", "veryHidden"]
    assert workbook[SHEET_VERSIONS].protection.sheet


def test_template_has_headers_codes_and_current_values(tree, official):
    _approved(tree.dak_pek, {"poverty_rate": "5", "plan_approved": "Có"}, official, period=dt.date(2024, 4, 1))
    save_values(unit=tree.dak_pek, period=PERIOD, raw={"income_per_capita": "61,5"}, by=official)
    sheet = load_workbook(io.BytesIO(_template(tree)))[SHEET_DATA]

    assert [c.value for c in sheet[1]] == [
        "Mã xã",
        "Tên xã",
        "plan_approved",
        "income_per_capita",
        "poverty_rate",
        "temporary_houses",
    ]
    assert sheet["E2"].value == "Tỷ lệ hộ nghèo đa chiều"
    assert sheet["E3"].value == "% · 0–100"
    assert sheet["D3"].value == "triệu đồng/người/năm · 0–2000"
    assert sheet["C3"].value == "Có/Không"
    assert sheet["F3"].value == "nhà · ≥ 0"
    assert [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in (4, 5, 6)] == [
        ("23338", "Thị trấn Đắk Glei"),
        ("23341", "Xã Đắk Môn"),
        ("23353", "Xã Đắk Pék"),
    ]
    # Đắk Pék: this month's draft over April's approved figures; booleans in words.
    assert [sheet.cell(6, c).value for c in range(3, 7)] == ["Có", 61.5, 5, None]
    assert [sheet.cell(5, c).value for c in range(3, 7)] == [None, None, None, None]


def test_template_locks_headers_and_codes_but_not_data_cells(tree, official):
    workbook = load_workbook(io.BytesIO(_template(tree)))
    sheet = workbook[SHEET_DATA]
    assert sheet.protection.sheet is True
    assert workbook[SHEET_GUIDE].protection.sheet is True
    assert sheet.freeze_panes == "C4"
    assert all(sheet[c].protection.locked for c in ["A1", "B1", "C1", "F1", "C2", "C3", "A4", "B6"])
    assert not any(sheet[c].protection.locked for c in ["C4", "D5", "F6"])
    assert sheet.column_dimensions["B"].width == 30


def test_template_greys_out_and_locks_communes_already_approved(tree, official):
    _approved(tree.dak_mon, {"poverty_rate": "4"}, official)
    sheet = load_workbook(io.BytesIO(_template(tree)))[SHEET_DATA]
    assert sheet["B5"].value == "Xã Đắk Môn (đã duyệt, đã khóa)"
    assert sheet["E5"].value == 4
    assert sheet["E5"].protection.locked
    assert not sheet["E6"].protection.locked


def test_template_guide_tells_what_when_and_how(tree, official):
    guide = load_workbook(io.BytesIO(_template(tree)))[SHEET_GUIDE]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value is not None)
    assert "MẪU NHẬP SỐ LIỆU NÔNG THÔN MỚI THÁNG 05/2024" in text
    assert "Huyện Đắk Glei (mã 610)" in text
    assert "ngày 25/05/2024" in text  # the province's due day
    assert "ghi 'Có' hoặc 'Không'" in text
    assert "từ 0 đến 100" in text
    assert "dấu chấm hoặc dấu phẩy" in text
    assert "không dùng công thức" in text
    # The list of measures: code, name, criterion, kind, unit, allowed values.
    assert "Tỷ lệ (%)" in text
    assert "11. Nghèo đa chiều" in text


# ---------------------------------------------------------------- the round trip


def test_filled_template_round_trips_into_reports(official_client, tree, official):
    content = official_client.get(reverse("monthly:template", args=["610", MONTH])).content
    filled = _edit(
        content,
        {"C4": "Có", "D4": 55, "E4": 4.5, "F4": 3, "C6": "Không", "D6": "48,25", "E6": "6", "F6": 0},
    )

    response = _upload(official_client, filled)

    assert response.status_code == 302
    assert response["Location"] == reverse("monthly:district", args=["610", MONTH])
    assert _values(tree.dak_glei_town) == {
        "plan_approved": True,
        "income_per_capita": Decimal("55"),
        "poverty_rate": Decimal("4.5"),
        "temporary_houses": Decimal("3"),
    }
    assert _values(tree.dak_pek)["income_per_capita"] == Decimal("48.25")
    assert not Report.objects.filter(unit=tree.dak_mon).exists()  # a blank row creates nothing
    changes = ValueChange.objects.filter(report__unit=tree.dak_pek)
    assert {c.via for c in changes} == {"excel"}
    assert {(c.measure.code, c.old_value, c.new_value) for c in changes} == {
        ("plan_approved", "", "Không"),
        ("income_per_capita", "", "48.25"),
        ("poverty_rate", "", "6"),
        ("temporary_houses", "", "0"),
    }
    assert all(c.changed_by == official for c in changes)
    page = official_client.get(response["Location"])
    assert "Đã lưu số liệu tháng 05/2024 từ tệp Excel cho 2 xã (8 giá trị thay đổi)." in page.text


def test_uploading_a_corrected_file_updates_in_place(official_client, tree):
    first = _edit(_template(tree), {"D6": 40, "E6": 9})
    assert _upload(official_client, first).status_code == 302
    report = Report.objects.get(unit=tree.dak_pek, period=PERIOD)
    counts = _counts()

    corrected = _edit(_template(tree), {"E6": 7.5})  # the new template carries the 40 already saved
    assert _upload(official_client, corrected).status_code == 302

    assert _values(tree.dak_pek) == {"income_per_capita": Decimal("40"), "poverty_rate": Decimal("7.5")}
    assert Report.objects.get(unit=tree.dak_pek, period=PERIOD).pk == report.pk
    assert Report.objects.get(pk=report.pk).version == report.version + 1
    assert _counts()[:2] == counts[:2]
    assert _counts()[2] == counts[2] + 1  # one ValueChange: poverty_rate 9 -> 7.5


def test_clearing_a_cell_clears_the_value(official_client, tree):
    _upload(official_client, _edit(_template(tree), {"D6": 40, "E6": 9}))
    _upload(official_client, _edit(_template(tree), {"E6": None}))
    assert _values(tree.dak_pek) == {"income_per_capita": Decimal("40")}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Có", True),
        ("không", False),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("1", True),
        ("False", False),
    ],
)
def test_booleans_accept_co_khong_true_false_and_1_0(tree, official, typed, stored):
    apply_upload(_edit(_template(tree), {"C6": typed}), district=tree.dak_glei, period=PERIOD, by=official)
    assert _values(tree.dak_pek) == {"plan_approved": stored}


def test_a_percent_typed_with_the_percent_sign_means_the_number_shown(tree, official):
    content = load_workbook(io.BytesIO(_template(tree)))
    content[SHEET_DATA]["E6"] = 0.85  # what Excel stores when someone types 85% into a cell
    content[SHEET_DATA]["E6"].number_format = "0%"
    content[SHEET_DATA]["E5"] = "12,5 %"
    buffer = io.BytesIO()
    content.save(buffer)
    apply_upload(buffer.getvalue(), district=tree.dak_glei, period=PERIOD, by=official)
    assert _values(tree.dak_pek) == {"poverty_rate": Decimal("85")}
    assert _values(tree.dak_mon) == {"poverty_rate": Decimal("12.5")}


def test_a_commune_code_retyped_as_a_number_is_still_recognised(tree, official):
    apply_upload(_edit(_template(tree), {"A6": 23353, "E6": 3}), district=tree.dak_glei, period=PERIOD, by=official)
    assert _values(tree.dak_pek) == {"poverty_rate": Decimal("3")}


def test_unchanged_rows_of_locked_reports_are_left_alone(official_client, tree, official):
    _approved(tree.dak_mon, {"poverty_rate": "4"}, official)
    counts = _counts()
    response = _upload(official_client, _edit(_template(tree), {"E6": 3}))
    assert response.status_code == 302
    assert _values(tree.dak_mon) == {"poverty_rate": Decimal("4")}
    assert _values(tree.dak_pek) == {"poverty_rate": Decimal("3")}
    assert _counts()[0] == counts[0] + 1


def test_read_upload_returns_raw_values_by_commune(tree, official):
    from monthly.excel import district_month

    month = district_month(tree.dak_glei, PERIOD)
    rows = read_upload(
        _edit(_template(tree), {"C6": 1, "D6": "12,5"}),
        district=tree.dak_glei,
        period=PERIOD,
        communes=month.communes,
        measures=month.measures,
    )
    assert rows == {
        tree.dak_pek.pk: {
            "plan_approved": True,
            "income_per_capita": "12,5",
            "poverty_rate": None,
            "temporary_houses": None,
        }
    }


# ---------------------------------------------------------------- files that are refused


def _approved_pek(tree, official):
    _approved(tree.dak_pek, {"poverty_rate": "4"}, official)


def _submitted_pek(tree, official):
    submit_report(
        report=save_values(unit=tree.dak_pek, period=PERIOD, raw={"poverty_rate": "4"}, by=official), by=official
    )


def _renamed_sheet(content: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    workbook[SHEET_DATA].title = "Sheet1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _other_month(tree) -> bytes:
    return export_template(district=tree.dak_glei, period=dt.date(2024, 4, 1))[2]


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("so-lieu.csv", "Mã xã,Tên xã\n")
    return buffer.getvalue()


def _bare_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


# (file from the template and the tree, setup, expected message). Every message must be in the 400 page.
BAD_FILES = {
    "text in a number cell": (
        lambda t, c: _edit(c, {"D6": "năm mươi"}),
        None,
        "ô D6 (Xã Đắk Pék, income_per_capita): Thu nhập bình quân đầu người: 'năm mươi' không phải là số",
    ),
    "140 percent": (
        lambda t, c: _edit(c, {"E4": 140}),
        None,
        "ô E4 (Thị trấn Đắk Glei, poverty_rate): Tỷ lệ hộ nghèo đa chiều: 140 lớn hơn giá trị lớn nhất cho phép (100)",
    ),
    "negative count": (
        lambda t, c: _edit(c, {"F5": -2}),
        None,
        "ô F5 (Xã Đắk Môn, temporary_houses): Số nhà tạm, dột nát: -2 nhỏ hơn giá trị nhỏ nhất cho phép (0)",
    ),
    "fractional count": (
        lambda t, c: _edit(c, {"F5": 2.5}),
        None,
        "ô F5 (Xã Đắk Môn, temporary_houses): Số nhà tạm, dột nát: 2.5 không phải số nguyên",
    ),
    "number too large to store": (
        lambda t, c: _edit(c, {"F6": 123456789012345}),
        None,
        "ô F6 (Xã Đắk Pék, temporary_houses): Số nhà tạm, dột nát: 123456789012345 quá lớn",
    ),
    "not a boolean": (
        lambda t, c: _edit(c, {"C4": "Chưa"}),
        None,
        "ô C4 (Thị trấn Đắk Glei, plan_approved): Có quy hoạch chung được duyệt: 'Chưa' không phải giá trị có/không",
    ),
    "unknown commune code": (
        lambda t, c: _edit(c, {"A4": "99999"}),
        None,
        "Sheet 'Số liệu', ô A4: mã xã '99999' không phải một xã của Huyện Đắk Glei",
    ),
    "commune of another district": (
        lambda t, c: _edit(c, {"A7": "23380", "E7": 3}),
        None,
        "Sheet 'Số liệu', ô A7: mã xã '23380' không phải một xã của Huyện Đắk Glei",
    ),
    "missing commune code": (
        lambda t, c: _edit(c, {"A5": None, "E5": 3}),
        None,
        "Sheet 'Số liệu', ô A5: dòng có số liệu nhưng thiếu mã xã",
    ),
    "unknown measure code": (
        lambda t, c: _edit(c, {"F1": "so_nha_tam"}),
        None,
        "Sheet 'Số liệu', ô F1: 'so_nha_tam' không phải mã số liệu của bộ tiêu chí áp dụng cho xã tháng 05/2024",
    ),
    "duplicated measure column": (
        lambda t, c: _edit(c, {"G1": "poverty_rate"}),
        None,
        "Sheet 'Số liệu', ô G1: mã số liệu 'poverty_rate' trùng với cột ở ô E1",
    ),
    "header row tampered": (
        lambda t, c: _edit(c, {"A1": "Mã"}),
        None,
        "Sheet 'Số liệu', ô A1: tiêu đề phải là 'Mã xã' (đang là 'Mã')",
    ),
    "data under no header": (
        lambda t, c: _edit(c, {"H5": 12}),
        None,
        "Sheet 'Số liệu', cột H: có số liệu nhưng ô H1 không có mã số liệu",
    ),
    "duplicated commune row": (
        lambda t, c: _edit(c, {"A7": "23353", "B7": "Xã Đắk Pék", "E7": 3}),
        None,
        "Sheet 'Số liệu', dòng 7: xã 23353 (Xã Đắk Pék) có hai dòng, dòng 6 và dòng 7",
    ),
    "formula cell": (
        lambda t, c: _edit(c, {"E5": "=D5/10"}),
        None,
        "Sheet 'Số liệu', ô E5: ô chứa công thức (=D5/10); hãy gõ giá trị",
    ),
    "approved report": (
        lambda t, c: _edit(c, {"E6": 9}),
        _approved_pek,
        "Sheet 'Số liệu', dòng 6: Báo cáo Xã Đắk Pék tháng 05/2024 đã được duyệt ngày",
    ),
    "submitted report": (
        lambda t, c: _edit(c, {"E6": 9}),
        _submitted_pek,
        "Sheet 'Số liệu', dòng 6: Báo cáo Xã Đắk Pék tháng 05/2024 đã gửi và đang chờ duyệt nên không sửa được",
    ),
    "wrong sheet name": (
        lambda t, c: _renamed_sheet(c),
        None,
        "Tệp không có sheet 'Số liệu' (tệp có: 'Hướng dẫn', 'Sheet1')",
    ),
    "another workbook": (lambda t, c: _bare_workbook(), None, "Tệp không có sheet 'Số liệu' (tệp có: 'Sheet')"),
    "template of another month": (
        lambda t, c: _edit(_other_month(t), {"E6": 3}),
        None,
        "Tệp này là tệp mẫu của đơn vị mã 610 tháng 04/2024, không phải của Huyện Đắk Glei tháng 05/2024",
    ),
    "empty file": (lambda t, c: b"", None, "Tệp tải lên rỗng (0 byte)"),
    "renamed csv": (
        lambda t, c: "Mã xã,Tên xã,poverty_rate\n23353,Xã Đắk Pék,4\n".encode(),
        None,
        "Tệp không phải tệp Excel .xlsx (có thể là tệp .csv",
    ),
    "xls file": (
        lambda t, c: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000),
        None,
        "Tệp có định dạng Excel 97-2003 (.xls)",
    ),
    "random bytes": (lambda t, c: bytes(range(256)) * 40, None, "Tệp không phải tệp Excel .xlsx"),
    "a zip that is not a workbook": (lambda t, c: _plain_zip(), None, "Tệp không phải tệp Excel .xlsx"),
    "6 MB file": (lambda t, c: b"PK" + bytes(6 * 1024 * 1024), None, "Tệp nặng 6,0 MB, vượt quá giới hạn 5 MB"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_its_reason_and_nothing_saved(official_client, tree, official, case):
    make, setup, expected = BAD_FILES[case]
    save_values(unit=tree.dak_mon, period=PERIOD, raw={"income_per_capita": "50"}, by=official)
    if setup:
        setup(tree, official)
    content = make(tree, _template(tree))
    counts = _counts()

    response = _upload(official_client, content)

    assert response.status_code == 400
    assert any(expected in error for error in response.context["errors"])
    assert expected.replace("'", "&#x27;") in response.text
    assert "không số liệu nào của Huyện Đắk Glei tháng 05/2024 được lưu" in response.text
    assert _counts() == counts
    assert _values(tree.dak_mon) == {"income_per_capita": Decimal("50")}


def test_every_problem_of_a_file_is_listed_at_once(official_client, tree):
    content = _edit(_template(tree), {"D4": "abc", "E5": 140, "F6": -1, "A7": "99999", "C6": "=1+1", "E6": 12})
    counts = _counts()
    response = _upload(official_client, content)
    assert response.status_code == 400
    errors = response.context["errors"]
    assert [e.split(":")[0] for e in errors] == [
        "Sheet 'Số liệu', ô D4 (Thị trấn Đắk Glei, income_per_capita)",
        "Sheet 'Số liệu', ô E5 (Xã Đắk Môn, poverty_rate)",
        "Sheet 'Số liệu', ô C6",
        "Sheet 'Số liệu', ô F6 (Xã Đắk Pék, temporary_houses)",
        "Sheet 'Số liệu', ô A7",
    ]  # in sheet order, row by row
    assert _counts() == counts


def test_no_file_chosen_is_refused(official_client, tree):
    response = official_client.post(reverse("monthly:upload", args=["610", MONTH]))
    assert response.status_code == 400
    assert "Chưa chọn tệp" in response.text


def test_a_report_locked_between_check_and_save_rolls_everything_back(tree, official, monkeypatch):
    import monthly.excel

    real = monthly.excel.save_values
    calls = []

    def save_then_fail(**kwargs):
        calls.append(kwargs["unit"].code)
        if len(calls) == 2:
            from monthly.services import ReportError

            raise ReportError("Báo cáo vừa được gửi.")
        return real(**kwargs)

    monkeypatch.setattr(monthly.excel, "save_values", save_then_fail)
    counts = _counts()
    with pytest.raises(UploadError) as caught:
        apply_upload(_edit(_template(tree), {"E4": 3, "E6": 4}), district=tree.dak_glei, period=PERIOD, by=official)
    assert caught.value.errors == ["Xã Đắk Pék: Báo cáo vừa được gửi."]
    assert _counts() == counts


def test_measures_are_read_once_for_the_whole_file(tree, official, monkeypatch):
    import monthly.excel

    content = _edit(_template(tree), {"E4": 3, "E5": 4, "E6": 5})
    calls = []
    real = monthly.excel.entry_measures
    monkeypatch.setattr(monthly.excel, "entry_measures", lambda **kw: calls.append(kw) or real(**kw))
    apply_upload(content, district=tree.dak_glei, period=PERIOD, by=official)
    assert len(calls) == 1
    assert Report.objects.filter(period=PERIOD).count() == 3


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("name", ["monthly:template", "monthly:upload"])
def test_anonymous_is_sent_to_login(client, tree, criteria, name):
    url = reverse(name, args=["610", MONTH])
    response = client.get(url) if name.endswith("template") else client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("name", ["monthly:template", "monthly:upload"])
def test_another_districts_official_gets_404(client, tree, criteria, name):
    client.force_login(MembershipFactory(unit=tree.ngoc_hoi, role=Role.DISTRICT).user)
    url = reverse(name, args=["610", MONTH])
    response = client.get(url) if name.endswith("template") else client.post(url, {"file": _file(b"x")})
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICE, Role.DEPARTMENT])
@pytest.mark.parametrize("name", ["monthly:template", "monthly:upload"])
def test_roles_that_do_not_enter_figures_get_403(client, tree, official, role, name):
    client.force_login(MembershipFactory(unit=tree.province, role=role).user)
    url = reverse(name, args=["610", MONTH])
    counts = _counts()
    if name.endswith("template"):
        response = client.get(url)
    else:
        response = client.post(url, {"file": _file(_edit(_template(tree), {"E6": 3}))})
    assert response.status_code == 403
    assert _counts() == counts


def test_upload_is_post_only(official_client):
    assert official_client.get(reverse("monthly:upload", args=["610", MONTH])).status_code == 405


def test_a_month_without_programme_has_no_template(official_client):
    assert official_client.get(reverse("monthly:template", args=["610", "2019-05"])).status_code == 404


def test_an_administrator_may_download_any_districts_template(client, tree, criteria):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("monthly:template", args=["611", MONTH])).status_code == 200


def test_report_status_is_still_draft_after_upload(official_client, tree):
    _upload(official_client, _edit(_template(tree), {"E6": 3}))
    assert Report.objects.get(unit=tree.dak_pek).status == ReportStatus.DRAFT


def test_an_untouched_template_saves_nothing_and_says_so(official_client, tree):
    counts = _counts()
    response = _upload(official_client, _template(tree))
    assert response.status_code == 302
    assert "Tệp không có dòng số liệu nào để lưu" in official_client.get(response["Location"]).text
    assert _counts() == counts
