"""The production front for real: nginx (`gongkai deploy nginx --standalone`) in front of the
application, serving anonymous pages from the publish tree. A withdrawn document must be gone
from the public site within 1 second (a legal requirement)."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from gongkai.core import nginx, publish
from gongkai.core.demo import DEMO_PASSWORD
from gongkai.core.models import Role
from gongkai.disclosure.tests.factories import node, published

pytestmark = pytest.mark.django_db(transaction=True)
BODY = "各街道：请做好供暖保障。"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def front(live_server, settings, tmp_path):
    """nginx on a free loopback port in front of the live server; its base URL."""
    program = nginx.binary()
    assert program, "nginx is not installed: apt-get install nginx (make system-deps)"
    settings.GONGKAI_PUBLISH = True
    settings.GONGKAI_MEDIA_ACCEL = True
    settings.MEDIA_ROOT = tmp_path / "media"
    port = _free_port()
    conf = tmp_path / "nginx" / "nginx.conf"
    conf.parent.mkdir()
    upstream = live_server.url.removeprefix("http://")
    call_command("deploy", "nginx", "--standalone", "--listen", f"127.0.0.1:{port}",
                 "--upstream", upstream, "--workers", "1", "-o", str(conf))
    proc = subprocess.Popen([program, "-c", str(conf), "-p", str(conf.parent) + "/"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str):
        try:
            with self.opener.open(self.base + path, timeout=10) as r:
                return r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode()

    def post(self, path: str, data: dict):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=body),
                              timeout=10) as r:
            return r.status, r.read().decode()

    def login(self, username: str) -> None:
        self.get("/staff/login/")
        self.post("/staff/login/", {"username": username, "password": DEMO_PASSWORD})
        assert any(c.name == "sessionid" for c in self.jar)


def test_withdrawn_document_is_gone_through_nginx_within_one_second(
        front, make_staff, org):
    unit = org("hyq-fgj")
    editor, reviewer = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
    doc = published(editor, reviewer, unit, node=node(unit, "gfxwj"))
    public = Browser(front)
    url = f"/xxgk/doc/{doc.pk}/"

    status, headers, page = public.get(url)  # the application renders and publishes it
    assert status == 200 and BODY in page and headers["X-Gongkai-Publish"] is None
    status, headers, page = public.get(url)  # nginx serves the file
    assert status == 200 and BODY in page and headers["X-Gongkai-Publish"] == "hit"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "public, no-cache"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Set-Cookie" not in headers and not list(public.jar)
    public.get("/xxgk/hyq-fgj/gfxwj/")
    status, headers, page = public.get("/xxgk/hyq-fgj/gfxwj/")
    assert headers["X-Gongkai-Publish"] == "hit" and doc.title in page

    staff = Browser(front)
    staff.login(reviewer.username)
    status, headers, page = staff.get(url)  # staff with a session bypass the tree
    assert status == 200 and headers["X-Gongkai-Publish"] is None

    status, _ = staff.post(f"/xxgk/staff/{doc.pk}/review/",
                           {"wd-reason": "内容有误，撤回更正", "wd-submit": "1"})
    withdrawn = time.monotonic()
    assert status == 200
    while True:
        status, headers, page = public.get(url)
        if BODY not in page or time.monotonic() - withdrawn > 1:
            break
    assert time.monotonic() - withdrawn <= 1, "the withdrawn page was still public after 1 s"
    assert status == 200 and "撤回" in page and BODY not in page
    _, _, listing = public.get("/xxgk/hyq-fgj/gfxwj/")
    assert doc.title not in listing


def test_publishing_shows_at_once_and_what_varies_reaches_the_application(
        front, make_staff, org):
    unit = org("hyq-fgj")
    editor, reviewer = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
    first = published(editor, reviewer, unit, title="关于第一批供暖补贴的通知",
                      node=node(unit, "gfxwj"))
    public = Browser(front)
    for _ in range(2):
        _, headers, page = public.get("/xxgk/hyq-fgj/")
    assert headers["X-Gongkai-Publish"] == "hit" and first.title in page

    second = published(editor, reviewer, unit, title="关于第二批供暖补贴的通知",
                       node=node(unit, "gfxwj"))
    _, headers, page = public.get("/xxgk/hyq-fgj/")
    assert second.title in page and headers["X-Gongkai-Publish"] is None

    _, headers, _ = public.get("/xxgk/hyq-fgj/?page=1")  # a query string: never the tree
    assert headers["X-Gongkai-Publish"] is None
    elder = Browser(front)
    elder.get("/elder/?elder=1&next=/xxgk/hyq-fgj/")
    _, headers, page = elder.get("/xxgk/hyq-fgj/")
    assert headers["X-Gongkai-Publish"] is None and '<body class="elder' in page
    status, _, _ = public.get("/.generation")  # the tree's bookkeeping is not a page
    assert status == 404
    assert re.search(r"xxgk/hyq-fgj/index\.html", " ".join(publish.published_files()))
    assert Path(settings.GONGKAI_PUBLISH_DIR).is_dir()


def test_attachments_leave_through_nginx_only_while_their_document_is_public(
        front, make_staff, org):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from fpdf import FPDF

    from gongkai.disclosure import services
    from gongkai.disclosure.tests.factories import draft

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Heating subsidy list")
    content = bytes(pdf.output())
    unit = org("hyq-fgj")
    editor, reviewer = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
    doc = draft(editor, unit, node=node(unit, "gfxwj"))
    att = services.add_attachment(actor=editor, document=doc,
                                  upload=SimpleUploadedFile("补贴名单.pdf", content))
    public = Browser(front)
    assert public.get(f"/xxgk/fj/{att.pk}/")[0] == 404  # a draft's file
    services.submit_document(actor=editor, document=doc)
    services.publish_document(actor=reviewer, document=doc, sync_reason="无需解读",
                              revision=services.document_revision(doc))
    with public.opener.open(f"{front}/xxgk/fj/{att.pk}/", timeout=10) as r:
        assert r.read() == content  # sent by nginx from MEDIA_ROOT (X-Accel-Redirect)
        assert "attachment" in r.headers["Content-Disposition"]
        assert "X-Accel-Redirect" not in r.headers
        assert r.headers["ETag"] and r.headers["Accept-Ranges"] == "bytes"  # nginx's file
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert public.get(f"/_protected_media/{att.file.name}")[0] == 404  # never directly
    services.withdraw_document(actor=reviewer, document=doc, reason="名单有误")
    assert public.get(f"/xxgk/fj/{att.pk}/")[0] == 404
