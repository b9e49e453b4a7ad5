"""The coordination office's records: recognition decisions (and revocation), targets and commune plans.

Everyone reads the records of their scope; only the office of the unit writes. Out of scope answers 404, a write
the role may not make 403. Every refused form names its field in Vietnamese and saves nothing.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communes.models import Level, Role
from criteria.models import CriteriaSet, Programme
from records.models import CommunePlan, RecognisedTier, Recognition, Target, TargetKind
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 5, 20)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    moment = timezone.make_aware(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def programme(db):
    return Programme.objects.create(code="2021-2025", name="Giai đoạn 2021-2025", start_year=2021, end_year=2025)


@pytest.fixture
def users(tree):
    return {
        "office": MembershipFactory(unit=tree.province, role=Role.OFFICE).user,
        "district": MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user,
        "department": MembershipFactory(unit=tree.province, role=Role.DEPARTMENT, department="Sở Xây dựng").user,
        "viewer": MembershipFactory(unit=tree.province, role=Role.VIEWER).user,
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


def _recognition(unit, programme, **extra) -> Recognition:
    fields = {
        "tier": RecognisedTier.STANDARD,
        "decision_number": "1380/QĐ-UBND",
        "decision_date": dt.date(2021, 12, 30),
        "issuer": "Chủ tịch UBND tỉnh Kon Tum",
        **extra,
    }
    return Recognition.objects.create(unit=unit, programme=programme, **fields)


@pytest.fixture
def records(tree, programme):
    """One record of each kind in Đắk Glei (every Kon Tum role's scope) and one of each in Gia Lai."""
    return {
        "recognition": _recognition(tree.dak_pek, programme),
        "target": Target.objects.create(
            unit=tree.dak_glei, year=2025, kind=TargetKind.UNITS_AT_TIER, tier=RecognisedTier.STANDARD, value=4
        ),
        "plan": CommunePlan.objects.create(unit=tree.dak_pek, tier=RecognisedTier.ADVANCED, year=2025),
        "far_recognition": _recognition(tree.other_commune, programme),
        "far_target": Target.objects.create(
            unit=tree.other_province, year=2025, kind=TargetKind.MIN_CRITERIA, level=Level.COMMUNE, value=15
        ),
        "far_plan": CommunePlan.objects.create(unit=tree.other_commune, tier=RecognisedTier.STANDARD, year=2025),
    }


def recognition_data(programme, **overrides) -> dict:
    return {
        "unit_code": "23341",  # Xã Đắk Môn of the test tree
        "tier": RecognisedTier.STANDARD,
        "programme": programme.pk,
        "decision_number": "2150/QĐ-UBND",
        "decision_date": "2022-12-28",
        "issuer": "Chủ tịch UBND tỉnh Kon Tum",
        "note": "",
        "revoked_decision_number": "",
        "revoked_date": "",
        "revocation_reason": "",
        **overrides,
    }


def target_data(**overrides) -> dict:
    return {
        "unit_code": "62",
        "year": "2025",
        "kind": TargetKind.UNITS_AT_TIER,
        "level": Level.COMMUNE,
        "tier": RecognisedTier.ADVANCED,
        "value": "20",
        "source": "Chương trình hành động số 3299/CTr-UBND ngày 04/10/2022",
        **overrides,
    }


def plan_data(**overrides) -> dict:
    return {"unit_code": "23341", "tier": RecognisedTier.STANDARD, "year": "2025", "note": "", **overrides}


REVOKE = {"revoked_decision_number": "88/QĐ-UBND", "revoked_date": "2024-04-02", "revocation_reason": "7/19 tiêu chí"}


# ---------------------------------------------------------------- the permission matrix


def _url(name: str, record=None) -> str:
    return reverse(f"records:{name}", args=[record.pk] if record is not None else [])


# (action, method, url name, record key or None, POST data builder)
ACTIONS = {
    "recognition list": ("get", "recognition-list", None, None),
    "recognition new": ("get", "recognition-create", None, None),
    "recognition create": ("post", "recognition-create", None, lambda p: recognition_data(p)),
    "recognition edit page": ("get", "recognition-edit", "recognition", None),
    "recognition save": (
        "post",
        "recognition-edit",
        "recognition",
        lambda p: recognition_data(p, unit_code="23353", tier=RecognisedTier.ADVANCED),
    ),
    "recognition revoke": ("post", "recognition-revoke", "recognition", lambda p: REVOKE),
    "target list": ("get", "target-list", None, None),
    "target new": ("get", "target-create", None, None),
    "target create": ("post", "target-create", None, lambda p: target_data()),
    "target edit page": ("get", "target-edit", "target", None),
    "target save": ("post", "target-edit", "target", lambda p: target_data(unit_code="610", level="district")),
    "target delete": ("post", "target-delete", "target", lambda p: {}),
    "plan list": ("get", "plan-list", None, None),
    "plan new": ("get", "plan-create", None, None),
    "plan create": ("post", "plan-create", None, lambda p: plan_data()),
    "plan edit page": ("get", "plan-edit", "plan", None),
    "plan save": ("post", "plan-edit", "plan", lambda p: plan_data(unit_code="23353", tier=RecognisedTier.MODEL)),
    "plan delete": ("post", "plan-delete", "plan", lambda p: {}),
}
READ, WRITE = (
    {"office": 200, "district": 200, "department": 200, "viewer": 200, "admin": 200},
    {
        "office": 302,
        "district": 403,
        "department": 403,
        "viewer": 403,
        "admin": 302,
    },
)
OFFICE_PAGE = {"office": 200, "district": 403, "department": 403, "viewer": 403, "admin": 200}
EXPECTED = {
    action: READ if action.endswith("list") else OFFICE_PAGE if method == "get" else WRITE
    for action, (method, *_rest) in ACTIONS.items()
}
ROLES = ["office", "district", "department", "viewer", "admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix_in_scope(client_for, users, records, programme, role, action):
    method, name, key, data = ACTIONS[action]
    url = _url(name, records[key] if key else None)
    client = client_for(users[role])
    response = client.get(url) if method == "get" else client.post(url, data(programme))
    assert response.status_code == EXPECTED[action][role], response.content[:300]


OUT_OF_SCOPE = [action for action, (_m, _n, key, _d) in ACTIONS.items() if key]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", OUT_OF_SCOPE)
def test_records_of_another_province_answer_404(client_for, users, records, programme, role, action):
    method, name, key, data = ACTIONS[action]
    url = _url(name, records[f"far_{key}"])
    client = client_for(users[role])
    response = client.get(url) if method == "get" else client.post(url, data(programme))
    expected = {"get": 200, "post": 302} if role == "admin" else {"get": 404, "post": 404}
    assert response.status_code == expected[method]


@pytest.mark.parametrize("action", list(ACTIONS))
def test_anonymous_people_go_to_the_login_page(records, programme, action):
    method, name, key, data = ACTIONS[action]
    url = _url(name, records[key] if key else None)
    response = Client().get(url) if method == "get" else Client().post(url, data(programme))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["recognition-revoke", "target-delete", "plan-delete"])
def test_actions_refuse_get(client_for, users, records, name):
    key = name.split("-")[0]
    assert client_for(users["office"]).get(_url(name, records[key])).status_code == 405


def test_a_district_office_cannot_write_for_a_commune_of_another_district(client_for, tree, programme, records):
    office = MembershipFactory(unit=tree.ngoc_hoi, role=Role.OFFICE).user
    client = client_for(office)
    # The record is outside its scope: as if it did not exist.
    assert client.get(_url("recognition-edit", records["recognition"])).status_code == 404
    response = client.post(_url("recognition-create"), recognition_data(programme, unit_code="23353"))
    assert response.status_code == 400
    assert "Mã xã hoặc huyện: không có đơn vị mã 23353 trong phạm vi Văn phòng điều phối của bạn." in (
        response.content.decode()
    )


# ---------------------------------------------------------------- lists


def test_recognition_list_shows_the_scope_and_the_state(client_for, tree, users, records, programme):
    _recognition(
        tree.dak_mon,
        programme,
        decision_number="77/QĐ-UBND",
        revoked_decision_number="9/QĐ-UBND",
        revoked_date=dt.date(2024, 2, 1),
        revocation_reason="Không duy trì",
    )
    response = client_for(users["district"]).get(_url("recognition-list"))
    body = response.content.decode()
    assert [r["record"].unit.code for r in response.context["rows"]] == ["23341", "23353"]
    assert "Xã Đông" not in body  # Gia Lai
    assert "Còn hiệu lực" in body
    assert "Đã thu hồi" in body
    assert "QĐ 9/QĐ-UBND ngày 01/02/2024" in body
    # Read-only for a district: no add button, no edit link.
    assert reverse("records:recognition-create") not in body
    assert reverse("records:recognition-edit", args=[records["recognition"].pk]) not in body


def test_recognition_list_filters_by_tier_and_state(client_for, tree, users, records, programme):
    _recognition(tree.dak_pek, programme, tier=RecognisedTier.ADVANCED, decision_number="5/QĐ-UBND")
    _recognition(tree.dak_mon, programme, revoked_decision_number="9/QĐ", revoked_date=dt.date(2024, 2, 1))
    client = client_for(users["office"])

    def numbers(query):
        response = client.get(_url("recognition-list"), query)
        return sorted(r["record"].decision_number for r in response.context["rows"])

    assert numbers({"tier": "advanced"}) == ["5/QĐ-UBND"]
    assert numbers({"state": "revoked"}) == ["1380/QĐ-UBND"]  # Đắk Môn's, revoked
    assert numbers({"state": "in_force", "tier": "standard"}) == ["1380/QĐ-UBND"]  # Đắk Pék's
    assert numbers({"q": "dak mon"}) == ["1380/QĐ-UBND"]
    # The filters stay out of the header's search box.
    body = client.get(_url("recognition-list"), {"tier": "advanced"}).content.decode()
    assert 'id="header-search" type="search" name="q" value=""' in body


def test_office_sees_edit_links_and_the_add_button(client_for, users, records):
    body = client_for(users["office"]).get(_url("recognition-list")).content.decode()
    assert reverse("records:recognition-create") in body
    assert reverse("records:recognition-edit", args=[records["recognition"].pk]) in body
    assert reverse("records:recognition-edit", args=[records["far_recognition"].pk]) not in body


def test_target_list_reads_targets_as_sentences(client_for, tree, users, records):
    Target.objects.create(unit=tree.province, year=2025, kind=TargetKind.MIN_CRITERIA, value=15, source="3299/CTr")
    response = client_for(users["office"]).get(_url("target-list"), {"year": "2025"})
    body = response.content.decode()
    assert "Ít nhất 4 xã đạt chuẩn NTM" in body
    assert "Mọi xã đạt ít nhất 15 tiêu chí" in body
    assert "Tỉnh Gia Lai" not in body


def test_plan_list_filters_by_year_and_tier(client_for, tree, users, records):
    CommunePlan.objects.create(unit=tree.dak_mon, tier=RecognisedTier.STANDARD, year=2024)
    client = client_for(users["viewer"])
    rows = client.get(_url("plan-list"), {"year": "2024"}).context["rows"]
    assert [r["record"].unit.code for r in rows] == ["23341"]
    rows = client.get(_url("plan-list"), {"tier": "advanced"}).context["rows"]
    assert [r["record"].unit.code for r in rows] == ["23353"]


@pytest.mark.parametrize("extra", [0, 25])
def test_recognition_list_runs_a_fixed_number_of_queries(
    client_for, tree, users, programme, extra, django_assert_num_queries
):
    for i in range(extra + 1):
        commune = UnitFactory(parent=tree.dak_glei, code=f"{80000 + i}", name=f"Xã Thử {i}")
        _recognition(commune, programme, decision_number=f"{i}/QĐ-UBND")
    client = client_for(users["office"])
    # session, user, memberships, count (paginator), decisions (+ unit, district, programme), header's membership
    with django_assert_num_queries(5):
        response = client.get(_url("recognition-list"))
    assert len(response.context["rows"]) == extra + 1
    assert response.content.decode().count("Huyện Đắk Glei") == extra + 1


@pytest.mark.parametrize("extra", [0, 25])
def test_target_and_plan_lists_run_a_fixed_number_of_queries(client_for, tree, users, extra, django_assert_num_queries):
    for i in range(extra + 1):
        commune = UnitFactory(parent=tree.dak_glei, code=f"{80000 + i}", name=f"Xã Thử {i}")
        CommunePlan.objects.create(unit=commune, tier=RecognisedTier.STANDARD, year=2025)
        Target.objects.create(unit=tree.dak_glei, year=2025 + i, kind=TargetKind.YEARLY_GAIN, value=1)
    client = client_for(users["office"])
    # session, user, memberships, count (paginator), targets (+ unit, its parent), header's membership
    with django_assert_num_queries(5):
        response = client.get(_url("target-list"))
    assert len(response.context["rows"]) == extra + 1
    # session, user, memberships, count (paginator), plans (+ commune, district), header's membership
    with django_assert_num_queries(5):
        response = client.get(_url("plan-list"))
    assert response.content.decode().count("Huyện Đắk Glei") == extra + 1


# ---------------------------------------------------------------- recognition forms


def _post_recognition(users, programme, url=None, **overrides):
    client = Client()
    client.force_login(users["office"])
    return client.post(url or _url("recognition-create"), recognition_data(programme, **overrides))


def test_office_records_a_recognition_for_a_commune_chosen_by_code(tree, users, programme):
    response = _post_recognition(users, programme, next="/records/recognitions/?tier=standard")
    assert response.status_code == 302
    assert response["Location"] == "/records/recognitions/?tier=standard"
    recognition = Recognition.objects.get()
    assert recognition.unit == tree.dak_mon
    assert (recognition.decision_number, recognition.decision_date) == ("2150/QĐ-UBND", dt.date(2022, 12, 28))
    assert not recognition.is_demo


def test_a_district_may_be_recognised_too(tree, users, programme):
    assert _post_recognition(users, programme, unit_code="610").status_code == 302
    assert Recognition.objects.get().unit == tree.dak_glei


def test_create_page_suggests_the_units_of_the_scope(client_for, users, programme):
    body = client_for(users["office"]).get(_url("recognition-create")).content.decode()
    assert '<option value="23353">Xã Đắk Pék · Huyện Đắk Glei</option>' in body
    assert "23617" not in body  # Gia Lai


def test_a_unit_id_from_the_browser_is_ignored(tree, users, programme):
    response = _post_recognition(users, programme, unit=tree.other_commune.pk)
    assert response.status_code == 302
    assert Recognition.objects.get().unit == tree.dak_mon


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"decision_date": "2024-05-21"}, "Ngày quyết định không được sau hôm nay."),
        ({"decision_date": ""}, "Nhập ngày quyết định công nhận."),
        ({"decision_date": "28/13/2022"}, "Ngày quyết định không hợp lệ."),
        ({"decision_number": ""}, "Nhập số quyết định công nhận."),
        ({"issuer": ""}, "Nhập người, cơ quan ký quyết định."),
        ({"unit_code": ""}, "Nhập mã xã hoặc huyện."),
        ({"unit_code": "23617"}, "Mã xã hoặc huyện: không có đơn vị mã 23617 trong phạm vi Văn phòng điều phối"),
        ({"unit_code": "62"}, "Mã xã hoặc huyện: không có đơn vị mã 62 trong phạm vi Văn phòng điều phối"),
        ({"unit_code": "23338"}, "Mã xã hoặc huyện: không có đơn vị mã 23338 trong phạm vi Văn phòng điều phối"),
        ({"revoked_decision_number": "9/QĐ-UBND"}, "Ngày thu hồi: cần ghi cùng số quyết định thu hồi."),
        ({"revoked_date": "2023-03-01"}, "Số quyết định thu hồi: cần ghi cùng ngày thu hồi."),
        (
            {"revoked_decision_number": "9/QĐ-UBND", "revoked_date": "2022-01-05"},
            "Ngày thu hồi không thể trước ngày quyết định công nhận (28/12/2022).",
        ),
        ({"revoked_decision_number": "9/QĐ", "revoked_date": "2024-06-01"}, "Ngày thu hồi không được sau hôm nay."),
        ({"revocation_reason": "Không duy trì"}, "Lý do thu hồi: chỉ ghi khi có số và ngày quyết định thu hồi."),
    ],
)
def test_refused_recognition_names_the_field_and_saves_nothing(users, programme, overrides, message):
    response = _post_recognition(users, programme, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Recognition.objects.exists()


def test_a_commune_holds_one_recognition_in_force_per_tier(tree, users, programme):
    existing = _recognition(tree.dak_mon, programme, decision_number="1380/QĐ-UBND")
    response = _post_recognition(users, programme)
    assert response.status_code == 400
    assert (
        "Mức: Xã Đắk Môn đã có quyết định công nhận mức “Đạt chuẩn NTM” còn hiệu lực (số 1380/QĐ-UBND ngày "
        "30/12/2021)." in response.content.decode()
    )
    assert Recognition.objects.count() == 1
    # Another tier is fine; so is the same tier once the first decision is revoked.
    assert _post_recognition(users, programme, tier=RecognisedTier.ADVANCED).status_code == 302
    existing.revoked_decision_number, existing.revoked_date = "9/QĐ-UBND", dt.date(2024, 1, 5)
    existing.save()
    assert _post_recognition(users, programme, decision_number="3001/QĐ-UBND").status_code == 302
    assert Recognition.objects.in_force().filter(unit=tree.dak_mon, tier=RecognisedTier.STANDARD).count() == 1


def test_a_revoked_decision_may_be_recorded_as_history(tree, users, programme):
    _recognition(tree.dak_mon, programme)
    response = _post_recognition(
        users, programme, revoked_decision_number="9/QĐ-UBND", revoked_date="2023-06-01", revocation_reason="Lý do"
    )
    assert response.status_code == 302
    assert Recognition.objects.filter(revoked_date=dt.date(2023, 6, 1)).count() == 1


def test_editing_keeps_the_record_and_checks_the_new_unit(client_for, tree, users, programme, records):
    recognition = records["recognition"]
    url = _url("recognition-edit", recognition)
    page = client_for(users["office"]).get(url).content.decode()
    assert 'value="23353"' in page
    assert "Thu hồi quyết định công nhận" in page

    response = _post_recognition(users, programme, url=url, unit_code="23617", decision_number="X")
    assert response.status_code == 400
    recognition.refresh_from_db()
    assert (recognition.unit, recognition.decision_number) == (tree.dak_pek, "1380/QĐ-UBND")

    response = _post_recognition(users, programme, url=url, unit_code="23353", decision_number="1381/QĐ-UBND")
    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.decision_number == "1381/QĐ-UBND"
    assert Recognition.objects.count() == 2  # with Gia Lai's: nothing added


def test_an_in_force_decision_is_revoked_only_through_its_own_form(client_for, users, records, programme):
    recognition = records["recognition"]
    url = _url("recognition-edit", recognition)
    page = client_for(users["office"]).get(url).content.decode()
    # One set of revocation fields on the page: the revocation form's.
    assert page.count('id="id_revoked_date"') == 1
    assert reverse("records:recognition-revoke", args=[recognition.pk]) in page
    # Posting revocation fields to the edit form changes nothing about revocation.
    response = _post_recognition(users, programme, url=url, unit_code="23353", **REVOKE)
    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.revoked_date is None


def test_the_programme_must_match_the_decision_date(tree, users, programme):
    later = Programme.objects.create(code="2026-2030", name="Giai đoạn 2026-2030", start_year=2026, end_year=2030)
    response = _post_recognition(users, later)
    assert response.status_code == 400
    assert "Giai đoạn: quyết định ngày 28/12/2022 thuộc giai đoạn 2021-2025." in response.content.decode()
    assert not Recognition.objects.exists()
    # A decision from before every programme here (2019) may name the one it is maintained under.
    assert _post_recognition(users, programme, decision_date="2019-11-05").status_code == 302


def test_new_decisions_default_to_the_programme_in_force(client_for, users, programme, monkeypatch):
    later = Programme.objects.create(code="2026-2030", name="Giai đoạn 2026-2030", start_year=2026, end_year=2030)
    for p, status in ((programme, "published"), (later, "draft")):
        CriteriaSet.objects.create(
            programme=p, code="commune-standard", name="Xã NTM", level="commune", tier="standard", rank=1, status=status
        )
    client = client_for(users["office"])
    assert client.get(_url("recognition-create")).context["form"]["programme"].initial == programme.pk
    moment = timezone.make_aware(dt.datetime(2026, 11, 22, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    # 2026-2030 has begun but its sets are still drafts: 2021-2025 is what decisions are judged by.
    client = client_for(users["office"])  # a new session: the old one expired in the jump of two years
    assert client.get(_url("recognition-create")).context["form"]["programme"].initial == programme.pk


def test_revoking_records_number_date_and_reason(client_for, users, records):
    recognition = records["recognition"]
    response = client_for(users["office"]).post(_url("recognition-revoke", recognition), REVOKE)
    assert response.status_code == 302
    recognition.refresh_from_db()
    assert (recognition.revoked_decision_number, recognition.revoked_date) == ("88/QĐ-UBND", dt.date(2024, 4, 2))
    assert recognition.revocation_reason == "7/19 tiêu chí"
    assert not Recognition.objects.in_force().filter(pk=recognition.pk).exists()


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Nhập số quyết định thu hồi.", "Nhập ngày thu hồi.", "Nhập lý do thu hồi."]),
        (
            {**REVOKE, "revoked_date": "2021-01-01"},
            ["Ngày thu hồi không thể trước ngày quyết định công nhận (30/12/2021)."],
        ),
        ({**REVOKE, "revoked_date": "2024-05-21"}, ["Ngày thu hồi không được sau hôm nay."]),
        ({**REVOKE, "revocation_reason": "  "}, ["Nhập lý do thu hồi."]),
    ],
)
def test_refused_revocation_names_the_fields_and_changes_nothing(client_for, users, records, data, messages):
    recognition = records["recognition"]
    response = client_for(users["office"]).post(_url("recognition-revoke", recognition), data)
    assert response.status_code == 400
    body = response.content.decode()
    for message in messages:
        assert message in body
    recognition.refresh_from_db()
    assert recognition.revoked_date is None
    assert recognition.revoked_decision_number == ""


def test_a_decision_is_revoked_once(client_for, users, records):
    recognition = records["recognition"]
    client = client_for(users["office"])
    client.post(_url("recognition-revoke", recognition), REVOKE)
    response = client.post(_url("recognition-revoke", recognition), {**REVOKE, "revoked_decision_number": "99/QĐ"})
    assert response.status_code == 400
    assert "Quyết định này đã bị thu hồi ngày 02/04/2024 (số 88/QĐ-UBND)." in response.content.decode()
    recognition.refresh_from_db()
    assert recognition.revoked_decision_number == "88/QĐ-UBND"


# ---------------------------------------------------------------- targets and plans


def test_office_records_the_province_target(client_for, tree, users):
    response = client_for(users["office"]).post(_url("target-create"), target_data())
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.unit, target.year, target.kind, target.tier, target.value) == (
        tree.province,
        2025,
        TargetKind.UNITS_AT_TIER,
        RecognisedTier.ADVANCED,
        20,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"tier": ""}, "Mức: chọn mức khi chỉ tiêu là số hoặc tỷ lệ đơn vị đạt mức."),
        ({"kind": TargetKind.SHARE_AT_TIER, "value": "165"}, "Giá trị: tỷ lệ phần trăm phải từ 1 đến 100."),
        (
            {"kind": TargetKind.MIN_CRITERIA, "tier": "", "value": "25"},
            "Giá trị: một xã có 19 tiêu chí, không thể quá 19.",
        ),
        ({"kind": TargetKind.MIN_CRITERIA}, "Mức: bỏ trống với loại chỉ tiêu này"),
        ({"kind": TargetKind.YEARLY_GAIN, "tier": "", "level": "district"}, "Cấp được tính: chỉ tiêu về số tiêu chí"),
        ({"value": "0"}, "Giá trị phải từ 1 trở lên."),
        ({"value": ""}, "Nhập giá trị."),
        ({"year": "2050"}, "Năm phải từ 2021 đến 2035."),
        ({"year": "năm sau"}, "Năm phải là một số nguyên, ví dụ 2025."),
        ({"unit_code": "23353"}, "Mã tỉnh hoặc huyện: không có đơn vị mã 23353 trong phạm vi"),
        ({"unit_code": "64"}, "Mã tỉnh hoặc huyện: không có đơn vị mã 64 trong phạm vi"),
    ],
)
def test_refused_target_names_the_field_and_saves_nothing(client_for, users, overrides, message):
    response = client_for(users["office"]).post(_url("target-create"), target_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_a_target_is_recorded_once(client_for, tree, users):
    client = client_for(users["office"])
    assert client.post(_url("target-create"), target_data()).status_code == 302
    response = client.post(_url("target-create"), target_data(value="25"))
    assert response.status_code == 400
    assert "Tỉnh Kon Tum đã có chỉ tiêu “Số đơn vị đạt mức” năm 2025 cùng cấp và mức này (giá trị 20)" in (
        response.content.decode()
    )
    assert Target.objects.get().value == 20


def test_deleting_a_target(client_for, users, records):
    response = client_for(users["office"]).post(_url("target-delete", records["target"]), {"next": "/records/targets/"})
    assert response.status_code == 302
    assert not Target.objects.filter(pk=records["target"].pk).exists()


def test_office_plans_a_commune(client_for, tree, users):
    response = client_for(users["office"]).post(_url("plan-create"), plan_data(note="Phấn đấu năm 2025"))
    assert response.status_code == 302
    plan = CommunePlan.objects.get()
    assert (plan.unit, plan.tier, plan.year, plan.note) == (
        tree.dak_mon,
        RecognisedTier.STANDARD,
        2025,
        "Phấn đấu năm 2025",
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"tier": "advanced", "unit_code": "23353"},
            "Mức phấn đấu: Xã Đắk Pék đã có kế hoạch mức “NTM nâng cao” (năm 2025)",
        ),
        ({"unit_code": "610"}, "Mã xã: không có đơn vị mã 610 trong phạm vi"),
        ({"unit_code": "23338"}, "Mã xã: không có đơn vị mã 23338 trong phạm vi"),  # Thị trấn Đắk Glei
        ({"tier": ""}, "Chọn mức phấn đấu."),
        ({"year": "2019"}, "Năm phải từ 2021 đến 2035."),
    ],
)
def test_refused_plan_names_the_field_and_saves_nothing(client_for, users, records, overrides, message):
    before = CommunePlan.objects.count()
    response = client_for(users["office"]).post(_url("plan-create"), plan_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CommunePlan.objects.count() == before


def test_deleting_a_plan(client_for, users, records):
    assert client_for(users["office"]).post(_url("plan-delete", records["plan"])).status_code == 302
    assert not CommunePlan.objects.filter(pk=records["plan"].pk).exists()


def test_unsafe_next_falls_back_to_the_list(client_for, users):
    response = client_for(users["office"]).post(_url("plan-create"), plan_data(next="https://example.com/"))
    assert response["Location"] == reverse("records:plan-list")
