from django.urls import path

from gongkai.supervision import public_views

app_name = "dc"

urlpatterns = [
    path("", public_views.bulletins, name="bulletins"),
    path("<int:pk>/", public_views.bulletin, name="bulletin"),
]
