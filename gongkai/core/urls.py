from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.core import views

app_name = "core"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_log, name="audit"),
    path("calendar/", views.calendar_admin, name="calendar"),
    path("lockouts/", views.lockouts, name="lockouts"),
]
