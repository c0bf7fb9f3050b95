from django.urls import path, register_converter

from gongkai.reports import views


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class FormatConverter:
    regex = "json|html|docx|xlsx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(YearConverter, "year4")
register_converter(FormatConverter, "fmt")

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("staff/", views.staff_index, name="staff_index"),
    path("staff/open/", views.staff_open, name="staff_open"),
    path("staff/summary/", views.summary, name="summary"),
    path("staff/<slug:code>/<year4:year>/", views.edit, name="edit"),
    path("staff/<slug:code>/<year4:year>/report.<fmt:fmt>", views.staff_export,
         name="staff_export"),
    path("<slug:code>/<year4:year>/", views.detail, name="detail"),
    path("<slug:code>/<year4:year>/report.<fmt:fmt>", views.download, name="download"),
]
