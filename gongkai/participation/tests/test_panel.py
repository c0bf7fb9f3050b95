"""The 公众参与 column on each unit's public page: what it lists and in which order, and
that every change to it purges the published unit page."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.core import publish as publish_tree
from gongkai.core import registry
from gongkai.core.models import Organization
from gongkai.participation import panel, services
from gongkai.participation.models import Consultation, Disposition, Opinion
from gongkai.participation.services.feedback import report_revision
from gongkai.participation.services.periods import change_revision

pytestmark = pytest.mark.django_db

UNIT = "/xxgk/hyq-sfj/"


def _report(c, staff):
    Opinion.objects.create(consultation=c, body="赞成", received_at=c.starts_at)
    ed, rv = staff["editor"], staff["reviewer"]
    services.dispose(actor=ed, consultation=c, disposition=Disposition.ADOPTED, reason="",
                     opinion=c.opinions.get())
    report = services.save_report(actor=ed, consultation=c, summary="共收到意见1条。")
    services.submit_report(actor=ed, report=report)
    services.publish_report(actor=rv, report=report, revision=report_revision(report))


def _withdraw(c, staff):
    ch = services.request_change(actor=staff["editor"], consultation=c, kind="withdraw",
                                 reason="上位法修订，暂缓制定")
    services.approve_change(actor=staff["reviewer"], change=ch, revision=change_revision(ch))


def test_unit_page_lists_open_then_awaiting_then_reported_and_escapes(publish, staff):
    reported = publish(start=-60, days=30, title="已反馈的办法")
    _report(reported, staff)
    awaiting = publish(start=-40, days=30, title="待反馈的办法")
    open_ = publish(start=-1, days=30, title="<b>正在征求</b>的办法")
    withdrawn = publish(start=-1, days=30, title="已撤回的办法")
    _withdraw(withdrawn, staff)
    services.create_consultation(
        actor=staff["editor"], org=Organization.objects.get(code="hyq-sfj"),
        data={"title": "尚未发布的办法", "draft_text": "第一条 甲。",
              "starts_at": timezone.now(), "ends_at": timezone.now() + dt.timedelta(days=30)})

    page = Client().get(UNIT).content.decode()
    assert "公众参与" in page
    # Escaped, in order: open (with its end instant), awaiting, reported (its report).
    assert "<b>正在征求</b>" not in page and "&lt;b&gt;正在征求&lt;/b&gt;的办法" in page
    end = timezone.localtime(open_.ends_at)
    assert f"征求意见中，{end.year}年{end.month}月{end.day}日{end:%H:%M}截止" in page
    i_open = page.index(reverse("participation:consultation", args=[open_.pk]))
    i_await = page.index(reverse("participation:consultation", args=[awaiting.pk]))
    i_rep = page.index(reverse("participation:feedback", args=[reported.pk]))
    assert i_open < i_await < i_rep
    assert "已反馈的办法意见采纳情况" in page and "意见处理中" in page
    assert "已撤回的办法" not in page and "尚未发布的办法" not in page
    more = f"{reverse('participation:index')}?org=hyq-sfj"
    assert f'href="{more}"' in page
    # The "more" list is the unit's own.
    listing = Client().get(more).content.decode()
    assert "待反馈的办法" in listing and "已撤回" in listing


def test_unit_with_nothing_shows_no_column(publish):
    publish()
    fgj = Organization.objects.get(code="hyq-fgj")
    assert panel.provider(fgj) is None
    assert [p.key for p in registry.unit_panels(fgj)] == []
    page = Client().get("/xxgk/hyq-fgj/").content.decode()
    assert 'id="panel-participation-h"' not in page


def test_unit_list_filter_shows_only_that_unit(publish, make_staff):
    publish(title="司法局的办法")
    page = Client().get(reverse("participation:index"), {"org": "hyq-fgj"}).content.decode()
    assert "司法局的办法" not in page
    page = Client().get(reverse("participation:index"), {"org": "hyq-sfj"}).content.decode()
    assert "司法局的办法" in page
    assert Client().get(reverse("participation:index"), {"org": "\x00<x>"}).status_code == 200


@pytest.fixture
def tree(settings):
    settings.GONGKAI_PUBLISH = True


def _cached():
    assert Client().get(UNIT).status_code == 200
    assert "xxgk/hyq-sfj/index.html" in publish_tree.published_files()


def _gone():
    return "xxgk/hyq-sfj/index.html" not in publish_tree.published_files()


def test_every_change_to_the_column_purges_the_unit_page(
        tree, publish, staff, django_capture_on_commit_callbacks):
    def run(fn):
        _cached()
        with django_capture_on_commit_callbacks(execute=True):
            out = fn()
        assert _gone(), fn
        return out

    c = run(lambda: publish(start=-1, days=30))                      # published
    ch = services.request_change(actor=staff["editor"], consultation=c, kind="extend",
                                 reason="听取更多意见",
                                 new_ends_at=c.ends_at + dt.timedelta(days=7))
    _cached()
    assert not _gone()  # a request alone changes nothing public
    run(lambda: services.approve_change(actor=staff["reviewer"], change=ch,     # extended
                                        revision=change_revision(ch)))
    closed = publish(start=-40, days=30)
    run(lambda: _report(closed, staff))                               # feedback published
    w = publish(start=-1, days=10)
    run(lambda: _withdraw(w, staff))                                  # withdrawn
    cat = services.create_catalog(actor=staff["editor"],
                                  org=Organization.objects.get(code="hyq-sfj"), year=2026)
    services.add_item(actor=staff["editor"], catalog=cat,
                      data={"title": "养犬管理办法制定", "undertaker": "区司法局"})
    services.submit_catalog(actor=staff["editor"], catalog=cat)
    from gongkai.participation.services.catalog import catalog_revision
    run(lambda: services.publish_catalog(actor=staff["reviewer"], catalog=cat,  # catalog
                                         revision=catalog_revision(cat)))


def test_the_clock_closing_a_consultation_purges_the_unit_page(tree, publish):
    c = publish(start=-1, days=30)
    _cached()
    assert panel.sweep(now=c.ends_at - dt.timedelta(minutes=10)) == 0
    assert not _gone()
    # The end instant passed a minute ago: the column now shows it as awaiting feedback.
    Consultation.objects.filter(pk=c.pk).update(ends_at=timezone.now() - dt.timedelta(minutes=1))
    assert panel.sweep() == 1
    assert _gone()
    page = Client().get(UNIT).content.decode()
    assert "意见处理中" in page and "征求意见中，" not in page
