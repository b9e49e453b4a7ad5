"""The table of the database cache (settings.CACHES), where the throttles keep counts that every process shares.

Made here, so that `migrate` is all a new database needs. Named, not read from settings.CACHES: every database
gets the same schema, whatever cache the environment configures (the table stays empty under Redis).
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "portal_cache"  # ntm_portal.settings.cache_from_url's LOCATION


def create_cache_table(apps, schema_editor):
    # createcachetable skips a table that already exists.
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
