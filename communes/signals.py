"""What communes announces to the apps above it, which it must not import."""

from django.dispatch import Signal

# The unit lists were written in bulk (import_divisions: units, lineage, positions), which sends no post_save:
# pages cached from the units (reports.freshness) listen for this instead. Sent inside the writing transaction.
units_imported = Signal()
