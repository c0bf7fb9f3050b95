from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    label = "interaction"
    verbose_name = "政民互动"

    def ready(self):
        from gongkai.core import registry
        from gongkai.interaction import categories, stats

        categories.scheme()  # a bad GONGKAI_PROPOSAL_CATEGORIES stops start-up here

        registry.public_section("hdjl", "政民互动", "interaction:home", order=70, footer=True,
                                description="区长信箱、政策咨询「一号答」、来信公开与满意度")
        registry.public_section("hdjl-mailbox", "区长信箱", "interaction:write", order=71,
                                nav=False, home=False, footer=True)
        registry.public_section("hdjl-qa", "一号答", "interaction:qa", order=72, nav=False,
                                home=False, footer=True)
        registry.public_section("hdjl-proposals", "建议提案", "interaction:proposals",
                                order=73, nav=False, home=False, footer=True)
        registry.tile("hdjl-proposals", "建议提案办理", "interaction:staff_proposals",
                      "人大代表建议、政协委员提案：导入、答复、公开", order=43)
        registry.public_section("hdjl-events", "访谈和开放日", "interaction:events",
                                order=74, nav=False, home=False, footer=True)
        registry.tile("hdjl-events", "访谈和开放日", "interaction:staff_events",
                      "在线访谈、政府开放日、网络问政：报名、提问、实录、承诺事项跟踪", order=44)
        registry.staff_menu("hdjl", "政民互动", "interaction:staff_queue", order=40)
        registry.tile("hdjl-queue", "区长信箱", "interaction:staff_queue",
                      "办理来信：答复期限、审核答复、公开与评价", order=40)
        registry.tile("hdjl-dashboard", "政民互动督办", "interaction:staff_dashboard",
                      "分办来信、超期与3个月未回复预警、各单位统计", order=41,
                      audience=registry.COORDINATOR)
        registry.tile("hdjl-qa", "一号答", "interaction:staff_qa",
                      "政策咨询问答：编写、审核发布、到期复核", order=42)
        registry.statistic("interaction.messages_received", "区长信箱收信量", stats.received,
                           unit="件")
        registry.statistic("interaction.messages_on_time", "区长信箱按期答复率",
                           stats.on_time_share, unit="%")
        registry.statistic("interaction.median_workdays", "区长信箱答复用时中位数",
                           stats.median_days, unit="个工作日", higher_is_better=False)
        registry.statistic("interaction.satisfaction", "区长信箱答复满意率", stats.satisfaction,
                           unit="%")
        registry.statistic("interaction.unanswered_3_months", "超过3个月未回复的留言",
                           stats.unanswered_3_months, unit="件", higher_is_better=False)
        # 「我要问」 on every document and 解读 page: a question to the policy's drafting unit.
        registry.object_link("hdjl-ask-doc", "document", "我要问：就本政策向起草单位咨询",
                             "interaction:ask", "doc")
        from gongkai.interaction import hot, reminders

        registry.notices("interaction", reminders.workbench_notices)

        registry.topic_source("interaction.messages", "区长信箱留言", hot.message_texts)
        registry.topic_source("interaction.qa", "一号答问题", hot.qa_texts)
        from gongkai.interaction.search_answers import answers

        registry.search_answers("hdjl-qa", "一号答", answers)
        from django.db.models.signals import post_delete, post_save

        from gongkai.interaction.models import QAEntry
        from gongkai.interaction.qa_search import on_qa_change

        post_save.connect(on_qa_change, sender=QAEntry, dispatch_uid="interaction-qa-index")
        post_delete.connect(on_qa_change, sender=QAEntry, dispatch_uid="interaction-qa-index-d")
        registry.object_link("hdjl-ask-interp", "interpretation", "我要问：就本政策向起草单位咨询",
                             "interaction:ask", "interp")
