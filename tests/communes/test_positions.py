"""Points for the communes of both lists (communes.positions): the generator from vietnamadminunits' SQLite file, the
loader import_divisions calls, the fixture against the national lists, and lat/lon in /api/v1/units/.

The tests on the small tree come first: the national lists, loaded once for the tests after them (most of the time) and
removed at the end of the module, hold the same codes.
"""

import datetime as dt
import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.utils import timezone
from rest_framework.test import APIClient

from communes.models import REFORM_DATE, AdministrativeUnit, Commune, Kind, Level, Role
from communes.positions import NOTICE, POSITIONS, build_rows, load_positions, read_positions, write_positions
from tests.factories import MembershipFactory, reform_kon_tum

HEADER = "era,code,latitude,longitude\n"


def _dataset(root: Path, *, version: str = "1.0.4", licence: bool = True) -> Path:
    """A tiny dataset.db with both tables (only the columns the generator reads, and a few it does not), laid out
    as in the unpacked wheel."""
    data = root / "vietnamadminunits" / "data"
    data.mkdir(parents=True)
    path = data / "dataset.db"
    database = sqlite3.connect(path)
    database.execute(
        "CREATE TABLE admin_units_legacy (district TEXT, ward TEXT, districtCode TEXT, wardCode TEXT, wardLat REAL, "
        "wardLon REAL)"
    )
    database.executemany(
        "INSERT INTO admin_units_legacy VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("Huyện Đắk Glei", "Xã Đắk Pék", "610", "23353", 15.101258, 107.728092),
            ("Huyện Đắk Glei", "Thị trấn Đắk Glei", "610", "23341", 15.031807, 107.751778),
            ("Huyện Cồn Cỏ", None, "471", None, None, None),  # an island district without communes
            ("Huyện Thử", "Xã Không Tọa Độ", "999", "99999", None, None),
        ],
    )
    database.execute("CREATE TABLE admin_units (province TEXT, ward TEXT, wardCode TEXT, wardLat REAL, wardLon REAL)")
    database.executemany(
        "INSERT INTO admin_units VALUES (?, ?, ?, ?, ?)",
        [
            ("Tỉnh Quảng Ngãi", "Xã Đăk Pék", "23341", 15.0668, 107.743),
            ("Thành phố Hà Nội", "Phường Ba Đình", "00004", 21.0386123456, 105.838),
        ],
    )
    database.commit()
    database.close()
    if licence:
        licences = root / f"vietnamadminunits-{version}.dist-info" / "licenses"
        licences.mkdir(parents=True)
        (licences / "LICENSE").write_text("MIT License\n\nCopyright (c) 2025 Tran Ngoc Minh Hieu\n", encoding="utf-8")
    return path


EXPECTED_CSV = (
    HEADER
    + "legacy,23341,15.031807,107.751778\n"
    + "legacy,23353,15.101258,107.728092\n"
    + "2025,00004,21.038612,105.838\n"  # six decimals at most, no trailing zeros
    + "2025,23341,15.0668,107.743\n"
)


# ---------------------------------------------------------------- the generator, on a synthetic dataset.db


def test_the_generator_reads_both_tables_by_era_then_code(tmp_path):
    build = build_rows(_dataset(tmp_path))
    out = tmp_path / "positions.csv"
    write_positions(build.rows, out)
    assert out.read_text(encoding="utf-8") == EXPECTED_CSV
    # A commune the dataset has no point for is reported, not silently dropped; a district without communes is no row.
    assert build.without_point == [("legacy", "99999", "Xã Không Tọa Độ")]
    assert (build.count("legacy"), build.count("2025")) == (2, 2)


def test_build_positions_writes_the_csv_and_the_notice_and_lists_units_without_a_point(tree, tmp_path):
    out = tmp_path / "units" / "positions.csv"
    out.parent.mkdir()
    stdout = io.StringIO()
    call_command("build_positions", "--dataset", str(_dataset(tmp_path)), "--output", str(out), stdout=stdout)
    assert out.read_text(encoding="utf-8") == EXPECTED_CSV
    notice = out.with_name(NOTICE.name).read_text(encoding="utf-8")
    assert "**vietnamadminunits 1.0.4**" in notice
    assert "https://pypi.org/project/vietnamadminunits/1.0.4/" in notice
    assert "`admin_units_legacy` (era `legacy`)" in notice
    assert "`admin_units` (era `2025`)" in notice
    assert f"Generated on {timezone.localdate().isoformat()}" in notice
    assert "MIT License\n\nCopyright (c) 2025 Tran Ngoc Minh Hieu\n```" in notice
    text = stdout.getvalue()
    assert "2 xã trước 01/07/2025, 2 xã từ 01/07/2025 (vietnamadminunits 1.0.4)" in text
    assert "1 đơn vị của dữ liệu nguồn không có tọa độ: 99999 Xã Không Tọa Độ (trước 01/07/2025)" in text
    # The tree's communes (all before the reform): two have a point in the new file, four are listed.
    assert (
        "Đối chiếu với cơ sở dữ liệu: 2 xã có tọa độ, 4 xã chưa có: 23338 Thị trấn Đắk Glei (trước 01/07/2025), "
        "23368 Thị trấn Plei Kần (trước 01/07/2025), 23380 Xã Đắk Xú (trước 01/07/2025), "
        "23617 Xã Đông (trước 01/07/2025)"
    ) in text
    assert (
        "2 dòng của tệp không ứng với đơn vị nào của cơ sở dữ liệu: 00004 (từ 01/07/2025), 23341 (từ 01/07/2025)"
        in text
    )
    # Only a report: the database's units are not changed.
    assert not AdministrativeUnit.objects.filter(latitude__isnull=False).exists()


def test_build_positions_needs_the_licence_to_ship_the_points(db, tmp_path):
    dataset = _dataset(tmp_path, licence=False)
    with pytest.raises(CommandError, match="--license"):
        call_command("build_positions", "--dataset", str(dataset), "--output", str(tmp_path / "positions.csv"))
    assert not (tmp_path / "positions.csv").exists()


def test_build_positions_refuses_a_file_that_is_not_the_dataset(db, tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).close()
    with pytest.raises(CommandError, match="Không đọc được"):
        call_command("build_positions", "--dataset", str(other), "--license", str(other), "--package-version", "1")


# ---------------------------------------------------------------- the loader, on the small tree


def test_a_reused_code_gets_the_point_of_its_own_list(tree, tmp_path):
    reformed = reform_kon_tum(tree)  # 23341: Xã Đắk Môn before, Xã Đăk Pék since
    fixture = tmp_path / "positions.csv"
    fixture.write_text(EXPECTED_CSV, encoding="utf-8")
    result = load_positions(path=fixture)
    tree.dak_mon.refresh_from_db()
    reformed.dak_pek.refresh_from_db()
    assert (tree.dak_mon.latitude, tree.dak_mon.longitude) == (Decimal("15.031807"), Decimal("107.751778"))
    assert (reformed.dak_pek.latitude, reformed.dak_pek.longitude) == (Decimal("15.0668"), Decimal("107.743"))
    assert (result.with_point["legacy"], result.with_point["2025"], result.updated) == (2, 1, 3)
    assert [u.code for u in result.without_point] == ["23338", "23368", "23380", "23617"]
    assert result.unmatched == [("2025", "00004")]
    # Again: nothing to change.
    again = load_positions(path=fixture)
    assert (again.updated, again.total_with_point) == (0, 3)


def test_a_point_entered_by_hand_stays_when_the_file_has_none(tree, tmp_path):
    fixture = tmp_path / "positions.csv"
    fixture.write_text(EXPECTED_CSV, encoding="utf-8")
    AdministrativeUnit.objects.filter(pk=tree.other_commune.pk).update(latitude=Decimal("14.2"), longitude=108)
    result = load_positions(path=fixture)
    assert tree.other_commune.code not in [u.code for u in result.without_point]
    tree.other_commune.refresh_from_db()
    assert tree.other_commune.latitude == Decimal("14.2")


@pytest.mark.parametrize(
    ("row", "message"),
    [("legacy,23353,abc,107.7", "không phải là số"), ("2024,23353,15.1,107.7", "không hợp lệ")],
)
def test_a_broken_row_of_the_fixture_is_refused_with_its_line(db, tmp_path, row, message):
    fixture = tmp_path / "positions.csv"
    fixture.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"dòng 2: .*{message}"):
        load_positions(path=fixture)


# ---------------------------------------------------------------- the shipped fixture on the national lists


# Legacy communes the dataset has no point for, all of them units the 2025-01-04 list holds but vietnamadminunits'
# (mid-2025) does not (fixtures/units/corrections-2025.yaml): Sơn La's seven merged on 01/02/2025, twelve stale rows
# of units dissolved in 2013-2020, and seven wards of Hồ Chí Minh City the statistics office re-coded in March 2025
# (the dataset has them under 26929, 26953, 27076, 27226, 27232, 27367 and 27373).
WITHOUT_POINT = {
    "03751": "Xã Chiềng Ly",
    "03898": "Thị trấn Phù Yên",
    "03913": "Xã Huy Bắc",
    "03988": "Xã Tân Hợp",
    "03991": "Xã Qui Hướng",
    "04003": "Xã Tà Lai",
    "04060": "Thị trấn Yên Châu",
    "07693": "Xã Tân An",
    "07732": "Xã Nham Sơn",
    "07744": "Xã Thắng Cương",
    "16387": "Xã Đông Khê",
    "16411": "Xã Đông Xuân",
    "18448": "Xã Bình Lộc",
    "20176": "Xã Hương Hòa",
    "20674": "Xã Quế Phước",
    "25102": "Xã Đạ M'ri",
    "25174": "Xã Mỹ Lâm",
    "25177": "Xã Tư Nghĩa",
    "25186": "Xã Phù Mỹ",
    "26935": "Phường 14",
    "26959": "Phường 19",
    "27067": "Phường 15",
    "27217": "Phường 11",
    "27223": "Phường 10",
    "27361": "Phường 2",
    "27379": "Phường 1",
}


@pytest.mark.django_db
def test_every_judged_commune_of_both_lists_has_a_point_but_the_known_exceptions(national):
    # The commune sets of both programmes judge xã (fixtures/criteria: applies_to [xa]).
    judged = Commune.objects.filter(kind=Kind.XA)
    assert judged.filter(valid_from__isnull=True).count() == 7717
    assert judged.filter(valid_from=REFORM_DATE).count() == 2621
    missing = judged.filter(latitude__isnull=True).order_by("valid_from", "code")
    print("Judged communes without a point:", [f"{u.code} {u.name} ({u.period_label})" for u in missing])
    assert {(u.valid_from, u.code, u.name) for u in missing} == {
        (None, code, name) for code, name in WITHOUT_POINT.items() if name.startswith("Xã ")
    }
    assert not Commune.objects.filter(valid_from=REFORM_DATE, latitude__isnull=True).exists()
    # Every commune-level unit, judged or not: 10,025 of 10,051 before the reform, all 3,321 since.
    assert Commune.objects.filter(valid_from__isnull=True, latitude__isnull=False).count() == 10051 - 26
    assert Commune.objects.filter(valid_from=REFORM_DATE, longitude__isnull=False).count() == 3321
    # Points are in Vietnam (its islands included).
    outside = Q(latitude__lt=8) | Q(latitude__gt=24) | Q(longitude__lt=102) | Q(longitude__gt=118)
    assert not Commune.objects.filter(outside).exists()


@pytest.mark.django_db
def test_import_divisions_counts_the_points_and_lists_the_units_without(national):
    listed = ", ".join(f"{code} {name} (trước 01/07/2025)" for code, name in WITHOUT_POINT.items())
    assert f"Tọa độ: 13346 xã có tọa độ (cập nhật 13346), 26 xã chưa có: {listed}\n" in national


@pytest.mark.django_db
def test_a_reused_code_has_the_point_of_each_list(national):
    town = Commune.objects.get(code="23341", valid_from__isnull=True)
    commune = Commune.objects.get(code="23341", valid_from=REFORM_DATE)
    assert (town.name, town.latitude, town.longitude) == (
        "Thị trấn Đắk Glei",
        Decimal("15.031807"),
        Decimal("107.751778"),
    )
    assert (commune.name, commune.latitude, commune.longitude) == ("Xã Đăk Pék", Decimal("15.0668"), Decimal("107.743"))


@pytest.mark.django_db
def test_the_fixture_loads_again_without_change_and_names_no_unknown_unit(national):
    points = read_positions(POSITIONS)
    assert len(points) == 10035 + 3321
    result = load_positions()
    assert (result.updated, result.total_with_point, len(result.without_point)) == (0, 13346, 26)
    # The only rows naming no unit: the codes the dataset has in place of the 2025-01-04 list's (see WITHOUT_POINT).
    assert result.unmatched == [
        ("legacy", code)
        for code in ["03980", "03983", "03984", "26929", "26953", "27076", "27226", "27232", "27367", "27373"]
    ]


@pytest.mark.django_db
def test_a_rerun_restores_a_changed_point_and_says_so(national):
    Commune.objects.filter(code="23353", valid_from__isnull=True).update(latitude=0, longitude=0)
    out = io.StringIO()
    call_command("import_divisions", stdout=out)
    assert "Tọa độ: 13346 xã có tọa độ (cập nhật 1), 26 xã chưa có" in out.getvalue()
    assert "Đã cập nhật danh mục." in out.getvalue()
    assert Commune.objects.get(code="23353", valid_from__isnull=True).latitude == Decimal("15.101258")


def test_the_notice_ships_the_licence_and_the_source():
    notice = NOTICE.read_text(encoding="utf-8")
    assert "MIT License" in notice
    assert "Copyright (c) 2025 Tran Ngoc Minh Hieu" in notice
    assert "vietnamadminunits 1.0.4" in notice
    assert "Rows: 10035 `legacy`, 3321 `2025`." in notice
    assert POSITIONS.read_text(encoding="utf-8").startswith(HEADER)


# ---------------------------------------------------------------- /api/v1/units/


@pytest.mark.django_db
def test_units_api_gives_lat_and_lon(national):
    district = AdministrativeUnit.objects.get(level=Level.DISTRICT, code="610")  # Huyện Đắk Glei
    client = APIClient()
    client.force_authenticate(MembershipFactory(unit=district, role=Role.DISTRICT).user)
    rows = client.get("/api/v1/units/", {"page_size": 100}).json()["results"]
    dak_pek = next(row for row in rows if row["code"] == "23353")
    assert (dak_pek["lat"], dak_pek["lon"]) == (15.101258, 107.728092)
    assert (rows[0]["code"], rows[0]["lat"], rows[0]["lon"]) == ("610", None, None)  # districts have no point yet
    # A reused code is resolved on ?as_of=, and each unit has its own point.
    town = client.get("/api/v1/units/23341/", {"as_of": dt.date(2025, 6, 30).isoformat()}).json()
    assert (town["name"], town["lat"], town["lon"]) == ("Thị trấn Đắk Glei", 15.031807, 107.751778)
