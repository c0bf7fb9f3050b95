from gongkai.disclosure import privacy


# A checksum-valid made-up identity number (born 1990-03-07).
def _id(first17="37010419900307123"):
    w = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * x for c, x in zip(first17, w)) % 11]


def _luhn(prefix15="622202123456789"):
    for d in "0123456789":
        if privacy.luhn_valid(prefix15 + d):
            return prefix15 + d


def kinds(text):
    return [h.kind for h in privacy.scan(text)]


def test_identity_number_with_valid_checksum_is_found_and_masked():
    number = _id()
    hits = privacy.scan(f"申请人张三，身份证号{number}，住址略。")
    assert [h.kind for h in hits] == ["id_card"]
    assert number not in hits[0].masked and hits[0].masked.startswith("3701")


def test_identity_number_with_wrong_checksum_or_date_is_ignored():
    number = _id()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert kinds(f"号码{wrong}") == []
    assert kinds("号码370104199013071234") == []  # month 13


def test_mobile_numbers_in_common_spellings():
    assert kinds("联系电话：13812345678。") == ["mobile"]
    assert kinds("手机 138-1234-5678") == ["mobile"]
    assert kinds("电话+86 139 1234 5678") == ["mobile"]


def test_bank_card_needs_luhn():
    card = _luhn()
    assert kinds(f"收款账号{card}") == ["bank_card"]
    spaced = " ".join(card[i:i + 4] for i in range(0, 16, 4))
    assert kinds(f"卡号 {spaced} 。") == ["bank_card"]
    bad = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert kinds(f"收款账号{bad}") == []


def test_personal_email_found_government_mailbox_allowed():
    assert kinds("请发送至 zhangsan@163.com 联系") == ["email"]
    assert kinds("监督邮箱：hyzwgk@jn.gov.cn") == []


def test_doc_numbers_dates_index_numbers_and_landlines_do_not_trigger():
    text = ("槐政办字〔2021〕4号 2021年6月23日 2021-06-23 20210623 索引号 "
            "113701000041890665/2025-00051 11341702486344515H/202110-00013 "
            "电话 0531-87587000 邮编250022 统一社会信用代码 11370104MB28532231 "
            "第13812345678910号 订单20210623123456789")
    assert privacy.scan(text) == []


def test_redact_replaces_hits_with_masks():
    text = "手机13812345678，邮箱a.b@qq.com"
    out = privacy.redact(text)
    assert "13812345678" not in out and "a.b@qq.com" not in out
    assert privacy.summarize(privacy.scan(text)) == "手机号码 1 处、电子邮箱 1 处"
