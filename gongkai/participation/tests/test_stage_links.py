"""Catalog item stages link to documents of the platform picked by 索引号/文号/title,
and a withdrawn document is no longer a live link on the timeline."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.core.models import Organization, Role
from gongkai.disclosure import services as disclosure
from gongkai.disclosure.tests import factories
from gongkai.participation import policydocs, services
from gongkai.participation.models import Stage
from gongkai.participation.services.catalog import catalog_revision
from gongkai.participation.services.stages import stage_revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(staff):
    org = Organization.objects.get(code="hyq-sfj")
    cat = services.create_catalog(actor=staff["editor"], org=org, year=2026)
    d = services.add_item(actor=staff["editor"], catalog=cat, data={
        "title": "养犬管理办法制定", "undertaker": "区司法局", "procedures": ["public"]})
    services.submit_catalog(actor=staff["editor"], catalog=cat)
    services.publish_catalog(actor=staff["reviewer"], catalog=cat,
                             revision=catalog_revision(cat))
    return d


@pytest.fixture
def doc(staff, make_staff):
    fgj = Organization.objects.get(code="hyq-fgj")
    return factories.published(make_staff(fgj, Role.EDITOR, "fgj_ed"), staff["other_reviewer"],
                               fgj, title="槐荫区养犬管理办法", doc_number="槐政发〔2026〕3号")


def test_staff_search_and_pick_a_document_by_index_number_or_title(staff, item, doc,
                                                                  client_for):
    doc.refresh_from_db()
    assert doc.index_number
    by_index = policydocs.search(doc.index_number)
    assert [r.key for r in by_index] == [f"doc:{doc.pk}"]
    assert [r.pk for r in policydocs.search("养犬管理")] == [doc.pk]
    assert policydocs.search("\x00") == [] and policydocs.search("没有这个文件") == []

    ed = client_for(staff["editor"])
    url = reverse("participation:staff_item", args=[item.pk])
    page = ed.get(url, {"docq": "养犬管理"}).content.decode()
    assert f'value="doc:{doc.pk}"' in page and "槐荫区养犬管理办法" in page
    r = ed.post(f"{url}?docq=养犬管理", {"kind": "result", "ref": f"doc:{doc.pk}",
                                         "date": "2026-12-01", "submit": "1"})
    assert r.status_code == 302
    stage = Stage.objects.get(decision=item, kind="result")
    assert stage.doc_id == doc.pk and stage.url == "" and stage.title == doc.title
    services.publish_stage(actor=staff["reviewer"], stage=stage,
                           revision=stage_revision(stage))
    public = Client().get(reverse("participation:decision", args=[item.pk])).content.decode()
    assert f'href="{doc.get_absolute_url()}"' in public


def test_typed_site_path_becomes_a_pick_and_external_url_stays(staff, item, doc):
    s = services.add_stage(actor=staff["editor"], decision=item, kind="result",
                           url=doc.get_absolute_url())
    assert s.doc_id == doc.pk and s.url == ""
    ext = services.add_stage(actor=staff["editor"], decision=item, kind="interpretation",
                             url="https://www.jinan.gov.cn/art/2026/1/1/art_1.html")
    assert ext.url.startswith("https://") and ext.link() == ext.url
    with pytest.raises(ValidationError, match="只能选择一种"):
        services.add_stage(actor=staff["editor"], decision=item, kind="result",
                           ref=f"doc:{doc.pk}", url="https://example.gov.cn/")
    with pytest.raises(ValidationError, match="重新检索"):
        services.add_stage(actor=staff["editor"], decision=item, kind="result", ref="doc:x")
    with pytest.raises(ValidationError, match="不存在、已撤回或未公开"):
        services.add_stage(actor=staff["editor"], decision=item, kind="result",
                           ref="doc:99999")


def test_withdrawn_document_is_no_longer_a_live_link(staff, item, doc):
    s = services.add_stage(actor=staff["editor"], decision=item, kind="result",
                           ref=f"doc:{doc.pk}", submit=True)
    services.publish_stage(actor=staff["reviewer"], stage=s, revision=stage_revision(s))
    url = reverse("participation:decision", args=[item.pk])
    assert f'href="{doc.get_absolute_url()}"' in Client().get(url).content.decode()
    disclosure.withdraw_document(actor=staff["other_reviewer"], document=doc,
                                 reason="内容有误")
    page = Client().get(url).content.decode()
    assert f'href="{doc.get_absolute_url()}"' not in page
    assert "槐荫区养犬管理办法" in page and "该文件已撤回或不再公开" in page
    # A withdrawn document cannot be picked again.
    assert policydocs.search("养犬管理") == []
    with pytest.raises(ValidationError, match="已撤回"):
        services.add_stage(actor=staff["editor"], decision=item, kind="result",
                           ref=f"doc:{doc.pk}")
