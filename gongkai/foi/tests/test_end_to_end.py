"""Done means: a citizen files online, the office confirms receipt, the unit asks a third
party, extends once, answers 部分公开 with a letter, and the citizen sees every dated step."""

import datetime as dt
import io
import re

import pytest
from django.test import Client

from gongkai.core.models import AuditEntry, Organization, Role
from gongkai.foi import submit_tokens
from gongkai.foi.models import Application
from gongkai.foi.tests.factories import ID_NUMBER

pytestmark = pytest.mark.django_db


def form_data(**extra):
    data = {"applicant_kind": "person", "name": "李四", "id_type": "id_card",
            "id_number": ID_NUMBER, "phone": "13900000000", "email": "lisi@example.com",
            "address": "济南市槐荫区经十路1号", "postcode": "250000",
            "subject": "2026年槐荫区重点建设项目资金拨付明细", "doc_number": "",
            "description": "包括拨付日期和金额", "forms_wanted": ["email"], "delivery": "email",
            "consent": "on", "submit_token": submit_tokens.issue()}
    data.update(extra)
    return data


def test_citizen_to_partial_disclosure_with_every_dated_step(district, make_staff, client_for,
                                                             freezer_dates):
    citizen = Client()
    hyq = Organization.objects.get(code="hyq")
    # 1. The citizen files online and sees the number and code (again on a reload).
    r = citizen.post("/ysqgk/apply/", form_data(addressee=hyq.pk), follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    number = re.search(r'id="foi-number">([^<]+)<', html).group(1)
    code = re.search(r'id="foi-code" class="code">([^<]+)<', html).group(1)
    assert "请立即记录申请编号和查询码" in html
    assert code in citizen.get("/ysqgk/apply/done/").content.decode()
    app = Application.objects.get(number=number)
    assert ID_NUMBER not in str(Application.objects.filter(pk=app.pk).values().get())
    # The story happened some weeks ago: move the submission back to the first date.
    d = freezer_dates
    Application.objects.filter(pk=app.pk).update(submitted_at=dt.datetime.combine(
        dt.date.fromisoformat(d["received"]), dt.time(9), tzinfo=dt.UTC))

    # 2. The office (coordinator) confirms receipt and routes it to 发改局.
    gkb = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    fgj_user = make_staff("hyq-fgj", Role.EDITOR)
    fgj = client_for(fgj_user)
    r = gkb.post(f"/ysqgk/staff/{app.pk}/act/confirm/",
                 {"confirm-received_date": d["received"]})
    assert r.status_code == 302, r.content.decode()[:2000]
    fgj_org = Organization.objects.get(code="hyq-fgj")
    r = gkb.post(f"/ysqgk/staff/{app.pk}/act/assign/", {"assign-org": fgj_org.pk})
    assert r.status_code == 302
    # 3. The unit asks a third party, which answers.
    r = fgj.post(f"/ysqgk/staff/{app.pk}/act/consult/",
                 {"consult-kind": "third_party", "consult-party": "济南某建设有限公司",
                  "consult-sent_date": d["consult"]})
    assert r.status_code == 302, r.content.decode()[:3000]
    c = app.consultations.get()
    r = fgj.post(f"/ysqgk/staff/{app.pk}/act/consult_end/",
                 {"consult_end-consultation": c.pk, "consult_end-reply_date": d["reply"],
                  "consult_end-opinion": "object", "consult_end-note": "涉及商业秘密"})
    assert r.status_code == 302
    # 4. Extends once (a second extension is refused in place).
    r = fgj.post(f"/ysqgk/staff/{app.pk}/act/extend/",
                 {"extend-days": "10", "extend-approved_on": d["extend"],
                  "extend-reason": "需要对大量资料进行区分处理"})
    assert r.status_code == 302
    r = fgj.post(f"/ysqgk/staff/{app.pk}/act/extend/",
                 {"extend-days": "5", "extend-approved_on": d["extend"], "extend-reason": "再延"})
    assert r.status_code == 403
    # 5. Attaches what can be disclosed (pages counted from the PDF) and answers 部分公开:
    # the legal basis comes from the answer type and the chosen exemption, not from typing.
    r = fgj.post(f"/ysqgk/staff/{app.pk}/act/files/",
                 {"files-title": "项目资金拨付明细（区分处理后）",
                  "files-upload": pdf_upload(3)})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert app.answer_files.get().pages == 3
    # A second one from the answer form itself; a refused answer keeps it.
    r = fgj.post(f"/ysqgk/staff/{app.pk}/act/answer/",
                 {"answer-answer_type": "3.2", "answer-ground": "3.3.4",
                  "answer-file_title": "项目清单", "answer-link": "https://www.jnhy.gov.cn/x",
                  "answer-answer_date": d["answer"]})
    assert r.status_code == 400 and "不予公开的内容" in r.content.decode()
    assert app.answer_files.count() == 2
    r = fgj.post(f"/ysqgk/staff/{app.pk}/act/answer/",
                 {"answer-answer_type": "3.2", "answer-withheld": "承建单位的银行账号",
                  "answer-ground": "3.3.4", "answer-reason": "该账号属于承建单位的商业秘密",
                  "answer-answer_date": d["answer"]})
    assert r.status_code == 302, r.content.decode()[:3000]
    app.refresh_from_db()
    assert app.result == "3.2" and app.closed_date == dt.date.fromisoformat(d["answer"])
    assert app.legal_basis == "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十七条"

    # 6. The citizen tracks it: every dated step, and the letters to download.
    r = citizen.post("/ysqgk/track/", {"number": number, "code": code})
    html = r.content.decode()
    assert r["Cache-Control"].startswith("no-store") and "noindex" in r["X-Robots-Tag"]
    for date, words in [(d["received"], "确认收到申请"), (d["consult"], "书面征求第三方意见"),
                        (d["reply"], "征求意见结束"), (d["extend"], "延长10个工作日"),
                        (d["answer"], "部分公开")]:
        assert re.search(rf"<td>{date}</td><td>[^<]*{words}", html), (date, words)
    assert "分办" not in html  # internal steps stay internal
    assert "政府信息公开申请答复书" in html
    letter = app.letters.get(kind="answer_3.2")
    r = citizen.get(f"/ysqgk/track/letter/{letter.pk}.docx")
    assert r.status_code == 200
    from docx import Document

    body = "\n".join(p.text for p in Document(io.BytesIO(b"".join(r.streaming_content)))
                     .paragraphs)
    assert "商业秘密" in body and number in body and "（印章）" in body
    assert "1．项目资金拨付明细（区分处理后），共3页" in body
    assert "2．项目清单，网址：https://www.jnhy.gov.cn/x" in body
    # The applicant receives the file itself from the tracking page.
    f = app.answer_files.get(pages=3)
    r = citizen.get(f"/ysqgk/track/file/{f.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert Client().get(f"/ysqgk/track/file/{f.pk}/").status_code == 404
    # The letter came from 区政府 (the addressee): review by the next level up.
    assert "向济南市人民政府申请行政复议" in body and "济南市中级人民法院" in body
    # Outside the tracked session, the letter is not available.
    assert Client().get(f"/ysqgk/track/letter/{letter.pk}.docx").status_code == 404
    # The audit log recorded each step and holds no personal data.
    log = " ".join(str(e.changes) + e.summary for e in AuditEntry.objects.all())
    assert ID_NUMBER not in log and "13900000000" not in log and "李四" not in log


def pdf_upload(pages: int):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    w.write(buf)
    return SimpleUploadedFile("mingxi.pdf", buf.getvalue(), content_type="application/pdf")


@pytest.fixture
def freezer_dates():
    """Dates in the past relative to today, on working days, in a known calendar year."""
    from gongkai.core.calendar import get_calendar

    cal = get_calendar()
    today = dt.date.today()
    start = cal.next_workday(today - dt.timedelta(days=50))
    dates = {"received": start, "consult": cal.add(start, 2), "reply": cal.add(start, 6),
             "extend": cal.add(start, 10), "answer": cal.add(start, 12)}
    assert dates["answer"] <= today
    return {k: v.isoformat() for k, v in dates.items()}
