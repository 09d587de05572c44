"""Variation `masked_id`: a social-security statement printed from the 社保 system masks the
middle of ID numbers.  A person is matched by name plus the digits the mask shows; a masked
number is never an invalid ID; visible digits that contradict the roster say so."""

from __future__ import annotations

import pytest

from checkers.run import run_checks
from extractor.forms.extract import extract_form
from tests.fixtures_build import xlsx_bytes
from tests.form_fixtures import as_document
from tests.test_hb_agency import AGENCY, BAD_ID, IDS, PART_TIMER, PEOPLE, application_docx, contracts_docx, report_docx, roster_xlsx


def _mask(number: str, style: int) -> str:
    return number[:6] + "*" * 8 + number[-4:] if style == 0 else number[:4] + "*" * 10 + number[-4:]


def masked_statement(contradict: str | None = None) -> bytes:
    def build(wb):
        ws = wb.active
        ws.append(["湖北省社会保险个人参保缴费明细（打印件）"])
        ws.append([f"单位名称：{AGENCY}"])
        ws.append(["序号", "姓名", "公民身份号码", "险种类型", "缴费状态", "本期缴费基数"])
        for i, (name, *_r, status) in enumerate(PEOPLE, 1):
            number = BAD_ID if name == "李强" else IDS[name]
            shown = _mask(number, i % 2)
            if name == contradict:  # the visible tail belongs to someone else's number
                shown = shown[:-4] + ("0000" if shown[-4:] != "0000" else "1111")
            ws.append([i, name, shown, "企业职工基本养老保险", status, "5000"])
        ws.append([len(PEOPLE) + 1, PART_TIMER[0], _mask(IDS[PART_TIMER[0]], 0), "企业职工基本养老保险", "正常参保", "5000"])
    return xlsx_bytes(build)


def _review(statement: bytes):
    docs = [
        as_document("申请报告.docx", report_docx()),
        as_document("申请表.docx", application_docx()),
        as_document("人员花名册.xlsx", roster_xlsx()),
        as_document("社保缴费明细打印.xlsx", statement),
        as_document("业绩一览表.docx", contracts_docx()),
    ]
    form = extract_form(docs)
    return form, run_checks(docs, form)


@pytest.fixture(scope="module")
def clean():
    return _review(masked_statement())


def test_masked_numbers_match_the_roster(clean):
    form, findings = clean
    insured = form.model.insured
    assert all("*" in p.id_number for p in insured)
    rules = {f.rule for f in findings}
    assert "ROSTER.NOT_INSURED" not in rules and "ROSTER.NOT_ON_ROSTER" not in rules


def test_masked_number_is_never_an_invalid_id(clean):
    _, findings = clean
    bad = [f for f in findings if f.rule == "ID.RESIDENT_ID_INVALID"]
    # only the roster's full number with a wrong check digit; its masked copy is not checked
    assert [f.evidence["value"] for f in bad] == [BAD_ID]
    assert all("社保" not in f.evidence["where"] for f in bad)


def test_contradicting_visible_digits_are_reported():
    form, findings = _review(masked_statement(contradict="王芳"))
    not_insured = [f for f in findings if f.rule == "ROSTER.NOT_INSURED"]
    assert [f.evidence["name"] for f in not_insured] == ["王芳"]
    assert "显示的数字" in not_insured[0].message and not_insured[0].severity == "error"
    assert [f.evidence["name"] for f in findings if f.rule == "ROSTER.NOT_ON_ROSTER"] == ["王芳"]
