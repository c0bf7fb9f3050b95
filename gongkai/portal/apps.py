from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "门户"

    def ready(self):
        from gongkai.core import registry

        registry.public_section("home", "首页", "portal:home", order=0, home=False)
