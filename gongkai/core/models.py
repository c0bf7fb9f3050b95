"""Organizations, staff, the append-only audit log, the working-day calendar, sequences."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.core import remedies


class OrgKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    OFFICE = "office", "政府办公室"
    DEPARTMENT = "department", "政府部门"
    SUBDISTRICT = "subdistrict", "街道办事处"
    COMMUNITY = "community", "社区"
    OTHER = "other", "其他单位"


class Organization(models.Model):
    """A unit of the district: the government, its office, departments, 街道, 社区."""

    code = models.SlugField("单位代码", max_length=64, unique=True)
    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("单位类型", max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    is_coordinating = models.BooleanField(
        "公开办所在单位", default=False,
        help_text="负责全区政务公开工作的协调单位（区政府办公室）。",
    )
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    administration = models.CharField(
        "管理体制", max_length=20, choices=remedies.ADMINISTRATION_CHOICES,
        default=remedies.LOCAL,
        help_text="派出机构和垂直管理单位没有法定默认的复议机关，须在下面填写。")
    review_body = models.CharField(
        "行政复议机关", max_length=200, blank=True,
        help_text="留空按行政复议法第二十四条确定：区政府部门、街道办事处为区人民政府，"
                  "区人民政府为济南市人民政府。")
    court = models.CharField(
        "管辖法院", max_length=200, blank=True,
        help_text="留空按行政诉讼法确定：区政府部门、街道为区人民法院，区人民政府为中级人民法院。")

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Organization]:
        chain, node, seen = [], self.parent, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return chain

    def descendant_ids(self) -> set[int]:
        """This unit and every unit below it (one query per level)."""
        ids = {self.pk}
        frontier = {self.pk}
        while frontier:
            frontier = set(
                Organization.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            ) - ids
            ids |= frontier
        return ids

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.administration != remedies.LOCAL and not (
                self.review_body.strip() and self.court.strip()):
            raise ValidationError("派出机构和垂直管理单位没有法定默认的复议机关和管辖法院，"
                                  "请填写行政复议机关和管辖法院。")

    def remedy_bodies(self) -> tuple[str, str]:
        """(行政复议机关, 人民法院) named in this unit's letters; "" where none is known."""
        root = Organization.root()
        is_root = root is not None and root.pk == self.pk
        return remedies.bodies(
            review_body=self.review_body, court=self.court, kind=self.kind,
            administration=self.administration, is_root=is_root,
            district=root.name if root is not None else "",
            names=getattr(settings, "GONGKAI_REMEDY_BODIES", None))

    @classmethod
    def district_units(cls):
        """The units whose figures make up the district's annual report: every active one
        except vertically managed units, which report within their own system."""
        return cls.objects.filter(is_active=True).exclude(administration=remedies.VERTICAL)

    @classmethod
    def root(cls) -> Organization | None:
        return cls.objects.filter(parent__isnull=True, kind=OrgKind.GOVERNMENT).first()


class Role(models.TextChoices):
    EDITOR = "editor", "信息员"
    REVIEWER = "reviewer", "审核人"
    COORDINATOR = "coordinator", "公开办协调员"
    ADMIN = "admin", "系统管理员"


class StaffProfile(models.Model):
    """Which unit a staff account works for, and in which role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile",
        verbose_name="账号",
    )
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="staff", verbose_name="所在单位"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    display_name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=50, blank=True)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.display_name}（{self.org.name}·{self.get_role_display()}）"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit entries are append-only")

    def delete(self):
        raise PermissionError("audit entries are append-only")

    def bulk_update(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    """Who did what to which record, when, with the before/after of changed fields.

    Append-only: the model refuses updates and deletes; on PostgreSQL a trigger
    (migration 0002) refuses them in the database too.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    # PROTECT: an account or unit that appears in the log is deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name="操作人",
    )
    actor_label = models.CharField("操作人", max_length=100, blank=True)
    org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="所属单位",
    )
    action = models.CharField("操作", max_length=64, db_index=True)
    summary = models.CharField("说明", max_length=300, blank=True)
    target_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    target_repr = models.CharField("对象", max_length=300, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")


class CalendarDay(models.Model):
    """A date marked by a coordinator as holiday or workday; wins over the package data."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("名称", max_length=100, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_workday else '休息日'} {self.name}"


class CalendarYear(models.Model):
    """A year whose official holiday arrangement a coordinator has entered completely."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=200, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "已录入年度"
        verbose_name_plural = "已录入年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年（{self.source}）"


class Sequence(models.Model):
    """Counters behind 索引号, application and letter numbers. Use core.sequences."""

    key = models.CharField(max_length=200, unique=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
