"""The national unit lists for the modules that read them (test_import_divisions, test_positions)."""

import io

import pytest
from django.core.management import call_command

from communes.models import AdministrativeUnit, Level, Lineage, Membership


def _clear_units():
    Membership.objects.all().delete()
    Lineage.objects.all().delete()
    # Children before parents: parent is PROTECT.
    for level in [Level.VILLAGE, Level.COMMUNE, Level.DISTRICT, Level.PROVINCE]:
        AdministrativeUnit.objects.filter(level=level).delete()


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """import_divisions on an empty database (the lists, the lineage, the points), removed after the module; its
    output. Per module: the other modules of this folder build their own small trees with the same codes."""
    with django_db_blocker.unblock():
        _clear_units()
        out = io.StringIO()
        call_command("import_divisions", stdout=out)
        yield out.getvalue()
        _clear_units()
