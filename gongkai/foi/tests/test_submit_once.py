"""Nothing lost, nothing doubled: the one-time submit token and the receipt (回执)."""

import io
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.core import signing
from django.test import Client
from pypdf import PdfReader

from gongkai.core.models import Organization, Role
from gongkai.foi import receipts, services, submit_tokens
from gongkai.foi.models import Application, SubmitToken
from gongkai.foi.tests.factories import ID_NUMBER
from gongkai.foi.views import TRACK_LIMIT

TOKEN_RE = re.compile(r'name="submit_token" value="([^"]+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form(**extra):
    data = {"applicant_kind": "person", "name": "李四", "id_type": "id_card",
            "id_number": ID_NUMBER, "phone": "13900000000", "email": "lisi@example.com",
            "address": "", "postcode": "", "addressee": Organization.objects.get(code="hyq").pk,
            "subject": "槐荫区2026年财政预算", "doc_number": "", "description": "",
            "forms_wanted": ["email"], "delivery": "email", "consent": "on"}
    data.update(extra)
    return data


def rendered_token(client) -> str:
    return TOKEN_RE.search(client.get("/ysqgk/apply/").content.decode()).group(1)


def receipt_on_page(client) -> tuple[str, str]:
    html = client.get("/ysqgk/apply/done/").content.decode()
    return (re.search(r'id="foi-number">([^<]+)<', html).group(1),
            re.search(r'id="foi-code" class="code">([^<]+)<', html).group(1))


@pytest.mark.django_db
def test_the_same_form_posted_twice_files_once_and_both_get_the_receipt(district):
    browser = Client()
    data = form(submit_token=rendered_token(browser))
    first = browser.post("/ysqgk/apply/", data)
    assert first.status_code == 303 and first["Location"] == "/ysqgk/apply/done/"
    number, code = receipt_on_page(browser)
    # The response was lost with its session cookie: the browser retries from a new session.
    retry = Client()
    again = retry.post("/ysqgk/apply/", data)
    assert again.status_code == 303 and again["Location"] == "/ysqgk/apply/done/"
    assert receipt_on_page(retry) == (number, code)
    # A reload of the POST in the first session, too.
    assert browser.post("/ysqgk/apply/", data).status_code == 303
    assert Application.objects.count() == 1 and SubmitToken.objects.count() == 1
    app = Application.objects.get()
    assert app.number == number and app.events.filter(kind="submitted").count() == 1


@pytest.mark.django_db
def test_a_rejected_form_keeps_its_token_and_a_new_form_files_a_new_application(district):
    c = Client()
    token = rendered_token(c)
    html = c.post("/ysqgk/apply/", form(submit_token=token, id_number="110105194912310021")
                  ).content.decode()
    assert "居民身份证号码有误" in html and f'value="{token}"' in html
    assert Application.objects.count() == 0
    assert c.post("/ysqgk/apply/", form(submit_token=token)).status_code == 303
    assert c.post("/ysqgk/apply/", form(submit_token=rendered_token(c))).status_code == 303
    assert Application.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "made-up", "signed:by-someone-else"])
def test_a_missing_or_forged_token_files_nothing_and_loses_nothing_typed(district, token):
    c = Client()
    r = c.post("/ysqgk/apply/", form(submit_token=token, description="第三季度的明细"))
    html = r.content.decode()
    assert r.status_code == 200 and "申请表已过期" in html
    assert "第三季度的明细" in html and 'value="李四"' in html
    assert Application.objects.count() == 0
    fresh = TOKEN_RE.search(html).group(1)
    assert fresh != token and submit_tokens.is_valid(fresh)
    assert c.post("/ysqgk/apply/", form(submit_token=fresh)).status_code == 303
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_an_expired_token_is_refused(district, monkeypatch):
    now = signing.time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 25 * 3600)
    stale = submit_tokens.issue()  # rendered 25 hours ago
    monkeypatch.setattr(signing.time, "time", lambda: now)
    assert not submit_tokens.is_valid(stale) and submit_tokens.is_valid(submit_tokens.issue())
    html = Client().post("/ysqgk/apply/", form(submit_token=stale)).content.decode()
    assert "申请表已过期" in html and Application.objects.count() == 0


def _http_session(base: str):
    """A tiny browser: cookies kept, redirects not followed (we look at each answer)."""
    jar = CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


@pytest.mark.parametrize("attempts", [6])
def test_concurrent_posts_of_one_form_file_one_application(live_server, district, attempts):
    """Six requests with the same token at once (threads of the live server, each with its
    own database connection) — on SQLite and PostgreSQL alike one application is filed."""
    base = live_server.url
    opener = _http_session(base)
    html = opener.open(f"{base}/ysqgk/apply/").read().decode()
    data = form(submit_token=TOKEN_RE.search(html).group(1),
                csrfmiddlewaretoken=CSRF_RE.search(html).group(1))
    body = urllib.parse.urlencode(data, doseq=True).encode()
    start = threading.Barrier(attempts)
    answers: list = []

    def post():
        start.wait()
        try:
            r = opener.open(urllib.request.Request(f"{base}/ysqgk/apply/", data=body))
            answers.append((r.status, r.headers.get("Location")))
        except urllib.error.HTTPError as exc:
            answers.append((exc.code, exc.headers.get("Location")))

    threads = [threading.Thread(target=post) for _ in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert answers == [(303, "/ysqgk/apply/done/")] * attempts
    assert Application.objects.count() == 1 and SubmitToken.objects.count() == 1
    app = Application.objects.get()
    page = opener.open(f"{base}/ysqgk/apply/done/").read().decode()
    assert f'id="foi-number">{app.number}<' in page


def _pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "".join(p.extract_text() for p in reader.pages).replace("\x00", ""), reader


@pytest.mark.django_db
def test_receipt_pdf_from_the_receipt_page_then_with_dates_once_confirmed(district,
                                                                         make_staff):
    c = Client()
    c.post("/ysqgk/apply/", form(submit_token=rendered_token(c)))
    number, code = receipt_on_page(c)
    page = c.get("/ysqgk/apply/done/").content.decode()
    assert 'action="/ysqgk/receipt.pdf"' in page and code in page
    r = c.post("/ysqgk/receipt.pdf", {"number": number, "code": code})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    text, reader = _pdf_text(b"".join(r.streaming_content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    flat = "".join(text.split())
    for expected in (number, code, "待公开办确认", "第三十一条", "以双方确认之日为收到申请之日",
                     "20个工作日", "查询办理进度", "槐荫区人民政府"):
        assert expected in flat, expected
    assert ID_NUMBER not in flat

    app = Application.objects.get(number=number)
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    services.confirm_receipt(actor=gkb, application=app)
    app.refresh_from_db()
    # Later, from the tracking page, with the code typed in lower case.
    track = c.post("/ysqgk/track/", {"number": number, "code": code.lower()}).content.decode()
    assert 'id="foi-receipt-form"' in track
    r = c.post("/ysqgk/receipt.pdf", {"number": number, "code": code.lower()})
    flat = "".join(_pdf_text(b"".join(r.streaming_content))[0].split())
    due = app.answer_due
    assert f"{due.year}年{due.month}月{due.day}日前" in flat
    received = app.received_date
    assert f"{received.year}年{received.month}月{received.day}日" in flat
    assert code in flat and "待公开办确认" not in flat


@pytest.mark.django_db
def test_receipt_pdf_needs_the_right_code_and_is_rate_limited(district):
    c = Client()
    c.post("/ysqgk/apply/", form(submit_token=rendered_token(c)))
    number, code = receipt_on_page(c)
    other = Client(REMOTE_ADDR="10.0.0.7")
    r = other.post("/ysqgk/receipt.pdf", {"number": number, "code": "AAAA-BBBB-CCCC"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    assert "申请编号或查询码不正确" in r.content.decode()
    assert 'action="/ysqgk/track/"' in r.content.decode()  # trying again tracks, as it says
    for _ in range(TRACK_LIMIT - 1):
        other.post("/ysqgk/receipt.pdf", {"number": number, "code": "AAAA-BBBB-CCCC"})
    r = other.post("/ysqgk/receipt.pdf", {"number": number, "code": code})
    assert r.status_code == 429 and "查询次数过多" in r.content.decode()
    assert Client().get("/ysqgk/receipt.pdf").status_code == 405


@pytest.mark.django_db
def test_receipt_rows_follow_article_31_for_the_channel(district, make_staff):
    from gongkai.foi.tests.factories import registered

    app, code = registered(make_staff("hyq-fgj", Role.EDITOR))
    facts = dict(receipts.rows(app, code))
    assert facts["申请方式"] == "当面提交"
    received = facts["收到申请日期"]
    assert received.startswith("2026年11月2日") and "以提交之日" in received
    assert facts["查询码"] == code and facts["答复期限"].endswith("前")
    assert receipts.format_code(code.lower().replace("-", " ")) == code


@pytest.mark.django_db
def test_token_rows_and_their_kept_codes_go_once_the_token_has_expired(district):
    import datetime as dt

    from django.utils import timezone

    c = Client()
    c.post("/ysqgk/apply/", form(submit_token=rendered_token(c)))
    old = SubmitToken.objects.get()
    SubmitToken.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - submit_tokens.KEEP - dt.timedelta(minutes=1))
    c.post("/ysqgk/apply/", form(submit_token=rendered_token(c)))
    assert not SubmitToken.objects.filter(pk=old.pk).exists()
    assert SubmitToken.objects.count() == 1 and Application.objects.count() == 2
    # The code is stored encrypted, never in clear.
    number, code = receipt_on_page(c)
    assert code not in SubmitToken.objects.get().code_encrypted
