"""The annual report of one unit for one year: its text, the figures it enters, its status.

The tables are computed from applications and documents while the report is a draft; on
publication the figures are frozen in ``figures`` (what was published stays what it was,
even if records change later — next year's 上年结转 is checked against it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from gongkai.core.models import Organization, OrgKind


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审核"
    APPROVED = "approved", "已审核"
    PUBLISHED = "published", "已发布"


def due_date(org: Organization, year: int) -> dt.date:
    """条例 Art. 49: 部门 by 31 January, the government's own report by 31 March."""
    if org.kind == OrgKind.GOVERNMENT:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


class AnnualReport(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT,
                            related_name="annual_reports", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT, db_index=True)
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other = models.TextField("六、其他需要报告的事项", blank=True)
    licensing = models.PositiveIntegerField("行政许可本年处理决定数量", default=0)
    punishment = models.PositiveIntegerField("行政处罚本年处理决定数量", default=0)
    enforcement = models.PositiveIntegerField("行政强制本年处理决定数量", default=0)
    fees = models.DecimalField("行政事业性收费本年收费金额（万元）", max_digits=12,
                               decimal_places=4, default=Decimal("0"))
    carry_note = models.TextField("上年结转差异说明", blank=True)
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    # Frozen at publication: ReportData.to_json() and the application numbers carried out.
    figures = models.JSONField("发布时的数据", default=dict, blank=True)
    carried_out_refs = models.JSONField("结转下年度的申请", default=list, blank=True)
    document = models.ForeignKey("disclosure.Document", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="公开年报栏目中的文件")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="提交人")
    # Review binding: the hash of the texts and figures the reviewer approved
    # (reports.review.content_hash); publishing requires the content to hash the same.
    approved_hash = models.CharField("审核内容摘要", max_length=64, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="审核人")
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="发布人")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year", "org__sort_order", "org__code"]
        constraints = [models.UniqueConstraint(fields=["org", "year"],
                                               name="reports_one_per_org_year")]

    def __str__(self) -> str:
        return f"{self.org.name}{self.year}年政府信息公开工作年度报告"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.org.code, self.year])

    @property
    def title(self) -> str:
        return str(self)

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def due(self) -> dt.date:
        return due_date(self.org, self.year)

    def staff_url(self) -> str:
        return reverse("reports:edit", args=[self.org.code, self.year])
