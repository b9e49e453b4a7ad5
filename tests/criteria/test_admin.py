import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from criteria.models import CriteriaSet, Threshold
from criteria.yaml_dump import dump_criteria_set
from criteria.yaml_io import import_criteria_text
from tests.criteria.samples import STANDARD

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard():
    return import_criteria_text(STANDARD)[0]


def test_admin_downloads_a_set_as_yaml(admin_client, standard):
    response = admin_client.get(reverse("admin:criteria_criteriaset_yaml", args=[standard.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert 'filename="2021-2025_commune-standard.yaml"' in response["Content-Disposition"]
    assert response.content.decode() == dump_criteria_set(standard)


def test_admin_upload_creates_a_set(admin_client):
    upload = SimpleUploadedFile("set.yaml", STANDARD.encode(), content_type="application/yaml")
    response = admin_client.post(reverse("admin:criteria_criteriaset_upload"), {"file": upload})
    assert response.status_code == 302
    assert CriteriaSet.objects.get(code="commune-standard").criteria.count() == 3


def test_admin_upload_of_a_bad_file_names_the_line_and_saves_nothing(admin_client):
    bad = STANDARD.replace('comparison: "<="', 'comparison: "<<"')
    upload = SimpleUploadedFile("set.yaml", bad.encode(), content_type="application/yaml")
    response = admin_client.post(reverse("admin:criteria_criteriaset_upload"), {"file": upload})
    assert response.status_code == 200
    assert "Dòng 122: &#x27;comparison&#x27; của chỉ tiêu &#x27;11.1&#x27; là &#x27;&lt;&lt;&#x27;" in response.text
    assert not CriteriaSet.objects.exists()


def test_admin_clone_for_a_province_makes_a_draft_with_the_same_thresholds(admin_client, standard):
    response = admin_client.post(
        reverse("admin:criteria_criteriaset_clone", args=[standard.pk]),
        {"province_code": "62", "province_name": "Tỉnh Kon Tum"},
    )
    assert response.status_code == 302
    clone = CriteriaSet.objects.get(province_code="62")
    assert clone.status == "draft"
    assert clone.derived_from == standard

    def thresholds(criteria_set):
        rows = Threshold.objects.filter(indicator__criterion__criteria_set=criteria_set)
        return sorted(rows.values_list("indicator__code", "region", "year", "value", "source"), key=str)

    assert thresholds(clone) == thresholds(standard)
    assert len(thresholds(clone)) == 5


def test_admin_clone_refuses_a_bad_province_code(admin_client, standard):
    response = admin_client.post(
        reverse("admin:criteria_criteriaset_clone", args=[standard.pk]), {"province_code": "6", "province_name": "X"}
    )
    assert response.status_code == 200
    assert "Mã tỉnh gồm 2 chữ số" in response.text
    assert CriteriaSet.objects.count() == 1


def test_admin_changelist_offers_upload_and_the_form_offers_download_and_clone(admin_client, standard):
    assert "Nạp từ YAML" in admin_client.get(reverse("admin:criteria_criteriaset_changelist")).text
    page = admin_client.get(reverse("admin:criteria_criteriaset_change", args=[standard.pk])).text
    assert "Tải xuống YAML" in page
    assert "Nhân bản cho một tỉnh" in page


def test_admin_criteria_pages_are_closed_to_non_staff(office_client, standard):
    response = office_client.get(reverse("admin:criteria_criteriaset_yaml", args=[standard.pk]))
    assert response.status_code == 302
