import os

# The sync Playwright API runs an event loop in the test thread; live_server's DB setup must not object.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.conf import settings as django_settings  # noqa: E402
from django.test import Client  # noqa: E402

from communes.models import Role  # noqa: E402
from tests.factories import MembershipFactory, UserFactory, kon_tum_tree  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # pytest-playwright hook: use Debian's Chromium, since `playwright install` cannot download here.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# The portal counts throttles in the database cache, shared by its processes. The tests count in memory instead, from
# zero for each test: ids and addresses repeat from test to test, the query counts that tests pin stay those of the
# views, and a module may call the site while it is collected, before any database exists (tests/api/test_schema.py).
# tests/test_accounts.py runs the throttles on the database cache itself.
django_settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from reports.freshness import recent

    cache.clear()
    # The page bodies this process keeps: keyed by ids and a version that a rolled-back test reuses.
    recent.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db):
    """A small Kon Tum: the province, Huyện Đắk Glei (3 communes) and Huyện Ngọc Hồi (2 communes), Gia Lai beside it."""
    return kon_tum_tree()


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for(db):
    """A browser session logged in as the given user: `client_for(user).get(url)`."""
    return _client_for


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def office_user(tree):
    return MembershipFactory(unit=tree.province, role=Role.OFFICE).user


@pytest.fixture
def district_user(tree):
    return MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user


@pytest.fixture
def admin_client(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def office_client(office_user):
    return _client_for(office_user)


@pytest.fixture
def district_client(district_user):
    return _client_for(district_user)
