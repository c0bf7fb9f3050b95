"""主动公开: documents, the 公开目录 tree, 政策解读, attachments, revisions, 政府公报, 法规库."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organization


class NodeKind(models.TextChoices):
    DOCUMENTS = "documents", "信息栏目"
    GUIDE = "guide", "公开指南"
    SYSTEM = "system", "公开制度"
    ANNUAL_REPORT = "annual_report", "公开年报"
    INTERPRETATION = "interpretation", "政策解读"
    FOI = "foi", "依申请公开"
    DOMAIN = "domain", "重点领域"


class DirectoryNode(models.Model):
    """One entry of a unit's 公开目录; documents hang on it."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="xxgk_nodes",
                            verbose_name="单位")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children", verbose_name="上级栏目")
    code = models.SlugField("栏目代码", max_length=64)
    name = models.CharField("栏目名称", max_length=100)
    kind = models.CharField("栏目类型", max_length=20, choices=NodeKind.choices,
                            default=NodeKind.DOCUMENTS)
    description = models.CharField("说明", max_length=300, blank=True)
    time_limit_wd = models.PositiveSmallIntegerField(
        "公开时限（工作日）", default=20,
        help_text="自信息形成或变更之日起多少个工作日内公开（条例第二十六条：20个工作日；可更严）。",
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "公开目录栏目"
        verbose_name_plural = "公开目录栏目"
        ordering = ["org", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="xxgk_node_code")]

    def __str__(self) -> str:
        return f"{self.org.short_name or self.org.name}·{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("disclosure:node", args=[self.org.code, self.code])

    def descendant_ids(self) -> set[int]:
        ids, frontier = {self.pk}, {self.pk}
        while frontier:
            frontier = set(DirectoryNode.objects.filter(parent_id__in=frontier)
                           .values_list("pk", flat=True)) - ids
            ids |= frontier
        return ids

    def path(self) -> list[DirectoryNode]:
        chain, node = [], self
        while node is not None and len(chain) < 20:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Attribute(models.TextChoices):
    PUBLIC = "public", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_PUBLIC = "not_public", "不予公开"


class AttributeReason(models.TextChoices):
    """Legal grounds (条例 Art. 14-16) for not publishing proactively."""

    ART14_SECRET = "art14_secret", "第十四条：国家秘密"
    ART14_LAW = "art14_law", "第十四条：法律、行政法规禁止公开"
    ART14_SAFETY = "art14_safety", "第十四条：危及国家安全、公共安全、经济安全、社会稳定"
    ART15_THIRD = "art15_third", "第十五条：涉及商业秘密、个人隐私等，公开会损害第三方合法权益"
    ART16_INTERNAL = "art16_internal", "第十六条：内部事务信息（人事管理、后勤管理、内部工作流程）"
    ART16_PROCESS = "art16_process", "第十六条：过程性信息（讨论记录、过程稿、磋商信函、请示报告）"
    ART16_CASE = "art16_case", "第十六条：行政执法案卷信息"


class DocType(models.TextChoices):
    REGULATION = "regulation", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    POLICY = "policy", "其他政策文件"
    OTHER = "other", "其他"


class Validity(models.TextChoices):
    NONE = "", "不适用"
    VALID = "valid", "有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "已失效"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


GENRES = ["通知", "意见", "办法", "决定", "规定", "规划", "方案", "报告", "公告", "通告", "通报",
          "批复", "函", "纪要", "细则", "其他"]
TOPICS = ["综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源",
          "农业、林业、水利", "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管",
          "城乡建设、环境保护", "科技、教育", "文化、广电、新闻出版", "卫生、体育",
          "人口与计划生育、妇女儿童工作", "劳动、人事、监察", "公安、安全、司法",
          "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他"]


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """Published and 主动公开: what anyone may read and search."""
        return self.filter(status=Status.PUBLISHED, attribute=Attribute.PUBLIC)

    def visible_pages(self):
        """Public documents plus withdrawn ones, whose page says they were withdrawn."""
        return self.filter(attribute=Attribute.PUBLIC,
                           status__in=[Status.PUBLISHED, Status.WITHDRAWN])

    def regulatory(self):
        return self.filter(doc_type__in=[DocType.REGULATION, DocType.NORMATIVE])

    def valid_on(self, day: dt.date):
        """规章/规范性文件 in force at the end of ``day`` (annual report 现行有效件数)."""
        return self.filter(
            Q(written_date__lte=day) | Q(written_date__isnull=True, published_at__date__lte=day)
        ).filter(
            Q(repealed_date__isnull=True) | Q(repealed_date__gt=day)
        ).exclude(validity=Validity.NONE)


class Document(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="documents",
                            verbose_name="发布机构")
    co_issuers = models.ManyToManyField(Organization, blank=True, related_name="co_documents",
                                        verbose_name="联合发布机构")
    external_id = models.CharField("外部编号", max_length=100, unique=True, null=True,
                                   blank=True)
    title = models.CharField("标题", max_length=300)
    index_number = models.CharField("索引号", max_length=100, blank=True, db_index=True)
    doc_number = models.CharField("文号", max_length=100, blank=True, db_index=True)
    doc_number_prefix = models.CharField("发文字号前缀", max_length=50, blank=True)
    doc_number_year = models.PositiveSmallIntegerField("文号年份", null=True, blank=True)
    doc_number_serial = models.PositiveIntegerField("文号序号", null=True, blank=True)
    doc_number_valid = models.BooleanField("文号格式规范", default=False)
    issuer = models.CharField(
        "发文机关", max_length=100, blank=True,
        help_text="转载上级机关的文件时填写原发文机关（如 国务院）；本单位的文件留空。")
    written_date = models.DateField("成文日期", null=True, blank=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True, db_index=True)
    node = models.ForeignKey(DirectoryNode, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="documents", verbose_name="公开目录栏目")
    topic = models.CharField("主题分类", max_length=50, blank=True)
    genre = models.CharField("体裁", max_length=20, blank=True, default="其他")
    summary = models.CharField("内容概述", max_length=500, blank=True)
    attribute = models.CharField("公开属性", max_length=20, choices=Attribute.choices,
                                 default=Attribute.PUBLIC)
    attribute_reason = models.CharField("不予主动公开的依据", max_length=30, blank=True,
                                        choices=AttributeReason.choices)
    doc_type = models.CharField("文件类型", max_length=20, choices=DocType.choices,
                                default=DocType.OTHER)
    is_important = models.BooleanField("重要政策文件", default=False)
    registration_number = models.CharField("登记号", max_length=100, blank=True)
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices, blank=True,
                                default=Validity.NONE)
    effective_date = models.DateField("施行日期", null=True, blank=True)
    expiry_date = models.DateField("有效期至", null=True, blank=True)
    repealed_date = models.DateField("废止/失效日期", null=True, blank=True)
    amends = models.ManyToManyField("self", symmetrical=False, blank=True,
                                    related_name="amended_by", verbose_name="修改的文件")
    replaces = models.ManyToManyField("self", symmetrical=False, blank=True,
                                      related_name="replaced_by", verbose_name="替代的文件")
    related = models.ManyToManyField("self", blank=True, verbose_name="相关文件")
    status = models.CharField("状态", max_length=20, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    body = models.TextField("正文", blank=True)
    body_text = models.TextField("全文文本", blank=True, editable=False)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    publish_by = models.DateField("应公开日期", null=True, blank=True, db_index=True)
    scheduled_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    sync_reason = models.CharField("未同步解读的理由", max_length=500, blank=True)
    privacy_reason = models.CharField("个人信息检查说明", max_length=500, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.CharField("撤回理由", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="起草人")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="提交人")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="审核人")
    # 先审后发: the content hash (gongkai.disclosure.revision) of the text the reviewer
    # approved; a scheduled publication goes out only while the text still has this hash.
    approved_hash = models.CharField("审核通过的版本摘要", max_length=64, blank=True)
    # Everyone who wrote part of the text since it was last published (besides created_by
    # and submitted_by): none of them may approve it.
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                          related_name="+", verbose_name="本版本撰写人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["org", "status", "published_at"]),
                   models.Index(fields=["doc_type", "validity"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disclosure:document", args=[self.pk])

    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.attribute == Attribute.PUBLIC

    @property
    def is_withdrawn(self) -> bool:
        return self.status == Status.WITHDRAWN

    @property
    def is_regulatory(self) -> bool:
        return self.doc_type in (DocType.REGULATION, DocType.NORMATIVE)

    def public_interpretations(self):
        return self.interpretations.filter(status=Status.PUBLISHED)

    def corrections(self):
        return self.revisions.filter(is_correction=True)


class InterpretationKind(models.TextChoices):
    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图解"
    MEDIA = "media", "音视频"
    PRESS = "press", "新闻发布会"
    EXPERT = "expert", "专家解读"


class Interpretation(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT,
                            related_name="interpretations", verbose_name="解读机构")
    title = models.CharField("标题", max_length=300)
    kind = models.CharField("解读形式", max_length=20, choices=InterpretationKind.choices,
                            default=InterpretationKind.TEXT)
    documents = models.ManyToManyField(Document, blank=True, related_name="interpretations",
                                       verbose_name="解读的文件")
    body = models.TextField("正文", blank=True)
    body_text = models.TextField("全文文本", blank=True, editable=False)
    media_url = models.URLField("音视频/图解链接", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_hash = models.CharField("审核通过的版本摘要", max_length=64, blank=True)
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                          related_name="+", verbose_name="本版本撰写人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disclosure:interpretation", args=[self.pk])

    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED


def attachment_path(instance, filename: str) -> str:
    now = timezone.now()
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"disclosure/{now:%Y/%m}/{timezone.now():%d%H%M%S%f}.{suffix}"


class Attachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments",
                                 verbose_name="文件")
    file = models.FileField("附件", upload_to=attachment_path)
    name = models.CharField("附件名称", max_length=200)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, editable=False)
    text = models.TextField("提取文本", blank=True, editable=False)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DocumentRevision(models.Model):
    """A snapshot kept on every change; a change after publication is a correction."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("版本")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor_label = models.CharField("操作人", max_length=100, blank=True)
    action = models.CharField("操作", max_length=50)
    note = models.CharField("更正说明", max_length=500, blank=True)
    is_correction = models.BooleanField("发布后更正", default=False)
    data = models.JSONField("内容", default=dict)
    content_hash = models.CharField("版本摘要", max_length=64, blank=True)

    class Meta:
        verbose_name = "修订记录"
        verbose_name_plural = "修订记录"
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"],
                                               name="xxgk_revision_number")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class GazetteIssue(models.Model):
    """政府公报: one issue (year, number) made of documents."""

    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveSmallIntegerField("期号")
    title = models.CharField("标题", max_length=200, blank=True)
    published_on = models.DateField("出版日期", null=True, blank=True)
    is_published = models.BooleanField("已发布", default=False)
    documents = models.ManyToManyField(Document, blank=True, related_name="gazette_issues",
                                       verbose_name="刊载文件")

    class Meta:
        verbose_name = "政府公报"
        verbose_name_plural = "政府公报"
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"],
                                               name="xxgk_gazette_issue")]

    def __str__(self) -> str:
        return self.title or f"{self.year}年第{self.number}期"

    def get_absolute_url(self) -> str:
        return reverse("disclosure:gazette_issue", args=[self.year, self.number])


class Regulation(models.Model):
    """法规库: a law or regulation; its official texts are versions."""

    title = models.CharField("名称", max_length=300, unique=True)
    collection = models.CharField("类别", max_length=100, blank=True, db_index=True)

    class Meta:
        verbose_name = "法律法规"
        verbose_name_plural = "法律法规"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disclosure:regulation", args=[self.pk])

    @property
    def current(self):
        return self.versions.filter(is_current=True).first()


class RegulationVersion(models.Model):
    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE,
                                   related_name="versions")
    external_id = models.CharField("外部编号", max_length=100, unique=True, null=True,
                                   blank=True)
    date = models.DateField("版本日期", null=True, blank=True)
    header = models.TextField("制定和修改情况", blank=True)
    body = models.TextField("正文", blank=True)
    source_path = models.CharField("来源", max_length=300, blank=True)
    is_current = models.BooleanField("现行版本", default=False)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "法规版本"
        verbose_name_plural = "法规版本"
        ordering = ["regulation", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.regulation.title}（{self.date or '日期不详'}）"
