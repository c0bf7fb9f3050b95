"""RSS of published exchanges and 一号答 answers (what the public may read, nothing else)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse

from gongkai.interaction.models import Message, QAEntry, QStatus


class ExchangeFeed(Feed):
    title = "区长信箱来信选登"
    description = "经来信人同意公开的来信和答复"

    def link(self):
        return reverse("interaction:exchanges")

    def items(self):
        return Message.objects.filter(published=True).select_related("org").order_by(
            "-published_at")[:30]

    def item_title(self, item):
        return item.subject

    def item_description(self, item):
        reply = item.sent_replies().last()
        return f"{item.org.name}答复：{reply.text[:200]}" if reply else ""

    def item_link(self, item):
        return reverse("interaction:exchange", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at


class QAFeed(Feed):
    title = "政策咨询「一号答」"
    description = "新发布的政策咨询问答"

    def link(self):
        return reverse("interaction:qa")

    def items(self):
        return QAEntry.objects.filter(status=QStatus.PUBLISHED).select_related("org")[:30]

    def item_title(self, item):
        return item.question

    def item_description(self, item):
        return item.answer[:300]

    def item_link(self, item):
        return reverse("interaction:qa_detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at
