"""The 2025 reform as an office meets it: the merged Quảng Ngãi's office opens Xã Đăk Pék, follows "Hình thành từ"
to the Xã Đắk Pék of Kon Tum (until 30/06/2025), and comes back through "Đã sáp nhập vào"."""

import re

import pytest
from playwright.sync_api import Page, expect

from communes.models import Role
from tests.factories import MembershipFactory, kon_tum_tree, reform_kon_tum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_new_provinces_office_follows_the_lineage_both_ways(live_server, page: Page):
    quang_ngai = reform_kon_tum(kon_tum_tree()).quang_ngai
    MembershipFactory(unit=quang_ngai, role=Role.OFFICE, user__username="vpdp.quangngai")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("vpdp.quangngai")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"{live_server.url}/provinces/")
    expect(page.locator(".period-switch")).to_contain_text("Danh mục từ ngày 01/07/2025")
    page.get_by_role("link", name="Tỉnh Quảng Ngãi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh Quảng Ngãi")
    expect(page.locator(".lineage")).to_contain_text("Tỉnh Kon Tum")
    page.get_by_role("link", name="Xã Đăk Pék").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Đăk Pék")
    expect(page.locator(".facts")).to_contain_text("từ 01/07/2025")

    # Formed from the Đắk Pék of Kon Tum: the link opens that unit, on its last day.
    lineage = page.locator(".lineage")
    expect(lineage.get_by_role("heading", name="Hình thành từ")).to_be_visible()
    lineage.get_by_role("link", name="Xã Đắk Pék").click()
    expect(page).to_have_url(re.compile(r"/communes/23353/\?on=2025-06-30$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Đắk Pék")
    expect(page.locator(".facts")).to_contain_text("đến 30/06/2025")
    expect(page.locator(".breadcrumbs")).to_contain_text("Huyện Đắk Glei")

    # And back: merged into Xã Đăk Pék.
    expect(page.locator(".lineage").get_by_role("heading", name="Đã sáp nhập vào")).to_be_visible()
    page.locator(".lineage").get_by_role("link", name="Xã Đăk Pék").click()
    expect(page).to_have_url(re.compile(r"/communes/23341/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Đăk Pék")


def test_a_commune_official_enters_and_sends_the_communes_report(live_server, page: Page):
    from criteria.yaml_io import import_criteria_text
    from tests.criteria.samples import STANDARD

    import_criteria_text(STANDARD)
    dak_pek = reform_kon_tum(kon_tum_tree()).dak_pek
    MembershipFactory(unit=dak_pek, role=Role.COMMUNE, user__username="xa.dakpek")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("xa.dakpek")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Báo cáo tháng").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Đăk Pék")

    # August 2025: the commune's first month of its own, still judged by the 2021-2025 criteria.
    page.goto(f"{live_server.url}/monthly/23341/2025-08/")
    page.get_by_label("Thu nhập bình quân đầu người", exact=True).fill("52")
    page.get_by_label("Tỷ lệ hộ nghèo đa chiều").fill("4,5")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu bản nháp")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo Xã Đăk Pék tháng 08/2025")
    expect(page.locator(".report-flags")).to_contain_text("Đã gửi")


def test_an_unchanged_commune_starts_from_its_predecessor_and_the_office_approves_it(live_server, page: Page):
    import datetime as dt

    from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Lineage
    from criteria.yaml_io import import_criteria_text
    from monthly.services import approve_report, save_values, submit_report
    from tests.criteria.samples import STANDARD
    from tests.factories import UserFactory

    import_criteria_text(STANDARD)
    tree = kon_tum_tree()
    quang_ngai = reform_kon_tum(tree).quang_ngai
    old = AdministrativeUnit.objects.get(code="23380", valid_to=REFORM_DATE)
    clerk = UserFactory()
    report = save_values(
        unit=old, period=dt.date(2025, 6, 1), raw={"income_per_capita": "43,5", "poverty_rate": "9"}, by=clerk
    )
    approve_report(report=submit_report(report=report, by=clerk), by=clerk)
    dak_xu = AdministrativeUnit.objects.create(
        code="23380", level=Level.COMMUNE, kind=Kind.XA, name="Xã Đắk Xú", short_name="Đắk Xú",
        parent=quang_ngai, valid_from=REFORM_DATE,
    )  # fmt: skip
    Lineage.objects.create(successor=dak_xu, predecessor=old)
    MembershipFactory(unit=dak_xu, role=Role.COMMUNE, user__username="xa.dakxu")
    MembershipFactory(unit=quang_ngai, role=Role.OFFICE, user__username="vpdp.quangngai")

    def log_in(username):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
        page.get_by_role("button", name="Đăng nhập").click()

    log_in("xa.dakxu")
    page.goto(f"{live_server.url}/monthly/23380/2025-08/")
    expect(page.locator(".predecessors-panel")).to_contain_text("Xã Đắk Xú")
    expect(page.locator(".entry-table")).to_contain_text("Xã Đắk Xú (06/2025): 43,5")
    page.get_by_role("button", name="Lấy 2 số liệu của Xã Đắk Xú làm số liệu ban đầu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lấy 2 số liệu của đơn vị trước sáp nhập")
    expect(page.get_by_label("Thu nhập bình quân đầu người", exact=True)).to_have_value("43,5")
    page.get_by_label("Tỷ lệ hộ nghèo đa chiều").fill("8")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".report-flags")).to_contain_text("Đã gửi")
    page.get_by_role("button", name="Đăng xuất").click()

    log_in("vpdp.quangngai")
    page.goto(f"{live_server.url}/monthly/review/2025-08/")
    page.get_by_label("Lọc báo cáo chờ duyệt theo tên xã").fill("dak xu")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("section.waiting")).to_contain_text("Xã Đắk Xú")
    page.get_by_role("button", name="Duyệt 1 báo cáo đang lọc").click()
    expect(page.locator(".messages")).to_contain_text("Đã duyệt 1 báo cáo của Tỉnh Quảng Ngãi tháng 08/2025")


def test_a_commune_official_sends_a_2026_report_judged_by_the_new_programme(live_server, page: Page):
    from django.conf import settings

    from criteria.yaml_io import import_criteria_text

    for name in ("2021-2025/commune-standard.yaml", "2026-2030/commune-standard.yaml"):
        import_criteria_text((settings.BASE_DIR / "fixtures" / "criteria" / name).read_bytes())
    dak_pek = reform_kon_tum(kon_tum_tree()).dak_pek
    MembershipFactory(unit=dak_pek, role=Role.COMMUNE, user__username="xa.dakpek")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("xa.dakpek")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"{live_server.url}/monthly/23341/2026-03/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Đăk Pék")
    # QĐ 51/2025's set, illustrative until its annex is in hand, and the commune not yet in a group.
    expect(page.locator(".illustrative")).to_contain_text("bộ minh họa")
    expect(page.locator(".commune-group")).to_contain_text("chưa phân nhóm")
    page.get_by_label("Thu nhập bình quân đầu người khu vực nông thôn", exact=True).fill("61,5")
    page.get_by_label("Tỷ lệ nghèo đa chiều (chuẩn nghèo giai đoạn 2021 - 2025)").fill("3")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu bản nháp")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo Xã Đăk Pék tháng 03/2026")
    expect(page.locator(".report-flags")).to_contain_text("Đã gửi")
