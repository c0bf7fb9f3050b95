from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from gongkai.api import errors, exports, foi_views, integrator_views, views
from gongkai.api.registry import api_registry

app_name = "api"

# path() routes, not regexes: the site-wide walk (tests/test_no_server_errors.py) fills and
# junk-tests them like every other URL.
router = SimpleRouter(use_regex_path=False)
router.register("units", views.UnitViewSet, basename="unit")
router.register("nodes", views.NodeViewSet, basename="node")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("interpretations", views.InterpretationViewSet, basename="interpretation")
router.register("gazette", views.GazetteViewSet, basename="gazette")
router.register("regulations", views.RegulationViewSet, basename="regulation")
api_registry.extend(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api:schema", template_name="api/swagger_ui.html"), name="docs"),
    path("v1/reports/", views.ReportListView.as_view(), name="reports"),
    path("v1/reports/<slug:unit>/<int:year>/", views.ReportDetailView.as_view(), name="report"),
    path("v1/foi/statistics/", views.FoiStatisticsView.as_view(), name="foi_statistics"),
    path("v1/foi/applications/", foi_views.ApplicationsView.as_view(),
         name="foi_applications"),
    path("v1/foi/applications/<str:ref>/", foi_views.ApplicationDetailView.as_view(),
         name="foi_application"),
    path("v1/interaction/messages/", integrator_views.MessagesView.as_view(),
         name="messages"),
    path("v1/interaction/messages/<str:ref>/", integrator_views.MessageDetailView.as_view(),
         name="message"),
    path("v1/republish/documents/", integrator_views.RepublishDocumentsView.as_view(),
         name="republish_documents"),
    path("v1/republish/interpretations/",
         integrator_views.RepublishInterpretationsView.as_view(),
         name="republish_interpretations"),
    path("v1/datasets/", views.DatasetListView.as_view(), name="datasets"),
    path("v1/datasets/<slug:code>/", views.DatasetDetailView.as_view(), name="dataset-detail"),
    path("v1/datasets/<slug:code>/releases/<int:version>/", views.DatasetRowsView.as_view(),
         name="dataset-rows"),
    path("v1/", include(router.urls)),
    path("export/<slug:kind>.<slug:fmt>", exports.export, name="export"),
    # Anything else under /api/ is a JSON 404 in the one error shape, not the HTML page.
    re_path(r"^.*$", errors.not_found, name="not_found"),
]
