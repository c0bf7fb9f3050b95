"""19号 单项否决: messages unanswered for three months, read through the message app's
statistic; with no such app the inspection says nothing about it."""

import pytest
from django.urls import reverse

from gongkai.core import registry
from gongkai.core.models import Role
from gongkai.supervision import inspect
from gongkai.supervision.models import Finding, FindingStatus

KEY = "interaction.unanswered_3_months"


def _run(live_server, gkb):
    return inspect.run(actor=gkb, base_url=live_server.url + "/", delay=0, max_pages=1,
                       max_links=0, timeout=15)


@pytest.mark.django_db(transaction=True)
def test_unanswered_messages_are_a_veto_per_unit_and_only_when_the_app_says_so(
        live_server, district, org, make_staff, client_for, monkeypatch):
    czj = org("hyq-czj")
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    counts = {czj.pk: 2, None: 3}  # one more site-wide: a message no unit was given
    calls = []

    def unanswered(unit, start, end):
        calls.append((unit, start, end))
        return counts.get(unit.pk if unit is not None else None, 0)

    # No message app: nothing — no finding, and not a pass either.
    monkeypatch.delitem(registry._statistics, KEY, raising=False)
    _run(live_server, gkb)
    assert not Finding.objects.filter(kind="unanswered_messages").exists()

    monkeypatch.setitem(registry._statistics, KEY, registry.Statistic(
        KEY, "超过3个月未回复的留言", unanswered, "件", False))
    _run(live_server, gkb)
    assert any(unit is None for unit, _, _ in calls)  # the whole site was asked too
    unit_f = Finding.objects.get(kind="unanswered_messages", org=czj)
    site_f = Finding.objects.get(kind="unanswered_messages", org__is_coordinating=True)
    assert unit_f.veto and site_f.veto
    assert "2 件" in unit_f.detail and "1 件" in site_f.detail and "未分办" in site_f.detail
    page = client_for(make_staff(czj, Role.EDITOR)).get(reverse("supervision:findings"))
    html = page.content.decode()
    assert "留言超过三个月未回复" in html and "单项否决" in html

    # The app goes away (or is not answering): the open findings stay as they are.
    monkeypatch.delitem(registry._statistics, KEY)
    _run(live_server, gkb)
    unit_f.refresh_from_db()
    assert unit_f.status == FindingStatus.OPEN

    # The unit answers its messages: the next inspection closes its finding.
    monkeypatch.setitem(registry._statistics, KEY, registry.Statistic(
        KEY, "超过3个月未回复的留言", unanswered, "件", False))
    counts[czj.pk], counts[None] = 0, 1
    _run(live_server, gkb)
    unit_f.refresh_from_db()
    site_f.refresh_from_db()
    assert unit_f.status == FindingStatus.CLOSED and site_f.status == FindingStatus.OPEN
