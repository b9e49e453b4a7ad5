"""Load criteria sets from YAML files (docs/criteria-yaml.md): new sets, or replacements of drafts.

Several files may be given; they are loaded lowest rank first so that a tier can refer to the one below.
Every file is checked before anything is saved, and a bad file names the line and the reason.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from criteria.yaml_io import CriteriaFileError, parse_criteria_yaml, save_criteria_set


class Command(BaseCommand):
    help = "Nạp bộ tiêu chí từ tệp YAML (mới, hoặc thay thế bản dự thảo)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Tệp YAML của bộ tiêu chí")

    def handle(self, *args, **options):
        parsed = []
        errors = []
        for name in options["files"]:
            path = Path(name)
            try:
                parsed.append((path, parse_criteria_yaml(path.read_bytes())))
            except FileNotFoundError:
                errors.append(_("%(file)s: không tìm thấy tệp.") % {"file": path})
            except CriteriaFileError as exc:
                errors += [f"{path}: {e}" for e in exc.errors]
        if errors:
            raise CommandError(_("Không nạp gì.") + "\n" + "\n".join(errors))

        parsed.sort(key=lambda item: (item[1].programme["start_year"], item[1].set["rank"], item[1].set["code"]))
        labels = {"created": _("đã tạo"), "replaced": _("đã thay bản dự thảo"), "unchanged": _("không thay đổi")}
        try:
            with transaction.atomic():
                results = [save_criteria_set(p) for _path, p in parsed]
        except CriteriaFileError as exc:
            raise CommandError(_("Không nạp gì.") + "\n" + "\n".join(exc.errors)) from None
        for criteria_set, outcome in results:
            indicators = sum(c.indicators.count() for c in criteria_set.criteria.all())
            criteria = criteria_set.criteria.count()
            counts = ngettext("%(count)d tiêu chí", "%(count)d tiêu chí", criteria) % {"count": criteria}
            counts += ", " + ngettext("%(count)d chỉ tiêu", "%(count)d chỉ tiêu", indicators) % {"count": indicators}
            self.stdout.write(f"{criteria_set}: {counts} — {labels[outcome]}")
