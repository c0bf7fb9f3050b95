"""督查考核: the plan as a 台账, progress, inspection findings, evaluations, 通报, 培训."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from gongkai.core.models import Organization

User = settings.AUTH_USER_MODEL


class Plan(models.Model):
    """A work plan (工作要点) imported from its text."""

    title = models.CharField("标题", max_length=200)
    year = models.PositiveIntegerField("年度", db_index=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    source_name = models.CharField("导入文件", max_length=200, blank=True)
    unresolved = models.JSONField("未匹配的单位名称", default=list, blank=True)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    imported_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="导入人")

    class Meta:
        verbose_name = "工作要点"
        verbose_name_plural = "工作要点"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:plan", args=[self.pk])


class PlanTask(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveIntegerField("顺序")
    code = models.CharField("编号", max_length=20)  # 一（一）
    section_title = models.CharField("一级标题", max_length=200)
    title = models.CharField("任务", max_length=200)
    text = models.TextField("任务内容")
    responsibility = models.CharField("责任单位（原文）", max_length=500, blank=True)
    unresolved = models.JSONField("未匹配的单位名称", default=list, blank=True)
    due = models.DateField("完成时限", null=True, blank=True)

    class Meta:
        verbose_name = "台账任务"
        verbose_name_plural = "台账任务"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"],
                                               name="supervision_task_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AssignmentStatus(models.TextChoices):
    OPEN = "open", "未报送"
    REPORTED = "reported", "推进中"
    DONE = "done", "已完成"


class Assignment(models.Model):
    """One unit's share of a task: what it reports on each quarter."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                            verbose_name="责任单位")
    named = models.BooleanField("点名单位", default=False,
                                help_text="责任单位中点名的单位；否则为「各部门」「各街道」等统称展开。")
    status = models.CharField("状态", max_length=20, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.OPEN)
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="回头看来源")
    rectify_by = models.DateField("整改期限", null=True, blank=True)

    class Meta:
        verbose_name = "任务分工"
        verbose_name_plural = "任务分工"
        ordering = ["task__plan", "task__order", "org__sort_order"]
        constraints = [models.UniqueConstraint(fields=["task", "org"],
                                               name="supervision_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.task.code} {self.org}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:assignment", args=[self.pk])


class Progress(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE,
                                   related_name="progress")
    quarter = models.CharField("季度", max_length=7)  # 2021Q3
    text = models.TextField("工作进展")
    evidence = models.TextField("佐证链接", blank=True,
                                help_text="每行一个本单位已公开信息的链接。")
    attachment = models.FileField("佐证材料", upload_to="supervision/%Y/", blank=True)
    done = models.BooleanField("已完成", default=False)
    created_at = models.DateTimeField("报送时间", auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "进展报送"
        verbose_name_plural = "进展报送"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.quarter}"

    def evidence_links(self) -> list[str]:
        return [x.strip() for x in self.evidence.splitlines() if x.strip()]


class NameAlias(models.Model):
    """The coordinator's answer for a name plans use: a unit (区公安分局 → 济南市公安局槐荫区
    分局), or none (``org`` empty: not a unit of this platform, e.g. a vertically managed
    office that does not report here — later imports leave it aside)."""

    name = models.CharField("名称", max_length=100, unique=True)
    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                            related_name="+", verbose_name="对应单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="确定人")
    created_at = models.DateTimeField("确定时间", auto_now=True, null=True)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.org or '非本平台单位（不分配）'}"


class Notice(models.Model):
    """A 督查 notice to a unit with a deadline."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                            verbose_name="单位")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notices")
    text = models.TextField("督查事项")
    due = models.DateField("办理期限")
    answered_at = models.DateTimeField("回复时间", null=True, blank=True)
    answer = models.TextField("回复", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "督查通知"
        verbose_name_plural = "督查通知"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"督查通知（{self.org}）"


class InspectionRun(models.Model):
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    base_url = models.CharField("起始地址", max_length=300)
    pages = models.PositiveIntegerField("检查页面数", default=0)
    opened = models.PositiveIntegerField("新发现问题", default=0)
    closed = models.PositiveIntegerField("已整改关闭", default=0)
    escalated = models.PositiveIntegerField("逾期升级", default=0)
    note = models.TextField("说明", blank=True)
    started_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "网站检查"
        verbose_name_plural = "网站检查"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"网站检查 {self.started_at:%Y-%m-%d %H:%M}"


class FindingStatus(models.TextChoices):
    OPEN = "open", "待整改"
    ANSWERED = "answered", "已反馈待复查"
    CLOSED = "closed", "已整改"
    ESCALATED = "escalated", "逾期未改"


class Finding(models.Model):
    """One problem on the site, and its 核查—反馈—整改—再核查 loop."""

    key = models.CharField("问题标识", max_length=300, db_index=True)
    kind = models.CharField("问题类型", max_length=30)
    label = models.CharField("问题", max_length=100)
    url = models.CharField("页面", max_length=500)
    detail = models.TextField("说明", blank=True)
    veto = models.BooleanField("单项否决", default=False)
    deduction = models.DecimalField("扣分", max_digits=5, decimal_places=1, default=0)
    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+", verbose_name="责任单位")
    status = models.CharField("状态", max_length=20, choices=FindingStatus.choices,
                              default=FindingStatus.OPEN, db_index=True)
    due = models.DateField("整改期限")
    answer = models.TextField("整改情况", blank=True)
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)
    found_at = models.DateTimeField("发现时间", auto_now_add=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    first_run = models.ForeignKey(InspectionRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(InspectionRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "检查问题"
        verbose_name_plural = "检查问题"
        ordering = ["-veto", "status", "due", "id"]

    def __str__(self) -> str:
        return f"{self.label}：{self.url}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:finding", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != FindingStatus.CLOSED


class WordKind(models.TextChoices):
    TYPO = "typo", "错别字"
    SENSITIVE = "sensitive", "敏感词"
    WORDING = "wording", "严重表述错误"


class Word(models.Model):
    """A dictionary entry the coordinator maintains: the wrong form and the right one."""

    kind = models.CharField("类别", max_length=20, choices=WordKind.choices)
    wrong = models.CharField("错误写法", max_length=100, unique=True)
    right = models.CharField("正确写法", max_length=100, blank=True)

    class Meta:
        verbose_name = "检查词典"
        verbose_name_plural = "检查词典"
        ordering = ["kind", "wrong"]

    def __str__(self) -> str:
        return self.wrong


class Evaluation(models.Model):
    title = models.CharField("名称", max_length=100)
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "评估"
        verbose_name_plural = "评估"
        ordering = ["-end", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:evaluation", args=[self.pk])


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("得分", max_digits=5, decimal_places=1)
    rank = models.PositiveIntegerField("名次")
    indicators = models.JSONField("指标", default=list)
    manual = models.JSONField("人工指标", default=dict, blank=True)
    # 19号: a 单项否决 finding open at the end of the period, or rectified after its
    # deadline, fails the unit whatever its points: [{"id", "label", "url", "due", "status"}].
    vetoes = models.JSONField("单项否决问题", default=list, blank=True)

    class Meta:
        verbose_name = "评估得分"
        verbose_name_plural = "评估得分"
        ordering = ["evaluation", "rank"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "org"],
                                               name="supervision_score_unique")]

    def __str__(self) -> str:
        return f"{self.org} {self.total}"


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", "待审核"
    PUBLISHED = "published", "已发布"


class Bulletin(models.Model):
    """通报 of an evaluation: praise, criticism and 限期整改 items."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT,
                                   related_name="bulletins")
    title = models.CharField("标题", max_length=200)
    number = models.CharField("文号", max_length=100, blank=True)
    body = models.TextField("正文")
    rectify_by = models.DateField("整改期限")
    status = models.CharField("状态", max_length=20, choices=BulletinStatus.choices,
                              default=BulletinStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # 先审后发: whoever drafted or last changed the text may not publish it.
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="起草人")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="审核发布人")
    published_revision = models.CharField("审核版本", max_length=64, blank=True)

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:bulletin", args=[self.pk])

    def revision(self) -> str:
        """Hash of what goes public: the reviewer approves exactly this text."""
        import hashlib
        import json

        content = [self.title, self.number, self.body, self.rectify_by.isoformat()]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


class TrainingLevel(models.TextChoices):
    LEADER = "leader", "领导干部"
    STAFF = "staff", "工作人员"
    NEW = "new", "新任人员"


class TrainingAudience(models.TextChoices):
    """Who a session is for (分级分类培训); the evaluation expects a unit to attend the
    sessions whose audience includes people the unit has (see ``statistics.training``)."""

    LEADER = "leader", "分管领导"
    OFFICE = "office", "公开办工作人员"
    EDITOR = "editor", "信息员"
    REVIEWER = "reviewer", "审核人"
    SUBDISTRICT = "subdistrict", "街道工作人员"


class TrainingSession(models.Model):
    title = models.CharField("培训主题", max_length=200)
    date = models.DateField("日期")
    level = models.CharField("层级", max_length=20, choices=TrainingLevel.choices)
    audience = models.JSONField("培训对象", default=list, blank=True)
    materials = models.TextField("培训材料说明", blank=True)
    orgs = models.ManyToManyField(Organization, related_name="+", blank=True,
                                  verbose_name="参训单位")

    class Meta:
        verbose_name = "培训"
        verbose_name_plural = "培训"
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title

    def audience_labels(self) -> list[str]:
        names = dict(TrainingAudience.choices)
        return [names[a] for a in self.audience if a in names]


class TrainingMaterial(models.Model):
    """A session's material: an uploaded file (checked like every upload) or a link."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE,
                                related_name="material_files")
    title = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to="supervision/training/%Y/", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "培训材料"
        verbose_name_plural = "培训材料"
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return self.title


class CatalogLevel(models.TextChoices):
    NATIONAL = "26", "国家标准目录（26个领域）"
    DISTRICT = "1", "区级特色目录（+1）"
    UNIT = "n", "单位自定目录（n）"


class CatalogEntry(models.Model):
    """One line of a 26+1+n 标准目录, and the columns where its content is published."""

    level = models.CharField("目录类别", max_length=2, choices=CatalogLevel.choices)
    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                            related_name="+", verbose_name="单位",
                            help_text="「n」目录的单位；国家和区级目录留空。")
    domain = models.CharField("领域", max_length=100)
    item1 = models.CharField("一级事项", max_length=200)
    item2 = models.CharField("二级事项", max_length=200, blank=True)
    content = models.TextField("公开内容（要素）")
    basis = models.TextField("公开依据", blank=True)
    time_limit = models.CharField("公开时限", max_length=200)
    subject = models.CharField("公开主体", max_length=200, blank=True)
    channels = models.CharField("公开渠道和载体", max_length=300, blank=True)
    audience = models.CharField("公开对象", max_length=10, blank=True,
                                choices=[("public", "全社会"), ("group", "特定群体")])
    mode = models.CharField("公开方式", max_length=10, blank=True,
                            choices=[("active", "主动"), ("request", "依申请")])
    tier = models.CharField("公开层级", max_length=12, blank=True,
                            choices=[("district", "区级"), ("subdistrict", "街道"),
                                     ("both", "区级、街道")])
    node_urls = models.TextField("发布栏目地址", blank=True,
                                 help_text="每行一个本目录内容所在的公开目录栏目地址。")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "标准目录事项"
        verbose_name_plural = "标准目录事项"
        ordering = ["level", "domain", "item1", "item2", "id"]

    def __str__(self) -> str:
        return f"{self.domain}·{self.item1}{'·' + self.item2 if self.item2 else ''}"

    def urls(self) -> list[str]:
        return [x.strip() for x in self.node_urls.splitlines() if x.strip()]


class MediaStatus(models.TextChoices):
    ACTIVE = "active", "运行中"
    MERGE_REQUESTED = "merge", "申请整合"
    CLOSE_REQUESTED = "close", "申请关停"
    CLOSED = "closed", "已关停（整合）"


class NewMediaAccount(models.Model):
    """A 政务新媒体 account in the district's registry."""

    platform = models.CharField("平台", max_length=30)
    name = models.CharField("账号名称", max_length=100)
    account_id = models.CharField("账号 ID", max_length=100, blank=True)
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                            verbose_name="开设单位")
    sponsor = models.CharField("主办单位", max_length=100)
    operator = models.CharField("运维单位", max_length=100, blank=True)
    opened_on = models.DateField("开设日期", null=True, blank=True)
    closed_on = models.DateField("关停日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=MediaStatus.choices,
                              default=MediaStatus.ACTIVE)
    reason = models.CharField("整合/关停理由", max_length=300, blank=True)
    merge_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="整合到")
    feed_url = models.URLField("更新订阅地址（RSS/Atom）", blank=True)
    last_update = models.DateField("最近更新", null=True, blank=True)
    last_checked = models.DateTimeField("最近监测", null=True, blank=True)

    class Meta:
        verbose_name = "政务新媒体"
        verbose_name_plural = "政务新媒体"
        ordering = ["org__sort_order", "platform", "name"]
        constraints = [models.UniqueConstraint(fields=["platform", "name"],
                                               name="supervision_media_unique")]

    def __str__(self) -> str:
        return f"{self.platform}·{self.name}"


class MediaCheck(models.Model):
    """The quarterly check of an account."""

    account = models.ForeignKey(NewMediaAccount, on_delete=models.CASCADE,
                                related_name="checks")
    quarter = models.CharField("季度", max_length=7)
    passed = models.BooleanField("合格")
    note = models.TextField("检查情况")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "新媒体检查"
        verbose_name_plural = "新媒体检查"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["account", "quarter"],
                                               name="supervision_media_check_unique")]

    def __str__(self) -> str:
        return f"{self.account} {self.quarter}"
