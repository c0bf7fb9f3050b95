"""建议提案: XLSX import, answer, review before publishing, public column and statistics."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from gongkai.interaction.models import Proposal
from gongkai.interaction.services import proposals as svc

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["类别", "年度", "编号", "标题", "代表/委员", "公开姓名", "主办单位", "协办单位",
               "交办日期"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ROWS = [
    ["人大代表建议", 2026, "101", "关于增设社区养老服务站的建议", "王代表", "是", "hyq-fgj", "",
     dt.datetime(2026, 3, 15)],
    ["政协委员提案", 2026, "55", "关于加强校园周边交通管理的提案", "李委员", "否", "区财政局",
     "区教育和体育局", "2026-03-20"],
    ["人大代表建议", 2026, "", "缺编号", "", "", "hyq-fgj", "", "2026-03-15"],
    ["政协委员提案", 2026, "56", "单位不存在", "", "", "不存在的局", "", "2026-03-20"],
]


def test_import_answer_publish_and_public_column(people, client_for, org):
    gkb = client_for(people["gkb"])
    upload = SimpleUploadedFile("jyta.xlsx", _xlsx(ROWS))
    r = gkb.post(reverse("interaction:staff_proposals"), {"file": upload}, follow=True)
    page = r.content.decode()
    assert "新增2件" in page and "第4行" in page and "第5行" in page
    p = Proposal.objects.get(number="101")
    assert p.deadline == dt.date(2026, 6, 15) and p.org == org("hyq-fgj")
    # re-import updates, not duplicates
    rows = svc.read_xlsx(io.BytesIO(_xlsx(ROWS[:1])))
    assert svc.import_proposals(actor=people["gkb"], rows=rows)[:2] == (0, 1)
    with pytest.raises(PermissionDenied):
        svc.import_proposals(actor=people["editor"], rows=rows)

    svc.answer_proposal(actor=people["editor"], proposal=p, category="A",
                        reply_text="已在振兴街街道试点建设养老服务站。",
                        on=dt.date(2026, 5, 30))
    with pytest.raises(PermissionDenied):
        svc.publish_proposal(actor=people["editor"], proposal=p)
    svc.publish_proposal(actor=people["reviewer"], proposal=p)
    other = Proposal.objects.get(number="55")
    svc.answer_proposal(actor=people["other"], proposal=other, category="B",
                        reply_text="内部答复", publish_full=False, on=dt.date(2026, 7, 1))
    svc.publish_proposal(actor=people["gkb"], proposal=other)

    public = Client().get(reverse("interaction:proposals") + "?year=2026").content.decode()
    assert "关于增设社区养老服务站的建议" in public
    detail = Client().get(reverse("interaction:proposal", args=[p.pk])).content.decode()
    assert "王代表" in detail and "养老服务站" in detail
    detail = Client().get(reverse("interaction:proposal", args=[other.pk])).content.decode()
    assert "李委员" not in detail and "内部答复" not in detail and "B类" in detail
    stats = {r["name"]: r for r in svc.annual_stats(2026)}
    assert stats["区发展改革局"]["on_time"] == 1 and stats["区发展改革局"]["by_category"]["A"] == 1
    assert stats["区财政局"]["on_time"] == 0  # answered after the 3-month deadline


def test_damaged_or_wrong_upload_is_refused(people, client_for):
    gkb = client_for(people["gkb"])
    r = gkb.post(reverse("interaction:staff_proposals"),
                 {"file": SimpleUploadedFile("x.xlsx", b"not a zip")}, follow=True)
    assert r.status_code == 200 and Proposal.objects.count() == 0
    assert Client().get(reverse("interaction:proposals") + "?year=abc&kind=zz").status_code == 200
