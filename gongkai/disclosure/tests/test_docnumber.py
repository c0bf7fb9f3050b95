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
