"""一号答 in site search answers from an in-process index: a published answer shows and a
withdrawn one disappears at once, also in another worker process."""

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.interaction import qa_search, services
from gongkai.interaction.models import QAEntry, QStatus
from gongkai.interaction.search_answers import answers

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "高龄津贴每月发放多少钱？"


def _search(q: str) -> str:
    return Client().get(reverse("search:search") + "?q=" + q).content.decode()


def _entry(people, org, question=QUESTION, answer="80周岁以上老人每月发放高龄津贴100元。"):
    return services.create_qa(actor=people["editor"], org=org("hyq-fgj"), question=question,
                              answer=answer)


def test_published_answer_shows_and_withdrawn_disappears_at_once(people, org, client_for):
    entry = _entry(people, org)
    assert answers("高龄津贴发放标准") == []  # a draft is not an answer
    services.publish_qa(actor=people["reviewer"], entry=entry)
    found = answers("高龄津贴发放标准")
    assert [q for q, _, _ in found] == [QUESTION] and "每月发放高龄津贴100元" in found[0][2]
    assert QUESTION in _search("高龄津贴发放标准")

    reviewer = client_for(people["reviewer"])
    r = reviewer.post(reverse("interaction:staff_qa_detail", args=[entry.pk]),
                      {"action": "withdraw", "reason": "标准已调整"}, follow=True)
    assert "问答已撤下" in r.content.decode()
    assert QAEntry.objects.get(pk=entry.pk).status == QStatus.WITHDRAWN
    assert answers("高龄津贴发放标准") == []
    assert QUESTION not in _search("高龄津贴发放标准")
    assert Client().get(reverse("interaction:qa_detail", args=[entry.pk])).status_code == 404
    r = reviewer.post(reverse("interaction:staff_qa_detail", args=[entry.pk]),
                      {"action": "withdraw", "reason": ""}, follow=True)
    assert "该问答未发布" in r.content.decode()


def test_withdrawal_needs_a_reason_and_a_reviewer(people, org):
    entry = _entry(people, org)
    services.publish_qa(actor=people["reviewer"], entry=entry)
    with pytest.raises(Exception, match="撤下原因"):
        services.withdraw_qa(actor=people["reviewer"], entry=entry, reason=" ")
    with pytest.raises(Exception, match="审核人"):
        services.withdraw_qa(actor=people["editor"], entry=entry, reason="错误")
    assert answers("高龄津贴") != []


def test_another_worker_sees_the_change_through_the_shared_generation(people, org):
    entry = _entry(people, org)
    services.publish_qa(actor=people["reviewer"], entry=entry)
    assert answers("高龄津贴")
    # another worker: its index was built at the current generation; the change is made by a
    # different process, which only bumps the shared generation
    built = qa_search.current_index()
    QAEntry.objects.filter(pk=entry.pk).update(status=QStatus.WITHDRAWN)  # no signal here
    assert qa_search.current_index() is built and answers("高龄津贴")
    from django.core.cache import cache

    cache.set(qa_search.GENERATION_KEY, "bumped-by-another-worker", timeout=None)
    assert answers("高龄津贴") == []


def test_ranking_counts_shared_words_and_question_words(people, org):
    a = _entry(people, org, question="停车收费标准", answer="按小时收费。")
    b = _entry(people, org, question="小区物业管理", answer="停车位由物业管理，收费标准另行公示。")
    c = _entry(people, org, question="医保备案", answer="线上办理。")
    for e in (a, b, c):
        services.publish_qa(actor=people["reviewer"], entry=e)
    # both share 停车 and 收费; a has them in its question
    assert [e.pk for e in qa_search.search_qa("停车收费")] == [a.pk, b.pk]
    assert qa_search.search_qa("STOP") == [] and qa_search.search_qa("") == []
