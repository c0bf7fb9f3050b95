from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    verbose_name = "政府信息公开工作年度报告"

    def ready(self):
        from gongkai.core import registry

        registry.public_section("ndbg", "公开年报", "reports:index", order=90,
                                description="政府信息公开工作年度报告")
        registry.staff_menu("reports", "公开年报", "reports:staff_index", order=40)
        registry.tile("reports", "公开年报", "reports:staff_index",
                      "编制、审核和发布本单位政府信息公开工作年度报告；公开办查看全区汇总",
                      order=40)
        from gongkai.reports.reminders import workbench_notices

        registry.notices("reports", workbench_notices)
        from gongkai.reports import search

        search.connect()
