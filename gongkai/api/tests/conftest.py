import pytest

from gongkai.core.models import Role
from gongkai.disclosure import services
from gongkai.disclosure.tests.factories import draft, node, published


@pytest.fixture
def catalogue(org, make_staff):
    """One unit with a public document (with an interpretation), a draft and a document
    published as 依申请公开: only the first may ever leave through the API."""
    unit = org("hyq-czj")
    node(unit, "gkzn")
    editor, reviewer = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
    public = published(editor, reviewer, unit, title="关于印发槐荫区财政专项资金管理办法的通知",
                       doc_number="槐财发〔2026〕3号", doc_type="normative", validity="valid",
                       node=node(unit, "gkzn"))
    secret = draft(editor, unit, title="内部草稿标题")
    on_request = published(editor, reviewer, unit, title="依申请公开的文件",
                           attribute="on_request", attribute_reason="art16_internal")
    it = services.save_interpretation(actor=editor, org=unit, title="图解：专项资金管理办法",
                                      kind="text", body="<p>解读正文</p>", documents=[public])
    services.publish_interpretation(actor=reviewer, interpretation=it,
                                    revision=services.interpretation_revision(it))
    it.refresh_from_db()
    hidden_it = services.save_interpretation(actor=editor, org=unit, title="未发布的解读",
                                             kind="text", body="<p>x</p>", documents=[public])
    return {"unit": unit, "public": public, "draft": secret, "on_request": on_request,
            "interpretation": it, "hidden_interpretation": hidden_it, "editor": editor,
            "reviewer": reviewer}

