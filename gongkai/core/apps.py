from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = "基础（单位、人员、审计、工作日）"

    def ready(self):
        from gongkai.core import formsafety

        formsafety.install()
        from django.db.models.signals import post_migrate

        post_migrate.connect(_create_cache_table, sender=self)


def _create_cache_table(sender, using="default", verbosity=1, **kwargs):
    """The database cache (settings.CACHES without Redis) needs its table; it is not a model,
    so `migrate` alone would not create it. Idempotent."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
