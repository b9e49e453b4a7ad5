"""gunicorn.conf.py, the settings the container and the systemd unit start the portal with."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_a_worker_moves_its_start_out_of_the_collectors_sight(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    settings = runpy.run_path(str(CONF))
    assert settings["workers"] == 3
    before, threshold = gc.get_freeze_count(), gc.get_threshold()
    try:
        settings["post_worker_init"](worker=None)
        # Everything alive at the worker's start is frozen: far more than the test's own objects.
        assert gc.get_freeze_count() > before + 10_000
        assert gc.isenabled()  # still collecting what the requests create
        assert gc.get_threshold()[0] == 10_000
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_the_master_imports_the_portal_once_and_freezes_it_before_forking_the_workers():
    settings = runpy.run_path(str(CONF))
    # Forked from the master that imported the portal: a worker recycled after max_requests costs a fork.
    assert settings["preload_app"] is True
    assert settings["max_requests"] > 0
    before = gc.get_freeze_count()
    try:
        settings["when_ready"](server=None)
        assert gc.get_freeze_count() > before + 10_000
    finally:
        gc.unfreeze()


def test_the_wsgi_module_loads_the_url_configuration_and_translations_at_import():
    """What a process's first request would load (0.9 s) is loaded when gunicorn's master imports the portal."""
    import importlib

    from django.urls import clear_url_caches, get_resolver
    from django.utils.translation import trans_real

    clear_url_caches()
    trans_real._translations.clear()

    importlib.reload(importlib.import_module("ntm_portal.wsgi"))

    resolver = get_resolver()  # Django's internals below: what its lazy loading keeps, checked without loading it
    assert "urlconf_module" in resolver.__dict__  # imported (a cached property), not left for the first request
    assert resolver._populated
    assert {"vi", "en"} <= set(trans_real._translations)
