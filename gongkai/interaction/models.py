"""政民互动: 区长信箱 messages and their replies, 一号答 Q&A entries, hot-topic assignments.

Writers' contact details are stored encrypted (``*_enc``, Fernet via ``gongkai.foi.crypto``)
and only shown, masked, to staff who handle the message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.core.models import Organization
from gongkai.core.uploads import GeneratedName


class Kind(models.TextChoices):
    CONSULT = "consult", "咨询"
    SUGGEST = "suggest", "建议"
    COMPLAIN = "complain", "投诉"
    HELP = "help", "求助"


class Consent(models.TextChoices):
    NONE = "none", "不同意公开"
    ANONYMOUS = "anonymous", "同意公开（隐去姓名）"
    NAMED = "named", "同意公开（署名）"


class Source(models.TextChoices):
    WEB = "web", "网站区长信箱"
    ASK = "ask", "政策文件「我要问」"
    HOTLINE = "hotline", "12345热线转办"


class MStatus(models.TextChoices):
    NEW = "new", "待分办"
    HANDLING = "handling", "办理中"
    REVIEW = "review", "答复待审核"
    ANSWERED = "answered", "已答复"
    MERGED = "merged", "已合并"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Message(models.Model):
    number = models.CharField("信件编号", max_length=32, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    subject = models.CharField("主题", max_length=100)
    body = models.TextField("内容")
    name_enc = models.TextField("姓名（加密）", blank=True)
    phone_enc = models.TextField("电话（加密）", blank=True)
    email_enc = models.TextField("电子邮箱（加密）", blank=True)
    address_enc = models.TextField("地址（加密）", blank=True)
    tracking_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    consent = models.CharField("公开意愿", max_length=20, choices=Consent.choices,
                               default=Consent.NONE)
    source = models.CharField("来源", max_length=20, choices=Source.choices,
                              default=Source.WEB)
    hotline_number = models.CharField("12345工单号", max_length=64, blank=True, db_index=True)
    doc_id = models.IntegerField("所问政策文件", null=True, blank=True)
    interp_id = models.IntegerField("所问政策解读", null=True, blank=True)
    policy_title = models.CharField("所问政策", max_length=300, blank=True)
    attachment = models.FileField("附件", upload_to=GeneratedName("interaction/messages"),
                                  blank=True)
    status = models.CharField("状态", max_length=20, choices=MStatus.choices,
                              default=MStatus.NEW, db_index=True)
    org = models.ForeignKey(Organization, verbose_name="主办单位", null=True, blank=True,
                            on_delete=models.PROTECT, related_name="messages")
    co_orgs = models.ManyToManyField(Organization, verbose_name="协办单位", blank=True,
                                     related_name="co_messages")
    suggested_org = models.ForeignKey(Organization, verbose_name="建议承办单位", null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    merged_into = models.ForeignKey("self", verbose_name="合并至", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="duplicates")
    return_note = models.CharField("退回说明", max_length=500, blank=True)
    received_date = models.DateField("收到日期")
    routed_date = models.DateField("分办日期", null=True, blank=True)
    due_date = models.DateField("答复期限", null=True, blank=True, db_index=True)
    answered_date = models.DateField("答复日期", null=True, blank=True)
    answer_workdays = models.IntegerField("办理用时（工作日）", null=True, blank=True)
    on_time = models.BooleanField("按期答复", null=True, blank=True)
    rating = models.CharField("评价", max_length=20, choices=Rating.choices, blank=True)
    rating_note = models.CharField("评价说明", max_length=500, blank=True)
    reopened = models.BooleanField("已因不满意重新办理", default=False)
    published = models.BooleanField("已公开", default=False, db_index=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    privacy_reason = models.CharField("个人信息检查说明", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "区长信箱来信"
        verbose_name_plural = "区长信箱来信"
        ordering = ["-received_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in (MStatus.NEW, MStatus.HANDLING, MStatus.REVIEW)

    def current_reply(self):
        return self.replies.order_by("-pk").first()

    def sent_replies(self):
        return self.replies.filter(status=RStatus.SENT).order_by("pk")


class MessageAttachment(models.Model):
    """A further file of a message, e.g. the photos and scans of a 12345 work order handed
    over through the API. Stored under a generated name; the sender's file name is kept
    only as metadata."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("附件", upload_to=GeneratedName("interaction/messages"))
    name = models.CharField("原文件名", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "来信附件"
        verbose_name_plural = "来信附件"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name or self.file.name


class RStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    RETURNED = "returned", "已退回修改"
    SENT = "sent", "已审核发出"


class Reply(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="replies")
    org = models.ForeignKey(Organization, verbose_name="答复单位", on_delete=models.PROTECT,
                            related_name="+")
    text = models.TextField("答复内容")
    status = models.CharField("状态", max_length=20, choices=RStatus.choices,
                              default=RStatus.PENDING)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撰写人",
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人",
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_hash = models.CharField(max_length=64, blank=True)
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    sent_date = models.DateField("发出日期", null=True, blank=True)
    co_outstanding_note = models.CharField("协办意见未齐时提交的说明", max_length=500,
                                           blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.message_id} 的答复（{self.get_status_display()}）"


class CPStatus(models.TextChoices):
    OPEN = "open", "待撰写"
    DRAFT = "draft", "草稿"
    PENDING = "pending", "本单位审核中"
    RETURNED = "returned", "已退回修改"
    SUBMITTED = "submitted", "已提交主办单位"


class CoPart(models.Model):
    """A co-handling unit's (协办单位) contribution to the reply: drafted and reviewed
    inside that unit, then submitted to the lead unit, which composes the final reply."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="co_parts")
    org = models.ForeignKey(Organization, verbose_name="协办单位", on_delete=models.PROTECT,
                            related_name="+")
    text = models.TextField("协办意见", blank=True)
    attachment = models.FileField("附件", upload_to=GeneratedName("interaction/co"),
                                  blank=True)
    attachment_name = models.CharField("附件原文件名", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=CPStatus.choices,
                              default=CPStatus.OPEN, db_index=True)
    due_date = models.DateField("提交期限", null=True, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撰写人", null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人",
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_hash = models.CharField(max_length=64, blank=True)
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    submitted_date = models.DateField("提交日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "协办意见"
        verbose_name_plural = "协办意见"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["message", "org"],
                                               name="interaction_copart_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.message_id} 协办意见（{self.org_id}）"

    @property
    def is_submitted(self) -> bool:
        return self.status == CPStatus.SUBMITTED


class QStatus(models.TextChoices):
    DRAFT = "draft", "待审核"
    PUBLISHED = "published", "已发布"
    FLAGGED = "flagged", "待复核（政策失效或到期）"
    WITHDRAWN = "withdrawn", "已撤下"


class QAEntry(models.Model):
    """一号答: one question with its answer and the policies it rests on."""

    question = models.CharField("问题", max_length=300)
    answer = models.TextField("答复")
    org = models.ForeignKey(Organization, verbose_name="答复单位", on_delete=models.PROTECT,
                            related_name="qa_entries")
    doc_ids = models.JSONField("依据的政策文件", default=list, blank=True)
    basis = models.CharField("政策依据", max_length=500, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=QStatus.choices,
                              default=QStatus.DRAFT, db_index=True)
    flag_reason = models.CharField("待复核原因", max_length=300, blank=True)
    source_message = models.ForeignKey(Message, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="qa_entries")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "一号答问答"
        verbose_name_plural = "一号答问答"
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.question


class ProposalKind(models.TextChoices):
    NPC = "npc", "人大代表建议"
    CPPCC = "cppcc", "政协委员提案"


class Proposal(models.Model):
    """建议提案: one 人大代表建议 or 政协委员提案 and its 办理结果."""

    kind = models.CharField("类别", max_length=10, choices=ProposalKind.choices)
    year = models.PositiveIntegerField("年度", db_index=True)
    number = models.CharField("编号", max_length=50)
    title = models.CharField("标题", max_length=300)
    proposer = models.CharField("代表/委员", max_length=200, blank=True)
    proposer_public = models.BooleanField("公开代表/委员姓名", default=False)
    org = models.ForeignKey(Organization, verbose_name="主办单位", on_delete=models.PROTECT,
                            related_name="proposals")
    co_orgs = models.CharField("协办单位", max_length=300, blank=True)
    assigned_date = models.DateField("交办日期")
    deadline = models.DateField("办理期限")
    # A code of the local scheme (GONGKAI_PROPOSAL_CATEGORIES, see ``categories``).
    category = models.CharField("答复类别", max_length=2, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    publish_full = models.BooleanField("公开答复全文", default=True)
    answered_date = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    published = models.BooleanField("已公开", default=False, db_index=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "建议提案"
        verbose_name_plural = "建议提案"
        ordering = ["-year", "kind", "number"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "number"],
                                               name="interaction_proposal_unique_number")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}第{self.number}号 {self.title}"

    @property
    def category_label(self) -> str:
        from gongkai.interaction import categories

        return categories.label(self.category)


class EventKind(models.TextChoices):
    INTERVIEW = "interview", "在线访谈"
    OPEN_DAY = "open_day", "政府开放日"
    ONLINE = "online", "网络问政"
    PRESS = "press", "新闻发布会"


class Event(models.Model):
    kind = models.CharField("类型", max_length=20, choices=EventKind.choices)
    title = models.CharField("标题", max_length=200)
    description = models.TextField("简介", blank=True)
    org = models.ForeignKey(Organization, verbose_name="主办单位", on_delete=models.PROTECT,
                            related_name="events")
    starts_at = models.DateTimeField("时间")
    location = models.CharField("地点", max_length=200, blank=True)
    guests = models.CharField("嘉宾", max_length=500, blank=True)
    capacity = models.PositiveIntegerField("报名名额", default=0,
                                           help_text="0 表示不接受报名")
    record = models.TextField("活动实录", blank=True)
    video_url = models.URLField("视频链接", blank=True)
    published = models.BooleanField("已发布", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "访谈和开放日活动"
        verbose_name_plural = "访谈和开放日活动"
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name_enc = models.TextField("姓名（加密）")
    phone_enc = models.TextField("电话（加密）")
    code_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "活动报名"
        verbose_name_plural = "活动报名"

    def __str__(self) -> str:
        return f"{self.event_id} 报名 {self.pk}"


class EventQuestion(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField("问题", max_length=500)
    answer = models.TextField("回答", blank=True)
    public = models.BooleanField("公开", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "网民提问"
        verbose_name_plural = "网民提问"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Commitment(models.Model):
    """A promise made at an event, tracked to closure by its responsible unit."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="commitments")
    text = models.CharField("承诺事项", max_length=500)
    org = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT,
                            related_name="+")
    deadline = models.DateField("完成期限")
    result = models.TextField("落实情况", blank=True)
    done_date = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "承诺事项"
        verbose_name_plural = "承诺事项"
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class TopicResponse(models.Model):
    """A hot topic assigned for a public response: who, by when, where it is published."""

    term = models.CharField("热点话题", max_length=100)
    org = models.ForeignKey(Organization, verbose_name="回应单位", on_delete=models.PROTECT,
                            related_name="+")
    deadline = models.DateField("回应期限")
    channel = models.CharField("发布渠道", max_length=200, blank=True)
    result = models.TextField("回应情况", blank=True)
    closed_date = models.DateField("办结日期", null=True, blank=True)
    # [[source label, texts mentioning the term in the 30 days before assignment], …]:
    # why it was assigned, as counts only (never the texts).
    sources = models.JSONField("交办时来源统计", default=list, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "热点回应"
        verbose_name_plural = "热点回应"
        ordering = ["closed_date", "deadline", "pk"]

    def __str__(self) -> str:
        return self.term

    @property
    def source_total(self) -> int:
        return sum(n for _, n in self.sources)
