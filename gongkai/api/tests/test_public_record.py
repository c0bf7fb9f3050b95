"""条例第四十四条: disclosing answers reach the public record only after review and the
privacy scan, without the applicant; repeated requests prompt proactive publication."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.api import record_services as rs
from gongkai.api.models import RecordStatus
from gongkai.core.models import Organization, Role
from gongkai.core.tests.helpers import one_page_pdf
from gongkai.foi import answer_services, services
from gongkai.foi.models import Channel
from gongkai.foi.tests.factories import person

pytestmark = pytest.mark.django_db
D = dt.date


def own(actor, code="hyq-fgj", **extra):
    unit = Organization.objects.get(code=code)
    app, _ = services.register_application(actor=actor, data=person(**extra),
                                           channel=Channel.IN_PERSON,
                                           received_date=D(2026, 11, 2), addressee=unit,
                                           org=unit)
    return app


@pytest.fixture
def answered(make_staff):
    editor, reviewer = make_staff("hyq-fgj", Role.EDITOR), make_staff("hyq-fgj", Role.REVIEWER)
    app = own(editor)
    pdf = SimpleUploadedFile("list.pdf", one_page_pdf(),
                             content_type="application/pdf")
    answer_services.add_answer_file(actor=editor, application=app, title="改造项目清单",
                                    upload=pdf, pages=1)
    answer_services.answer(actor=editor, application=app, answer_type="3.1.provided",
                           answer_date=D(2026, 11, 20))
    app.refresh_from_db()
    return app, editor, reviewer


def test_reviewed_answer_is_public_without_the_applicant(answered):
    app, editor, reviewer = answered
    record = rs.propose(actor=editor, application=app, question=app.subject,
                        file_ids=[f.pk for f in app.answer_files.all()])
    page = Client().get(reverse("kaifang:answers")).content.decode()
    assert app.subject not in page  # not before review
    with pytest.raises(PermissionDenied):
        rs.publish(actor=editor, record=record)
    rs.publish(actor=reviewer, record=record)
    page = Client().get(reverse("kaifang:answers")).content.decode()
    assert app.subject in page and "予以公开" in page
    assert "张三" not in page and "13800000000" not in page and app.number not in page
    f = record.files.get()
    download = Client().get(reverse("kaifang:answer_file", args=[record.pk, f.pk]))
    assert download.status_code == 200


def test_nobody_reviews_what_they_proposed(answered):
    app, _, reviewer = answered
    record = rs.propose(actor=reviewer, application=app, question=app.subject)
    with pytest.raises(ValidationError, match="提交人不能审核"):
        rs.publish(actor=reviewer, record=record)


def test_privacy_scan_and_applicant_name_block_publication(answered):
    app, editor, _ = answered
    with pytest.raises(ValidationError, match="申请人姓名"):
        rs.propose(actor=editor, application=app, question=f"张三申请的{app.subject}")
    with pytest.raises(ValidationError, match="个人信息"):
        rs.propose(actor=editor, application=app,
                   question="请公开身份证号11010519491231002X的补贴记录")
    assert not app.__class__.objects.filter(public_answer__isnull=False).exists()


def test_only_disclosing_answers_of_own_unit(answered, make_staff):
    app, _, _ = answered
    other_unit = make_staff("hyq-czj", Role.EDITOR)
    with pytest.raises(PermissionDenied):
        rs.propose(actor=other_unit, application=app, question=app.subject)
    refused = own(make_staff("hyq-fgj", Role.EDITOR))
    with pytest.raises(ValidationError, match="予以公开或部分公开"):
        rs.propose(actor=make_staff("hyq-fgj"), application=refused, question="x")


def test_staff_page_flow_and_repeat_prompt(answered, client_for, make_staff):
    app, editor, reviewer = answered
    c = client_for(editor)
    page = c.get(reverse("kaifang:staff_answers")).content.decode()
    assert app.number in page and "建议转为主动公开" not in page
    c.post(reverse("kaifang:staff_propose", args=[app.pk]), {"question": app.subject})
    client_for(reviewer).post(reverse("kaifang:staff_publish", args=[app.public_answer.pk]))
    app.public_answer.refresh_from_db()
    assert app.public_answer.status == RecordStatus.PUBLISHED
    for i, id_number in enumerate(["110105194912310021", "110105194912310030"]):
        own(editor, applicant_name=f"申请人{i}", id_number=id_number,
            subject="2026年槐荫区老旧小区改造项目清单。")
    page = c.get(reverse("kaifang:staff_answers")).content.decode()
    assert "建议转为主动公开" in page and "2026年槐荫区老旧小区改造项目清单" in page
    assert Client().get(reverse("kaifang:staff_answers")).status_code == 302


def test_public_pages_survive_hostile_query_strings(district):
    for path in ("/kaifang/ysqgk-dafu/?unit=%00&q=%00&page=x",
                 "/kaifang/ysqgk-tongji/?unit=%00&year=%00",
                 "/api/export/documents.csv?org=%00&year=%00&node=%00",
                 "/api/export/reports.xlsx?unit=%00&year=%00",
                 "/kaifang/sj/?x=%00", "/kaifang/sj/nope/"):
        assert Client().get(path).status_code in (200, 404), path


def test_unicode_digits_in_year_are_not_numbers(district):
    # "²".isdigit() is True but int("²") fails: such years must be ignored, not crash.
    assert Client().get("/kaifang/ysqgk-tongji/?year=%C2%B2").status_code == 200
    assert Client().get("/api/export/reports.csv?year=%C2%B2%C2%B2%C2%B2%C2%B2").status_code == 200


def test_public_record_exports_without_the_applicant(answered):
    import csv
    import io

    app, editor, reviewer = answered
    hidden = rs.propose(actor=editor, application=app, question=app.subject,
                        file_ids=[f.pk for f in app.answer_files.all()])
    r = Client().get(reverse("api:export", args=["answers", "csv"]))
    assert list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))[1:] == []
    rs.publish(actor=reviewer, record=hidden)
    r = Client().get(reverse("api:export", args=["answers", "csv"]), {"unit": "hyq-fgj"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["答复机关", "申请公开的信息", "答复类型"]
    assert rows[1][1] == app.subject and rows[1][5] == "改造项目清单"
    assert rows[1][6].endswith(f"#answer-{hidden.pk}")
    text = r.content.decode("utf-8-sig")
    assert "张三" not in text and app.number not in text
    other = Client().get(reverse("api:export", args=["answers", "xlsx"]), {"unit": "hyq-czj"})
    assert other.content[:2] == b"PK"
    page = Client().get(reverse("kaifang:answers")).content.decode()
    assert reverse("api:export", args=["answers", "csv"]) in page
