from django import template

from gongkai.disclosure.models import Document, Interpretation, Status

register = template.Library()


@register.inclusion_tag("disclosure/_latest.html")
def latest_disclosure(count: int = 8):
    """Latest published documents and interpretations, for the portal home page."""
    return {
        "documents": Document.objects.public().select_related("org")[:count],
        "interpretations": Interpretation.objects.filter(status=Status.PUBLISHED)
        .select_related("org")[:count // 2 or 1],
    }
