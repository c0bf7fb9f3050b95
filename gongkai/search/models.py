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
        ]

    def __str__(self) -> str:
        return self.title
