"""`gongkai documents publish|withdraw EXTERNAL_ID`: the workbench's rules and audit, scripted."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.models import AuditEntry, Role
from gongkai.disclosure import services
from gongkai.disclosure.models import Document, Status
from gongkai.disclosure.tests import factories

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command("documents", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def pending(org, make_staff):
    editor = make_staff("hyq-fgj", Role.EDITOR, "fgj_editor")
    make_staff("hyq-fgj", Role.REVIEWER, "fgj_reviewer")
    make_staff("hyq-czj", Role.REVIEWER, "czj_reviewer")
    doc = factories.draft(editor, org("hyq-fgj"), node=factories.node(org("hyq-fgj"), "tzgg"))
    Document.objects.filter(pk=doc.pk).update(external_id="oa-2026-0012")
    services.submit_document(actor=editor, document=doc)
    return doc


def test_publish_then_withdraw_by_a_reviewer_leaves_audit_entries(pending):
    out = _run("publish", "oa-2026-0012", "--user", "fgj_reviewer", "--reason", "无需解读")
    doc = Document.objects.get(pk=pending.pk)
    assert doc.status == Status.PUBLISHED and doc.index_number in out
    entry = AuditEntry.objects.get(action="xxgk.document.publish", target_id=str(doc.pk))
    assert entry.actor.username == "fgj_reviewer"

    _run("withdraw", "oa-2026-0012", "--user", "fgj_reviewer", "--reason", "内容有误，重新发布")
    doc.refresh_from_db()
    assert doc.status == Status.WITHDRAWN and doc.withdraw_reason == "内容有误，重新发布"
    entry = AuditEntry.objects.get(action="xxgk.document.withdraw", target_id=str(doc.pk))
    assert entry.actor.username == "fgj_reviewer" and "内容有误" in entry.summary


@pytest.mark.parametrize(("args", "says"), [
    (["publish", "oa-2026-0012", "--user", "fgj_editor"], "审核人"),  # the drafter
    (["publish", "oa-2026-0012", "--user", "czj_reviewer"], "审核"),  # another unit
    (["publish", "oa-2026-0012", "--user", "fgj_reviewer"], "解读"),  # 三同步 without reason
    (["publish", "oa-9999", "--user", "fgj_reviewer"], "no document"),
    (["publish", "oa-2026-0012", "--user", "nobody"], "no active user"),
    (["publish", "oa-2026-0012"], "--user"),
    (["withdraw", "oa-2026-0012", "--user", "fgj_reviewer", "--reason", "x"], "撤回"),
])
def test_refusals_name_the_reason_and_change_nothing(pending, args, says):
    Document.objects.filter(pk=pending.pk).update(is_important=True)  # needs a 解读
    with pytest.raises(CommandError) as exc:
        _run(*args)
    assert says in str(exc.value) and exc.value.returncode == 2
    assert Document.objects.get(pk=pending.pk).status == Status.PENDING
    assert not AuditEntry.objects.filter(action__in=["xxgk.document.publish",
                                                     "xxgk.document.withdraw"]).exists()


def test_withdraw_needs_a_reason(pending):
    _run("publish", "oa-2026-0012", "--user", "fgj_reviewer", "--reason", "无需解读")
    with pytest.raises(CommandError, match="理由"):
        _run("withdraw", "oa-2026-0012", "--user", "fgj_reviewer")
    assert Document.objects.get(pk=pending.pk).status == Status.PUBLISHED


def test_publish_is_bound_to_the_named_revision(pending):
    """--revision names the text the reviewer read; a changed text is not published."""
    from gongkai.disclosure.services import document_revision

    seen = document_revision(pending)
    Document.objects.filter(pk=pending.pk).update(body="改过的正文")
    with pytest.raises(CommandError) as exc:
        _run("publish", "oa-2026-0012", "--user", "fgj_reviewer", "--reason", "无需解读",
             "--revision", seen[:12])
    assert "内容已改变" in str(exc.value)
    assert Document.objects.get(pk=pending.pk).status == Status.PENDING
    now = document_revision(Document.objects.get(pk=pending.pk))
    _run("publish", "oa-2026-0012", "--user", "fgj_reviewer", "--reason", "无需解读",
         "--revision", now[:12])
    assert Document.objects.get(pk=pending.pk).status == Status.PUBLISHED
