"""A workbook is the figures as they stood when it was downloaded: an upload whose reports changed since is
refused whole, naming the communes and who changed them (issue 13, item 1). Eight uploads of one template at once
on PostgreSQL: one wins, the others are refused."""

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from openpyxl import load_workbook

from communes.models import Role
from criteria.yaml_io import import_criteria_text
from monthly.excel import CONTENT_TYPE, SHEET_DATA, UploadError, apply_upload
from monthly.excel_template import export_template
from monthly.excel_versions import SHEET_VERSIONS
from monthly.models import Report, Value
from monthly.services import save_values
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory

MAY = dt.date(2024, 5, 1)


@pytest.fixture
def criteria(db):
    import_criteria_text(STANDARD)


@pytest.fixture
def official(tree, criteria):
    user = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    user.first_name, user.last_name = "Nguyễn Thị Lan", ""
    user.save()
    return user


@pytest.fixture
def colleague(tree, criteria):
    user = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    user.first_name, user.last_name = "Trần Văn Hùng", ""
    user.save()
    return user


def _template(tree) -> bytes:
    return export_template(district=tree.dak_glei, period=MAY)[2]


def _fill(content: bytes, values: dict[tuple[str, str], object]) -> bytes:
    """Type values into the data sheet by (commune code, measure code), as a person would in Excel."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[SHEET_DATA]
    columns = {cell.value: cell.column for cell in sheet[1]}
    rows = {str(sheet.cell(row, 1).value): row for row in range(4, sheet.max_row + 1)}
    for (commune, measure), value in values.items():
        sheet.cell(rows[commune], columns[measure], value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _income(unit) -> Decimal | None:
    value = Value.objects.filter(report__unit=unit, report__period=MAY, measure__code="income_per_capita").first()
    return value.number if value else None


def _upload(client, content: bytes):
    upload = SimpleUploadedFile("so-lieu-610-2024-05.xlsx", content, content_type=CONTENT_TYPE)
    return client.post(reverse("monthly:upload", args=["610", "2024-05"]), {"file": upload})


@pytest.mark.django_db
def test_a_workbook_older_than_a_browser_save_is_refused_whole(tree, official, colleague, client_for):
    save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "40"}, by=official)
    downloaded = _template(tree)  # 9:00: Đắk Pék at 40
    # 10:00: a colleague corrects Đắk Pék in the browser (the form, at the version it showed).
    page = client_for(colleague).post(
        reverse("monthly:report", args=["23353", "2024-05"]), {"version": "1", "m_income_per_capita": "1999"}
    )
    assert page.status_code == 302
    # 11:00: the workbook goes up with Đắk Môn typed and Đắk Pék as it was at 9:00.
    filled = _fill(downloaded, {("23341", "income_per_capita"): 52})

    response = _upload(client_for(official), filled)

    assert response.status_code == 400
    errors = response.context["errors"]
    assert "từ đó số liệu của 1 xã thuộc Huyện Đắk Glei đã thay đổi trên cổng" in errors[0]
    assert "Cả tệp không được lưu" in errors[0]
    assert errors[1].startswith("Xã Đắk Pék: Trần Văn Hùng cập nhật lúc ")
    assert "phiên bản 2; tệp được lập từ phiên bản 1" in errors[1]
    assert "Xã Đắk Pék: Trần Văn Hùng cập nhật" in response.text
    # Nothing of the file was saved, the colleague's figure stands.
    assert _income(tree.dak_pek) == Decimal("1999")
    assert _income(tree.dak_mon) is None
    assert not Report.objects.filter(unit=tree.dak_mon, period=MAY).exists()


@pytest.mark.django_db
def test_a_fresh_workbook_saves_and_the_same_file_corrected_goes_up_again(tree, official):
    downloaded = _template(tree)
    apply_upload(
        _fill(downloaded, {("23341", "income_per_capita"): 52}), district=tree.dak_glei, period=MAY, by=official
    )
    assert _income(tree.dak_mon) == Decimal("52")

    # A typo found after the upload: the same file, corrected, is the user's own writing, not a stale one.
    summary = apply_upload(
        _fill(downloaded, {("23341", "income_per_capita"): 53}), district=tree.dak_glei, period=MAY, by=official
    )
    assert summary.communes == 1
    assert _income(tree.dak_mon) == Decimal("53")


@pytest.mark.django_db
def test_the_same_file_after_a_colleagues_change_is_refused(tree, official, colleague):
    downloaded = _template(tree)
    apply_upload(
        _fill(downloaded, {("23341", "income_per_capita"): 52}), district=tree.dak_glei, period=MAY, by=official
    )
    report = Report.objects.get(unit=tree.dak_mon, period=MAY)
    save_values(
        unit=tree.dak_mon, period=MAY, raw={"income_per_capita": "60"}, by=colleague, expected_version=report.version
    )

    with pytest.raises(UploadError) as refused:
        apply_upload(
            _fill(downloaded, {("23341", "income_per_capita"): 53}), district=tree.dak_glei, period=MAY, by=official
        )
    assert refused.value.errors[1].startswith("Xã Đắk Môn: Trần Văn Hùng cập nhật lúc")
    assert _income(tree.dak_mon) == Decimal("60")


@pytest.mark.django_db
def test_another_person_uploading_my_file_after_me_is_refused(tree, official, colleague):
    downloaded = _template(tree)
    apply_upload(
        _fill(downloaded, {("23341", "income_per_capita"): 52}), district=tree.dak_glei, period=MAY, by=official
    )
    with pytest.raises(UploadError):
        apply_upload(
            _fill(downloaded, {("23341", "income_per_capita"): 53}), district=tree.dak_glei, period=MAY, by=colleague
        )
    assert _income(tree.dak_mon) == Decimal("52")


def _without_versions(content: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    del workbook[SHEET_VERSIONS]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _tampered(content: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    for row in range(2, workbook[SHEET_VERSIONS].max_row + 1):
        workbook[SHEET_VERSIONS].cell(row, 2, "mới nhất")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (_without_versions, "Tệp không mang thông tin phiên bản số liệu của tệp mẫu (sheet ẩn 'Phiên bản')"),
        (_tampered, "Thông tin phiên bản của Thị trấn Đắk Glei trong tệp (sheet ẩn 'Phiên bản') đã bị sửa"),
    ],
)
def test_a_workbook_without_its_versions_is_refused(tree, official, spoil, expected):
    content = spoil(_fill(_template(tree), {("23353", "income_per_capita"): 52}))
    with pytest.raises(UploadError) as refused:
        apply_upload(content, district=tree.dak_glei, period=MAY, by=official)
    assert expected in refused.value.errors[0]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_versions_travel_in_the_template(tree, official):
    report = save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "40"}, by=official)
    sheet = load_workbook(io.BytesIO(_template(tree)))[SHEET_VERSIONS]
    versions = {str(row[0]): row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert versions == {"23353": report.version, "23341": 0, "23338": 0}


# ---------------------------------------------------------------- eight at once


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections: PostgreSQL (CI)")
def test_eight_concurrent_uploads_of_one_template_one_wins(tree, official):
    save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "40"}, by=official)
    downloaded = _template(tree)
    files = [
        _fill(downloaded, {("23353", "income_per_capita"): 100 + n, ("23341", "income_per_capita"): 200 + n})
        for n in range(8)
    ]
    start = threading.Barrier(8)
    outcomes: list[object] = [None] * 8

    def upload(n: int) -> None:
        try:
            start.wait()
            outcomes[n] = apply_upload(files[n], district=tree.dak_glei, period=MAY, by=official)
        except UploadError as exc:
            outcomes[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [n for n, outcome in enumerate(outcomes) if not isinstance(outcome, UploadError)]
    assert len(winners) == 1, outcomes
    refused = [outcome for outcome in outcomes if isinstance(outcome, UploadError)]
    assert len(refused) == 7
    assert all("Cả tệp không được lưu" in r.errors[0] or "Xã Đắk" in r.errors[0] for r in refused), refused
    # The winner's figures, whole, for both communes: no mixture of files.
    (winner,) = winners
    assert _income(tree.dak_pek) == 100 + winner
    assert _income(tree.dak_mon) == 200 + winner
    assert Report.objects.get(unit=tree.dak_pek, period=MAY).version == 2
    assert Report.objects.get(unit=tree.dak_mon, period=MAY).version == 1
