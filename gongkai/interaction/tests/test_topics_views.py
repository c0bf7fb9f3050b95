"""Hot topics on the coordinator's dashboard, assigned for a response and closed by the unit."""

import pytest
from django.urls import reverse

from gongkai.interaction import services
from gongkai.interaction.models import TopicResponse

pytestmark = pytest.mark.django_db


def test_dashboard_shows_hot_terms_and_assignment_is_tracked(people, letter, org, client_for):
    for body in ["小区停车位不足，停车收费太高", "停车难，希望增加停车位", "医院停车场排队太久"]:
        services.submit_message(data=dict(letter, subject="停车问题", body=body))
    gkb = client_for(people["gkb"])
    page = gkb.get(reverse("interaction:staff_dashboard")).content.decode()
    assert "停车" in page and "热点" in page
    r = gkb.post(reverse("interaction:staff_topics"),
                 {"action": "assign", "term": "停车", "org": org("hyq-fgj").pk,
                  "deadline": "2027-01-10", "channel": "政策解读栏目"})
    assert r.status_code == 302
    t = TopicResponse.objects.get()
    editor = client_for(people["editor"])
    assert editor.post(reverse("interaction:staff_topics"),
                       {"action": "assign", "term": "x", "org": org("hyq-fgj").pk,
                        "deadline": "2027-01-01"}).status_code == 403
    assert TopicResponse.objects.count() == 1  # only the coordinator assigns
    other = client_for(people["other"])
    assert other.post(reverse("interaction:staff_topics"),
                      {"action": "close", "topic": t.pk, "result": "x"}).status_code == 404
    editor.post(reverse("interaction:staff_topics"),
                {"action": "close", "topic": t.pk, "result": "已发布停车收费政策解读"})
    t.refresh_from_db()
    assert t.closed_date and "停车收费" in t.result
    r = gkb.post(reverse("interaction:staff_topics"),
                 {"action": "assign", "term": "x", "org": "abc", "deadline": "zz"}, follow=True)
    assert "有效的回应期限" in r.content.decode()


def test_topics_page_shows_counts_by_source_and_the_tracking(people, letter, org, client_for):
    for body in ["小区停车位不足", "停车难，希望增加停车位", "医院停车场排队太久"]:
        services.submit_message(data=dict(letter, subject="停车问题", body=body + "，张三反映"))
    services.create_qa(actor=people["editor"], org=org("hyq-fgj"), question="停车收费标准？",
                       answer="见公示。")
    gkb = client_for(people["gkb"])
    page = gkb.get(reverse("interaction:staff_topics")).content.decode()
    hot = page[page.index('id="hot-topics"'):]
    assert "停车" in hot and "区长信箱留言 3条" in hot and "一号答问题 1条" in hot
    assert "医院停车场排队太久" not in page  # counts only, never the texts
    gkb.post(reverse("interaction:staff_topics"),
             {"action": "assign", "term": "停车", "org": org("hyq-fgj").pk,
              "deadline": "2020-01-10", "channel": "政策解读栏目"})
    t = TopicResponse.objects.get()
    assert t.sources == [["区长信箱留言", 3], ["一号答问题", 1]]
    editor = client_for(people["editor"])
    page = editor.get(reverse("interaction:staff_topics")).content.decode()
    assert "区长信箱留言 3条、一号答问题 1条" in page  # the unit sees why it was assigned
    assert 'id="hot-topics"' not in page  # the live list is the coordinator's
    assert "政策解读栏目" in page and "已超期" in page and "回应中" in page
    assert people["gkb"].username in page or people["gkb"].get_full_name() in page
    editor.post(reverse("interaction:staff_topics"),
                {"action": "close", "topic": t.pk, "result": "已在政策解读栏目发布停车收费说明"})
    page = editor.get(reverse("interaction:staff_topics")).content.decode()
    assert "已办结" in page and "已在政策解读栏目发布停车收费说明" in page and "超期办结" in page
    month = gkb.get(reverse("interaction:staff_topics") + "?period=month").content.decode()
    assert "本月热点" in month
