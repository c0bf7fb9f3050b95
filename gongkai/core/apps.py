from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = "基础（单位、人员、审计、工作日）"

    def ready(self):
        from gongkai.core import formsafety

        formsafety.install()
