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
