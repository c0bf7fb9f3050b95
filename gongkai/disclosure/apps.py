from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"
    label = "disclosure"
    verbose_name = "主动公开"

    def ready(self):
        from gongkai.core import registry
        from gongkai.core.calendar import calendar_changed
        from gongkai.disclosure.receivers import recompute_publish_by

        calendar_changed.connect(recompute_publish_by, dispatch_uid="disclosure-publish-by")
        from gongkai.disclosure import publishing

        publishing.connect()
        from gongkai.disclosure import search_pages

        search_pages.connect()

        sections = [  # (key, label, url name, description, order in the main navigation)
            ("xxgk", "政府信息公开", "disclosure:index",
             "公开指南、公开制度、法定主动公开内容", 10),
            ("zcwj", "政策文件", "disclosure:policy_library",
             "规范性文件与政策性文件，可按有效性查找", 20),
            ("zcjd", "政策解读", "disclosure:interpretations", "文字、图解、音视频解读", 30),
            ("gb", "政府公报", "disclosure:gazette", "按年份和期号浏览", 70),
            ("flk", "法规库", "disclosure:regulations", "法律法规正式文本及修订历史", 80),
        ]
        for key, label, name, desc, order in sections:
            registry.public_section(key, label, name, description=desc, order=order)

        registry.staff_menu("disclosure", "主动公开", "disclosure:staff_documents", order=10)
        tiles = [
            ("documents", "主动公开", "disclosure:staff_documents",
             "起草、修改和提交本单位的政府信息"),
            ("review", "待我审核", "disclosure:staff_review_queue", "先审后发：审核、发布或退回"),
            ("interpretations", "政策解读", "disclosure:staff_interpretations",
             "编写和发布政策解读"),
            ("sync", "三同步检查", "disclosure:staff_sync",
             "缺少政策解读的规范性文件和重要政策文件"),
            ("timeliness", "公开时效", "disclosure:staff_timeliness", "逾期和即将逾期公开的信息"),
            ("directory", "公开目录", "disclosure:staff_directory",
             "公开办：维护各单位公开目录和时限"),
            ("gazette", "政府公报", "disclosure:staff_gazette", "公开办：编辑政府公报"),
        ]
        for i, (key, label, name, desc) in enumerate(tiles):
            registry.tile(f"disclosure-{key}", label, name, desc, order=10 + i)

        from gongkai.disclosure import statistics

        registry.statistic("disclosure.on_time_share", "主动公开按时发布率",
                           statistics.on_time_share, unit="%")
        registry.statistic("disclosure.sync_share", "政策解读三同步率", statistics.sync_share,
                           unit="%")
        registry.statistic("disclosure.directory_fresh_share", "目录栏目更新及时",
                           statistics.directory_fresh_share, unit="%")
