"""The shell shows what the apps registered, and names no app itself."""

from pathlib import Path

import pytest

from gongkai.core import registry
from gongkai.core.models import Role

GONGKAI = Path(__file__).resolve().parents[2]


def test_public_nav_comes_from_every_app_in_order():
    labels = [link.label for link in registry.public_nav()]
    assert labels[0] == "首页"
    for label in ["政府信息公开", "政策文件", "政策解读", "依申请公开", "政府公报", "法规库",
                  "公开年报"]:
        assert label in labels
    assert "工作人员入口" not in labels  # footer only


def test_an_entry_whose_url_does_not_resolve_is_left_out_not_an_error():
    registry.public_section("test-missing", "不存在的栏目", "nosuchapp:index", order=5)
    try:
        assert "不存在的栏目" not in [link.label for link in registry.public_nav()]
    finally:
        registry._public.pop("test-missing")


def test_registering_a_key_twice_replaces_it():
    registry.tile("test-twice", "甲", "core:audit")
    registry.tile("test-twice", "乙", "core:audit")
    try:
        labels = [t.label for t in registry.workbench_tiles(coordinator=True)]
        assert "乙" in labels and "甲" not in labels
    finally:
        registry._tiles.pop("test-twice")


def test_coordinator_only_entries_are_hidden_from_other_staff():
    staff = [link.label for link in registry.staff_nav(coordinator=False)]
    coordinator = [link.label for link in registry.staff_nav(coordinator=True)]
    assert "工作日历" not in staff
    assert "工作日历" in coordinator


@pytest.mark.django_db
def test_home_footer_and_staff_bar_render_registered_links(client, make_staff, client_for):
    page = client.get("/").content.decode()
    for link in registry.home_tiles() + registry.footer_links():
        assert f'href="{link.url}"' in page
    editor = make_staff("hyq-fgj", Role.EDITOR)
    bench = client_for(editor).get("/staff/").content.decode()
    for link in registry.staff_nav(coordinator=False):
        assert f'href="{link.url}"' in bench
    for link in registry.workbench_tiles(coordinator=False):
        assert link.label in bench
    assert "工作日历" not in bench


def test_templates_contain_no_literal_site_paths():
    """Links are {% url %} or registered entries, so an app can move or be left out."""
    import re

    pattern = re.compile(r'(?:href|action|src)="/[a-z]')
    offenders = [
        f"{path.relative_to(GONGKAI)}:{n}"
        for path in GONGKAI.rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_object_links_registered_by_another_app_show_on_document_pages(client, make_staff):
    """「我要问」 is interaction's link; the document page only renders registered links."""
    from django.urls import reverse

    from gongkai.disclosure.tests.factories import published

    editor = make_staff("hyq-fgj", Role.EDITOR)
    reviewer = make_staff("hyq-fgj", Role.REVIEWER)
    doc = published(editor, reviewer, editor.staff_profile.org)
    html = client.get(doc.get_absolute_url()).content.decode()
    assert f'href="{reverse("interaction:ask")}?doc={doc.pk}"' in html
    assert "我要问" in html


@pytest.mark.django_db
def test_a_unit_panel_shows_on_that_units_page_only(client, district):
    from gongkai.core.models import Organization

    def provider(org):
        if org.code != "hyq-fgj":
            return None
        return ([registry.Link("关于<草案>征求意见", "/x/", "征求意见中")],
                registry.Link("更多", "/y/"))

    registry.unit_panel("test-panel", "测试栏目", provider)
    try:
        from django.urls import reverse

        page = client.get(reverse("disclosure:unit", args=["hyq-fgj"])).content.decode()
        assert "测试栏目" in page and "关于&lt;草案&gt;征求意见" in page
        assert 'href="/y/"' in page
        other = Organization.objects.exclude(code="hyq-fgj").filter(is_active=True).first()
        page = client.get(reverse("disclosure:unit", args=[other.code])).content.decode()
        assert "测试栏目" not in page
    finally:
        registry._unit_panels.pop("test-panel")


def test_topic_sources_are_listed_by_key():
    registry.topic_source("test-topics", "测试来源", lambda start, end: ["房租减免"])
    try:
        label, texts = registry.topic_sources()["test-topics"]
        assert label == "测试来源" and list(texts(None, None)) == ["房租减免"]
    finally:
        registry._topic_sources.pop("test-topics")


def test_links_resolved_once_still_follow_every_registration_change():
    """The shell's lists are resolved once per registration state (a page asks on every
    request): a section added or taken away shows at once."""
    before = [link.label for link in registry.public_nav()]
    registry.public_section("test-added", "新加栏目", "core:audit", order=5)
    try:
        assert "新加栏目" in [link.label for link in registry.public_nav()]
    finally:
        registry._public.pop("test-added")
    assert [link.label for link in registry.public_nav()] == before
