"""gongkai participation sweep: purge the unit pages whose 公众参与 column changed by the
clock in the last minutes (a consultation opened or closed); run every minute from cron
when there is no Celery beat."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "公众参与: periodic jobs without Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sweep"])
        parser.add_argument("--minutes", type=int, default=5)

    def handle(self, *args, **opts):
        from gongkai.participation import panel

        n = panel.sweep(minutes=max(1, opts["minutes"]))
        self.stdout.write(f"purged the unit pages of {n} unit(s)")
