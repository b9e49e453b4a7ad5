"""The coordination office prints: from its dashboard to the draft directive's form, fills in number, signer and
recipients, looks at the preview (no longer a draft), downloads the PDF, then the month's report and an Excel file."""

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from communes.models import Level, Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.services import approve_report, save_values, submit_report
from records.models import Recognition, Target, TargetKind
from reports.models import DocumentSettings
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, kon_tum_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAY = dt.date(2024, 5, 1)


def _approved(unit, raw, official, office):
    report = submit_report(report=save_values(unit=unit, period=MAY, raw=raw, by=official), by=official)
    approve_report(report=report, by=office)


def test_office_prepares_and_downloads_the_directive_and_the_report(live_server, browser: Browser):
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    official = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    office = MembershipFactory(unit=tree.province, role=Role.OFFICE, user__username="vpdp").user
    _approved(tree.dak_pek, {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}, official, office)
    _approved(tree.dak_mon, {"income_per_capita": "40", "poverty_rate": "8", "plan_approved": True}, official, office)
    programme = Programme.objects.get(code="2021-2025")
    recompute_statuses(period=MAY, units=tracked_units(tree.province), programme=programme)
    Recognition.objects.create(
        unit=tree.dak_mon,
        tier="standard",
        programme=programme,
        decision_number="1234/QĐ-UBND",
        decision_date=dt.date(2023, 12, 20),
        issuer="UBND tỉnh Kon Tum",
    )
    Target.objects.create(
        unit=tree.province, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=2
    )

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("vpdp")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator(".month-nav")).to_contain_text("Tháng 05/2024")

    # The draft directive: the form, then the preview.
    page.locator(".downloads").get_by_role("link", name="Sửa dự thảo chỉ thị").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dự thảo chỉ thị")
    expect(page.get_by_label("Ký hiệu")).to_have_value("CT-UBND")
    page.locator("#id_number").fill("5x")
    page.get_by_role("button", name="Lưu và xem trước").click()
    expect(page.locator(".has-error")).to_contain_text("chỉ gồm chữ số Ả Rập")
    assert not DocumentSettings.objects.exists()

    page.locator("#id_number").fill("05")
    page.get_by_label("Ngày ban hành").fill("2024-06-03")
    page.get_by_label("Họ và tên người ký").fill("Nguyễn Văn A")
    page.get_by_role("button", name="Lưu và xem trước").click()

    sheet = page.locator("article.sheet")
    expect(sheet).to_contain_text("CHỈ THỊ")
    expect(sheet).to_contain_text("Số: 05/CT-UBND")
    expect(sheet).to_contain_text("Kon Tum, ngày 03 tháng 6 năm 2024")
    expect(sheet).to_contain_text("Nguyễn Văn A")
    expect(sheet).to_contain_text("xã Đắk Môn")  # at risk of revocation: named by the facts
    expect(sheet).not_to_contain_text("DỰ THẢO")

    # The PDF behind the preview's link is the same document.
    with page.expect_download() as download_info:
        page.locator(".preview-bar").get_by_role("link", name="Tải PDF").click(modifiers=["Alt"])
    pdf = PdfReader(download_info.value.path())
    text = pdf.pages[0].extract_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Số: 05/CT-UBND" in text

    # Back on the dashboard: the month's report as PDF and the statuses as Excel.
    page.locator(".preview-bar").get_by_role("link", name="Quay lại trang tổng quan").click()
    with page.expect_download() as download_info:
        page.locator(".downloads").get_by_role("link", name="Báo cáo tháng (PDF)").click(modifiers=["Alt"])
    report = PdfReader(download_info.value.path()).pages[0].extract_text()
    assert "BÁO CÁO" in report
    assert "tháng 05/2024" in report

    with page.expect_download() as download_info:
        page.locator(".downloads").get_by_role("link", name="Kết quả đánh giá (Excel)").click()
    workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert "Thông tin" in workbook.sheetnames
