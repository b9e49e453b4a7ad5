"""The portal's settings plus one bare view, for benchmarks/pages.py only: the same middleware, sessions and login
as every page, and a view that does nothing else, to measure a dashboard against."""

from ntm_portal.settings import *  # noqa: F403 - the production settings, unchanged

ROOT_URLCONF = "benchmarks.pages_urls"
