from django.urls import path

from gongkai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("elder/", views.toggle_elder_mode, name="elder"),
    path("robots.txt", views.robots_txt, name="robots"),
]
