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
