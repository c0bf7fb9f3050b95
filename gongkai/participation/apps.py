from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "gongkai.participation"
    label = "participation"
    verbose_name = "公众参与"

    def ready(self):
        from gongkai.core import registry
        from gongkai.participation import stats

        registry.public_section("gzcy", "公众参与", "participation:index", order=50,
                                description="意见征集、重大行政决策事项目录、意见采纳情况")
        registry.staff_menu("participation", "公众参与", "participation:staff_index", order=35)
        registry.tile("participation", "公众参与", "participation:staff_index",
                      "意见征集、意见处理和采纳情况反馈、重大行政决策事项目录", order=35)
        registry.tile("participation-overdue", "意见反馈逾期", "participation:staff_overdue",
                      "征求意见结束后逾期未公布采纳情况的事项", order=36)
        from gongkai.participation import search

        registry.search_source("participation", search.entries)
        from gongkai.participation import panel

        registry.unit_panel("participation", "公众参与", panel.provider, order=50)
        from gongkai.participation.notices import workbench_notices

        registry.notices("participation", workbench_notices)
        for key, label, fn, unit in stats.STATISTICS:
            registry.statistic(f"participation.{key}", label, fn, unit=unit)
        from gongkai.participation import topics
        registry.topic_source("participation.comments", "征求意见留言", topics.comments)
