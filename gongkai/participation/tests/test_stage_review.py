"""Stages of a catalog item are reviewed before they go public (先审后发): drafted by the
unit's 信息员, published by a 审核人 of that unit who did not write them, against the
content they saw."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.core.models import AuditEntry, Organization, Role
from gongkai.participation import services
from gongkai.participation.models import Review, Stage
from gongkai.participation.services.catalog import catalog_revision
from gongkai.participation.services.stages import stage_revision

pytestmark = pytest.mark.django_db

MEETING = dict(kind="meeting", title="区政府第12次常务会议", summary="会议审议通过。",
               attendees="市民代表张某列席，建议增加过渡期。", attendee_uptake="已采纳。")


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


def _public(item) -> str:
    return Client().get(reverse("participation:decision", args=[item.pk])).content.decode()


def test_stage_is_public_only_after_another_reviewer_publishes_it(staff, item):
    s = services.add_stage(actor=staff["editor"], decision=item, **MEETING)
    assert s.review_status == Review.DRAFT
    assert "市民代表张某" not in _public(item)
    services.submit_stage(actor=staff["editor"], stage=s)
    assert "区政府第12次常务会议" not in _public(item)
    item.refresh_from_db()
    assert item.get_status_display() == "计划中"
    # The 审核人 of another unit may not publish it, nor may its author.
    with pytest.raises(PermissionDenied):
        services.publish_stage(actor=staff["other_reviewer"], stage=s,
                               revision=stage_revision(s))
    with pytest.raises(PermissionDenied):
        services.publish_stage(actor=staff["editor"], stage=s, revision=stage_revision(s))
    services.publish_stage(actor=staff["reviewer"], stage=s, revision=stage_revision(s))
    page = _public(item)
    assert "区政府第12次常务会议" in page and "市民代表张某列席" in page
    item.refresh_from_db()
    assert item.get_status_display() == "已审议"
    assert AuditEntry.objects.filter(action="gzcy.stage.publish",
                                     actor=staff["reviewer"]).count() == 1
    with pytest.raises(ValidationError, match="不能修改"):
        services.update_stage(actor=staff["editor"], stage=s, **MEETING | {"title": "改"})


def test_reviewer_cannot_approve_a_stage_they_wrote(staff, item):
    s = services.add_stage(actor=staff["reviewer"], decision=item, submit=True, **MEETING)
    with pytest.raises(PermissionDenied, match="自己起草"):
        services.publish_stage(actor=staff["reviewer"], stage=s, revision=stage_revision(s))
    assert Stage.objects.get(pk=s.pk).review_status == Review.PENDING


def test_change_after_the_reviewer_opened_it_is_refused_and_returns_to_draft(staff, item):
    s = services.add_stage(actor=staff["editor"], decision=item, submit=True, **MEETING)
    seen = stage_revision(s)
    services.update_stage(actor=staff["editor"], stage=s,
                          **MEETING | {"attendee_uptake": "不予采纳。"})
    s.refresh_from_db()
    assert s.review_status == Review.DRAFT
    with pytest.raises(ValidationError, match="只有待审核"):
        services.publish_stage(actor=staff["reviewer"], stage=s, revision=seen)
    services.submit_stage(actor=staff["editor"], stage=s)
    with pytest.raises(ValidationError, match="审核后已被修改"):
        services.publish_stage(actor=staff["reviewer"], stage=s, revision=seen)
    assert "不予采纳" not in _public(item)
    services.publish_stage(actor=staff["reviewer"], stage=s, revision=stage_revision(s))
    assert "不予采纳" in _public(item)


def test_returned_stage_goes_back_to_draft_with_reason(staff, item):
    s = services.add_stage(actor=staff["editor"], decision=item, submit=True, **MEETING)
    with pytest.raises(ValidationError, match="理由"):
        services.return_stage(actor=staff["reviewer"], stage=s, reason=" ")
    services.return_stage(actor=staff["reviewer"], stage=s, reason="请补充会议日期")
    s.refresh_from_db()
    assert s.review_status == Review.DRAFT and s.return_reason == "请补充会议日期"
    assert "区政府第12次常务会议" not in _public(item)


def test_workbench_lists_pending_stage_for_the_reviewer_and_publishes_it(staff, item,
                                                                         client_for):
    ed = client_for(staff["editor"])
    url = reverse("participation:staff_item", args=[item.pk])
    assert ed.post(url, {**MEETING, "submit": "1"}).status_code == 302
    s = Stage.objects.get(decision=item)
    assert s.review_status == Review.PENDING and s.created_by == staff["editor"]
    rv = client_for(staff["reviewer"])
    board = rv.get(reverse("participation:staff_index")).content.decode()
    assert "决策环节" in board and "养犬管理办法制定" in board
    # Not in the author's own review list, nor another unit's reviewer's.
    assert "决策环节：" not in ed.get(reverse("participation:staff_index")).content.decode()
    other = client_for(staff["other_reviewer"]).get(reverse("participation:staff_index"))
    assert "决策环节：" not in other.content.decode()
    page = rv.get(url).content.decode()
    assert stage_revision(s) in page and "审核通过并发布" in page
    act = reverse("participation:staff_stage_action", args=[item.pk, s.pk, "publish"])
    assert rv.post(act, {"revision": "0" * 64}).status_code == 302
    assert Stage.objects.get(pk=s.pk).review_status == Review.PENDING
    assert rv.post(act, {"revision": stage_revision(s)}).status_code == 302
    assert Stage.objects.get(pk=s.pk).review_status == Review.PUBLISHED
    assert "市民代表张某列席" in _public(item)


def test_staff_edit_of_a_pending_stage_through_the_form(staff, item, client_for):
    s = services.add_stage(actor=staff["editor"], decision=item, submit=True, **MEETING)
    ed = client_for(staff["editor"])
    url = reverse("participation:staff_item", args=[item.pk])
    form = ed.get(url, {"edit": s.pk}).content.decode()
    assert "区政府第12次常务会议" in form and "保存修改" in form
    r = ed.post(f"{url}?edit={s.pk}", {**MEETING, "summary": "会议审议通过，修改后实施。"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.summary == "会议审议通过，修改后实施。" and s.review_status == Review.DRAFT
    assert ed.get(url, {"edit": "abc"}).status_code == 200
    assert ed.get(url, {"edit": "999999"}).status_code == 404


def test_search_indexes_only_published_stages(staff, item):
    from gongkai.participation.search import decision_entry

    item.catalog.refresh_from_db()
    row = item.catalog.snapshot[0]
    s = services.add_stage(actor=staff["editor"], decision=item, submit=True, **MEETING)
    assert "常务会议" not in decision_entry(item, row).body
    services.publish_stage(actor=staff["reviewer"], stage=s, revision=stage_revision(s))
    assert "常务会议" in decision_entry(item, row).body


def test_other_units_editor_cannot_add_or_act(staff, item, make_staff):
    fgj_ed = make_staff("hyq-fgj", Role.EDITOR, "fgj_ed2")
    with pytest.raises(PermissionDenied):
        services.add_stage(actor=fgj_ed, decision=item, **MEETING)
    s = services.add_stage(actor=staff["editor"], decision=item, **MEETING)
    with pytest.raises(PermissionDenied):
        services.submit_stage(actor=fgj_ed, stage=s)


def test_migration_keeps_stages_recorded_before_review_public(staff, item):
    """Stages recorded before review existed were public already: they stay published."""
    import importlib

    from django.apps import apps

    s = services.add_stage(actor=staff["editor"], decision=item, **MEETING)
    assert "区政府第12次常务会议" not in _public(item)
    migration = importlib.import_module("gongkai.participation.migrations.0005_stage_review")
    migration.publish_existing(apps, None)
    s.refresh_from_db()
    assert s.review_status == Review.PUBLISHED and s.published_at == s.created_at
    assert "区政府第12次常务会议" in _public(item)


def test_the_gongkaiban_coordinator_may_publish_a_units_stage(staff, item, make_staff):
    coordinator = make_staff("hyq-zfb", Role.COORDINATOR)
    s = services.add_stage(actor=staff["editor"], decision=item, submit=True, **MEETING)
    services.publish_stage(actor=coordinator, stage=s, revision=stage_revision(s))
    assert Stage.objects.get(pk=s.pk).reviewed_by == coordinator
    assert "区政府第12次常务会议" in _public(item)


def test_workbench_notice_tells_the_reviewer_not_the_author(staff, item):
    import datetime as dt

    from gongkai.participation.notices import workbench_notices

    services.add_stage(actor=staff["editor"], decision=item, submit=True, **MEETING)
    today = dt.date.today()
    assert any("决策环节待您审核" in text
               for _, text, _ in workbench_notices(staff["reviewer"], today))
    assert not any("决策环节" in text for _, text, _ in workbench_notices(staff["editor"], today))
    assert not any("决策环节" in text
                   for _, text, _ in workbench_notices(staff["other_reviewer"], today))
