from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "gongkai.foi"
    label = "foi"
    verbose_name = "依申请公开"

    def ready(self):
        from gongkai.core.calendar import calendar_changed
        from gongkai.core.views import WORKBENCH_LINKS

        tile = ("依申请公开", "foi:staff_queue",
                "办理政府信息公开申请：答复期限、补正、征求意见、延期、答复")
        if tile not in WORKBENCH_LINKS:
            WORKBENCH_LINKS.append(tile)
        calendar_changed.connect(_on_calendar_changed, dispatch_uid="foi-recompute")


def _on_calendar_changed(sender, actor=None, dates=None, **kwargs):
    from gongkai.foi.services import recompute_running

    recompute_running(actor=actor, reason="工作日历调整")
