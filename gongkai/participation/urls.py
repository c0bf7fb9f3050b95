from django.urls import path

from gongkai.participation import exports, feeds, staff_views, views

app_name = "participation"

urlpatterns = [
    path("", views.index, name="index"),
    path("yjzj/<int:pk>/", views.consultation, name="consultation"),
    path("yjzj/<int:pk>/comment/", views.comment, name="comment"),
    path("yjzj/<int:pk>/fankui/", views.feedback, name="feedback"),
    path("yjzj/<int:pk>/fankui.<str:fmt>", exports.feedback_export, name="feedback_export"),
    path("yjzj/<int:pk>/wenjuan/", views.survey, name="survey"),
    path("chaxun/", views.lookup, name="lookup"),
    path("feed/rss/", feeds.ParticipationFeed(), name="feed"),
    path("feed/<slug:org_code>/rss/", feeds.ParticipationFeed(), name="unit_feed"),
    path("zdjc/", views.catalogs, name="catalogs"),
    path("zdjc/<int:pk>/", views.catalog, name="catalog"),
    path("zdjc/<int:pk>/mulu.<str:fmt>", exports.catalog_export, name="catalog_export"),
    path("zdjc/sx/<int:pk>/", views.decision, name="decision"),
    path("staff/", staff_views.index, name="staff_index"),
    path("staff/overdue/", staff_views.overdue, name="staff_overdue"),
    path("staff/new/", staff_views.consultation_new, name="staff_consultation_new"),
    path("staff/c/<int:pk>/", staff_views.consultation_detail, name="staff_consultation"),
    path("staff/c/<int:pk>/edit/", staff_views.consultation_edit, name="staff_consultation_edit"),
    path("staff/c/<int:pk>/<str:action>/", staff_views.consultation_action,
         name="staff_consultation_action"),
    path("staff/catalogs/", staff_views.catalogs, name="staff_catalogs"),
    path("staff/catalog/<int:pk>/", staff_views.catalog_detail, name="staff_catalog"),
    path("staff/catalog/<int:pk>/<str:action>/", staff_views.catalog_action,
         name="staff_catalog_action"),
    path("staff/item/<int:pk>/", staff_views.item_detail, name="staff_item"),
    path("staff/item/<int:pk>/stage/<int:stage>/<str:action>/", staff_views.stage_action,
         name="staff_stage_action"),
]
