from django.urls import path

from gongkai.api import public_views, staff_views

app_name = "kaifang"

urlpatterns = [
    path("ysqgk-tongji/", public_views.foi_statistics_page, name="foi_statistics"),
    path("ysqgk-dafu/", public_views.answer_list, name="answers"),
    path("ysqgk-dafu/<int:pk>/cl/<int:file_id>/", public_views.answer_file, name="answer_file"),
    path("sj/", public_views.dataset_list, name="datasets"),
    path("sj/<slug:code>/", public_views.dataset_detail, name="dataset"),
    path("sj/<slug:code>/v<int:version>.<slug:fmt>", public_views.dataset_download,
         name="dataset_download"),
    path("staff/sj/", staff_views.datasets, name="staff_datasets"),
    path("staff/sj/<slug:code>/", staff_views.dataset_upload, name="staff_dataset_upload"),
    path("staff/sj/<slug:code>/fields/", staff_views.dataset_schema,
         name="staff_dataset_schema"),
    path("staff/dafu/", staff_views.answers, name="staff_answers"),
    path("staff/dafu/<int:pk>/propose/", staff_views.propose, name="staff_propose"),
    path("staff/dafu/<int:pk>/publish/", staff_views.publish, name="staff_publish"),
]
