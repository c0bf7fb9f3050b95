from django.urls import path

from gongkai.foi import staff_views, views

app_name = "foi"
urlpatterns = [
    path("", views.guide, name="guide"),
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.submitted, name="submitted"),
    path("receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("track/", views.track, name="track"),
    path("track/letter/<int:pk>.<str:fmt>", views.letter_download, name="track_letter"),
    path("track/file/<int:pk>/", views.answer_file_download, name="track_file"),
    path("staff/", staff_views.queue, name="staff_queue"),
    path("staff/register/", staff_views.register, name="staff_register"),
    path("staff/templates/", staff_views.templates, name="staff_templates"),
    path("staff/sample/", staff_views.sample, name="staff_sample"),
    path("staff/<int:pk>/", staff_views.detail, name="staff_detail"),
    path("staff/<int:pk>/act/<str:action>/", staff_views.act, name="staff_act"),
    path("staff/<int:pk>/issue/", staff_views.issue, name="staff_issue"),
    path("staff/<int:pk>/proof/", staff_views.proof, name="staff_proof"),
    path("staff/<int:pk>/file/<int:file_id>/", staff_views.answer_file,
         name="staff_answer_file"),
    path("staff/<int:pk>/reveal-id/", staff_views.reveal_id, name="staff_reveal_id"),
    path("staff/<int:pk>/letter/<int:letter_id>.<str:fmt>", staff_views.letter,
         name="staff_letter"),
]
