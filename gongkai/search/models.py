"""The search index's own table: everything a search filters, facets or shows, no FK out.

The full-text part lives beside it, per database: an FTS5 table ``search_fts`` on SQLite, a
``vector tsvector`` column with a GIN index on PostgreSQL (both created in migrations).
"""

from django.db import models


class SearchEntry(models.Model):
    kind = models.CharField("类型", max_length=20, default="document")
    object_id = models.BigIntegerField("对象编号")
    external_id = models.CharField("外部编号", max_length=100, blank=True)
    org_id = models.BigIntegerField("发布单位", null=True, blank=True)
    node_id = models.BigIntegerField("目录", null=True, blank=True)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    validity = models.CharField("有效性", max_length=20, blank=True)
    genre = models.CharField("体裁", max_length=50, blank=True)
    doc_type = models.CharField("文件类型", max_length=20, blank=True)
    status = models.CharField("状态", max_length=20, blank=True)
    is_public = models.BooleanField("公众可见", default=False)
    title = models.TextField("标题")
    doc_number = models.CharField("文号", max_length=200, blank=True)
    doc_number_key = models.CharField("规范文号", max_length=200, blank=True, db_index=True)
    url = models.CharField("链接", max_length=300, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    text = models.TextField("规范化全文", blank=True)
    length = models.PositiveIntegerField("词数", default=0)

    class Meta:
        verbose_name = "检索索引条目"
        verbose_name_plural = "检索索引条目"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_object")
        ]
        indexes = [
            models.Index(fields=["is_public", "org_id"], name="search_entry_vis"),
            # Every filter and facet column: counts and facets read this index, never the
            # wide rows (each holds the whole text).
            models.Index(fields=["is_public", "org_id", "node_id", "year", "validity", "genre",
                                 "doc_type", "kind"], name="search_entry_facets"),
            # By id: the metadata of given matches without reading their wide rows.
            models.Index(fields=["id", "is_public", "org_id", "node_id", "year", "validity",
                                 "genre", "doc_type", "kind", "length"],
                         name="search_entry_byid"),
        ]

    def __str__(self) -> str:
        return self.title


class SearchImpact(models.Model):
    """One entry of a common word's top list (see gongkai/search/impact.py)."""

    term = models.CharField("词", max_length=100)
    impact = models.FloatField("权重")
    entry_id = models.BigIntegerField("检索条目")

    class Meta:
        verbose_name = "高频词排行条目"
        verbose_name_plural = "高频词排行条目"
        indexes = [
            models.Index(fields=["term", "-impact", "entry_id"], name="search_impact_best"),
            models.Index(fields=["entry_id"], name="search_impact_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.term} #{self.entry_id} {self.impact:.3f}"


class SearchHead(models.Model):
    """A common word's top list: every entry whose impact is above ``floor`` is in it.
    The row with the empty term is the lists' fingerprint: ``size`` says what the impacts
    were computed with (title weight, BM25 constants), ``floor`` the lowest average length
    any of them used."""

    term = models.CharField("词", max_length=100, unique=True)
    floor = models.FloatField("下限", default=0.0)
    size = models.BigIntegerField("条数", default=0)

    class Meta:
        verbose_name = "高频词排行"
        verbose_name_plural = "高频词排行"

    def __str__(self) -> str:
        return self.term or "(fingerprint)"
