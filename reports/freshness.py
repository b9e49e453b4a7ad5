"""The page data version and the dashboard cache keyed by it.

A dashboard of a large province costs a few hundred milliseconds to build; most views of it come while nothing it
shows has changed. Its body is cached under the data version (reports.models.DataVersion), which every change to
what it shows moves in its own transaction: a recompute that changed statuses (reports.services.store_statuses),
marking and clearing stale months, and the saves and deletes of the models listed in WATCHED (signals). A request
reads the version first and the data after, so what it caches is never older than the version it is stored under.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from django.apps import apps
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation

from communes.signals import units_imported
from reports.models import DataVersion

# What the dashboards and the scorecard read besides statuses (app_label.Model); bulk writes to these bump explicitly.
WATCHED = (
    "monthly.Report",
    "records.Recognition",
    "records.Target",
    "records.CommunePlan",
    "communes.AdministrativeUnit",
    "communes.CommuneGroupAssignment",
    "communes.Membership",
    "criteria.CriteriaSet",
    "criteria.Programme",
)

# A day at most: the key changes with the version anyway; the timeout only bounds the cache's size.
TIMEOUT = 24 * 3600


def _code_release() -> str:
    """What the cached bodies were rendered by: the templates' and the apps' files (path, size, modification time),
    so a deployment with new templates or code never serves a body the old one rendered from the shared cache."""
    from django.conf import settings

    digest = hashlib.blake2b(digest_size=8)
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + [Path(a.path) for a in apps.get_app_configs()]
    # The portal's own (not the installed packages', which a deployment pins anyway).
    own = {r for r in roots if r.is_relative_to(settings.BASE_DIR) and "site-packages" not in r.parts}
    for root in sorted(own):
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".py", ".mo"}:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


_release: str | None = None


def code_release() -> str:
    global _release
    if _release is None:
        _release = _code_release()
    return _release


def data_version() -> int:
    return DataVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def bump_data_version() -> None:
    """Move the version in the current transaction (the row stays locked until it commits)."""
    if DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(pk=1, number=1)
    except IntegrityError:  # created meanwhile by another transaction
        DataVersion.objects.filter(pk=1).update(number=F("number") + 1)


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures being loaded: nothing cached refers to them yet
        return
    bump_data_version()


def connect_signals() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_on_change, sender=model, dispatch_uid=f"freshness-save-{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"freshness-delete-{label}")
    units_imported.connect(_on_change, dispatch_uid="freshness-units-imported")


class _Recent:
    """The last bodies this process served, in front of the shared cache: what a key names never changes (the data
    version is in it), so a copy per process is never stale, and a warm view costs no query for the cache."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            body = self.items.get(key)
            if body is not None:
                self.items.move_to_end(key)
            return body

    def put(self, key: str, body: str) -> None:
        with self.lock:
            self.items[key] = body
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


recent = _Recent(size=32)


def cached_body(kind: str, *, unit, period: dt.date, user, build, version: int | None = None) -> str:
    """The page body of `kind` for the unit and month: from the cache under the current data version, else built
    (build() renders it) and stored. Per user (what a body offers depends on the person), language and day (overdue
    counts and deadlines move with the date). `version`: the data version this request already read (cached_page),
    else read here. Under cached_page the body is kept in this process only: the whole page goes to the shared
    cache, and a second copy of most of it there cost a cold view a read and a write of a few hundred kilobytes."""
    shared = version is None
    version = data_version() if version is None else version
    parts = [kind, unit.pk, period.isoformat(), version, user.pk, translation.get_language(), timezone.localdate()]
    parts.append(code_release())
    key = "page:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    body = recent.get(key)
    if body is not None:
        return body
    body = cache.get(key) if shared else None
    if body is None:
        body = build()
        if shared:
            cache.set(key, body, TIMEOUT)
    recent.put(key, body)
    return body


def cached_page(view):
    """A whole page kept for the session that saw it, under the data version: a repeated view then costs the session,
    the user and the version (three queries), not the scope's lookup and the layout's rendering as well.

    The page was served to this session with the same path, so its scope check was passed; what could change the
    answer moves the version (memberships and units are WATCHED) or the key (the session, the user's superuser flag,
    the language, the day, the code release). A response that sets a cookie or a request with messages waiting is
    never kept or served from here: those belong to one response."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _page_key(request)
        if key is not None:
            content = recent.get(key) or cache.get(key)
            if content is not None:
                recent.put(key, content)
                return HttpResponse(content)
        response = view(request, *args, **kwargs)
        if key is not None and response.status_code == 200 and not response.cookies and not response.streaming:
            content = response.content.decode(response.charset)
            cache.set(key, content, TIMEOUT)
            recent.put(key, content)
        return response

    return wrapper


def _page_key(request) -> str | None:
    user, session = request.user, request.session
    if request.method != "GET" or not user.is_authenticated or not session.session_key or len(get_messages(request)):
        return None
    parts = [request.get_full_path(), session.session_key, user.pk, user.is_superuser, translation.get_language()]
    request.data_version = data_version()  # read once per request: the body's cache (cached_body) takes it too
    parts += [timezone.localdate(), code_release(), request.data_version]
    return "full:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
