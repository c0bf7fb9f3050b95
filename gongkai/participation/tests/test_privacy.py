from gongkai.participation import privacy


def test_mask():
    assert privacy.mask("张三丰") == "张**"
    assert privacy.mask("13812345678") == "138****5678"
    assert privacy.mask("zhang@example.cn") == "z***@example.cn"
    assert privacy.mask("") == ""


def test_code_hash_is_tolerant_of_case_and_spaces(settings):
    code = privacy.new_code()
    assert privacy.code_hash(code) == privacy.code_hash(" " + code.lower().replace("-", " "))
    assert privacy.code_hash(code) != privacy.code_hash(privacy.new_code())
