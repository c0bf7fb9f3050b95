"""建议提案 answer categories follow the local scheme (GONGKAI_PROPOSAL_CATEGORIES)."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from gongkai.interaction import categories
from gongkai.interaction.models import Proposal
from gongkai.interaction.services import proposals as svc

pytestmark = pytest.mark.django_db

LOCAL = "1=已解决;2=部分解决;3=列入计划;4=留作参考"


def _proposal(org, number="9", **extra) -> Proposal:
    return Proposal.objects.create(kind="npc", year=2026, number=number, title=f"建议{number}",
                                   org=org("hyq-fgj"), assigned_date=dt.date(2026, 3, 1),
                                   deadline=dt.date(2026, 6, 1), **extra)


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["类别", "年度", "编号", "标题", "主办单位", "交办日期", "答复类别", "答复日期"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("raw", ["A", "A=", "=采纳", "ABC=太长", "A=采纳;A=重复", " ; "])
def test_a_bad_scheme_is_refused_with_the_setting_named(raw):
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_PROPOSAL_CATEGORIES"):
        categories.parse(raw)


def test_a_bad_scheme_stops_start_up():
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "GONGKAI_PROPOSAL_CATEGORIES": "A采纳"}
    env.pop("DATABASE_URL", None)
    run = subprocess.run([sys.executable, "manage.py", "check"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "GONGKAI_PROPOSAL_CATEGORIES" in run.stderr


def test_default_scheme_is_the_national_a_b_c():
    assert categories.codes() == ["A", "B", "C"]
    assert categories.label("B") == "B类（正在解决或列入计划）"


def test_local_scheme_drives_form_answer_import_statistics_and_exports(
        settings, people, client_for, org):
    settings.GONGKAI_PROPOSAL_CATEGORIES = LOCAL
    p = _proposal(org)
    editor = client_for(people["editor"])
    page = editor.get(reverse("interaction:staff_proposal", args=[p.pk])).content.decode()
    assert "1类（已解决）" in page and "4类（留作参考）" in page and "C类" not in page
    r = editor.post(reverse("interaction:staff_proposal", args=[p.pk]),
                    {"category": "C", "reply_text": "答复"}, follow=True)
    assert "答复类别不在本地分类方案中" in r.content.decode()
    with pytest.raises(ValidationError):
        svc.answer_proposal(actor=people["editor"], proposal=p, category="A", reply_text="x")
    editor.post(reverse("interaction:staff_proposal", args=[p.pk]),
                {"category": "2", "reply_text": "已部分解决。", "publish_full": "on"})
    p.refresh_from_db()
    assert p.category == "2" and p.answered_date

    rows = svc.read_xlsx(io.BytesIO(_xlsx([
        ["人大代表建议", 2026, "10", "导入已答复", "hyq-fgj", "2026-03-01", "已解决", "2026-04-01"],
        ["人大代表建议", 2026, "11", "未知类别", "hyq-fgj", "2026-03-01", "A", "2026-04-01"],
        ["人大代表建议", 2026, "12", "尚未答复", "hyq-fgj", "2026-03-01", "", ""],
    ])))
    created, _, errors = svc.import_proposals(actor=people["gkb"], rows=rows)
    assert created == 2 and len(errors) == 1
    assert errors[0].startswith("第3行") and "答复类别“A”不在本地分类方案中" in errors[0]
    imported = Proposal.objects.get(number="10")
    assert imported.category == "1" and imported.answered_by == people["gkb"]

    svc.publish_proposal(actor=people["reviewer"], proposal=p)
    svc.publish_proposal(actor=people["reviewer"], proposal=imported)
    public = Client().get(reverse("interaction:proposals") + "?year=2026").content.decode()
    assert "2类（部分解决）" in public and "1类（已解决）" in public
    assert '<th scope="col">4类</th>' in public and "A类" not in public
    stats = {r["name"]: r for r in svc.annual_stats(2026)}
    assert stats["区发展改革局"]["counts"] == [1, 1, 0, 0]
    csv = Client().get(reverse("interaction:proposals_csv") + "?year=2026").content.decode()
    assert "2类（部分解决）" in csv and "4类" in csv and "导入已答复" in csv
    assert "尚未答复" not in csv  # only published results


def test_answers_under_a_retired_category_still_show(settings, people, org):
    p = _proposal(org, category="B", reply_text="列入明年计划。",
                  answered_date=dt.date(2026, 4, 1), published=True)
    settings.GONGKAI_PROPOSAL_CATEGORIES = LOCAL
    detail = Client().get(reverse("interaction:proposal", args=[p.pk]))
    assert detail.status_code == 200 and "B类（原分类" in detail.content.decode()
    public = Client().get(reverse("interaction:proposals") + "?year=2026").content.decode()
    assert "B类（原分类）" in public
    assert svc.annual_stats(2026)[0]["by_category"]["B"] == 1


def test_staff_list_flags_late_unanswered_proposals(people, client_for, org):
    _proposal(org, number="7")  # deadline 2026-06-01, unanswered
    page = client_for(people["editor"]).get(reverse("interaction:staff_proposals"))
    assert "已超期" in page.content.decode()
