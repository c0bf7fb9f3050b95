from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from gongkai.disclosure.sitemaps import sitemaps

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("staff/", include("gongkai.core.urls")),
    path("xxgk/", include("gongkai.disclosure.urls")),
    path("search/", include("gongkai.search.urls")),
    path("ysqgk/", include("gongkai.foi.urls")),
    path("ndbg/", include("gongkai.reports.urls")),
    path("gzcy/", include("gongkai.participation.urls")),
    path("hdjl/", include("gongkai.interaction.urls")),
    path("staff/dc/", include("gongkai.supervision.urls")),
    path("dctb/", include("gongkai.supervision.public_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("api/", include("gongkai.api.urls")),
    path("kaifang/", include("gongkai.api.public_urls")),
]

handler404 = "gongkai.portal.views.error_404"
handler403 = "gongkai.portal.views.error_403"
handler500 = "gongkai.portal.views.error_500"
