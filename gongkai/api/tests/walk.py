"""Real path values for the api app's URLs in the site-wide walk
(``tests/test_no_server_errors.py``): a published open dataset, an answer on the public
record with its released file, one awaiting review and one that may be proposed, so the
workbench (数据开放, 字段设置, 公开答复) and the public pages are junk-tested for real."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.models import Role
from gongkai.core.tests.helpers import one_page_pdf


def _answered(editor, unit, name: str):
    from gongkai.foi import answer_services
    from gongkai.foi import services as foi
    from gongkai.foi.models import Channel
    from gongkai.foi.tests.factories import person

    app, _code = foi.register_application(
        actor=editor, data=person(applicant_name=name), channel=Channel.IN_PERSON,
        received_date=dt.date(2026, 11, 2), addressee=unit, org=unit)
    upload = SimpleUploadedFile("list.pdf", one_page_pdf(), content_type="application/pdf")
    answer_services.add_answer_file(actor=editor, application=app, title="改造项目清单",
                                    upload=upload, pages=1)
    answer_services.answer(actor=editor, application=app, answer_type="3.1.provided",
                           answer_date=dt.date(2026, 11, 20))
    app.refresh_from_db()
    return app


def samples(ctx: dict) -> dict[str, dict[str, str]]:
    from gongkai.api import demo
    from gongkai.api import record_services as rs

    demo.load(stdout=io.StringIO())
    unit = ctx["org"]("hyq-fgj")
    editor = ctx["make_staff"](unit, Role.EDITOR)
    reviewer = ctx["make_staff"](unit, Role.REVIEWER)
    public_app = _answered(editor, unit, "张甲")
    public = rs.propose(actor=editor, application=public_app, question="老旧小区改造项目清单",
                        file_ids=list(public_app.answer_files.values_list("pk", flat=True)))
    rs.publish(actor=reviewer, record=public)
    pending_app = _answered(editor, unit, "李乙")
    pending = rs.propose(actor=editor, application=pending_app, question="道路改造计划",
                         file_ids=[])
    open_app = _answered(editor, unit, "王丙")
    dataset = {"code": "bmys-2026", "version": "1", "fmt": "csv"}
    return {
        "kaifang:dataset": dataset, "kaifang:dataset_download": dataset,
        "kaifang:staff_dataset_upload": dataset, "kaifang:staff_dataset_schema": dataset,
        "kaifang:answer_file": {"pk": str(public.pk),
                                "file_id": str(public.files.first().pk)},
        "kaifang:staff_propose": {"pk": str(open_app.pk)},
        "kaifang:staff_publish": {"pk": str(pending.pk)},
        "api:dataset-detail": dataset, "api:dataset-rows": dataset,
        "api:report": {"unit": unit.code, "year": "2024"},
        "api:export": {"kind": "documents", "fmt": "csv"},
    }
