"""gunicorn's settings for the portal (`gunicorn -c gunicorn.conf.py ntm_portal.wsgi`), read by the container and
the systemd unit of docs/deploy.md; each can be overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: the portal's requests are short database reads and PDF renders (CPU). Two per core plus one is
# gunicorn's rule of thumb; a 2-core provincial server gets 5. Each worker keeps one database connection open.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A province's yearly PDF takes a few seconds; a request stuck longer than this is killed and logged.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak in a library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The portal is imported once, by the master, and every worker is forked from it: a worker recycled above costs a
# fork, not 1.8 s of CPU importing Django and the apps again (at 2,000 requests a worker, ~0.9 ms a request: half of
# what a bare logged-in view costs). Nothing opens a database or cache connection at import; each worker opens its
# own on its first request. New code therefore needs a restart of the service, not a reload (HUP).
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def when_ready(server):
    """In the master, after the portal is imported and before the first fork: what it loaded (about 116,000 objects)
    moved out of the garbage collector's sight, so no worker's collection touches, and so copies, the pages it
    shares with the master."""
    import gc

    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    """The objects of a worker's start (Django, the apps, the URL configuration: about 130,000 of them, most already
    frozen in the master by when_ready) moved out of the garbage collector's sight: its full passes traversed them
    all during requests, tens of milliseconds each on a province dashboard, and they live as long as the worker
    anyway. A young-generation pass every 10,000 new objects rather than 700: a dashboard makes hundreds of
    thousands, nearly all freed by reference counting (a cold province dashboard 146 -> 135 ms in process,
    benchmarks/pages.py)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
