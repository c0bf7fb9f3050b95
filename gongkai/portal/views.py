from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from gongkai.core import registry
from gongkai.core.models import Organization


def home(request):
    units = Organization.objects.filter(is_active=True).exclude(kind="community")
    return render(request, "portal/home.html",
                  {"units": units, "home_tiles": registry.home_tiles()})


@require_GET
def toggle_elder_mode(request):
    """适老化 switch: larger text and higher contrast, kept in a cookie for a year.

    A plain link, not a form: a form would need a CSRF cookie on every public page, and a
    page that sets a cookie cannot be published for everyone (gongkai/core/publish.py). The
    switch changes only how this visitor's pages look, so a forged link can do no harm."""
    nxt = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    response = HttpResponseRedirect(nxt)
    turn_on = request.GET.get("elder") == "1"
    if turn_on:
        response.set_cookie("elder", "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie("elder")
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def robots_txt(request):
    from django.http import HttpResponse

    body = (
        "User-agent: *\nDisallow: /staff/\nDisallow: /admin/\nDisallow: /ysqgk/track/\n"
        "Disallow: /elder/\n"
        "Disallow: /xxgk/staff/\nDisallow: /ysqgk/staff/\nDisallow: /ndbg/staff/\n"
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}\n"
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def error_404(request, exception=None):
    return render(request, "portal/error.html",
                  {"title": "页面不存在", "message": "您访问的页面不存在或已被移除。"},
                  status=404)


def error_403(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有权限访问此页面。"
    return render(request, "portal/error.html", {"title": "无权访问", "message": message},
                  status=403)


def error_500(request):
    return render(request, "portal/error.html",
                  {"title": "系统繁忙",
                   "message": "服务器暂时出现问题，请稍后再试。您已保存的内容不会丢失。"},
                  status=500)


def csrf_failure(request, reason=""):
    return render(request, "portal/error.html",
                  {"title": "页面已过期",
                   "message": "表单已过期或来源不正确，请返回上一页刷新后重新提交。"},
                  status=403)
