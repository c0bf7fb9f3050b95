"""Scoped tokens for integrators (12345, new-media systems) and what they submitted."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.core.models import Organization


class Scope(models.TextChoices):
    FOI_SUBMIT = "foi:submit", "提交依申请公开申请并查询办理状态"
    INTERACTION_SUBMIT = "interaction:submit", "提交政民互动留言"
    READ_REPUBLISH = "read:republish", "读取可转载的信息"


def hash_secret(secret: str) -> str:
    # Tokens are 32 random bytes: a plain SHA-256 is enough (no dictionary to guess from).
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """Issued by an administrator; only the hash of the secret is stored."""

    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("令牌前缀", max_length=12, unique=True)
    secret_hash = models.CharField("令牌摘要", max_length=64, editable=False)
    scopes = models.JSONField("权限范围", default=list)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="api_tokens", verbose_name="负责人")
    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+", verbose_name="使用单位")
    rate_per_minute = models.PositiveIntegerField("每分钟请求上限", default=60)
    # Status changes of the applications it filed are POSTed here, signed with
    # HMAC-SHA256(webhook_secret) in X-Gongkai-Signature; polling works without it.
    webhook_url = models.URLField("状态变化通知地址", blank=True)
    webhook_secret = models.CharField("通知签名密钥", max_length=64, blank=True,
                                      editable=False)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None
                                            or self.expires_at > timezone.now())


class ApiSubmission(models.Model):
    """An application filed through the API: who may poll it, and its tracking code's hash."""

    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="submissions")
    application = models.OneToOneField("foi.Application", on_delete=models.CASCADE,
                                       related_name="api_submission")
    external_ref = models.CharField("对方系统编号", max_length=100, blank=True)
    # The last status queued for the integrator's webhook (each change is one delivery).
    notified_status = models.CharField("已通知的状态", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "接口提交记录"
        verbose_name_plural = "接口提交记录"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(
            fields=["token", "external_ref"], condition=~models.Q(external_ref=""),
            name="api_submission_external_ref")]

    def __str__(self) -> str:
        return f"{self.token.prefix} {self.application_id}"


class ApiMessage(models.Model):
    """A 政民互动 message (区长信箱/留言) filed through the API, e.g. a 12345 work order:
    who may poll it and the integrator's order number (kept on the message too)."""

    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="messages")
    message = models.OneToOneField("interaction.Message", on_delete=models.CASCADE,
                                   related_name="api_message")
    external_ref = models.CharField("对方系统工单号", max_length=64)
    notified_status = models.CharField("已通知的状态", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "接口提交的留言"
        verbose_name_plural = "接口提交的留言"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["token", "external_ref"],
                                               name="api_message_external_ref")]

    def __str__(self) -> str:
        return f"{self.token.prefix} {self.external_ref}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "多次失败，已停止"


class WebhookDelivery(models.Model):
    """One event for one integrator: POSTed (signed) until a 2xx answer, with exponential
    backoff and at most ``webhooks.MAX_ATTEMPTS`` attempts. ``event_id`` is the
    idempotency key the receiver sees on every attempt of this event."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="deliveries",
                              verbose_name="令牌")
    event = models.CharField("事件", max_length=60)
    event_id = models.CharField("幂等键", max_length=36, unique=True)
    subject = models.CharField("对象", max_length=80, help_text="申请编号或信件编号")
    payload = models.JSONField("内容")
    state = models.CharField("状态", max_length=20, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING, db_index=True)
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    last_status = models.PositiveIntegerField("最近一次 HTTP 状态", null=True, blank=True)
    last_error = models.CharField("最近一次失败原因", max_length=300, blank=True)
    last_attempt_at = models.DateTimeField("最近一次尝试", null=True, blank=True)
    next_retry_at = models.DateTimeField("下次重试", null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    created_at = models.DateTimeField("产生时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态通知投递"
        verbose_name_plural = "状态通知投递"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.event} {self.subject}（{self.get_state_display()}）"


class RecordStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已公开"
    WITHDRAWN = "withdrawn", "已撤回"


class PublicAnswer(models.Model):
    """条例第四十四条: an answer that disclosed information, in the public record — the
    question without the applicant, the answer type and the files released."""

    application = models.OneToOneField("foi.Application", on_delete=models.PROTECT,
                                       related_name="public_answer", verbose_name="申请")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                            verbose_name="答复机关")
    question = models.TextField("申请公开的信息")
    answer_type = models.CharField("答复类型", max_length=100)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    files = models.ManyToManyField("foi.AnswerFile", blank=True, related_name="+",
                                   verbose_name="公开的材料")
    status = models.CharField("状态", max_length=20, choices=RecordStatus.choices,
                              default=RecordStatus.PENDING, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "依申请公开答复公开记录"
        verbose_name_plural = "依申请公开答复公开记录"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.question[:50]


class Dataset(models.Model):
    """数据开放: a table with a declared schema, published as numbered releases.

    ``fields`` is a list of ``{"name", "label", "type", "required", "mask"}``; ``type`` is
    text, int, decimal or date; ``mask`` is "", "name" or "id_number" (applied before
    publication, e.g. 惠民惠农补贴 recipients)."""

    code = models.SlugField("数据集代码", max_length=64, unique=True)
    title = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                            verbose_name="提供单位")
    frequency = models.CharField("更新频率", max_length=50, blank=True)
    category = models.CharField("领域", max_length=50, blank=True)
    fields = models.JSONField("字段", default=list)
    chart = models.JSONField("图表", default=dict, blank=True,
                             help_text='{"label": 字段名, "value": 数值字段名}')
    is_demo = models.BooleanField("演示数据", default=False)
    # Raised when the fields change after a release: each release keeps the fields (and
    # this number) it was published with.
    schema_version = models.PositiveIntegerField("字段版本", default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "开放数据集"
        verbose_name_plural = "开放数据集"
        ordering = ["category", "code"]

    def __str__(self) -> str:
        return self.title

    def latest(self):
        return self.releases.order_by("-version").first()


class DatasetRelease(models.Model):
    """One published version; a new release never replaces the old ones."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="releases")
    version = models.PositiveIntegerField("版本")
    rows = models.JSONField("数据", default=list)
    fields = models.JSONField("字段", default=list)
    schema_version = models.PositiveIntegerField("字段版本", default=1)
    note = models.CharField("更新说明", max_length=300, blank=True)
    source_name = models.CharField("上传文件名", max_length=200, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "数据集版本"
        verbose_name_plural = "数据集版本"
        ordering = ["dataset", "-version"]
        constraints = [models.UniqueConstraint(fields=["dataset", "version"],
                                               name="api_dataset_release_version")]

    def __str__(self) -> str:
        return f"{self.dataset.code} v{self.version}"

    @property
    def schema(self) -> list[dict]:
        """The fields this release was published with."""
        return self.fields or self.dataset.fields
