from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "gongkai.foi"
    label = "foi"
    verbose_name = "依申请公开"

    def ready(self):
        from gongkai.core import registry
        from gongkai.core.calendar import calendar_changed

        registry.public_section("ysqgk", "依申请公开", "foi:guide", order=60, footer=True,
                                description="在线申请政府信息，查询办理进度")
        registry.staff_menu("foi", "依申请公开", "foi:staff_queue", order=30)
        registry.tile("foi-queue", "依申请公开", "foi:staff_queue",
                      "办理政府信息公开申请：答复期限、补正、征求意见、延期、答复", order=30)
        calendar_changed.connect(_on_calendar_changed, dispatch_uid="foi-recompute")
        from gongkai.foi import search

        registry.search_source("foi", search.entries, labels={search.GUIDE: search.LABEL})
        registry.search_answers("foi-guide", search.LABEL, search.best_bet)

        from gongkai.foi import statistics

        registry.statistic("foi.on_time_share", "依申请公开按期答复率", statistics.on_time_share,
                           unit="%")
        registry.statistic("foi.corrected_count", "复议诉讼被纠错数", statistics.corrected_count,
                           unit="件", higher_is_better=False)
        registry.statistic("foi.quality_score", "依申请公开抽检得分", statistics.quality_score)
        from gongkai.foi import topics
        registry.topic_source("foi.subjects", "依申请公开申请", topics.subjects)


def _on_calendar_changed(sender, actor=None, dates=None, **kwargs):
    from gongkai.foi.services import recompute_running

    recompute_running(actor=actor, reason="工作日历调整")
