"""gongkai demo — load the demo district, staff, and every app's demo content."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from gongkai.core import demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent): units, staff, and each app's demo.load()."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true",
                            help="fewer corpus documents (for tests and quick starts)")

    def handle(self, *args, **opts):
        demo.load_orgs()
        logins = demo.load_staff()
        for config in apps.get_app_configs():
            if not config.name.startswith("gongkai.") or config.label == "core":
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            self.stdout.write(f"loading demo data: {config.verbose_name}")
            module.load(stdout=self.stdout, quick=opts["quick"])
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
        for username, name, org, role in logins:
            self.stdout.write(f"  {username:<10} {role:<8} {org}  {name}")
