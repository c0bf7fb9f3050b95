from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"
    label = "disclosure"
    verbose_name = "主动公开"

    def ready(self):
        from gongkai.core.calendar import calendar_changed
        from gongkai.core.views import WORKBENCH_LINKS
        from gongkai.disclosure.receivers import recompute_publish_by

        calendar_changed.connect(recompute_publish_by, dispatch_uid="disclosure-publish-by")
        from gongkai.disclosure import publishing

        publishing.connect()

        for tile in [
            ("主动公开", "disclosure:staff_documents", "起草、修改和提交本单位的政府信息"),
            ("待我审核", "disclosure:staff_review_queue", "先审后发：审核、发布或退回"),
            ("政策解读", "disclosure:staff_interpretations", "编写和发布政策解读"),
            ("三同步检查", "disclosure:staff_sync", "缺少政策解读的规范性文件和重要政策文件"),
            ("公开时效", "disclosure:staff_timeliness", "逾期和即将逾期公开的信息"),
            ("公开目录", "disclosure:staff_directory", "公开办：维护各单位公开目录和时限"),
            ("政府公报", "disclosure:staff_gazette", "公开办：编辑政府公报"),
        ]:
            if tile not in WORKBENCH_LINKS:
                WORKBENCH_LINKS.append(tile)
