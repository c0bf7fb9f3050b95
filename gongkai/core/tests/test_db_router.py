"""Public reads on replicas, the rest on the primary, read-your-writes for a writer
(gongkai/core/db_router.py). The real-replica tests run in the PostgreSQL pass, against the
streaming replica that .ci/run starts with deploy/pg-replica.sh."""

from __future__ import annotations

import os
import time

import dj_database_url
import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory

from gongkai.core import db_router, publish
from gongkai.core.models import Organization, Role
from gongkai.disclosure.tests.factories import node, published

router = db_router.PrimaryReplicaRouter()


def _through_middleware(request, view=lambda: None, view_name="disclosure:documents"):
    """Run ``view`` inside ReplicaMiddleware as the view for ``request``; return
    (alias chosen for a read inside it, response)."""
    seen = {}

    class Match:
        pass

    request.resolver_match = Match()
    request.resolver_match.view_name = view_name

    def get_response(req):
        middleware.process_view(req, None, (), {})
        view()
        seen["read"] = router.db_for_read(Organization)
        return HttpResponse("ok")

    middleware = db_router.ReplicaMiddleware(get_response)
    response = middleware(request)
    return seen["read"], response


@pytest.fixture
def one_replica(settings):
    settings.GONGKAI_DB_REPLICAS = ["replica"]


def test_without_replicas_everything_reads_the_primary(settings):
    settings.GONGKAI_DB_REPLICAS = []
    read, _ = _through_middleware(RequestFactory().get("/xxgk/wj/", {"page": "2"}))
    assert read == "default"


def test_anonymous_reads_go_to_a_replica_and_the_rest_to_the_primary(one_replica):
    rf = RequestFactory()
    assert _through_middleware(rf.get("/xxgk/wj/", {"page": "2"}))[0] == "replica"
    assert _through_middleware(rf.get("/search/", {"q": "供暖"}), view_name="search:search"
                               )[0] == "replica"
    staff = rf.get("/xxgk/wj/", {"page": "2"})
    staff.COOKIES[django_settings.SESSION_COOKIE_NAME] = "x"
    assert _through_middleware(staff)[0] == "default"
    assert _through_middleware(rf.post("/ysqgk/apply/"))[0] == "default"
    assert router.db_for_read(Organization) == "default"  # no request: jobs, commands


def test_pages_the_publish_tree_stores_are_read_from_the_primary(one_replica):
    """A withdrawn document must never be re-published from a lagging replica."""
    publish.register_pages("disclosure:document")
    rf = RequestFactory()
    assert _through_middleware(rf.get("/xxgk/doc/1/"), view_name="disclosure:document"
                               )[0] == "default"
    assert _through_middleware(rf.get("/xxgk/doc/1/", {"x": "1"}),
                               view_name="disclosure:document")[0] == "replica"


def test_a_writer_is_pinned_to_the_primary_for_a_while(one_replica, settings):
    settings.GONGKAI_REPLICA_PIN_SECONDS = 7
    rf = RequestFactory()
    read, response = _through_middleware(rf.post("/ysqgk/apply/"),
                                         view=lambda: router.db_for_write(Organization))
    assert read == "default"
    cookie = response.cookies[db_router.PIN_COOKIE]
    assert cookie["max-age"] == 7 and cookie["httponly"]
    after = rf.get("/xxgk/wj/", {"page": "2"})
    after.COOKIES[db_router.PIN_COOKIE] = cookie.value
    assert _through_middleware(after)[0] == "default"
    # A GET that writes (a log line, say) needs no pin and sets no cookie.
    read, response = _through_middleware(rf.get("/xxgk/wj/", {"page": "2"}),
                                         view=lambda: router.db_for_write(Organization))
    assert read == "default" and db_router.PIN_COOKIE not in response.cookies


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "disclosure")
    assert not router.allow_migrate("replica", "disclosure")


# --- a real streaming replica (PostgreSQL pass) ------------------------------------------

if django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from django.db.backends.postgresql.base import DatabaseWrapper

    REPLICA_URL = os.environ.get("GONGKAI_TEST_REPLICA_URL", "postgres://postgres@127.0.0.1:5433")

    def _replica_lsn_caught_up(timeout=15.0) -> None:
        with connections["default"].cursor() as cur:
            cur.execute("select pg_current_wal_lsn()")
            target = cur.fetchone()[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with connections["replica"].cursor() as cur:
                cur.execute("select pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0",
                            [target])
                if cur.fetchone()[0]:
                    return
            time.sleep(0.05)
        raise AssertionError(f"the replica did not replay up to {target} in {timeout} s")

    @pytest.fixture
    def replica(settings):
        """The replica as database alias "replica", on the primary's test database."""
        parsed = dj_database_url.parse(REPLICA_URL)
        cfg = dict(connections["default"].settings_dict)
        cfg.update(HOST=parsed["HOST"], PORT=str(parsed["PORT"]))
        # Wrappers made here, not aliases in settings: Django lets a test use them.
        probe = DatabaseWrapper(dict(cfg, NAME="postgres"), alias="replica_probe")
        try:
            with probe.cursor() as cur:
                cur.execute("select pg_is_in_recovery()")
                in_recovery = cur.fetchone()[0]
        except Exception as exc:
            pytest.fail(f"No PostgreSQL replica at {REPLICA_URL} ({exc}). The replica tests "
                        "need a streaming replica of the test server: run deploy/pg-replica.sh "
                        "(.ci/run does), or set GONGKAI_TEST_REPLICA_URL.", pytrace=False)
        finally:
            probe.close()
        assert in_recovery, f"{REPLICA_URL} is not a replica (pg_is_in_recovery() is false)"
        connections["replica"] = DatabaseWrapper(cfg, alias="replica")
        settings.GONGKAI_DB_REPLICAS = ["replica"]
        deadline = time.monotonic() + 15
        while True:  # the test database itself reaches the replica by replication
            try:
                connections["replica"].ensure_connection()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield connections["replica"]
        with connections["replica"].cursor() as cur:
            cur.execute("select pg_wal_replay_resume()")
        connections["replica"].close()
        del connections["replica"]

    @pytest.mark.django_db(transaction=True)
    def test_a_write_is_seen_by_its_writer_at_once_and_by_the_public_once_replicated(
            replica, make_staff, org, client_for, settings):
        unit = org("hyq-fgj")
        editor, reviewer = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
        first = published(editor, reviewer, unit, title="关于第一批供暖补贴的通知",
                          node=node(unit, "gfxwj"))
        _replica_lsn_caught_up()
        public = Client()
        assert first.title in public.get("/xxgk/wj/?page=1").content.decode()

        with replica.cursor() as cur:  # replica lag, made deterministic
            cur.execute("select pg_wal_replay_pause()")
        second = published(editor, reviewer, unit, title="关于第二批供暖补贴的通知",
                           node=node(unit, "gfxwj"))
        assert second.title in client_for(reviewer).get("/xxgk/staff/").content.decode()
        assert second.title not in public.get("/xxgk/wj/?page=1").content.decode()
        # A page the publish tree stores is read from the primary: the public sees it.
        assert public.get(f"/xxgk/doc/{second.pk}/").status_code == 200

        pinned = Client()  # a visitor who has just written reads the primary
        pinned.cookies[db_router.PIN_COOKIE] = "1"
        assert second.title in pinned.get("/xxgk/wj/?page=1").content.decode()

        with replica.cursor() as cur:
            cur.execute("select pg_wal_replay_resume()")
        _replica_lsn_caught_up()
        assert second.title in public.get("/xxgk/wj/?page=1").content.decode()

    @pytest.mark.django_db(transaction=True)
    def test_transactions_and_jobs_never_read_the_replica(replica, district):
        with replica.cursor() as cur:
            cur.execute("select pg_wal_replay_pause()")
        Organization.objects.create(code="hyq-new", name="槐荫区新设机构", kind="department")
        # No request: a job or command reads the primary and finds the new unit.
        assert Organization.objects.filter(code="hyq-new").exists()
        with transaction.atomic():
            assert Organization.objects.select_for_update().filter(code="hyq-new").exists()
        assert not Organization.objects.using("replica").filter(code="hyq-new").exists()
