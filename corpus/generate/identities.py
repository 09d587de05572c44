"""Synthetic enterprises: names, credit codes, addresses, people and contact details.

Everything is drawn from a caller's `random.Random`, so a seed fixes the identities.
Credit codes follow GB 32100-2015 (check character computed with python-stdnum) with a
GB 11714 organisation-code part, as real codes have; the invalid variants are made
here too so that a planted defect is exactly one broken identifier.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import phonenumbers
from stdnum.cn import uscc

# GB 32100 alphabet: digits and capitals without I, O, Z, S, V
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ILLEGAL_USCC_LETTERS = "IOZSV"

# GB 11714 organisation-code weights; check = 11 - (sum mod 11), 10 -> X, 11 -> 0
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class City:
    name: str  # 宜昌市
    short: str  # 宜昌
    area_code: str  # administrative division code of a district, 6 digits
    district: str  # 猇亭区
    phone_prefix: str  # 0717
    phone_digits: int  # local number length
    phone_first: str  # digits a local number starts with


HUBEI_CITIES = [
    City("武汉市", "武汉", "420116", "黄陂区", "027", 8, "8"),
    City("宜昌市", "宜昌", "420505", "猇亭区", "0717", 7, "6"),
    City("襄阳市", "襄阳", "420607", "襄州区", "0710", 7, "3"),
    City("荆门市", "荆门", "420802", "东宝区", "0724", 7, "2"),
    City("黄石市", "黄石", "420205", "铁山区", "0714", 7, "6"),
    City("鄂州市", "鄂州", "420703", "华容区", "0711", 7, "3"),
    City("孝感市", "孝感", "420902", "孝南区", "0712", 7, "2"),
    City("荆州市", "荆州", "421003", "荆州区", "0716", 7, "8"),
    City("十堰市", "十堰", "420303", "张湾区", "0719", 7, "8"),
]
HUNAN_CITIES = [
    City("长沙市", "长沙", "430181", "浏阳市", "0731", 8, "8"),
    City("株洲市", "株洲", "430211", "天元区", "0731", 8, "2"),
    City("湘潭市", "湘潭", "430304", "岳塘区", "0731", 8, "5"),
    City("衡阳市", "衡阳", "430408", "蒸湘区", "0734", 7, "8"),
    City("岳阳市", "岳阳", "430611", "君山区", "0730", 7, "8"),
    City("常德市", "常德", "430703", "鼎城区", "0736", 7, "7"),
    City("娄底市", "娄底", "431302", "娄星区", "0738", 7, "8"),
    City("郴州市", "郴州", "431003", "苏仙区", "0735", 7, "2"),
    City("益阳市", "益阳", "430903", "赫山区", "0737", 7, "4"),
]

_TRADE_NAMES = [
    "楚峰", "金鼎", "恒昌", "鑫源", "绿源", "中磊", "华晟", "宏泰", "盛达", "瑞丰", "荆宏",
    "天元", "汇通", "长隆", "兴业", "永固", "嘉禾", "信诚", "联创", "东坤", "润洋", "佳园",
]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = [
    "建国", "志强", "海燕", "晓东", "丽华", "国平", "明辉", "秀英", "文斌", "红梅", "立新", "俊杰",
    "春生", "玉兰", "德胜", "静", "磊", "军", "敏", "涛", "芳", "伟", "洋", "勇",
]
_ROADS = ["港城路", "工业大道", "建材路", "兴业大道", "园区三路", "创业路", "金山大道", "滨江路", "振兴路"]
_MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "177", "180", "181", "182", "183", "185", "186", "187",
    "188", "189", "199",
]
_MAIL_DOMAINS = ["163.com", "126.com", "qq.com", "sina.com"]
_INITIALS = "bcdfghjklmnpqrstwxyz"


@dataclass(frozen=True)
class Company:
    name: str
    short: str  # trade name, e.g. 楚峰
    industry: str  # e.g. 新型建材
    credit_code: str
    city: City
    province: str  # 湖北省 / 湖南省
    address: str
    legal_rep: str
    contact: str
    mobile: str
    landline: str
    fax: str
    email: str
    registered_capital_wan: int
    founded: str  # 2011年05月18日
    staff: int

    def with_(self, **kw) -> "Company":
        return replace(self, **kw)


def org_code(rng: random.Random, new_style: bool) -> str:
    """A 9-character GB 11714 organisation code; new registrations (since 2015) start 'MA'."""
    if new_style:
        body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def make_credit_code(rng: random.Random, area_code: str) -> str:
    """'9' (registered by market regulation) + '1' (enterprise) + area + org code + check."""
    body = "91" + area_code + org_code(rng, new_style=rng.random() < 0.6)
    code = body + uscc.calc_check_digit(body)
    assert uscc.is_valid(code), code
    return code


def wrong_check_code(code: str) -> str:
    """The same code with a different (wrong) check character."""
    right = uscc.calc_check_digit(code[:17])
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(right) + 7) % len(USCC_ALPHABET)]
    return code[:17] + wrong


def illegal_letter_code(code: str, rng: random.Random) -> str:
    """Put a letter GB 32100 forbids (I/O/Z/S/V) into the organisation-code part, as a
    mistyped 0/1/2/5/U would be."""
    pos = rng.randrange(10, 16)
    return code[:pos] + rng.choice(ILLEGAL_USCC_LETTERS) + code[pos + 1:]


def other_valid_code(rng: random.Random, code: str) -> str:
    """A valid code for the same area that differs from `code`."""
    while True:
        other = make_credit_code(rng, code[2:8])
        if other != code:
            return other


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def landline(rng: random.Random, city: City) -> str:
    rest = "".join(rng.choice("0123456789") for _ in range(city.phone_digits - 1))
    return f"{city.phone_prefix}-{city.phone_first}{rest}"


def invalid_mobile(rng: random.Random, good: str) -> str:
    """A mobile number with one digit missing, or one starting with a digit no mobile has —
    and, checked with phonenumbers, not a valid landline either (so no reading rescues it)."""
    while True:
        if rng.random() < 0.5:
            bad = good[:-1]
        else:
            bad = rng.choice("2456") + good[1:]
        if not phonenumbers.is_valid_number(phonenumbers.parse(bad, "CN")):
            return bad
        good = mobile(rng)


def invalid_email(rng: random.Random, good: str) -> str:
    """An address without a domain suffix, or with a full-width at-sign."""
    local, domain = good.split("@")
    if rng.random() < 0.5:
        return f"{local}@{domain.split('.')[0]}"
    return f"{local}＠{domain}"


def make_company(
    rng: random.Random,
    province: str,
    industry: str,
    used_names: set[str] | None = None,
) -> Company:
    cities = HUBEI_CITIES if province == "湖北省" else HUNAN_CITIES
    city = rng.choice(cities)
    used = used_names if used_names is not None else set()
    while True:
        short = rng.choice(_TRADE_NAMES)
        suffix = rng.choice(["有限公司", "有限公司", "有限责任公司", "股份有限公司"])
        name = f"{city.short}{short}{industry}{suffix}"
        if name not in used:
            used.add(name)
            break
    road = rng.choice(_ROADS)
    address = f"{province}{city.name}{city.district}{road}{rng.randint(1, 299)}号"
    letters = "".join(rng.choice(_INITIALS) for _ in range(rng.randint(2, 4)))
    email = f"{letters}{rng.randint(10, 9999)}@{rng.choice(_MAIL_DOMAINS)}"
    tel = landline(rng, city)
    fax_tail = int(tel[-1])
    fax = tel[:-1] + str((fax_tail + 1) % 10)
    year = rng.randint(2003, 2019)
    return Company(
        name=name,
        short=short,
        industry=industry,
        credit_code=make_credit_code(rng, city.area_code),
        city=city,
        province=province,
        address=address,
        legal_rep=person_name(rng),
        contact=person_name(rng),
        mobile=mobile(rng),
        landline=tel,
        fax=fax,
        email=email,
        registered_capital_wan=rng.choice([2000, 3000, 5000, 8000, 10000, 12000, 20000]),
        founded=f"{year}年{rng.randint(1, 12):02d}月{rng.randint(1, 28):02d}日",
        staff=rng.randint(120, 900),
    )


def name_variant(name: str, industry: str) -> str:
    """The same company written differently, as a careless filer would: a word added to
    or dropped from the industry part of the name."""
    if industry.startswith("新型"):
        new = industry[2:]
    elif industry == "建材":
        new = "新型建材"
    elif industry.endswith("科技"):
        new = industry[:-2]
    else:
        new = industry + "科技"
    return name.replace(industry, new, 1)
