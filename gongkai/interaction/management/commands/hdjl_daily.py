"""gongkai hdjl_daily — reminders, 3-month alarms and stale 一号答 flags (Celery beat runs it)."""

from django.core.management.base import BaseCommand

from gongkai.interaction.reminders import run_daily


class Command(BaseCommand):
    help = "Mail due/overdue letters to units, alarms to coordinators; flag stale Q&A."

    def handle(self, *args, **opts):
        r = run_daily()
        self.stdout.write(f"{r['due']} letters due soon or overdue, {r['alarms']} over three "
                          f"months, {r['mails']} mails sent, {r['flagged']} Q&A flagged")
