from django.urls import path

from gongkai.api import public_views

app_name = "kaifang"

urlpatterns = [
    path("ysqgk-tongji/", public_views.foi_statistics_page, name="foi_statistics"),
]
