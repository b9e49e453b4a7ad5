"""import_villages: loading villages from .xlsx/.csv, idempotence, and all-or-nothing validation."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from communes.management.commands.import_villages import VillageImportError, load_village_rows
from communes.models import AdministrativeUnit, Kind, Level

pytestmark = pytest.mark.django_db

HEADER_VI = ["Mã xã", "Tên thôn", "Loại"]
HEADER_EN = ["commune_code", "village_name", "kind"]


@pytest.fixture
def commune():
    province = AdministrativeUnit.objects.create(
        code="62", level=Level.PROVINCE, kind=Kind.TINH, name="Tỉnh Kon Tum", short_name="Kon Tum"
    )
    district = AdministrativeUnit.objects.create(
        code="610", level=Level.DISTRICT, kind=Kind.HUYEN, name="Huyện Đắk Glei", short_name="Đắk Glei", parent=province
    )
    AdministrativeUnit.objects.create(
        code="23284",
        level=Level.COMMUNE,
        kind=Kind.THI_TRAN,
        name="Thị trấn Đắk Glei",
        short_name="Đắk Glei",
        parent=district,
    )
    return AdministrativeUnit.objects.create(
        code="23353", level=Level.COMMUNE, kind=Kind.XA, name="Xã Đắk Pék", short_name="Đắk Pék", parent=district
    )


def villages():
    return AdministrativeUnit.objects.filter(level=Level.VILLAGE)


def write_xlsx(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path, rows, *, bom=False, delimiter=","):
    text = "\n".join(delimiter.join(str(cell) for cell in row) for row in rows) + "\n"
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    return path


def run(path, *args):
    """Run the command; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_villages", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path):
    """Run the command expecting it to refuse; return (CommandError message, stderr)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_villages", str(path), stdout=io.StringIO(), stderr=err)
    return str(excinfo.value), err.getvalue()


# Success -------------------------------------------------------------------------------------------------------


def test_xlsx_creates_villages_under_the_commune(commune, tmp_path):
    path = write_xlsx(
        tmp_path / "thon.xlsx",
        [HEADER_VI, [23353, "Kon Pia", "Thôn"], ["23353", "Tổ dân phố 2", "Tổ dân phố"], ["23284", "Đắk Sút", "thon"]],
    )

    out, _ = run(path)

    kon_pia = AdministrativeUnit.objects.get(level=Level.VILLAGE, code="23353001")
    assert (kon_pia.name, kon_pia.short_name, kon_pia.kind) == ("Thôn Kon Pia", "Kon Pia", Kind.THON)
    assert kon_pia.parent == commune
    assert kon_pia.path == "62/610/23353/23353001/"
    assert kon_pia.search_key == "thon kon pia 23353001"
    assert kon_pia.is_demo is False
    to_dan_pho = AdministrativeUnit.objects.get(level=Level.VILLAGE, code="23353002")
    assert (to_dan_pho.name, to_dan_pho.short_name, to_dan_pho.kind) == ("Tổ dân phố 2", "2", Kind.TO_DAN_PHO)
    assert AdministrativeUnit.objects.get(level=Level.VILLAGE, code="23284001").name == "Thôn Đắk Sút"
    assert villages().count() == 3
    assert "mới 3, cập nhật 0, không đổi 0" in out
    assert "Đã nạp: 3 thôn mới" in out


def test_csv_with_bom_and_english_headers(commune, tmp_path):
    path = write_csv(
        tmp_path / "thon.csv",
        [HEADER_EN, ["23353", "Kon Pia", "thon"], ["23353", "Đắk Ga", "ban"]],
        bom=True,
    )

    run(path)

    assert list(villages().order_by("code").values_list("code", "name", "kind")) == [
        ("23353001", "Thôn Kon Pia", Kind.THON),
        ("23353002", "Bản Đắk Ga", Kind.BAN),
    ]


def test_csv_without_bom_semicolons_and_no_kind_column(commune, tmp_path):
    path = write_csv(tmp_path / "thon.csv", [["mã xã", "name"], ["23353", "Làng Kon Bơ"]], delimiter=";")

    run(path)

    village = villages().get()
    assert (village.name, village.short_name, village.kind) == ("Làng Kon Bơ", "Kon Bơ", Kind.LANG)


def test_second_run_creates_nothing(commune, tmp_path):
    path = write_xlsx(tmp_path / "thon.xlsx", [HEADER_VI, ["23353", "Kon Pia", "Thôn"], ["23353", "Bản Đắk Ga", ""]])
    run(path)
    before = list(villages().order_by("code").values_list("pk", "code", "name", "kind"))

    out, _ = run(path)

    assert list(villages().order_by("code").values_list("pk", "code", "name", "kind")) == before
    assert "mới 0, cập nhật 0, không đổi 2" in out
    assert "không có thay đổi" in out


def test_kind_inferred_from_name_prefix(commune, tmp_path):
    path = write_csv(
        tmp_path / "thon.csv",
        [HEADER_VI, ["23353", "Tổ dân phố 3", ""], ["23353", "bản Kon Pia", ""], ["23353", "THÔN Đắk Ga", ""]],
    )

    run(path)

    assert list(villages().order_by("code").values_list("name", "short_name", "kind")) == [
        ("Tổ dân phố 3", "3", Kind.TO_DAN_PHO),
        ("Bản Kon Pia", "Kon Pia", Kind.BAN),
        ("Thôn Đắk Ga", "Đắk Ga", Kind.THON),
    ]


def test_kind_accepts_value_or_label_in_any_case(commune, tmp_path):
    path = write_csv(
        tmp_path / "thon.csv",
        [HEADER_VI, ["23353", "1", "to_dan_pho"], ["23353", "2", "TO DAN PHO"], ["23353", "Kon Pia", "buôn"]],
    )

    run(path)

    assert list(villages().order_by("code").values_list("name", "kind")) == [
        ("Tổ dân phố 1", Kind.TO_DAN_PHO),
        ("Tổ dân phố 2", Kind.TO_DAN_PHO),
        ("Buôn Kon Pia", Kind.BUON),
    ]


def test_codes_continue_after_existing_and_same_name_is_updated(commune, tmp_path):
    existing = AdministrativeUnit.objects.create(
        code="23353007", level=Level.VILLAGE, kind=Kind.THON, name="Thôn Kon Pia", short_name="Kon Pia", parent=commune
    )
    path = write_csv(tmp_path / "thon.csv", [HEADER_VI, ["23353", "Kon Pia", "Bản"], ["23353", "Đắk Ga", "Thôn"]])

    out, _ = run(path)

    existing.refresh_from_db()
    assert (existing.code, existing.name, existing.kind) == ("23353007", "Bản Kon Pia", Kind.BAN)
    assert existing.search_key == "ban kon pia 23353007"
    assert villages().get(name="Thôn Đắk Ga").code == "23353008"
    assert villages().count() == 2
    assert "mới 1, cập nhật 1, không đổi 0" in out


def test_numbered_villages_of_different_kinds_stay_apart(commune):
    AdministrativeUnit.objects.create(
        code="23353001", level=Level.VILLAGE, kind=Kind.THON, name="Thôn 1", short_name="1", parent=commune
    )

    counts = load_village_rows([(2, "23353", "Thôn 1", ""), (3, "23353", "Tổ dân phố 1", "")])

    assert counts == {"total": 2, "created": 1, "updated": 0, "unchanged": 1}
    assert villages().get(kind=Kind.THON).name == "Thôn 1"
    assert villages().get(kind=Kind.TO_DAN_PHO).code == "23353002"


def test_demo_flag_marks_created_villages(commune, tmp_path):
    path = write_csv(tmp_path / "thon.csv", [HEADER_VI, ["23353", "Kon Pia", "Thôn"]])

    run(path, "--demo")

    assert villages().get().is_demo is True


def test_load_village_rows_accepts_rows_built_in_memory(commune):
    counts = load_village_rows([("23353", "Thôn 1", Kind.THON), ("23353", "Làng Kon Bơ", Kind.LANG)], demo=True)

    assert counts == {"total": 2, "created": 2, "updated": 0, "unchanged": 0}
    assert set(villages().values_list("name", "is_demo")) == {("Thôn 1", True), ("Làng Kon Bơ", True)}
    assert load_village_rows([("23353", "Thôn 1", Kind.THON), ("23353", "Làng Kon Bơ", Kind.LANG)])["created"] == 0


# Bad lines: every error reported, nothing saved ------------------------------------------------------------------

GOOD = ["23353", "Kon Pia", "Thôn"]


@pytest.mark.parametrize(
    ("bad_rows", "expected"),
    [
        ([["99999", "Đắk Ga", "Thôn"]], "Dòng 3, cột mã xã: không có xã mã 99999."),
        ([["", "Đắk Ga", "Thôn"]], "Dòng 3, cột mã xã: không được để trống."),
        ([["23353", "", "Thôn"]], "Dòng 3, cột tên thôn: không được để trống."),
        ([["23353", "Thôn", ""]], "Dòng 3, cột tên thôn: 'Thôn' chỉ có loại, thiếu tên riêng."),
        ([["23353", "Đắk Ga", "xyz"]], "Dòng 3, cột loại: 'xyz' không phải loại thôn hợp lệ (Thôn, Bản,"),
        ([["23353", "Đắk Ga", "xa"]], "Dòng 3, cột loại: 'xa' không phải loại thôn hợp lệ"),
        ([["23353", "Đắk Ga", ""]], "Dòng 3, cột loại: để trống thì tên thôn phải bắt đầu bằng loại"),
        ([["23353", "Thôn Đắk Ga", "Bản"]], "Dòng 3, cột loại: 'Bản' khác với loại ở đầu tên thôn 'Thôn Đắk Ga'"),
        ([["23353", "thôn kon pia", ""]], "Dòng 3, cột tên thôn: 'Thôn kon pia' trùng với dòng 2 (cùng xã mã 23353)."),
        ([["23353", "Đắk Ga " * 20, "Thôn"]], "Dòng 3, cột tên thôn: 'Thôn Đắk Ga Đắk Ga"),
    ],
    ids=[
        "unknown-commune",
        "empty-commune",
        "empty-name",
        "kind-only-name",
        "bad-kind",
        "non-village-kind",
        "no-kind-anywhere",
        "kind-contradicts-name",
        "duplicate-in-file",
        "name-too-long",
    ],
)
def test_bad_line_is_reported_and_nothing_is_saved(commune, tmp_path, bad_rows, expected):
    AdministrativeUnit.objects.create(
        code="23284001", level=Level.VILLAGE, kind=Kind.THON, name="Thôn Đắk Sút", short_name="Đắk Sút", parent=commune
    )
    path = write_csv(tmp_path / "thon.csv", [HEADER_VI, GOOD, *bad_rows])

    message, stderr = run_failing(path)

    assert message == "Không nạp gì: 1 dòng có lỗi."
    assert expected in stderr
    assert villages().count() == 1


def test_all_bad_lines_are_reported_at_once(commune, tmp_path):
    path = write_xlsx(
        tmp_path / "thon.xlsx",
        [
            HEADER_VI,
            GOOD,
            ["99999", "Đắk Ga", "Thôn"],
            ["23353", None, "Thôn"],
            ["23353", "Kon Bơ", "xyz"],
            ["23353", "Kon Pia", "thon"],
            ["88888", None, "abc"],
        ],
    )

    message, stderr = run_failing(path)

    assert message == "Không nạp gì: 5 dòng có lỗi."
    for expected in [
        "Dòng 3, cột mã xã: không có xã mã 99999.",
        "Dòng 4, cột tên thôn: không được để trống.",
        "Dòng 5, cột loại: 'xyz' không phải loại thôn hợp lệ",
        "Dòng 6, cột tên thôn: 'Thôn Kon Pia' trùng với dòng 2",
        "Dòng 7, cột mã xã: không có xã mã 88888.",
        "Dòng 7, cột loại: 'abc'",
        "Dòng 7, cột tên thôn: không được để trống.",
    ]:
        assert expected in stderr
    assert villages().count() == 0


def test_line_numbers_count_blank_lines(commune, tmp_path):
    path = write_xlsx(tmp_path / "thon.xlsx", [HEADER_VI, GOOD, [None, None, None], ["99999", "Đắk Ga", "Thôn"]])

    _, stderr = run_failing(path)

    assert "Dòng 4, cột mã xã: không có xã mã 99999." in stderr
    assert villages().count() == 0


def test_load_village_rows_raises_with_every_error(commune):
    with pytest.raises(VillageImportError) as excinfo:
        load_village_rows([(2, "23353", "Kon Pia", "Thôn"), (3, "99999", "", "")])

    assert excinfo.value.errors == [
        "Dòng 3, cột mã xã: không có xã mã 99999.",
        "Dòng 3, cột tên thôn: không được để trống.",
    ]
    assert excinfo.value.bad_lines == 1
    assert villages().count() == 0


# Bad files ------------------------------------------------------------------------------------------------------


def test_missing_column(commune, tmp_path):
    path = write_csv(tmp_path / "thon.csv", [["Tên thôn", "Loại"], ["Kon Pia", "Thôn"]])

    message, _ = run_failing(path)

    assert "Dòng 1: thiếu cột mã xã." in message
    assert "'Tên thôn', 'Loại'" in message
    assert villages().count() == 0


def test_missing_columns_in_xlsx_names_each(commune, tmp_path):
    path = write_xlsx(tmp_path / "thon.xlsx", [["STT", "Ghi chú"], [1, "x"]])

    message, _ = run_failing(path)

    assert "Dòng 1: thiếu cột mã xã, tên thôn." in message
    assert villages().count() == 0


@pytest.mark.parametrize("name", ["thon.csv", "thon.xlsx"])
def test_empty_file(commune, tmp_path, name):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(b"")
    else:
        write_xlsx(path, [])

    message, _ = run_failing(path)

    assert "Tệp trống" in message
    assert villages().count() == 0


def test_header_only(commune, tmp_path):
    path = write_csv(tmp_path / "thon.csv", [HEADER_VI], bom=True)

    message, _ = run_failing(path)

    assert "không có thôn nào" in message
    assert villages().count() == 0


def test_unsupported_extension(commune, tmp_path):
    path = write_csv(tmp_path / "thon.txt", [HEADER_VI, GOOD])

    message, _ = run_failing(path)

    assert "chỉ nhận tệp .xlsx hoặc .csv" in message
    assert "'.txt'" in message
    assert villages().count() == 0


def test_csv_that_is_really_binary(commune, tmp_path):
    # An Excel workbook renamed to .csv: a zip archive, not text.
    path = tmp_path / "thon.csv"
    path.write_bytes(write_xlsx(tmp_path / "real.xlsx", [HEADER_VI, GOOD]).read_bytes())

    message, _ = run_failing(path)

    assert "Không đọc được tệp CSV 'thon.csv'" in message
    assert villages().count() == 0


def test_csv_with_nul_bytes(commune, tmp_path):
    path = tmp_path / "thon.csv"
    path.write_bytes(b"ma xa,ten thon,loai\n\x00\x00\x00,\x00,\x00\n")

    message, _ = run_failing(path)

    assert "dữ liệu nhị phân" in message
    assert villages().count() == 0


def test_xlsx_that_is_not_a_workbook(commune, tmp_path):
    path = write_csv(tmp_path / "thon.xlsx", [HEADER_VI, GOOD])

    message, _ = run_failing(path)

    assert "Không đọc được tệp Excel 'thon.xlsx'" in message
    assert villages().count() == 0


def test_missing_file(commune, tmp_path):
    message, _ = run_failing(tmp_path / "khong-co.csv")

    assert "Không tìm thấy tệp" in message
