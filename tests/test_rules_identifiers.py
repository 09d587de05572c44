"""ID.USCC_INVALID, FORMAT.PHONE_INVALID, FORMAT.EMAIL_INVALID, IDENTITY.NAME_MISMATCH."""

import pytest
from stdnum.cn import uscc as stdnum_uscc

from checkers.rules.identifiers import email_problem, mobile_problem, phone_problem, uscc_problem
from extractor.forms.base import ContactValue, Identity
from tests.rule_helpers import check, form, loc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def with_check(body: str) -> str:
    """GB 32100 check character, computed here independently of the code under test."""
    s = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - s % 31) % 31]


VALID_COMPANY = with_check("91430100MA4L0XKW7")
VALID_SOCIAL_ORG = with_check("N2430100MJ0000012")  # starts with a letter: 基层群众性自治组织
VALID_OTHER = with_check("Y1110000500001234")


def test_independent_check_character_agrees_with_stdnum_on_a_digit_body():
    assert with_check("91110000600037341")[-1] == stdnum_uscc.calc_check_digit("91110000600037341")


@pytest.mark.parametrize("code", [VALID_COMPANY, VALID_SOCIAL_ORG, VALID_OTHER])
def test_valid_codes_pass(code):
    assert uscc_problem(code) is None


def test_letter_prefixed_code_valid_although_stdnum_rejects_it():
    assert not stdnum_uscc.is_valid(VALID_SOCIAL_ORG)
    assert uscc_problem(VALID_SOCIAL_ORG) is None


def test_full_width_lower_case_and_spaces_are_normalised():
    fw = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in VALID_COMPANY.lower())
    assert uscc_problem(fw[:6] + " " + fw[6:]) is None


def test_wrong_check_character_says_what_it_should_be():
    wrong = VALID_COMPANY[:-1] + ("0" if VALID_COMPANY[-1] != "0" else "1")
    problem = uscc_problem(wrong)
    assert problem == f"校验位应为「{VALID_COMPANY[-1]}」，填写为「{wrong[-1]}」"


def test_length_and_illegal_characters():
    assert "长度为 17 位" in uscc_problem(VALID_COMPANY[:-1])
    assert "「I」" in uscc_problem("91430100MA4LIXKW7X") and "「O」" in uscc_problem("9143010OMA4L0XKW7X")


def test_uscc_rule_reports_once_per_code_with_every_location():
    bad = VALID_COMPANY[:-1] + ("0" if VALID_COMPANY[-1] != "0" else "1")
    a, b = loc("附件1.xlsx", row=1, column=6), loc("报告.docx", paragraph=3)
    fr = form(
        contacts=[ContactValue(kind="credit_code", label="统一社会信用代码", value=bad, loc=a)],
        identities=[
            Identity(kind="credit_code", value=bad, loc=b, source="narrative"),
            Identity(kind="credit_code", value=VALID_COMPANY, loc=loc("c.pdf"), source="narrative"),
        ],
    )
    out = check("ID.USCC_INVALID", fr)
    assert len(out) == 1
    assert out[0].locations == [a, b]
    assert "统一社会信用代码" in out[0].message and "校验位应为" in out[0].message
    assert "附件1.xlsx" in out[0].message and "报告.docx" in out[0].message


@pytest.mark.parametrize("number", ["13812345678", "138 1234 5678", "+86 13812345678", "１３８１２３４５６７８", "19212345678"])
def test_valid_mobiles(number):
    assert mobile_problem(number) is None


@pytest.mark.parametrize(
    "number,part",
    [("1381234567", "10 位"), ("12812345678", "13–19"), ("0731-88888888", "11 位"), ("1381234567a", "非数字")],
)
def test_invalid_mobiles(number, part):
    assert part in mobile_problem(number)


@pytest.mark.parametrize(
    "number",
    ["0731-88888888", "0731-8888 8888", "(0731)88888888", "010-12345678", "0731-88888888转8001", "0731-88888888-8001",
     "13812345678", "400-888-8888", "0731-88888888/13812345678"],
)
def test_valid_phones(number):
    assert phone_problem(number) is None


@pytest.mark.parametrize(
    "number,part", [("88888888", "缺少区号"), ("0731-888888", "位数"), ("0731-8888888a", "非数字"), ("0731-88888888/1381234567", "「1381234567」")]
)
def test_invalid_phones(number, part):
    assert part in phone_problem(number)


def test_phone_rule_messages_and_skip_blank():
    cell = loc("附件1.xlsx", row=3, column=6)
    fr = form(
        contacts=[
            ContactValue(kind="mobile", label="手机号码", value="1381234567", loc=cell),
            ContactValue(kind="mobile", label="手机号码", value="", loc=loc()),
            ContactValue(kind="phone", label="联系电话", value="0731-88888888", loc=loc()),
        ]
    )
    out = check("FORMAT.PHONE_INVALID", fr)
    assert len(out) == 1
    assert out[0].message.startswith("手机号码「1381234567」格式不正确")
    assert out[0].locations == [cell]


@pytest.mark.parametrize("addr", ["hb_waste@163.com", "zhang.san+review@mail.example.com.cn", "a-b@sub-domain.org"])
def test_valid_emails(addr):
    assert email_problem(addr) is None


@pytest.mark.parametrize(
    "addr,part",
    [("abc＠163.com", "全角字符「＠」"), ("abc @163.com", "空格"), ("abc163.com", "「@」"), ("abc@163", "格式"),
     ("a@@b.com", "「@」"), ("abc@163。com", "「。」")],
)
def test_invalid_emails(addr, part):
    assert part in email_problem(addr)


def test_email_rule():
    fr = form(contacts=[ContactValue(kind="email", label="电子邮箱", value="abc＠163.com", loc=loc(row=4, column=6))])
    out = check("FORMAT.EMAIL_INVALID", fr)
    assert len(out) == 1 and "电子邮箱" in out[0].message and "全角" in out[0].message


def test_company_names_differing_only_in_width_spaces_and_brackets_agree():
    fr = form(
        identities=[
            Identity(kind="company_name", value="湖南某某环保科技（集团）有限公司", loc=loc("报告.docx"), source="narrative"),
            Identity(kind="company_name", value="湖南某某环保科技 (集团) 有限公司", loc=loc("附件1.xlsx"), source="basic_info"),
        ]
    )
    assert check("IDENTITY.NAME_MISMATCH", fr) == []


def test_name_mismatch_lists_every_variant_once_per_kind():
    a, b, c = loc("报告.docx", paragraph=2), loc("附件1.xlsx", row=1, column=2), loc("年报表.xlsx", row=2, column=2)
    fr = form(
        identities=[
            Identity(kind="company_name", value="A公司", loc=a, source="narrative"),
            Identity(kind="company_name", value="B公司", loc=b, source="basic_info"),
            Identity(kind="company_name", value="A公司", loc=c, source="annual_report"),
            Identity(kind="credit_code", value=VALID_COMPANY, loc=b, source="basic_info"),
            Identity(kind="credit_code", value=VALID_COMPANY.lower(), loc=a, source="narrative"),
        ]
    )
    out = check("IDENTITY.NAME_MISMATCH", fr)
    assert len(out) == 1
    f = out[0]
    assert f.message == "企业名称在各文件中不一致：「A公司」(报告.docx、年报表.xlsx) 与「B公司」(附件1.xlsx)"
    assert f.locations == [a, c, b]
    assert f.evidence["variants"] == ["A公司", "B公司"]
