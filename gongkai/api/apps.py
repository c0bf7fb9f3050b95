from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gongkai.api"
    label = "api"
    verbose_name = "开放接口"

    def ready(self):
        from django.db.models.signals import post_save

        from gongkai.api.webhooks import on_application_saved, on_message_saved
        from gongkai.core import registry

        post_save.connect(on_application_saved, sender="foi.Application",
                          dispatch_uid="api-foi-webhook")
        post_save.connect(on_message_saved, sender="interaction.Message",
                          dispatch_uid="api-interaction-webhook")

        registry.public_section("api", "开放接口", "api:docs", order=90, footer=True, home=False,
                                nav=False, description="政府信息和统计数据的机器可读接口")
        registry.public_section("foi-statistics", "依申请公开统计", "kaifang:foi_statistics",
                                order=65, footer=True, home=False, nav=False,
                                description="各单位各年度申请数量、办理结果、用时和复议诉讼")
        registry.public_section("foi-answers", "依申请公开答复", "kaifang:answers", order=66,
                                footer=True, home=False, nav=False,
                                description="经审核公开的依申请公开答复（条例第四十四条）")
        registry.public_section("opendata", "数据开放", "kaifang:datasets", order=85,
                                footer=True, description="财政预决算、政府债务、惠民惠农补贴、"
                                "重大建设项目等数据下载和接口")
        registry.staff_menu("foi-answers", "答复公开", "kaifang:staff_answers", order=35)
        registry.staff_menu("opendata", "数据开放", "kaifang:staff_datasets", order=36)
        registry.tile("foi-answers", "依申请公开答复公开", "kaifang:staff_answers",
                      "把予以公开的答复经审核后公开；多人申请的信息提示转为主动公开", order=35)
