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
    assert "第2行：不是有效的JSON" in out.err and "第3行：收到日期" in out.err
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


def test_office_imports_and_exports_orders_on_the_web(people, client_for, org):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from gongkai.core.models import AuditEntry

    url = reverse("interaction:staff_hotline")
    gkb = client_for(people["gkb"])
    body = ("\n".join([json.dumps(GOOD, ensure_ascii=False), "[1, 2]",
                       json.dumps(dict(GOOD, order_number="B2", unit="nope"),
                                  ensure_ascii=False)]) + "\n").encode()
    page = gkb.post(url, {"file": SimpleUploadedFile("orders.jsonl", body)}).content.decode()
    assert "导入1件，跳过已导入的0件，2行有错误" in page
    assert "第2行：该行不是JSON对象" in page and "单位代码“nope”不存在" in page
    msg = Message.objects.get()
    assert msg.hotline_number == "12345-2026-0001"
    entry = AuditEntry.objects.get(action="hdjl.message.submit", target_id=str(msg.pk))
    assert entry.actor_id == people["gkb"].pk  # who imported it
    page = gkb.post(url, {"file": SimpleUploadedFile("orders.jsonl", body)}).content.decode()
    assert "导入0件，跳过已导入的1件" in page

    for name, content, error in [("orders.txt", b"x", "只接受"),
                                 ("orders.csv", "主题".encode("gbk"), "UTF-8"),
                                 ("orders.csv", b"", "空的")]:
        page = gkb.post(url, {"file": SimpleUploadedFile(name, content)}).content.decode()
        assert error in page, name
    assert Message.objects.count() == 1

    r = gkb.get(reverse("interaction:staff_hotline_export") + "?format=csv")
    text = r.content.decode("utf-8-sig")
    assert r["Content-Disposition"].startswith("attachment") and "12345-2026-0001" in text
    assert "13900001111" not in text and "李四" not in text
    r = gkb.get(reverse("interaction:staff_hotline_export") + "?format=jsonl")
    assert json.loads(r.content.decode().splitlines()[0])["order_number"] == "12345-2026-0001"
    assert gkb.get(reverse("interaction:staff_hotline_export") + "?format=xml").status_code \
        == 200  # an unknown format falls back to CSV
    editor = client_for(people["editor"])
    assert editor.get(url).status_code == 403
    assert editor.get(reverse("interaction:staff_hotline_export")).status_code == 403
