from django.urls import path

from gongkai.disclosure import feeds, staff_interpretation_views, staff_views, views

app_name = "disclosure"

urlpatterns = [
    path("", views.index, name="index"),
    path("wj/", views.document_list, name="documents"),
    path("zcwj/", views.policy_library, name="policy_library"),
    path("zcjd/", views.interpretation_list, name="interpretations"),
    path("zcjd/<int:pk>/", views.interpretation_detail, name="interpretation"),
    path("gb/", views.gazette_list, name="gazette"),
    path("gb/<int:year>/<int:number>/", views.gazette_issue, name="gazette_issue"),
    path("flk/", views.regulation_list, name="regulations"),
    path("flk/<int:pk>/", views.regulation_detail, name="regulation"),
    path("flk/<int:pk>/diff/", views.regulation_diff, name="regulation_diff"),
    path("flk/v/<int:pk>/", views.version_text, name="regulation_version"),
    path("doc/<int:pk>/", views.document_detail, name="document"),
    path("doc/<int:pk>/print/", views.document_print, name="document_print"),
    path("fj/<int:pk>/", views.attachment_download, name="attachment"),
    path("feed/<slug:org_code>/rss/", feeds.UnitFeed(), name="feed_rss"),
    path("feed/<slug:org_code>/atom/", feeds.UnitAtomFeed(), name="feed_atom"),
    path("feed/<slug:org_code>/<slug:node_code>/rss/", feeds.UnitFeed(), name="node_feed_rss"),
    path("feed/<slug:org_code>/<slug:node_code>/atom/", feeds.UnitAtomFeed(),
         name="node_feed_atom"),
    # staff
    path("staff/", staff_views.my_documents, name="staff_documents"),
    path("staff/new/", staff_views.document_new, name="staff_new"),
    path("staff/<int:pk>/", staff_views.document_edit, name="staff_edit"),
    path("staff/<int:pk>/review/", staff_views.review, name="staff_review"),
    path("staff/<int:pk>/<slug:action>/", staff_views.document_action, name="staff_action"),
    path("staff/review/", staff_views.review_queue, name="staff_review_queue"),
    path("staff/sync/", staff_views.sync_dashboard, name="staff_sync"),
    path("staff/timeliness/", staff_views.timeliness, name="staff_timeliness"),
    path("staff/interpretations/", staff_interpretation_views.interpretation_list,
         name="staff_interpretations"),
    path("staff/interpretations/new/", staff_interpretation_views.interpretation_edit,
         name="staff_interpretation_new"),
    path("staff/interpretations/<int:pk>/", staff_interpretation_views.interpretation_edit,
         name="staff_interpretation"),
    path("staff/directory/", staff_views.directory, name="staff_directory"),
    path("staff/gazette/", staff_views.gazette, name="staff_gazette"),
    # a unit's 政府信息公开 home and its directory nodes come last (codes are slugs)
    path("<slug:org_code>/", views.unit_home, name="unit"),
    path("<slug:org_code>/<slug:node_code>/", views.node_list, name="node"),
]
