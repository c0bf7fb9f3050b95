from django.conf import settings

from gongkai.core.permissions import profile_of

# Navigation of the public site: (label, url). Apps add their sections here.
NAV = [
    ("首页", "/"),
    ("政府信息公开", "/xxgk/"),
    ("政策文件", "/xxgk/zcwj/"),
    ("政策解读", "/xxgk/zcjd/"),
    ("依申请公开", "/ysqgk/"),
    ("政府公报", "/xxgk/gb/"),
    ("法规库", "/xxgk/flk/"),
    ("公开年报", "/ndbg/"),
]


def site(request):
    return {
        "site": settings.GONGKAI_SITE,
        "nav": NAV,
        "elder_mode": request.COOKIES.get("elder") == "1",
        "staff_profile": profile_of(getattr(request, "user", None)),
    }
