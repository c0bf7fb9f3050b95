"""Shared fixtures: the demo district's units and staff in every role."""

import itertools

import pytest
from django.test import Client

from gongkai.core import demo
from gongkai.core.models import Organization, Role, StaffProfile

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at production strength costs ~0.3 s per password; tests need not pay it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district(db):
    """The real unit tree of 槐荫区 (government, office, departments, 街道)."""
    return demo.load_orgs()


@pytest.fixture
def org(district):
    """Look up a unit by code: org("hyq-fgj")."""

    def get(code: str) -> Organization:
        return Organization.objects.get(code=code)

    return get


@pytest.fixture
def make_staff(district):
    """Create a staff user: make_staff("hyq-fgj", Role.EDITOR)."""

    def make(org_code: str | Organization, role: str = Role.EDITOR, username: str | None = None):
        from django.contrib.auth import get_user_model

        unit = org_code if isinstance(org_code, Organization) else Organization.objects.get(
            code=org_code)
        name = username or f"user{next(_counter)}"
        user = get_user_model().objects.create_user(name, password=demo.DEMO_PASSWORD)
        StaffProfile.objects.create(user=user, org=unit, role=role, display_name=f"测试{name}")
        return user

    return make


@pytest.fixture
def client_for():
    """A test client logged in as ``user``."""

    def make(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture(autouse=True)
def _empty_rate_limits(request):
    """Every test that uses the database starts (and ends) with empty rate-limit counters.
    Without Redis they live in a database cache table, which a transactional test's flush
    does not empty; with REDIS_URL set they would outlive every test. Tests without the
    database do not touch the cache (its table would be out of reach)."""
    if not ({"db", "transactional_db"} & set(request.fixturenames)
            or request.node.get_closest_marker("django_db")):
        yield
        return
    from django.core.cache import cache

    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _search_names_forgotten():
    """The search page keeps unit and node names per process (gongkai/search/labels.py); a
    test's rolled-back rename must not reach the next test."""
    from gongkai.search import labels

    labels.forget()


@pytest.fixture(autouse=True)
def _publish_tree(settings, tmp_path):
    """Each test purges (and, where it turns publishing on, writes) its own publish tree."""
    settings.GONGKAI_PUBLISH_DIR = tmp_path / "publish"
    return settings.GONGKAI_PUBLISH_DIR
