import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from criteria.models import CriteriaSet, SetStatus, Threshold
from criteria.services import clone_set_for_province
from criteria.yaml_io import import_criteria_text
from tests.criteria.samples import PROGRAMME, STANDARD

LIST_URL = reverse("criteria:programme-list")
SET_URL = reverse("criteria:set-detail", args=["2021-2025", "commune-standard"])
INCOME_URL = reverse("criteria:criterion-detail", args=["2021-2025", "commune-standard", 10])


@pytest.fixture
def standard(db):
    criteria_set, _outcome = import_criteria_text(STANDARD)
    return criteria_set


def advanced_yaml(criteria_count: int = 2, indicators_per_criterion: int = 1) -> str:
    """A commune-advanced set built on the sample: a condition criterion that the standard set is reached,
    then criteria whose thresholds cover a TDMNPB-rule row, a commune-group row and every-year rows."""
    criteria = [
        {
            "number": 0,
            "name": "Đạt chuẩn nông thôn mới",
            "kind": "condition",
            "indicators": [
                {
                    "code": "0.1",
                    "name": "Xã đã đạt chuẩn nông thôn mới",
                    "measure": None,
                    "comparison": "reached",
                    "reference": "commune-standard",
                    "thresholds": [],
                }
            ],
        }
    ]
    for n in range(1, criteria_count + 1):
        indicators = []
        for k in range(1, indicators_per_criterion + 1):
            indicators.append(
                {
                    "code": f"{n}.{k}",
                    "name": f"Chỉ tiêu thử {n}.{k}",
                    "measure": "income_per_capita",
                    "comparison": ">=",
                    "thresholds": [
                        {"value": 60, "source": "minh họa nâng cao", "verified": False},
                        {"value": 45, "tdmnpb_rule": True, "source": "minh họa diện TDMNPB", "verified": False},
                        {"value": 70, "region": "DBSH", "year": 2024, "source": "QĐ thử", "verified": True},
                        {"value": 55, "group": 2, "source": "minh họa nhóm 2", "verified": False},
                    ],
                }
            )
        criteria.append({"number": n, "name": f"Tiêu chí thử {n}", "key": n == 1, "indicators": indicators})
    document = {
        "set": {
            "code": "commune-advanced",
            "name": "Bộ tiêu chí xã NTM nâng cao (thử nghiệm)",
            "level": "commune",
            "tier": "advanced",
            "rank": 2,
            "legal_basis": "318/QĐ-TTg",
            "status": "published",
        },
        "measures": [
            {
                "code": "income_per_capita",
                "name": "Thu nhập bình quân đầu người",
                "name_en": "Income per person",
                "kind": "number",
                "unit": "triệu đồng/người/năm",
                "min": 0,
                "max": 2000,
                "levels": [],
            }
        ],
        "criteria": criteria,
    }
    return PROGRAMME + yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@pytest.fixture
def advanced(standard):
    criteria_set, _outcome = import_criteria_text(advanced_yaml())
    return criteria_set


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("url", [LIST_URL, SET_URL, INCOME_URL])
def test_criteria_pages_require_login(client, standard, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "url",
    [
        reverse("criteria:set-detail", args=["2016-2020", "commune-standard"]),
        reverse("criteria:set-detail", args=["2021-2025", "commune-unknown"]),
        SET_URL + "?province=64",
        SET_URL + "?province=kontum",
        reverse("criteria:criterion-detail", args=["2021-2025", "commune-standard", 99]),
        reverse("criteria:criterion-detail", args=["2021-2025", "commune-unknown", 10]),
        reverse("criteria:criterion-detail", args=["2016-2020", "commune-standard", 10]),
    ],
)
def test_unknown_programme_set_province_or_number_is_404(district_client, standard, url):
    assert district_client.get(url).status_code == 404


def test_header_links_to_the_criteria(district_client, standard):
    response = district_client.get(LIST_URL)
    assert f'<a href="{LIST_URL}">Bộ tiêu chí</a>' in response.text


# ---------------------------------------------------------------- programme list


def test_programme_list_shows_each_national_set_with_counts(district_client, advanced):
    response = district_client.get(LIST_URL)
    assert response.status_code == 200
    text = response.text
    assert "Chương trình MTQG xây dựng nông thôn mới giai đoạn 2021 - 2025" in text
    assert "Nghị quyết 25/2021/QH15" in text
    assert f'href="{SET_URL}"' in text
    assert "Bộ tiêu chí xã NTM nâng cao (thử nghiệm)" in text
    sets = {s.code: s for row in response.context["rows"] for s in row["national"]}
    standard_set, advanced_set = sets["commune-standard"], sets["commune-advanced"]
    assert (standard_set.criteria_count, standard_set.condition_count, standard_set.indicator_count) == (3, 0, 3)
    assert (advanced_set.criteria_count, advanced_set.condition_count, advanced_set.indicator_count) == (2, 1, 3)
    assert "+ 1 điều kiện" in text
    assert "Ban hành" in text
    assert "Bộ tiêu chí của tỉnh" not in text


def test_programme_list_names_provincial_sets_on_their_own_line(district_client, standard):
    clone_set_for_province(criteria_set=standard, province_code="62", province_name="Tỉnh Kon Tum")
    response = district_client.get(LIST_URL)
    assert [s.code for row in response.context["rows"] for s in row["national"]] == ["commune-standard"]
    assert "Bộ tiêu chí của tỉnh" in response.text
    assert f'href="{SET_URL}?province=62">Tỉnh Kon Tum · commune-standard</a>' in response.text
    assert "Dự thảo" in response.text


def test_programme_list_runs_a_fixed_number_of_queries(district_client, advanced, django_assert_num_queries):
    clone_set_for_province(criteria_set=advanced, province_code="62", province_name="Tỉnh Kon Tum")
    # session, user, programmes, sets with their counts, the header's membership
    with django_assert_num_queries(5):
        response = district_client.get(LIST_URL)
    assert response.status_code == 200


# ---------------------------------------------------------------- set page


def test_set_page_lists_criteria_indicators_and_thresholds(district_client, standard):
    response = district_client.get(SET_URL)
    assert response.status_code == 200
    text = response.text
    assert "<h1>Bộ tiêu chí xã NTM (thử nghiệm)</h1>" in text
    assert '<tr class="criterion-row" id="tc-10">' in text
    assert f'href="{INCOME_URL}">Tiêu chí 10. Thu nhập</a>' in text
    assert "then chốt" in text
    assert "Thu nhập bình quân đầu người" in text
    assert "triệu đồng/người/năm" in text
    assert "≥" in text
    assert "≤" in text
    assert "54 <span" in text  # stored as 54.0000, shown as people write it
    assert "6,5 <span" in text  # Vietnamese decimal comma
    assert "Tây Nguyên, năm 2024" in text
    assert '<span class="badge unverified" title="Nguồn: minh họa TN 2024">chưa xác minh</span>' in text
    assert '<span class="badge verified" title="Nguồn: minh họa">đã xác minh</span>' in text
    assert "Không được trình bày các giá trị này như ngưỡng quốc gia" in text
    assert '<nav class="breadcrumbs"' in text
    assert f'<a href="{LIST_URL}">Bộ tiêu chí</a>' in text


def test_set_page_marks_condition_criteria_and_reached_indicators(district_client, advanced):
    response = district_client.get(reverse("criteria:set-detail", args=["2021-2025", "commune-advanced"]))
    text = response.text
    assert 'id="tc-0"' in text
    assert '<span class="badge condition"' in text
    # The set referred to by its name, not its code.
    assert "Đạt bộ tiêu chí: Bộ tiêu chí xã NTM (thử nghiệm)" in text
    assert "<code>commune-standard</code>" not in text
    assert "chỉ xã áp dụng ngưỡng TDMNPB" in text
    assert "Nhóm 2" in text


def test_set_page_shows_a_province_version_when_asked(district_client, standard):
    provincial = clone_set_for_province(criteria_set=standard, province_code="62", province_name="Tỉnh Kon Tum")
    Threshold.objects.filter(indicator__criterion__criteria_set=provincial, value=54).update(value=58)
    national = district_client.get(SET_URL)
    assert "58 <span" not in national.text
    assert f'href="{SET_URL}?province=62">Tỉnh Kon Tum</a>' in national.text

    response = district_client.get(SET_URL + "?province=62")
    assert response.status_code == 200
    assert response.context["criteria_set"] == provincial
    assert "58 <span" in response.text
    assert "Dự thảo" in response.text
    # Links inside a provincial version stay in it.
    assert f'href="{INCOME_URL}?province=62"' in response.text


def test_set_page_queries_do_not_grow_with_the_set(district_client, standard):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert district_client.get(url).status_code == 200
        return len(context)

    small = queries(SET_URL)
    import_criteria_text(advanced_yaml(criteria_count=15, indicators_per_criterion=4))
    big_set = CriteriaSet.objects.get(code="commune-advanced")
    assert big_set.criteria.count() == 16
    big = queries(reverse("criteria:set-detail", args=["2021-2025", "commune-advanced"]))
    # session, user, the set with its programme, criteria, indicators with measures, thresholds,
    # the versions of the set, its amendments, the names of the sets its indicators refer to, the header's membership,
    # and whether the user is an office's (who may draft a new version)
    assert small == big == 10


# ---------------------------------------------------------------- criterion page


def test_criterion_page_puts_every_region_in_one_table(district_client, standard):
    response = district_client.get(INCOME_URL)
    assert response.status_code == 200
    table = response.context["table"]
    assert [label for _code, label in table.columns] == [
        "Trung du và miền núi phía Bắc",
        "Đồng bằng sông Hồng",
        "Bắc Trung Bộ",
        "Duyên hải Nam Trung Bộ",
        "Tây Nguyên",
        "Đông Nam Bộ",
        "Đồng bằng sông Cửu Long",
        "Mọi vùng",
    ]
    values = {
        row.label: [[int(t.value) for t, _footnote in cell.thresholds] for cell in row.cells] for row in table.rows
    }
    assert values == {
        "Mọi năm": [[], [], [], [], [], [], [], [50]],
        "Năm 2024": [[39], [], [], [], [54], [], [], []],
    }
    text = response.text
    for _code, label in table.columns:
        assert f">{label}</th>" in text
    assert "<h1>Tiêu chí 10. Thu nhập" in text
    assert "Tiêu chí 10. Thu nhập</span>" in text  # the last breadcrumb


def test_criterion_page_marks_unverified_thresholds_with_their_source(district_client, standard):
    text = district_client.get(INCOME_URL).text
    assert (
        '≥ 54<sup><a href="#nguon-2" title="minh họa TN 2024">[2]</a></sup> '
        '<span class="badge unverified" title="Nguồn: minh họa TN 2024">chưa xác minh</span>'
    ) in text
    assert "Không được trình bày các giá trị này như ngưỡng quốc gia" in text
    assert "Nguồn của các giá trị chưa xác minh" in text
    assert '<li id="nguon-2">minh họa TN 2024</li>' in text


def test_criterion_page_shows_verified_thresholds_as_verified(district_client, standard):
    text = district_client.get(reverse("criteria:criterion-detail", args=["2021-2025", "commune-standard", 11])).text
    assert '≤ 6,5 <span class="badge verified" title="Nguồn: minh họa">đã xác minh</span>' in text
    assert "Nguồn của các giá trị chưa xác minh" not in text


def test_criterion_page_labels_tdmnpb_rule_and_group_rows(district_client, advanced):
    response = district_client.get(reverse("criteria:criterion-detail", args=["2021-2025", "commune-advanced", 1]))
    labels = [row.label for row in response.context["table"].rows]
    assert labels == ["Mọi năm", "Mọi năm, chỉ xã áp dụng ngưỡng TDMNPB", "Mọi năm, Nhóm 2", "Năm 2024"]
    assert "then chốt" in response.text
    # The verified DBSH value has no footnote; the three unverified sources do.
    assert response.context["table"].footnotes == ["minh họa nâng cao", "minh họa diện TDMNPB", "minh họa nhóm 2"]


def test_criterion_page_explains_a_reached_condition(district_client, advanced):
    response = district_client.get(reverse("criteria:criterion-detail", args=["2021-2025", "commune-advanced", 0]))
    assert response.status_code == 200
    assert "Phải đạt bộ tiêu chí commune-standard" in response.text
    assert '<span class="badge condition"' in response.text


def test_criterion_page_links_to_neighbours(district_client, standard):
    text = district_client.get(INCOME_URL).text
    assert reverse("criteria:criterion-detail", args=["2021-2025", "commune-standard", 1]) in text
    assert reverse("criteria:criterion-detail", args=["2021-2025", "commune-standard", 11]) in text


def test_criterion_page_runs_a_fixed_number_of_queries(district_client, advanced, django_assert_num_queries):
    url = reverse("criteria:criterion-detail", args=["2021-2025", "commune-advanced", 1])
    # session, user, the criterion with set and programme, indicators with measures, thresholds,
    # the set's criterion numbers for the neighbour links, the names of the sets it refers to, the header's membership
    with django_assert_num_queries(8):
        assert district_client.get(url).status_code == 200


def test_provincial_draft_is_readable_but_marked(district_client, standard):
    provincial = clone_set_for_province(criteria_set=standard, province_code="62", province_name="Tỉnh Kon Tum")
    assert provincial.status == SetStatus.DRAFT
    response = district_client.get(INCOME_URL + "?province=62")
    assert response.status_code == 200
    assert f'href="{SET_URL}?province=62#tc-10"' in response.text
