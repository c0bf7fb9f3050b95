"""Rate limits and lockouts behind the reverse proxy (issue #14 point 3)."""

from __future__ import annotations

import multiprocessing

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client, RequestFactory

from gongkai.core import demo
from gongkai.core.lockouts import current_lockouts, lift_lockout
from gongkai.core.models import AuditEntry, Role
from gongkai.core.ratelimit import TRACK_FAILURES, Limit, client_ip
from gongkai.foi.tests.factories import registered


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """The store is a database table: clear it around each test that uses the database."""
    if not ({"db", "transactional_db"} & set(request.fixturenames)
            or request.node.get_closest_marker("django_db")):
        yield
        return
    cache.clear()
    yield
    cache.clear()


def _request(remote="10.0.0.2", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.GONGKAI_TRUSTED_PROXIES = 0
    assert client_ip(_request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


def test_behind_nginx_the_client_is_the_address_nginx_saw(settings):
    settings.GONGKAI_TRUSTED_PROXIES = 1
    # The client wrote "6.6.6.6" itself (forged); nginx appended the real 198.51.100.7.
    assert client_ip(_request("127.0.0.1", "6.6.6.6, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    # No header (a request to the app port directly): the peer's address.
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"
    # Junk in the header never becomes a key.
    assert client_ip(_request("127.0.0.1", "not-an-ip\x00")) == "127.0.0.1"


def test_two_proxies_deep(settings):
    settings.GONGKAI_TRUSTED_PROXIES = 2
    assert client_ip(_request("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.1", "[2001:db8::1]:443, 10.0.0.9")) == "2001:db8::1"


@pytest.mark.django_db
def test_the_store_is_the_database_cache_without_redis(settings):
    from django.conf import settings as live

    assert live.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    limit = Limit("t", limit=3, window=60)
    assert [bool(limit.hit("a")) for _ in range(4)] == [True, True, True, False]
    assert limit.exceeded("a") and not limit.exceeded("b")
    limit.clear("a")
    assert limit.count("a") == 0


# --- the tracking page ---------------------------------------------------------------------


def _track(client, number="x", code="y", **extra):
    return client.post("/ysqgk/track/", {"number": number, "code": code}, **extra)


@pytest.mark.django_db
def test_successful_lookups_do_not_count(district, make_staff):
    app, code = registered(make_staff("hyq-zfb", Role.COORDINATOR))
    c = Client()
    for _ in range(TRACK_FAILURES.limit + 5):
        r = _track(c, app.number, code)
        assert r.status_code == 200 and app.subject in r.content.decode()
    for _ in range(TRACK_FAILURES.limit):
        assert _track(c).status_code == 200
    assert _track(c).status_code == 429


@pytest.mark.django_db
def test_behind_nginx_one_guesser_does_not_lock_tracking_for_everyone(district, settings):
    settings.GONGKAI_TRUSTED_PROXIES = 1
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(TRACK_FAILURES.limit):
        _track(guesser)
    assert _track(guesser).status_code == 429
    # Forging another address in front does not help: nginx appends the real one.
    forged = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert _track(forged).status_code == 429
    citizen = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.20")
    assert _track(citizen).status_code == 200


# --- several worker processes sharing the store --------------------------------------------


def _worker_track(args):
    tries, forwarded = args
    statuses = []
    try:
        c = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        for _ in range(tries):
            statuses.append(_track(c).status_code)
    finally:
        connections.close_all()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_across_worker_processes(district, settings):
    """Four processes (as four gunicorn workers) take requests from one client at once:
    together they let through exactly the limit, not four times it."""
    settings.GONGKAI_TRUSTED_PROXIES = 1
    connections.close_all()  # each process opens its own connection
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        results = pool.map(_worker_track, [(6, "198.51.100.7")] * 4)
    statuses = [s for r in results for s in r]
    assert len(statuses) == 24
    assert statuses.count(200) == TRACK_FAILURES.limit
    assert statuses.count(429) == 24 - TRACK_FAILURES.limit
    # Another citizen, through any worker, is unaffected.
    with ctx.Pool(2) as pool:
        other = pool.map(_worker_track, [(1, "203.0.113.20")] * 2)
    assert [s for r in other for s in r] == [200, 200]


# --- online applications --------------------------------------------------------------------


@pytest.mark.django_db
def test_online_applications_are_limited_per_client_but_form_errors_do_not_count(
        district, settings):
    from gongkai.core.models import Organization
    from gongkai.core.ratelimit import APPLICATIONS
    from gongkai.foi.models import Application
    from gongkai.foi.tests.factories import ID_NUMBER

    settings.GONGKAI_TRUSTED_PROXIES = 1
    data = {"applicant_kind": "person", "name": "李四", "id_type": "id_card",
            "id_number": ID_NUMBER, "phone": "13900000000", "email": "lisi@example.com",
            "addressee": Organization.objects.get(code="hyq").pk, "subject": "财政预算",
            "forms_wanted": ["email"], "delivery": "email", "consent": "on"}
    from gongkai.foi import submit_tokens

    def form():  # every rendered form carries a new one-time token
        return dict(data, **{submit_tokens.FIELD: submit_tokens.issue()})

    c = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(3):  # mistakes first: they cost nothing
        assert c.post("/ysqgk/apply/", dict(form(), phone="")).status_code == 200
    for _ in range(APPLICATIONS.limit):
        assert c.post("/ysqgk/apply/", form()).status_code == 303
    r = c.post("/ysqgk/apply/", form())
    assert r.status_code == 429 and "提交的申请过多" in r.content.decode()
    assert "李四" in r.content.decode()  # the form comes back filled in
    assert Application.objects.count() == APPLICATIONS.limit
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.20")
    assert other.post("/ysqgk/apply/", form()).status_code == 303


# --- staff login lockouts -------------------------------------------------------------------


def _login(client, username, password="wrong-pass"):
    return client.post("/staff/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_a_stranger_cannot_lock_an_official_out(make_staff, settings):
    settings.GONGKAI_TRUSTED_PROXIES = 1
    make_staff("hyq-fgj", Role.EDITOR, username="fgj_editor")
    stranger = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(stranger, "fgj_editor")
    r = _login(stranger, "fgj_editor", demo.DEMO_PASSWORD)
    assert r.status_code == 429 and "锁定" in r.content.decode()
    official = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.8.0.15")
    r = _login(official, "fgj_editor", demo.DEMO_PASSWORD)
    assert r.status_code == 302 and "_auth_user_id" in official.session


@pytest.mark.django_db
def test_the_office_lifts_a_lock_from_the_workbench(make_staff, client_for, settings):
    coordinator = make_staff("hyq-zfb", Role.COORDINATOR)
    make_staff("hyq-fgj", Role.EDITOR, username="fgj_editor")
    locked = Client(REMOTE_ADDR="10.8.0.15")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(locked, "fgj_editor")
    assert _login(locked, "fgj_editor", demo.DEMO_PASSWORD).status_code == 429

    office = client_for(coordinator)
    assert "登录锁定" in office.get("/staff/").content.decode()
    page = office.get("/staff/lockouts/").content.decode()
    assert "fgj_editor" in page and "10.8.0.15" in page and "解除锁定" in page
    [lock] = current_lockouts()
    r = office.post("/staff/lockouts/", {"unlock": lock.pk}, follow=True)
    assert "已解除锁定" in r.content.decode() and "fgj_editor" not in r.content.decode()
    entry = AuditEntry.objects.get(action="login.unlock")
    assert "fgj_editor" in entry.target_repr and entry.org.code == "hyq-fgj"
    assert _login(locked, "fgj_editor", demo.DEMO_PASSWORD).status_code == 302
    # Lifting twice (a colleague was faster) is a message, not an error.
    r = office.post("/staff/lockouts/", {"unlock": lock.pk}, follow=True)
    assert "已解除或已过期" in r.content.decode()


@pytest.mark.django_db
def test_only_the_office_sees_and_lifts_lockouts(make_staff, client_for):
    from django.core.exceptions import PermissionDenied

    reviewer = make_staff("hyq-fgj", Role.REVIEWER)
    assert client_for(reviewer).get("/staff/lockouts/").status_code == 403
    assert client_for(reviewer).post("/staff/lockouts/", {"unlock": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        lift_lockout(actor=reviewer, attempt_id=1)
