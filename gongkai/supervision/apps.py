from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongkai.supervision"
    label = "supervision"
    verbose_name = "督查考核"

    def ready(self):
        from gongkai.core import registry
        from gongkai.supervision import statistics

        registry.public_section("dctb", "督查通报", "dc:bulletins", order=95, nav=False,
                                home=False, footer=True,
                                description="政务公开工作评估和督查情况通报")
        registry.staff_menu("supervision", "督查考核", "supervision:index", order=50)
        tiles = [
            ("ledger", "工作台账", "supervision:index",
             "工作要点任务分工、季度进展报送、督查通知和回头看"),
            ("findings", "网站检查整改", "supervision:findings",
             "核查—反馈—整改—再核查：本单位网站栏目问题和整改反馈"),
            ("catalog", "标准目录", "supervision:catalog",
             "26+1+n 基层政务公开标准目录：事项、公开时限和发布栏目"),
            ("media", "政务新媒体", "supervision:media",
             "登记本单位政务新媒体账号，申请整合、关停"),
        ]
        for i, (key, label, name, desc) in enumerate(tiles):
            registry.tile(f"supervision-{key}", label, name, desc, order=50 + i)
        registry.tile("supervision-dashboard", "督查考核总览", "supervision:dashboard",
                      "公开办：全区台账进度、检查问题、评估得分和通报", order=49,
                      audience=registry.COORDINATOR)
        from gongkai.supervision.services.bulletins import workbench_notices

        registry.notices("supervision", workbench_notices)
        registry.statistic("supervision.findings_on_time", "检查问题按期整改率",
                           statistics.findings_on_time, unit="%")
        registry.statistic("supervision.progress_share", "工作台账任务报送率",
                           statistics.progress_share, unit="%")
        registry.statistic("supervision.inspection_score", "网站检查百分制得分",
                           statistics.inspection_score, unit="分")
        registry.statistic("supervision.training", "应参加培训参训率", statistics.training_count,
                           unit="%")
