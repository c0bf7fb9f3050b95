from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = "基础（单位、人员、审计、工作日）"

    def ready(self):
        from django.db.models.signals import post_migrate

        from gongkai.core import formsafety, registry

        registry.public_section("staff", "工作人员入口", "core:workbench", order=1000,
                                footer=True, home=False, nav=False)
        registry.staff_menu("workbench", "工作台", "core:workbench", order=0)
        registry.staff_menu("audit", "操作日志", "core:audit", order=900)
        registry.staff_menu("calendar", "工作日历", "core:calendar", order=910,
                            audience=registry.COORDINATOR)
        registry.tile("audit", "操作日志", "core:audit", "谁在何时对哪条记录做了什么", order=900)
        registry.tile("calendar", "工作日历", "core:calendar", "法定节假日与调休安排",
                      order=910, audience=registry.COORDINATOR)
        registry.tile("lockouts", "登录锁定", "core:lockouts", "因密码错误被锁定的账号，可解除锁定",
                      order=920, audience=registry.COORDINATOR)

        from gongkai.core.reminders import workbench_notices

        registry.notices("core", workbench_notices)
        formsafety.install()
        post_migrate.connect(_create_cache_table, sender=self)


def _create_cache_table(sender, using="default", verbosity=1, **kwargs):
    """The database cache (settings.CACHES without Redis) needs its table; it is not a model,
    so `migrate` alone would not create it. Idempotent."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
