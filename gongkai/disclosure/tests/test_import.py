import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from gongkai.disclosure.models import Document, Regulation, Status

pytestmark = pytest.mark.django_db


def _write(path, rows, gz=False):
    text = "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                     for r in rows) + "\n"
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("documents", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_gongkai_format_upserts_reports_bad_lines_and_loads_the_rest(district, tmp_path):
    path = _write(tmp_path / "docs.jsonl.gz", [
        {"external_id": "x-1", "title": "已发布的通知", "body": "正文一",
         "doc_number": "槐政发(2024)5号", "written": "2024-03-01", "published": "2024-03-05",
         "org": "hyq-fgj", "validity": "有效"},
        {"external_id": "x-2", "title": "没有发布日期的草稿", "body": "正文二"},
        "{not json",
        {"external_id": "x-3", "body": "没有标题"},
        {"external_id": "x-4", "title": "未知单位", "body": "b", "org": "no-such"},
        {"external_id": "x-5", "title": "不予公开缺依据", "body": "b", "attribute": "不予公开"},
    ], gz=True)
    code, out, err = _run("import", path)
    assert code == 2
    assert "line 3:" in err and "line 4: title is required" in err
    assert "line 5:" in err and "line 6:" in err and "line 1" not in err
    assert "created 2" in out and "bad 4" in out
    pub = Document.objects.get(external_id="x-1")
    assert pub.is_public() and pub.org.code == "hyq-fgj"
    assert pub.doc_number == "槐政发〔2024〕5号" and pub.validity == "valid"
    assert pub.doc_type == "normative" and pub.index_number
    assert Document.objects.get(external_id="x-2").status == Status.DRAFT
    assert Document.objects.get(external_id="x-2").org.code == "hyq"  # the root unit
    assert pub.get_absolute_url() in Client().get("/xxgk/wj/").content.decode()

    path2 = _write(tmp_path / "again.jsonl", [
        {"external_id": "x-1", "title": "已发布的通知（修订）", "body": "正文一",
         "doc_number": "槐政发(2024)5号", "written": "2024-03-01", "published": "2024-03-05",
         "org": "hyq-fgj", "validity": "有效"},
        {"external_id": "x-2", "title": "没有发布日期的草稿", "body": "正文二"},
    ])
    code, out, err = _run("import", path2)
    assert code == 0 and "updated 1" in out and "unchanged 1" in out
    assert Document.objects.filter(external_id="x-1").count() == 1
    assert Document.objects.get(external_id="x-1").title == "已发布的通知（修订）"


def test_org_option_sets_the_publisher(district, tmp_path):
    path = _write(tmp_path / "d.jsonl", [{"external_id": "o-1", "title": "t", "body": "b"}])
    assert _run("import", path, "--org", "hyq-czj")[0] == 0
    assert Document.objects.get(external_id="o-1").org.code == "hyq-czj"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown unit code") as exc:
        _run("import", path, "--org", "nope")
    assert exc.value.returncode == 2


def test_ncp_format_reads_the_corpus_shape(district, tmp_path):
    path = _write(tmp_path / "ncp.jsonl", [
        {"docid": "abc", "text": "关于支持企业复工复产的通知 2020年2月10日，为支持企业复工复产，"
                                  "现通知如下。  一、减免房租。"},
    ])
    assert _run("import", path, "--format", "ncp")[0] == 0
    doc = Document.objects.get(external_id="ncp:abc")
    assert doc.title == "关于支持企业复工复产的通知" and doc.is_public()
    assert doc.written_date.isoformat() == "2020-02-10" and "减免房租" in doc.body_text


def test_laws_format_supersedes_older_text_and_keeps_history(district, tmp_path):
    path = _write(tmp_path / "laws.jsonl", [
        {"id": "a", "title": "某某条例", "collection": "行政法规", "date": "2010-01-01",
         "header": "# 某某条例\n\n2010年1月1日公布", "body": "第一条 旧的规定。\n\n第二条 不变。"},
        {"id": "b", "title": "某某条例", "collection": "行政法规", "date": "2020-06-01",
         "header": "# 某某条例\n\n2020年6月1日修订", "body": "第一条 新的规定。\n\n第二条 不变。"},
    ])
    code, out, _ = _run("import", path, "--format", "laws")
    assert code == 0 and "superseded 1" in out
    reg = Regulation.objects.get(title="某某条例")
    assert reg.current.date.isoformat() == "2020-06-01"
    assert reg.versions.count() == 2
    c = Client()
    html = c.get(reg.get_absolute_url()).content.decode()
    assert "新的规定" in html and "历史" in html
    diff = c.get(f"/xxgk/flk/{reg.pk}/diff/").content.decode()
    assert "<del>旧</del>的规定" in diff and "<ins>新</ins>的规定" in diff
    assert diff.count('<div class="diff">') == 1 and diff.count("<h1>") == 1
    assert "第二条 不变" not in diff.split("diff")[-1]
    # an older text imported later becomes history, not the current version
    older = _write(tmp_path / "old.jsonl", [
        {"id": "c", "title": "某某条例", "date": "2001-01-01", "header": "",
         "body": "第一条 最早的。"}])
    assert "history 1" in _run("import", older, "--format", "laws")[1]
    assert Regulation.objects.get(title="某某条例").current.date.isoformat() == "2020-06-01"


def test_missing_file_is_one_line_error_with_status_2(district):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("documents", "import", "/nonexistent.jsonl")
    assert exc.value.returncode == 2


def test_a_superior_bodys_document_keeps_its_issuer_and_order_number(district, tmp_path):
    path = _write(tmp_path / "sj.jsonl", [
        {"external_id": "sj-1", "title": "优化营商环境条例", "body": "第一条 为了持续优化营商环境",
         "doc_number": "中华人民共和国国务院令 第722号", "issuer": "国务院", "org": "hyq-zfb",
         "written": "2019-10-22", "published": "2019-10-22"},
    ])
    code, out, err = _run("import", path)
    assert code == 0, err
    doc = Document.objects.get(external_id="sj-1")
    assert (doc.issuer, doc.doc_number, doc.doc_number_valid) == ("国务院", "国务院令第722号", True)
    html = Client().get(doc.get_absolute_url()).content.decode()
    assert "<dt>发文机关</dt><dd>国务院</dd>" in html and "<dd>槐荫区人民政府办公室</dd>" in html
