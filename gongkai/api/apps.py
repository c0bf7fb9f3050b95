from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gongkai.api"
    label = "api"
    verbose_name = "开放接口"

    def ready(self):
        from gongkai.core import registry

        registry.public_section("api", "开放接口", "api:docs", order=90, footer=True, home=False,
                                nav=False, description="政府信息和统计数据的机器可读接口")
