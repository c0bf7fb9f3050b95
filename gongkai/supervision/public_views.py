"""Published 通报 on the public site (only after the 公开办's review)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai.supervision.models import Bulletin, BulletinStatus


def bulletins(request: HttpRequest) -> HttpResponse:
    items = Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).order_by("-published_at")
    return render(request, "supervision/public_list.html", {"items": items[:200]})


def bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    b = get_object_or_404(Bulletin, pk=pk, status=BulletinStatus.PUBLISHED)
    return render(request, "supervision/public_detail.html", {"b": b})
