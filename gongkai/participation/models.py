"""重大行政决策事项目录 (catalog, items, stages) and 征求意见 (consultations, articles,
opinions, groups, feedback reports)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organization


class Review(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已发布"


class Reviewed(models.Model):
    """Reviewed before going public: approval is bound to the content hash the reviewer saw."""

    review_status = models.CharField("审核状态", max_length=12, choices=Review.choices,
                                     default=Review.DRAFT)
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_hash = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.review_status == Review.PUBLISHED


PROCEDURES = [
    ("public", "公众参与"), ("expert", "专家论证"), ("risk", "风险评估"),
    ("legal", "合法性审查"), ("collective", "集体讨论决定"), ("hearing", "听证"),
]


class Catalog(Reviewed):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT,
                            related_name="decision_catalogs", verbose_name="单位")
    year = models.PositiveIntegerField("年度")
    # The items as the reviewer approved them; public pages show these, not later drafts.
    snapshot = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "重大行政决策事项目录"
        verbose_name_plural = verbose_name
        ordering = ["-year", "org__sort_order"]
        constraints = [models.UniqueConstraint(fields=["org", "year"],
                                               name="gzcy_catalog_org_year")]

    def __str__(self) -> str:
        return f"{self.org.name}{self.year}年度重大行政决策事项目录"

    def get_absolute_url(self) -> str:
        return reverse("participation:catalog", args=[self.pk])


class DecisionStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    CONSULTING = "consulting", "征求意见中"
    DELIBERATED = "deliberated", "已审议"
    DECIDED = "decided", "已决策"
    ADJUSTED = "adjusted", "已调整"


class Decision(models.Model):
    """One item of the catalog."""

    catalog = models.ForeignKey(Catalog, on_delete=models.PROTECT, related_name="items")
    seq = models.PositiveIntegerField("序号", default=1)
    title = models.CharField("决策事项名称", max_length=200)
    undertaker = models.CharField("承办单位", max_length=100)
    basis = models.TextField("决策依据", max_length=2000, blank=True)
    planned = models.CharField("计划完成时间", max_length=50, blank=True)
    procedures = models.JSONField("适用程序", default=list, blank=True)
    status = models.CharField("状态", max_length=12, choices=DecisionStatus.choices,
                              default=DecisionStatus.PLANNED)
    adjustment = models.TextField("调整说明", max_length=2000, blank=True)
    added_in_adjustment = models.BooleanField("年中调整增补", default=False)

    class Meta:
        verbose_name = "重大行政决策事项"
        verbose_name_plural = verbose_name
        ordering = ["catalog", "seq", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:decision", args=[self.pk])

    @property
    def org(self) -> Organization:
        return self.catalog.org

    def procedure_labels(self) -> list[str]:
        names = dict(PROCEDURES)
        return [names[p] for p in self.procedures if p in names]


class StageKind(models.TextChoices):
    DRAFT = "draft", "决策草案及起草说明"
    CONSULTATION = "consultation", "征求意见"
    FEEDBACK = "feedback", "意见采纳情况"
    EXPERT = "expert", "专家论证"
    RISK = "risk", "风险评估"
    LEGAL = "legal", "合法性审查"
    SYMPOSIUM = "symposium", "座谈会"
    VISIT = "visit", "实地走访"
    SURVEY = "survey", "问卷调查"
    HEARING = "hearing", "听证会"
    POLL = "poll", "民意调查"
    MEETING = "meeting", "会议审议情况"
    RESULT = "result", "决策结果"
    INTERPRETATION = "interpretation", "政策解读"


# The order of a major decision's procedure (国务院令第713号 chapters 2–3), for timelines.
STAGE_ORDER = ["draft", "consultation", "symposium", "visit", "survey", "hearing", "poll",
               "expert", "risk", "feedback", "legal", "meeting", "result", "interpretation"]


def timeline(stages) -> list:
    """Stages in procedure order, dated ones by date within a kind."""
    return sorted(stages, key=lambda s: (STAGE_ORDER.index(s.kind) if s.kind in STAGE_ORDER
                                         else 99, s.date or dt.date.max, s.pk))


class Stage(Reviewed):
    """A stage of a decision's procedure, linked to where its record is published, or
    skipped with a recorded reason. Drafted by the unit's staff and shown publicly only
    once a reviewer who did not write it approved exactly that content (先审后发)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="stages")
    kind = models.CharField("环节", max_length=16, choices=StageKind.choices)
    title = models.CharField("标题", max_length=200, blank=True)
    date = models.DateField("日期", null=True, blank=True)
    summary = models.TextField("情况说明", max_length=5000, blank=True)
    url = models.CharField("链接", max_length=500, blank=True,
                           help_text="站内页面路径（以 / 开头）或政府网站地址")
    consultation = models.ForeignKey("Consultation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="stages")
    # A document or 政策解读 of the platform, picked by staff (see policydocs: ids, not
    # foreign keys, as interaction's 一号答 keeps doc_ids), with its title when picked.
    doc_id = models.PositiveIntegerField("关联文件", null=True, blank=True)
    interp_id = models.PositiveIntegerField("关联政策解读", null=True, blank=True)
    ref_title = models.CharField("关联文件标题", max_length=300, blank=True)
    attendees = models.TextField("列席人员及意见", max_length=5000, blank=True)
    attendee_uptake = models.TextField("列席意见采纳情况", max_length=5000, blank=True)
    skipped_reason = models.CharField("未开展理由", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "决策环节"
        verbose_name_plural = verbose_name
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}".strip()

    def ref_key(self) -> tuple[str, int] | None:
        if self.doc_id:
            return ("doc", self.doc_id)
        if self.interp_id:
            return ("interp", self.interp_id)
        return None

    def ref(self):
        """The picked document or 解读 as it is now (``policydocs.Ref``), or None. Pages
        fill ``_ref`` for all their stages at once (``policydocs.annotate``)."""
        key = self.ref_key()
        if key is None:
            return None
        if not hasattr(self, "_ref"):
            from gongkai.participation import policydocs

            self._ref = policydocs.get(*key)
        return self._ref

    def ref_dead(self) -> bool:
        """A picked document that was withdrawn or is no longer public: no live link."""
        ref = self.ref()
        return self.ref_key() is not None and (ref is None or not ref.live)

    def link(self) -> str:
        if self.consultation_id:
            if self.kind == StageKind.FEEDBACK:
                return reverse("participation:feedback", args=[self.consultation_id])
            return reverse("participation:consultation", args=[self.consultation_id])
        if self.ref_key() is not None:
            ref = self.ref()
            return ref.url if ref is not None and ref.live else ""
        return self.url


class Consultation(Reviewed):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT,
                            related_name="consultations", verbose_name="单位")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="consultations", verbose_name="重大行政决策事项")
    title = models.CharField("标题", max_length=200)
    draft_text = models.TextField("草案正文", max_length=200_000)
    explanation = models.TextField("起草说明", max_length=50_000, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("截止时间")
    short_period_reason = models.CharField("征求意见期限少于30日的理由", max_length=500,
                                           blank=True)
    contact = models.TextField("意见反馈渠道", max_length=2000, blank=True)
    final_text = models.TextField("最终通过文本", max_length=200_000, blank=True)
    final_url = models.CharField("决策结果链接", max_length=500, blank=True)
    # 撤回: the page stays (nothing is deleted), shows the reason and refuses comments.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回理由", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = verbose_name
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:consultation", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.is_published and not self.is_withdrawn
                and self.starts_at <= now < self.ends_at)

    def phase(self, now=None) -> str:
        now = now or timezone.now()
        if not self.is_published:
            return "unpublished"
        if self.is_withdrawn:
            return "withdrawn"
        if now < self.starts_at:
            return "upcoming"
        if now < self.ends_at:
            return "open"
        report = getattr(self, "report", None)
        if report is not None and report.is_published:
            return "reported"
        return "awaiting"

    PHASES = {"unpublished": "未发布", "upcoming": "即将开始", "open": "征求意见中",
              "awaiting": "意见处理中", "reported": "已反馈", "withdrawn": "已撤回"}

    def phase_label(self) -> str:
        return self.PHASES[self.phase()]


class ChangeKind(models.TextChoices):
    EXTEND = "extend", "延长征求意见期"
    WITHDRAW = "withdraw", "撤回"


class PeriodChange(models.Model):
    """A change to a published consultation's period: extend the end instant (only later)
    or withdraw it, each with a public reason. Requested by the unit's staff and applied
    when a reviewer other than the requester approves exactly what was requested."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT,
                                     related_name="period_changes")
    kind = models.CharField("类型", max_length=10, choices=ChangeKind.choices)
    old_ends_at = models.DateTimeField("原截止时间")
    new_ends_at = models.DateTimeField("延长至", null=True, blank=True)
    reason = models.CharField("理由（公开）", max_length=500)
    status = models.CharField("审核状态", max_length=12, choices=Review.choices,
                              default=Review.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_hash = models.CharField(max_length=64, blank=True)
    applied_at = models.DateTimeField("生效时间", null=True, blank=True)
    return_reason = models.CharField("退回理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "征求意见期变更"
        verbose_name_plural = verbose_name
        ordering = ["consultation", "requested_at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_applied(self) -> bool:
        return self.status == Review.PUBLISHED

    # PeriodChange has no created_by/submitted_by: check_reviewer reads these.
    @property
    def created_by_id(self):
        return self.requested_by_id

    @property
    def submitted_by_id(self):
        return self.requested_by_id


class Article(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="articles")
    number = models.PositiveIntegerField("顺序")
    label = models.CharField("条号", max_length=30)
    chapter = models.CharField("章", max_length=200, blank=True)
    text = models.TextField("内容")

    class Meta:
        ordering = ["consultation", "number"]
        constraints = [models.UniqueConstraint(fields=["consultation", "number"],
                                               name="gzcy_article_number")]

    def __str__(self) -> str:
        return self.label

    def paragraphs(self) -> list[str]:
        return self.text.split("\n")


class Channel(models.TextChoices):
    ONLINE = "online", "网上留言"
    POST = "post", "信函"
    EMAIL = "email", "电子邮件"
    SYMPOSIUM = "symposium", "座谈会"
    HEARING = "hearing", "听证会"
    VISIT = "visit", "实地走访"
    PHONE = "phone", "电话"


class Disposition(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    REJECTED = "rejected", "不予采纳"


class OpinionGroup(models.Model):
    """Similar opinions handled together; a concentrated group rejected needs a public reason."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="groups")
    title = models.CharField("意见归类", max_length=200)
    concentrated = models.BooleanField("较为集中的意见", default=False)
    disposition = models.CharField("处理结果", max_length=10, choices=Disposition.choices,
                                   blank=True)
    reason = models.TextField("理由（公开）", max_length=3000, blank=True)

    class Meta:
        ordering = ["consultation", "pk"]

    def __str__(self) -> str:
        return self.title


class Opinion(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT,
                                     related_name="opinions")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="opinions", verbose_name="针对条款")
    channel = models.CharField("渠道", max_length=12, choices=Channel.choices,
                               default=Channel.ONLINE)
    body = models.TextField("意见内容", max_length=5000)
    name_encrypted = models.TextField(blank=True)
    contact_encrypted = models.TextField(blank=True)
    publish_name = models.BooleanField("同意公开姓名", default=False)
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    hidden_reason = models.CharField("隐藏理由", max_length=20, blank=True)
    hidden_note = models.CharField("隐藏说明", max_length=300, blank=True)
    group = models.ForeignKey(OpinionGroup, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="opinions", verbose_name="归类")
    disposition = models.CharField("处理结果", max_length=10, choices=Disposition.choices,
                                   blank=True)
    reason = models.TextField("理由（公开）", max_length=3000, blank=True)
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consultation", "received_at", "pk"]

    def __str__(self) -> str:
        return f"意见{self.pk}"

    HIDE_REASONS = {"spam": "垃圾信息", "abuse": "辱骂攻击", "personal": "含个人信息"}

    def hidden_label(self) -> str:
        return self.HIDE_REASONS.get(self.hidden_reason, "")

    def final_disposition(self) -> str:
        """The opinion's own disposition, else its group's."""
        if self.disposition:
            return self.disposition
        return self.group.disposition if self.group_id else ""

    def final_reason(self) -> str:
        if self.disposition:
            return self.reason
        return self.group.reason if self.group_id else ""

    def disposition_label(self) -> str:
        return dict(Disposition.choices).get(self.final_disposition(), "待处理")

    def public_name(self) -> str:
        """The name shown on public pages: only with consent."""
        if not self.publish_name or not self.name_encrypted:
            return "匿名"
        from gongkai.participation.privacy import decrypt

        return decrypt(self.name_encrypted) or "匿名"


class FeedbackReport(Reviewed):
    consultation = models.OneToOneField(Consultation, on_delete=models.PROTECT,
                                        related_name="report")
    summary = models.TextField("总体情况", max_length=20_000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "意见采纳情况"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"关于《{self.consultation.title}》征求意见采纳情况"

    @property
    def org(self) -> Organization:
        return self.consultation.org


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    TEXT = "text", "文字回答"


class Question(models.Model):
    """A 问卷调查 question published with a consultation (and reviewed with it)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="questions")
    number = models.PositiveIntegerField("题号")
    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=300)
    options = models.JSONField("选项", default=list, blank=True)
    required = models.BooleanField("必答", default=False)

    class Meta:
        ordering = ["consultation", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class SurveyResponse(models.Model):
    """One anonymous questionnaire answer: {question id: option index | [indexes] | text}."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT,
                                     related_name="survey_responses")
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["consultation", "pk"]

    def __str__(self) -> str:
        return f"答卷{self.pk}"
