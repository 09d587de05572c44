"""The one number parser (extractor/quantity.py with extractor/numerals.py) and the one date parser
(extractor/dates.py) every form uses, on figures and dates as submitters write them."""

from datetime import date
from decimal import Decimal

import pytest

from extractor.dates import date_line, find_dates, is_ongoing, parse_date, parse_period
from extractor.numerals import arabic
from extractor.quantity import parse_quantity


@pytest.mark.parametrize("text, value, unit, source_unit", [
    ("十二点五万吨", Decimal("125000"), "吨", "万吨"),
    ("百分之九十五点三", Decimal("95.3"), "%", "%"),
    ("负12.5%", Decimal("-12.5"), "%", "%"),
    ("(1,234)", Decimal("-12340000"), "元", "万元"),  # an accountant's negative, unit from the header
    ("（1,234.50）", Decimal("-12345000"), "元", "万元"),
    ("12.6万t", Decimal("126000"), "吨", "万t"),
    ("12.6 10⁴t", Decimal("126000"), "吨", "万t"),  # 10⁴ read as 万
    ("3500t/a", Decimal("3500"), "吨", "t"),
    ("1.2亿元", Decimal("120000000"), "元", "亿元"),
    ("三千五百吨", Decimal("3500"), "吨", "吨"),
])
def test_figures_as_written(text, value, unit, source_unit):
    q = parse_quantity(text, "万元" if "(" in text or "（" in text else None)
    assert q is not None
    assert (q.value, q.unit, q.source_unit) == (value, unit, source_unit)


@pytest.mark.parametrize("text, kind", [
    ("约12.6万吨", "about"), ("近12.6万吨", "about"), ("超过93%", "at_least"), ("12.6万吨以上", "at_least"),
    ("不足5%", "at_most"), ("12.6万吨", None),
])
def test_approximations_are_kept_on_the_figure(text, kind):
    assert parse_quantity(text).approx == kind


@pytest.mark.parametrize("text", ["", "—", "/", "无", "不适用", "一", "－"])
def test_blank_marks_are_no_figure(text):
    """「一」 alone is a dash as OCR reads it, never the figure 1 in a form's cell."""
    assert parse_quantity(text) is None


def test_one_as_a_chinese_numeral_inside_a_figure_is_still_read():
    assert parse_quantity("一万吨").value == 10000 and parse_quantity("十一").value == 11


def test_chinese_numerals_become_digits_in_running_text():
    assert arabic("综合利用粉煤灰十二点五万吨，利用率百分之九十五点三") == "综合利用粉煤灰12.5万吨，利用率95.3%"


@pytest.mark.parametrize("text, expected, precision", [
    ("二〇二五年三月", date(2025, 3, 1), "month"),
    ("2025.3", date(2025, 3, 1), "month"),
    ("2025年3月18日", date(2025, 3, 18), "day"),
    ("2025/3/18", date(2025, 3, 18), "day"),
    ("2025-03-18", date(2025, 3, 18), "day"),
    ("202503", date(2025, 3, 1), "month"),
    ("2025年", date(2025, 1, 1), "year"),
    ("二〇二五年三月十八日", date(2025, 3, 18), "day"),
])
def test_dates_as_written(text, expected, precision):
    (d,) = find_dates(text)
    assert (d.value, d.precision) == (expected, precision)
    assert parse_date(text) == expected


def test_a_decimal_is_not_a_date():
    assert find_dates("产生量2025.35吨") == []


def test_periods_and_dates_alone_on_a_line():
    assert parse_period("2019.03-至今") == (date(2019, 3, 1), None)
    assert is_ongoing("2019.03-至今") and not is_ongoing("2019.03-2025.12")
    assert parse_period("2019年3月至2025年12月") == (date(2019, 3, 1), date(2025, 12, 1))
    assert date_line("二〇二五年八月二十日").value == date(2025, 8, 20)
    assert date_line("本报告编制于2025年8月，数据截至上年末") is None


def test_a_date_on_the_next_line_of_a_cover_is_not_part_of_the_value_before_it():
    """A scan's row joins far-apart pieces with a blank: 「联系电话：15677790109 2025年8月20日」."""
    from extractor.forms.labels import inline_pairs

    fields = {"phone": ["联系电话"], "date": ["申请日期"], "contact": ["联系人"]}
    assert inline_pairs("联系电话：15677790109 2025年8月20日", fields) == [("phone", "15677790109")]
    assert inline_pairs("申请日期：2026年 5月 18日", fields) == [("date", "2026年5月18日")]
    assert inline_pairs("联系人：张 三  联系电话：0731-1234567", fields) == [("contact", "张三"), ("phone", "0731-1234567")]
