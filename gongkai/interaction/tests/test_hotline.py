"""12345 hand-off: import keeps the order number, skips repeats, reports bad lines."""

import json

import pytest
from django.core.management import call_command

from gongkai.interaction import services
from gongkai.interaction.models import Message

pytestmark = pytest.mark.django_db

GOOD = {"order_number": "12345-2026-0001", "received": "2026-11-02", "kind": "投诉",
        "subject": "夜间施工噪音", "body": "某工地夜间施工扰民。", "name": "李四",
        "phone": "13900001111", "unit": "hyq-zjj"}


def test_import_jsonl_then_export_csv(tmp_path, people, org, capsys):
    src = tmp_path / "orders.jsonl"
    bad = dict(GOOD, order_number="12345-2026-0002", received="2026-13-45")
    src.write_text("\n".join([json.dumps(GOOD, ensure_ascii=False), "{not json",
                              json.dumps(bad, ensure_ascii=False),
                              json.dumps(GOOD, ensure_ascii=False)]) + "\n", encoding="utf-8")
    call_command("hotline", "import", str(src))
    out = capsys.readouterr()
    assert "imported 1, skipped 1" in out.out
    assert "line 2" in out.err and "line 3" in out.err
    msg = Message.objects.get()
    assert msg.hotline_number == "12345-2026-0001" and msg.kind == "complain"
    assert msg.source == "hotline" and msg.suggested_org == org("hyq-zjj")
    assert str(msg.received_date) == "2026-11-02"

    msg = services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"))
    dest = tmp_path / "out.csv"
    call_command("hotline", "export", str(dest))
    text = dest.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("order_number,number,received")
    assert "12345-2026-0001" in text and "hyq-fgj" in text
    assert "13900001111" not in text and "李四" not in text


def test_import_csv(tmp_path):
    src = tmp_path / "orders.csv"
    src.write_text("order_number,received,kind,subject,body,name,phone\n"
                   "A1,2026-11-03,consult,学位咨询,孩子入学划片,王五,13700002222\n",
                   encoding="utf-8")
    call_command("hotline", "import", str(src))
    assert Message.objects.get().hotline_number == "A1"
