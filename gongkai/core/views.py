import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from gongkai.core import lockouts as lockout_services
from gongkai.core import registry, services
from gongkai.core.calendar import get_calendar
from gongkai.core.forms import AuditFilterForm, CalendarMarkForm, CalendarYearForm, NoticeImportForm
from gongkai.core.models import AuditEntry, CalendarDay, CalendarYear
from gongkai.core.params import parse_date, parse_id, parse_page
from gongkai.core.permissions import is_coordinator, profile_of, scope, staff_required


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django puts the request's host in "site"; the layout needs the district's identity.
        context["site"] = settings.GONGKAI_SITE
        return context


@staff_required
def workbench(request):
    from django.utils import timezone

    coordinator = is_coordinator(request.user)
    today = timezone.localdate()
    return render(request, "core/workbench.html", {
        "profile": profile_of(request.user),
        "links": registry.workbench_tiles(coordinator=coordinator),
        "coordinator": coordinator,
        "notices": registry.workbench_notices(request.user, today),
    })


@staff_required
def audit_log(request):
    """Coordinators browse every unit's entries; other staff only their own units'."""
    form = AuditFilterForm(request.GET or None)
    qs = scope(AuditEntry.objects.select_related("org"), request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d["org"]:
            qs = qs.filter(org=d["org"])
        if d["actor"]:
            qs = qs.filter(actor_label__icontains=d["actor"])
        if d["action"]:
            qs = qs.filter(action__icontains=d["action"])
        if d["target"]:
            qs = qs.filter(target_repr__icontains=d["target"])
        if d["since"]:
            qs = qs.filter(at__date__gte=d["since"])
        if d["until"]:
            qs = qs.filter(at__date__lte=d["until"])
    page = Paginator(qs, 50).get_page(parse_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_log.html",
                  {"form": form, "page": page, "query": query.urlencode()})


@staff_required(coordinator=True)
def calendar_admin(request):
    mark_form = CalendarMarkForm(prefix="mark")
    year_form = CalendarYearForm(prefix="year")
    notice_form = NoticeImportForm(prefix="notice")
    preview = None
    if request.method == "POST":
        if "notice-text" in request.POST:
            notice_form = NoticeImportForm(request.POST, prefix="notice")
            preview = _notice_step(request, notice_form)
            if preview == "done":
                return redirect("core:calendar")
        elif "mark-date" in request.POST:
            mark_form = CalendarMarkForm(request.POST, prefix="mark")
            if mark_form.is_valid():
                d = mark_form.cleaned_data
                services.mark_calendar_day(actor=request.user, date=d["date"],
                                           is_workday=d["kind"] == "workday", name=d["name"])
                messages.success(request, f"已将 {d['date']:%Y-%m-%d} 设为"
                                          f"{'工作日' if d['kind'] == 'workday' else '休息日'}。")
                return redirect("core:calendar")
        elif "year-year" in request.POST:
            year_form = CalendarYearForm(request.POST, prefix="year")
            if year_form.is_valid():
                d = year_form.cleaned_data
                services.declare_calendar_year(actor=request.user, year=d["year"],
                                               source=d["source"])
                messages.success(request, f"已确认 {d['year']} 年节假日安排录入完毕。")
                return redirect("core:calendar")
        elif "unmark" in request.POST:
            day = parse_date(request.POST["unmark"])
            if day is None:
                messages.error(request, "日期格式不正确。")
            else:
                services.unmark_calendar_day(actor=request.user, date=day)
                messages.success(request, f"已撤销 {day:%Y-%m-%d} 的调整。")
            return redirect("core:calendar")
    cal = get_calendar()
    today = dt.date.today()
    years = [today.year, today.year + 1]
    year_status = [(y, cal.year_known(y)) for y in years]
    return render(request, "core/calendar.html", {
        "mark_form": mark_form, "year_form": year_form, "notice_form": notice_form,
        "preview": preview,
        "days": CalendarDay.objects.all(), "declared": CalendarYear.objects.all(),
        "year_status": year_status,
    })


@staff_required(coordinator=True)
def lockouts(request):
    """登录锁定: accounts locked after wrong passwords, and a button to lift each lock."""
    request.gongkai_private = True
    if request.method == "POST":
        attempt_id = parse_id(request.POST.get("unlock"))
        if attempt_id is not None and lockout_services.lift_lockout(actor=request.user,
                                                                    attempt_id=attempt_id):
            messages.success(request, "已解除锁定，该账号可以立即登录。")
        else:
            messages.error(request, "该锁定已解除或已过期。")
        return redirect("core:lockouts")
    return render(request, "core/lockouts.html", {
        "lockouts": lockout_services.current_lockouts(),
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(float(settings.AXES_COOLOFF_TIME) * 60),
    })


def _notice_step(request, form: NoticeImportForm):
    """Preview a pasted notice (nothing saved) or, on confirm, import it: "done" or a dict."""
    from gongkai.core.calendar_services import import_holiday_notice
    from gongkai.core.holiday_notice import NoticeError, parse

    if not form.is_valid():
        return None
    text = form.cleaned_data["text"]
    try:
        if request.POST.get("action") == "confirm":
            notice = import_holiday_notice(actor=request.user, text=text)
            messages.success(request, f"已导入{notice.source}：放假{len(notice.holidays)}天，"
                                      f"调休上班{len(notice.workdays)}天，{notice.year}年"
                                      "已确认录入完毕；正在办理的申请已重新计算答复期限。")
            return "done"
        notice = parse(text)
    except NoticeError as exc:
        form.add_error("text", str(exc))
        return None
    replaced = CalendarDay.objects.filter(date__year=notice.year).count()
    return {"notice": notice, "lines": notice.lines(), "replaced": replaced}
