"""Sitemaps of the disclosure pages; the portal wires them at /sitemap.xml."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.core.models import Organization
from gongkai.disclosure.models import Document, GazetteIssue, Interpretation, Regulation, Status


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Document.objects.public().only("id", "updated_at").order_by("id")

    def lastmod(self, obj):
        return obj.updated_at


class InterpretationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Interpretation.objects.filter(status=Status.PUBLISHED).order_by("id")

    def lastmod(self, obj):
        return obj.updated_at


class UnitSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Organization.objects.filter(is_active=True).exclude(kind="community")

    def location(self, obj):
        return reverse("disclosure:unit", args=[obj.code])


class SectionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["disclosure:index", "disclosure:policy_library", "disclosure:interpretations",
                "disclosure:gazette", "disclosure:regulations", "disclosure:documents"]

    def location(self, item):
        return reverse(item)


class GazetteSitemap(Sitemap):
    def items(self):
        return GazetteIssue.objects.filter(is_published=True)


class RegulationSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Regulation.objects.order_by("id")


sitemaps = {
    "xxgk-sections": SectionSitemap,
    "xxgk-units": UnitSitemap,
    "xxgk-documents": DocumentSitemap,
    "xxgk-interpretations": InterpretationSitemap,
    "xxgk-gazette": GazetteSitemap,
    "xxgk-regulations": RegulationSitemap,
}
