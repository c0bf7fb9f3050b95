from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    verbose_name = "政府信息公开工作年度报告"

    def ready(self):
        from gongkai.core.views import WORKBENCH_LINKS, WORKBENCH_NOTICES
        from gongkai.reports.reminders import workbench_notices

        tile = ("公开年报", "reports:staff_index",
                "编制、审核和发布本单位政府信息公开工作年度报告；公开办查看全区汇总")
        if tile not in WORKBENCH_LINKS:
            WORKBENCH_LINKS.append(tile)
        if workbench_notices not in WORKBENCH_NOTICES:
            WORKBENCH_NOTICES.append(workbench_notices)
