"""The inspection loop against the live test server: 核查—反馈—整改—再核查."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import AuditEntry, Role
from gongkai.disclosure import services as disclosure
from gongkai.disclosure.models import Document
from gongkai.disclosure.tests.factories import node, published
from gongkai.supervision import checks, inspect, services
from gongkai.supervision.models import Finding, FindingStatus

BROKEN = "/xxgk/doc/987654/"


def _run(live_server, gkb):
    return inspect.run(actor=gkb, base_url=live_server.url + "/xxgk/hyq-czj/",
                       follow=("/xxgk/hyq-czj/", "/xxgk/doc/"), delay=0, max_pages=120,
                       max_links=150, timeout=15)


@pytest.mark.django_db(transaction=True)
def test_stale_column_and_broken_link_found_answered_fixed_and_closed(
        live_server, district, org, make_staff, client_for):
    czj = org("hyq-czj")
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    editor, reviewer = make_staff(czj, Role.EDITOR), make_staff(czj, Role.REVIEWER)
    tzgg = node(czj, "tzgg")  # 通知公告: a 动态类 column, two weeks
    old = published(editor, reviewer, czj, node=tzgg, title="关于元旦假期安排的通知",
                    written_date=timezone.localdate() - dt.timedelta(days=45))
    Document.objects.filter(pk=old.pk).update(
        published_at=timezone.now() - dt.timedelta(days=40))
    linked = published(editor, reviewer, czj, node=node(czj, "czxx"), title="2026年部门预算",
                       body=f'<p>详见<a href="{BROKEN}">预算表</a>。</p>')

    run = _run(live_server, gkb)
    assert run.pages > 3
    stale = Finding.objects.get(kind="stale_dynamic", url__endswith="/xxgk/hyq-czj/tzgg/")
    broken = Finding.objects.get(kind="broken_link", url__endswith=f"/xxgk/doc/{linked.pk}/")
    assert stale.org == czj and broken.org == czj  # a document page belongs to its unit
    assert stale.veto and not broken.veto and broken.deduction == 1
    assert BROKEN in broken.detail
    assert Finding.objects.filter(kind="blank_column", org=czj).exists()

    # the unit sees its findings, answers them; another unit cannot
    c = client_for(editor)
    page = c.get(reverse("supervision:findings")).content.decode()
    assert "动态类栏目超过两周未更新" in page and "单项否决" in page
    other = client_for(make_staff("hyq-fgj"))
    assert other.get(reverse("supervision:finding", args=[stale.pk])).status_code == 403
    assert other.post(reverse("supervision:finding", args=[stale.pk]),
                      {"answer": "x"}).status_code == 403
    for f in (stale, broken):
        r = c.post(reverse("supervision:finding", args=[f.pk]), {"answer": "已更新栏目、修正链接"})
        assert r.status_code == 302
        f.refresh_from_db()
        assert f.status == FindingStatus.ANSWERED

    # re-check before the fix: the problem is still there, so it is reopened
    _run(live_server, gkb)
    stale.refresh_from_db()
    assert stale.status == FindingStatus.OPEN

    # the unit fixes both: a new notice, and the reviewer corrects the link
    published(editor, reviewer, czj, node=tzgg, title="关于冬季供暖的通知",
              written_date=timezone.localdate())
    disclosure.update_document(actor=reviewer, document=linked, note="删除失效链接",
                               body="<p>详见预算表附件。</p>")
    c.post(reverse("supervision:finding", args=[stale.pk]), {"answer": "已发布新通知"})
    run = _run(live_server, gkb)
    stale.refresh_from_db()
    broken.refresh_from_db()
    assert stale.status == FindingStatus.CLOSED and broken.status == FindingStatus.CLOSED
    assert run.closed >= 2
    assert AuditEntry.objects.filter(action="dc.inspection.run").count() == 3


@pytest.mark.django_db
def test_unfixed_finding_past_deadline_is_escalated(district, make_staff, org):
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    issue = checks.Issue("stale_column|http://x/xxgk/hyq-czj/tjxx/|", "stale_column",
                         "http://x/xxgk/hyq-czj/tjxx/", "300 天", "hyq-czj", False, 1.0)
    today = dt.date(2026, 1, 5)
    services.record_crawl(actor=gkb, base_url="http://x/", issues=[issue],
                          crawled={issue.url}, today=today)
    f = Finding.objects.get()
    assert f.org == org("hyq-czj") and f.due == today + dt.timedelta(days=14)
    run = services.record_crawl(actor=gkb, base_url="http://x/", issues=[issue],
                                crawled={issue.url}, today=f.due + dt.timedelta(days=1))
    f.refresh_from_db()
    assert f.status == FindingStatus.ESCALATED and run.escalated == 1
    # a page that was not crawled this time says nothing about its findings
    services.record_crawl(actor=gkb, base_url="http://x/", issues=[], crawled=set(),
                          today=today)
    f.refresh_from_db()
    assert f.status == FindingStatus.ESCALATED
    # site-wide issues go to the 公开办's own unit
    site = checks.Issue("ipv6|http://x/|", "ipv6", "http://x/", "无 IPv6", "", False, 5.0)
    services.record_crawl(actor=gkb, base_url="http://x/", issues=[site], crawled=set())
    assert Finding.objects.get(kind="ipv6").org.is_coordinating


@pytest.mark.django_db
def test_only_the_coordinator_runs_inspections_and_edits_words(make_staff, client_for):
    editor = make_staff("hyq-czj", Role.EDITOR)
    c = client_for(editor)
    assert c.post(reverse("supervision:inspection_run")).status_code == 403
    assert c.get(reverse("supervision:words")).status_code == 403
    gkb = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    r = gkb.post(reverse("supervision:words"), {"kind": "typo", "wrong": "槐阴区",
                                                "right": "槐荫区"})
    assert r.status_code == 302
    r = gkb.post(reverse("supervision:words"), {"kind": "typo", "wrong": "同", "right": "同"})
    assert r.status_code == 400 and "相同" in r.content.decode()
    assert gkb.post(reverse("supervision:words"), {"kind": "nope"}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_media_feed_monitoring_reads_a_real_feed(live_server, district, org, make_staff):
    from gongkai.supervision.models import NewMediaAccount
    from gongkai.supervision.tasks import monitor_media

    czj = org("hyq-czj")
    editor, reviewer = make_staff(czj, Role.EDITOR), make_staff(czj, Role.REVIEWER)
    published(editor, reviewer, czj, node=node(czj, "tzgg"), title="新通知",
              written_date=timezone.localdate())
    NewMediaAccount.objects.create(platform="客户端", name="槐荫财政", org=czj, sponsor="财政局",
                                   feed_url=f"{live_server.url}/xxgk/feed/hyq-czj/rss/")
    NewMediaAccount.objects.create(platform="微博", name="失效账号", org=czj, sponsor="财政局",
                                   feed_url=f"{live_server.url}/xxgk/feed/none/rss/")
    assert monitor_media() == 1  # the dead feed has no date: stale
    fresh = NewMediaAccount.objects.get(name="槐荫财政")
    assert fresh.last_update == timezone.localdate() and fresh.last_checked is not None


@pytest.mark.django_db
def test_with_workers_the_inspection_is_queued(settings, make_staff, client_for, monkeypatch):
    from gongkai.supervision import tasks

    queued = []
    monkeypatch.setattr(tasks.inspect_now, "delay", lambda *a: queued.append(a))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.GONGKAI_BASE_URL = "https://www.example.gov.cn/"
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    r = client_for(gkb).post(reverse("supervision:inspection_run"), follow=True)
    assert "检查已开始" in r.content.decode()
    assert queued == [("https://www.example.gov.cn/", gkb.pk)]


@pytest.mark.django_db
def test_a_link_or_file_not_fetched_this_time_keeps_its_finding(district, make_staff):
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    page, file = "http://x/xxgk/hyq-czj/doc/1/", "http://x/xxgk/fj/9/"
    issue = checks.Issue(f"personal_data_attachment|{page}|{file}", "personal_data_attachment",
                         page, "附件「名单」含居民身份证号", "hyq-czj", True, 0.0)
    services.record_crawl(actor=gkb, base_url="http://x/", issues=[issue], crawled={page})
    f = Finding.objects.get()
    # the page was crawled again, still links the file, but the file was not read (budget)
    services.record_crawl(actor=gkb, base_url="http://x/", issues=[], crawled={page},
                          unfetched={file})
    f.refresh_from_db()
    assert f.status == FindingStatus.OPEN
    # read again and clean, or no longer linked: closed
    services.record_crawl(actor=gkb, base_url="http://x/", issues=[], crawled={page})
    f.refresh_from_db()
    assert f.status == FindingStatus.CLOSED
