from django.urls import path

from gongkai.supervision import catalog_views, newmedia_views, staff_views, views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("plan/import/", views.plan_import, name="plan_import"),
    path("plan/<int:pk>/", views.plan_detail, name="plan"),
    path("plan/<int:pk>/alias/", views.plan_alias, name="plan_alias"),
    path("aliases/", views.aliases, name="aliases"),
    path("plan/<int:pk>/carry/", views.plan_carry, name="plan_carry"),
    path("plan/<int:pk>/xlsx/", views.plan_xlsx, name="plan_xlsx"),
    path("task/<int:pk>/", views.assignment, name="assignment"),
    path("notice/", views.notice_send, name="notice_send"),
    path("notice/<int:pk>/answer/", views.notice_answer, name="notice_answer"),
    path("findings/", views.findings, name="findings"),
    path("findings/xlsx/", views.findings_xlsx, name="findings_xlsx"),
    path("findings/<int:pk>/", views.finding, name="finding"),
    path("inspect/", views.inspection_run, name="inspection_run"),
    path("dashboard/", staff_views.dashboard, name="dashboard"),
    path("evaluations/", staff_views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", staff_views.evaluation, name="evaluation"),
    path("evaluations/<int:pk>/xlsx/", staff_views.evaluation_xlsx, name="evaluation_xlsx"),
    path("evaluations/<int:pk>/bulletin/", staff_views.bulletin_draft, name="bulletin_draft"),
    path("bulletins/<int:pk>/", staff_views.bulletin, name="bulletin"),
    path("bulletins/<int:pk>/docx/", staff_views.bulletin_file, {"fmt": "docx"},
         name="bulletin_docx"),
    path("bulletins/<int:pk>/pdf/", staff_views.bulletin_file, {"fmt": "pdf"},
         name="bulletin_pdf"),
    path("words/", staff_views.words, name="words"),
    path("catalog/", catalog_views.catalog, name="catalog"),
    path("catalog/report/", catalog_views.catalog_report, name="catalog_report"),
    path("catalog/report/xlsx/", catalog_views.catalog_report_xlsx, name="catalog_report_xlsx"),
    path("catalog/<int:pk>/", catalog_views.catalog_entry, name="catalog_entry"),
    path("media/", newmedia_views.media_list, name="media"),
    path("media/<int:pk>/", newmedia_views.media_detail, name="media_detail"),
    path("media/<int:pk>/<slug:action>/", newmedia_views.media_action, name="media_action"),
    path("training/", staff_views.training, name="training"),
    path("training/material/<int:pk>/", staff_views.training_material,
         name="training_material"),
]
