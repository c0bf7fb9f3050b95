import pytest

from gongkai.disclosure.docnumber import normalize, parse


@pytest.mark.parametrize("typed", [
    "槐政办字〔2021〕4号", "槐政办字[2021]4号", "槐政办字(2021)4号", "槐政办字（2021）4号",
    "槐政办字【2021】4号", "槐政办字［2021］４号", "槐政办字〔２０２１〕０４号",
    " 槐政办字 ( 2021 ) 4 号 ",
    "槐政办字﹝2021﹞第4号",
])
def test_every_bracket_style_stores_as_the_canonical_form(typed):
    n = parse(typed)
    assert n.valid
    assert n.text == "槐政办字〔2021〕4号"
    assert (n.prefix, n.year, n.serial) == ("槐政办字", 2021, 4)


def test_prefix_year_and_serial_are_separate_fields():
    n = parse("国办函(2020)109号")
    assert (n.prefix, n.year, n.serial, n.text) == ("国办函", 2020, 109, "国办函〔2020〕109号")


@pytest.mark.parametrize("typed", ["第4号", "槐政办字2021年4号", "槐政发〔21〕3号", "无",
                                   "〔2021〕4号", "槐政办字〔2021〕号", "槐政办字〔1800〕2号"])
def test_unparseable_numbers_are_kept_as_typed_and_flagged(typed):
    n = parse(typed)
    assert not n.valid
    assert n.text == typed.strip()
    assert n.year is None and n.serial is None


def test_empty_is_not_valid_and_empty():
    assert parse("").text == "" and not parse(None).valid
    assert normalize("济政字[2019]１２号") == "济政字〔2019〕12号"


@pytest.mark.parametrize(("typed", "text", "prefix", "serial"), [
    ("国务院令第711号", "国务院令第711号", "国务院令", 711),
    ("中华人民共和国国务院令 第７１１号", "国务院令第711号", "国务院令", 711),
    ("国务院、中央军事委员会令第22号", "国务院、中央军事委员会令第22号",
     "国务院、中央军事委员会令", 22),
    ("国家市场监督管理总局令第49号", "国家市场监督管理总局令第49号", "国家市场监督管理总局令", 49),
])
def test_an_order_number_is_a_valid_number_without_a_year(typed, text, prefix, serial):
    n = parse(typed)
    assert n.valid and (n.text, n.prefix, n.year, n.serial) == (text, prefix, None, serial)


def test_an_announcement_numbered_by_year_keeps_one_space_between_its_organs():
    n = parse("财政部\u3000海关总署  税务总局公告２０２０年第 6 号")
    assert n.valid and n.text == "财政部 海关总署 税务总局公告2020年第6号"
    assert (n.prefix, n.year, n.serial) == ("财政部 海关总署 税务总局公告", 2020, 6)


@pytest.mark.parametrize("typed", ["令第4号", "国务院令第0号", "国务院令711号", "公告2020年第9号",
                                   "财政部公告2020年第0号", "财政部公告1800年第2号"])
def test_order_and_announcement_look_alikes_are_not_valid(typed):
    n = parse(typed)
    assert not n.valid and n.text == typed
