"""Helpers for disclosure tests."""

from __future__ import annotations

import datetime as dt

from gongkai.core.models import Organization
from gongkai.disclosure import services
from gongkai.disclosure.models import DirectoryNode, Document


def seed(org: Organization) -> None:
    services.seed_directory(actor=None, org=org, check_permission=False)


def node(org: Organization, code: str) -> DirectoryNode:
    if not DirectoryNode.objects.filter(org=org).exists():
        seed(org)
    return DirectoryNode.objects.get(org=org, code=code)


def draft(editor, org: Organization, **fields) -> Document:
    values = {"title": "关于做好2026年冬季供暖工作的通知",
              "body": "<p>各街道：请做好供暖保障。</p>",
              "written_date": dt.date(2026, 11, 20), "doc_number": "槐政办字[2026]12号",
              "topic": "城乡建设、环境保护", "genre": "通知", "doc_type": "policy"}
    values.update(fields)
    return services.create_document(actor=editor, org=org, **values)


def published(editor, reviewer, org: Organization, **fields) -> Document:
    sync_reason = fields.pop("sync_reason", "测试无需解读")
    doc = draft(editor, org, **fields)
    services.submit_document(actor=editor, document=doc)
    return services.publish_document(actor=reviewer, document=doc,
                                     revision=services.document_revision(doc),
                                     sync_reason=sync_reason)


def hidden(html: str, name: str) -> str:
    """The value of the hidden input ``name`` on a page (what a browser would post back)."""
    import re

    m = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', html)
    assert m, f"no hidden input {name!r} on the page"
    return m.group(1)
