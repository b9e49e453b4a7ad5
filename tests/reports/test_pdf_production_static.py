"""Documents under production static settings: DEBUG off, the manifest storage, files from collectstatic.

`{% static %}` then writes hashed names (css/print.<hash>.css); the PDF fetcher must find them among the collected
files, or every document answers 500 in production while development works.
"""

import pytest
from django.core.management import call_command
from django.test import override_settings

from communes.models import Role
from criteria.yaml_io import import_criteria_text
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@pytest.fixture
def collected(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = PRODUCTION_STATIC
    settings.WHITENOISE_USE_FINDERS = False
    # Changing STORAGES resets staticfiles_storage (django.test.signals), so the manifest storage is in use here.
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    return tmp_path


@pytest.mark.parametrize(
    ("kind", "code"), [("province", "62"), ("district", "610"), ("commune", "23353"), ("directive", "62")]
)
def test_every_document_renders_with_debug_off_and_the_manifest_storage(tree, client_for, collected, kind, code):
    import_criteria_text(STANDARD)
    office = MembershipFactory(unit=tree.province, role=Role.OFFICE).user
    with override_settings(DEBUG=False):
        response = client_for(office).get(f"/pdf/{kind}/{code}/2024-12/")
        preview = client_for(office).get(f"/pdf/{kind}/{code}/2024-12/?preview=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    # The page itself links the hashed stylesheet, which is what the PDF had to find.
    page = preview.content.decode()
    assert "css/print." in page
    assert "css/print.css" not in page
