"""The plan parser over the shipped seed plan and over awkward input (no database)."""

from gongkai.supervision import planparse
from gongkai.supervision.seed import seed_plan_text


def test_seed_plan_has_its_21_tasks_in_four_sections():
    plan = planparse.parse(seed_plan_text())
    assert plan.year == 2021
    assert plan.title == "2021年槐荫区政务公开工作要点"
    assert plan.doc_number == "槐政办字〔2021〕4号"
    assert [t.code for t in plan.tasks][:3] == ["一（一）", "一（二）", "一（三）"]
    assert len(plan.tasks) == 21
    assert {t.section_no for t in plan.tasks} == {"一", "二", "三", "四"}
    assert plan.warnings == []


def test_responsibility_names_and_groups_are_split():
    plan = planparse.parse(seed_plan_text())
    by_code = {t.code: t for t in plan.tasks}
    t = by_code["一（七）"]
    # 「区教育和体育局」 is one unit, not split at 和
    assert t.names == ["区教育和体育局", "区民政局", "区人力资源社会保障局", "区卫生健康局"]
    assert t.groups == ["departments", "subdistricts"]
    assert by_code["一（三）"].names == ["区委编办", "区政府办公室", "区发展改革局"]
    assert by_code["一（一）"].names == []
    assert by_code["二（四）"].title == "切实回应社会关切"
    # the 责任单位 clause is not part of the task text
    assert "责任单位" not in by_code["四（四）"].text


def test_resolve_matches_full_short_alias_and_district_prefix():
    units = [
        planparse.Unit(1, "槐荫区财政局", "区财政局", "department"),
        planparse.Unit(2, "槐荫区统计局", "", "department"),
        planparse.Unit(3, "济南市公安局槐荫区分局", "公安槐荫分局", "department"),
        planparse.Unit(4, "槐荫区振兴街街道办事处", "振兴街街道", "subdistrict"),
        planparse.Unit(5, "济南市槐荫区人民政府", "区政府", "government"),
    ]
    named, grouped, unknown = planparse.resolve(
        ["区财政局", "区统计局", "区公安分局", "区不存在局"], ["subdistricts"], units)
    assert named == [1, 2]
    assert unknown == ["区公安分局", "区不存在局"]
    assert grouped == [4]
    named, grouped, unknown = planparse.resolve(["区公安分局"], ["departments"], units,
                                                {"区公安分局": 3})
    assert named == [3] and unknown == [] and grouped == [1, 2]  # the government is no dept


def test_text_without_numbered_tasks_is_reported_not_crashing():
    for text in ("", "随便写点什么\n没有编号", "（一）没有一级标题的任务。（责任单位：区财政局）",
                 "\x00\ufeff一、\n（一）"):
        plan = planparse.parse(text)
        assert plan.tasks == [] or all(t.code for t in plan.tasks)
        assert plan.warnings


def test_task_without_responsibility_is_kept_with_a_warning():
    plan = planparse.parse("2022年某区政务公开工作要点\n一、总体\n（一）做好公开。\n"
                           "（二）做好解读。（责任单位：各街道办事处）")
    assert [t.code for t in plan.tasks] == ["一（一）", "一（二）"]
    assert plan.tasks[0].responsibility == ""
    assert plan.tasks[1].groups == ["subdistricts"]
    assert any("一（一）" in w for w in plan.warnings)
