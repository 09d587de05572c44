"""The sample-package generator: deterministic, consistent when clean, defects visible."""

from __future__ import annotations

import io
import json
import random
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import phonenumbers
import pytest
from stdnum.cn import uscc

from corpus.generate import build_all, generate
from corpus.generate import defects as D
from corpus.generate import hb_evaluation as hb
from corpus.generate import hn_benchmark as hn
from corpus.generate.figures import (
    HB_PROFILES, HN_PROFILES, THRESHOLD_WAN, make_hb_figures, make_hn_figures, rate_of,
)
from corpus.generate.identities import (
    illegal_letter_code, invalid_email, invalid_mobile, make_company, name_variant, wrong_check_code,
)
from corpus.generate.package import PlannedFile, read_zip_names, write_package
from service.reports.scoring import generic_keys, keys_of

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
KNOWN_RULES = {d.rule for ds in D.CATALOGUE.values() for d in ds}


def package_files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {str(p.relative_to(path)).replace("\\", "/"): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    out = {}
    with zipfile.ZipFile(path) as zf:
        for info, name in zip(zf.infolist(), read_zip_names(path)):
            if not name.endswith("/"):
                out[name] = zf.read(info)
    return out


def text_of(name: str, data: bytes) -> str:
    if name.endswith(".docx"):
        d = docx.Document(io.BytesIO(data))
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for r in t.rows:
                parts += [c.text for c in r.cells]
        return "\n".join(parts)
    if name.endswith(".xlsx"):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(str(v) for ws in wb for r in ws.iter_rows(values_only=True) for v in r if v is not None)
    return ""


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> tuple[Path, list[dict]]:
    root = tmp_path_factory.mktemp("gen1")
    # the hb/hn generator only: each further form's generator is tested in its own module
    return root, generate(root / "samples", seed=11, count=4, pdf=True, extra_forms=False)


def test_generation_is_deterministic(small_run, tmp_path):
    root1, manifest1 = small_run
    manifest2 = generate(tmp_path / "samples", seed=11, count=4, pdf=True, extra_forms=False)
    assert manifest1 == manifest2
    assert (root1 / "manifest.json").read_bytes() == (tmp_path / "manifest.json").read_bytes()
    for entry in manifest1:
        a = package_files(root1 / "samples" / entry["package"])
        b = package_files(tmp_path / "samples" / entry["package"])
        assert sorted(a) == sorted(b)
        for name in a:
            assert text_of(name, a[name]) == text_of(name, b[name]), name
            assert a[name] == b[name], f"{entry['package']}/{name} differs between runs"
        assert (root1 / "samples" / entry["package"]).stat().st_size == (tmp_path / "samples" / entry["package"]).stat().st_size


def test_small_run_has_clean_packages_of_both_forms_and_a_pdf(small_run):
    root, manifest = small_run
    assert {m["form"] for m in manifest if m["clean"]} == {"hb_evaluation", "hn_benchmark"}
    pdf_reports = [m for m in manifest if "pdf_report" in m["variants"]]
    for m in pdf_reports:
        files = package_files(root / "samples" / m["package"])
        pdfs = [d for n, d in files.items() if n.endswith(".pdf")]
        assert any(b"/Font" in d for d in pdfs), "the report PDF should have a text layer"


def test_seed_changes_packages(tmp_path):
    a = build_all(seed=1, count=2, pdf=False, extra_forms=False)
    b = build_all(seed=2, count=2, pdf=False, extra_forms=False)
    assert [x.files[0].data for x in a] != [x.files[0].data for x in b]


@pytest.fixture(scope="module")
def built():
    return build_all(seed=20261121, count=24, pdf=False, extra_forms=False)


def test_every_defect_has_a_known_rule_and_a_key(built):
    for b in built:
        assert len(b.expected) <= 3
        for e in b.expected:
            assert e["rule"] in KNOWN_RULES
            assert ("key" in e) != ("keys" in e), e
            assert all(isinstance(k, str) and k.strip() for k in keys_of(e)), e
            # a key any finding of the rule would carry proves nothing: each names its item
            assert not generic_keys(e), (b.pid, e)
    defective = [b for b in built if b.expected]
    assert defective and all(1 <= len(b.expected) <= 3 for b in defective)
    assert {b.form for b in built if not b.expected} == {"hb_evaluation", "hn_benchmark"}


HALFWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> set[Decimal]:
    """Every figure of a text, as a value (thousands separators, full-width digits and the
    spreadsheet's float form do not matter)."""
    return {Decimal(m.group().replace(",", "")).normalize() for m in NUMBER.finditer(text.translate(HALFWIDTH))}


def visible(key: str, text: str, numbers: set[Decimal]) -> bool:
    if key in text or key in text.translate(HALFWIDTH):
        return True
    return bool(re.fullmatch(r"\d+(?:\.\d+)?", key)) and Decimal(key).normalize() in numbers


def test_planted_values_are_visible_in_the_files(built):
    value_rules = {"ID.USCC_INVALID", "FORMAT.PHONE_INVALID", "FORMAT.EMAIL_INVALID", "IDENTITY.NAME_MISMATCH",
                   "CROSSDOC.FIGURE_MISMATCH", "BALANCE.MONTHLY_SUM_MISMATCH", "RATE.MISMATCH", "SUM.TOTAL_MISMATCH",
                   "CHANGE.MISMATCH", "RATE.OUT_OF_RANGE"}
    checked = 0
    for b in built:
        corrupt = {e["key"] for e in b.expected if e["rule"] == "FILE.UNREADABLE"}
        texts = "\n".join(text_of(f.name, f.data or b"") for f in b.files if f.name not in corrupt)
        numbers = numbers_in(texts)
        names = [f.name for f in b.files]
        for e in b.expected:
            if e["rule"] in value_rules:
                for key in keys_of(e):
                    assert visible(key, texts, numbers), (b.pid, e, key)
                checked += 1
            elif e["rule"] == "FILE.UNREADABLE":
                assert e["key"] in names
                f = next(f for f in b.files if f.name == e["key"])
                with pytest.raises(Exception):
                    if f.name.endswith(".docx"):
                        docx.Document(io.BytesIO(f.data))
                    else:
                        assert f.data[:5] == b"%PDF-"
            elif e["rule"] == "ATTACHMENT.MISSING" and e["key"] == "营业执照":
                assert not any("营业执照" in n for n in names)
                assert not any(n.endswith((".jpg", ".png")) and "scan_003" in n for n in names)
            elif e["rule"] == "ATTACHMENT.MISSING" and e["key"] == "工艺流程图":
                assert "工艺流程图" not in texts
            elif e["rule"] == "ATTACHMENT.MISSING" and e["key"] == "材料真实性承诺":
                assert "材料真实性承诺" not in texts and "真实性声明" not in texts
            elif e["rule"] == "OUTLINE.SECTION_MISSING":
                sections = hb.SECTIONS if b.form == "hb_evaluation" else hn.SECTIONS
                seed, alt = next(s for s in sections if s[0] == e["key"])
                report = text_of(b.files[0].name, b.files[0].data)
                headings = [ln for ln in report.splitlines() if ln.strip().endswith((seed, alt))]
                assert not headings, (b.pid, headings)
    assert checked >= 5


def test_clean_plans_are_internally_consistent():
    for seed in range(40):
        rng = random.Random(seed)
        for industry in HB_PROFILES:
            figs = make_hb_figures(rng, industry, 2025)
            for w in figs.wastes:
                assert sum(w.monthly) == w.utilized
                assert w.utilized <= w.generated + w.received
                assert w.stock_open + w.generated + w.received - w.utilized - w.disposed == w.stock_close
                assert w.stock_close >= 0
                rate = w.rate()
                assert rate is None or rate <= 100
        for industry in HN_PROFILES:
            f = make_hn_figures(rng, industry, 2023)
            assert rate_of(f.total_cur, f.supply_cur) <= 100
            assert f.main.cur >= THRESHOLD_WAN[f.main.category]
            assert f.value_cur == sum(p.value_cur for p in f.products)


def test_clean_hb_packages_carry_every_required_part(built):
    for b in built:
        if b.form != "hb_evaluation" or b.expected:
            continue
        text = "\n".join(text_of(f.name, f.data or b"") for f in b.files)
        assert "合计" in text and "材料真实性承诺" in text and "工艺流程图" in text


def test_hn_indicator_table_consistent_when_clean():
    rng = random.Random(5)
    for industry in HN_PROFILES:
        company = make_company(rng, "湖南省", "新型建材")
        figs = make_hn_figures(rng, industry, 2023)
        for style in ("abs", "words", "pct"):
            v = hn.choose_variants(rng)
            v.update(change_style=style, money_unit="万元", tonnes_unit="万吨", fullwidth=False, thousands=False)
            plan = hn.HnPlan("t", company, figs, v)
            hn.check_consistency(plan)
            rows = hn.indicator_rows(plan)
            by_label = {r[1]: r for r in rows}
            total = Decimal(by_label["工业资源年综合利用量"][4].text())
            kinds = [r for r in rows if r[0] == "" and r[2] == "万吨" and "产" not in r[1]]
            assert total == sum(Decimal(r[4].text()) for r in kinds)
            sales = by_label["企业年销售收入"]
            prev, cur = Decimal(sales[3].text()), Decimal(sales[4].text())
            change = sales[5]
            if style == "pct":
                assert change == f"{(cur - prev) / prev * 100:+.1f}%"
            elif style == "abs":
                assert Decimal(change) == cur - prev


def test_identities_are_valid_and_defect_variants_invalid():
    rng = random.Random(3)
    for _ in range(50):
        c = make_company(rng, rng.choice(["湖北省", "湖南省"]), "新型建材")
        assert uscc.is_valid(c.credit_code) and c.credit_code.startswith("9")
        assert not uscc.is_valid(wrong_check_code(c.credit_code))
        assert not uscc.is_valid(illegal_letter_code(c.credit_code, rng))
        assert phonenumbers.is_valid_number(phonenumbers.parse(c.mobile, "CN"))
        assert phonenumbers.is_valid_number(phonenumbers.parse(c.landline, "CN"))
        assert phonenumbers.is_valid_number(phonenumbers.parse(c.fax, "CN"))
        assert not phonenumbers.is_valid_number(phonenumbers.parse(invalid_mobile(rng, c.mobile), "CN"))
        bad = invalid_email(rng, c.email)
        assert "＠" in bad or "." not in bad.split("@")[1]
        assert name_variant(c.name, c.industry) != c.name


def test_gbk_zip_names_read_back(tmp_path):
    files = [PlannedFile("申报材料/附件/附件1 申报企业基本情况表.xlsx", b"x"), PlannedFile("营业执照.jpg", b"y")]
    name = write_package(tmp_path, "p", files, "zip_gbk")
    path = tmp_path / name
    with zipfile.ZipFile(path) as zf:
        infos = [i for i in zf.infolist() if not i.filename.endswith("/")]
        assert all(not (i.flag_bits & 0x800) for i in infos)
        raw = [i.filename.encode("cp437") for i in infos]
    assert raw == [f.path.encode("gbk") for f in files]
    assert [n for n in read_zip_names(path) if not n.endswith("/")] == [f.path for f in files]
    assert package_files(path)["营业执照.jpg"] == b"y"


def test_committed_manifest_matches_committed_samples():
    manifest_path = CORPUS / "manifest.json"
    if not manifest_path.exists():
        pytest.skip("samples not generated yet (python -m corpus.generate)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    samples = CORPUS / "samples"
    listed = [m["package"] for m in manifest]
    assert listed == sorted(listed)
    on_disk = sorted(p.name for p in samples.iterdir() if not p.name.startswith("."))
    assert on_disk == sorted(listed)
    for m in manifest:
        path = samples / m["package"]
        assert path.exists()
        from extractor.forms.spec import FORM_IDS

        assert m["form"] in FORM_IDS
        assert m["clean"] == (not m["expected"])
        files = package_files(path)
        assert files, m["package"]
        assert sum(len(d) for d in files.values()) < 1_000_000, m["package"]
        if "gbk_zip" in m["variants"]:
            with zipfile.ZipFile(path) as zf:
                assert all(not (i.flag_bits & 0x800) for i in zf.infolist())
            assert any("\u4e00" <= ch <= "\u9fff" for n in files for ch in n) or "plain_file_names" in m["variants"]
        for e in m["expected"]:
            if e["rule"] == "FILE.UNREADABLE":
                assert any(n.rsplit("/", 1)[-1] == e["key"] for n in files)
            assert not generic_keys(e), (m["package"], e)  # every key names the planted item
        for e in m.get("allowed", []):
            assert e["rule"] and keys_of(e) and not generic_keys(e), (m["package"], e)
    forms_clean = {m["form"] for m in manifest if m["clean"]}
    assert forms_clean == set(FORM_IDS)  # every form has clean samples


# layouts real submitters produce (recorded in a package's variants where its files carry them)
LAYOUT_VARIANTS = {
    "masked_ids_six", "masked_ids_four",  # 420106********2315 / 4201**********2315 on 社保 statements
    "label_variants", "label_value_one_cell", "values_below_labels",  # 联系人姓名 …, 法定代表人：张三, values below
    "narrative_fenbie", "narrative_qizhong", "two_years_one_paragraph", "amounts_yi", "chinese_numerals",
    "approximations",
    "renamed_headings", "numbering_chapter", "numbering_decimal", "numbering_cn_decimal", "one_heading_two_items",
    "header_by_containment", "header_unit_wan_per_year", "unit_column", "extra_note_column",
    "extra_destination_column", "placeholder_ellipsis_row", "merged_group_rows",
    "continued_table_repeat", "continued_table_bare",
    "dates_cn_upper", "dates_dotted", "dates_dot_short", "negative_parentheses", "negative_word",
}


def test_committed_corpus_carries_every_layout_variant():
    manifest_path = CORPUS / "manifest.json"
    if not manifest_path.exists():
        pytest.skip("samples not generated yet (python -m corpus.generate)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    tags = {t for m in manifest for t in m["variants"]}
    assert LAYOUT_VARIANTS - tags == set()
    # clean packages carry them too, so a misreading shows as a false alarm, not only as a miss
    assert len({t for m in manifest if m["clean"] for t in m["variants"]} & LAYOUT_VARIANTS) >= len(LAYOUT_VARIANTS) // 2


def test_layout_draws_leave_figures_and_identities_alone():
    """New layouts come from a RNG of their own: the same seed gives the same enterprise and
    figures whatever layouts are drawn, so a layout never changes what a defect plants."""
    a = build_all(seed=5, count=2, pdf=False, extra_forms=False)
    b = build_all(seed=5, count=2, pdf=False, extra_forms=False)
    assert [(x.pid, x.expected, x.variants) for x in a] == [(x.pid, x.expected, x.variants) for x in b]


def test_masked_statement_and_continued_table_are_written():
    from corpus.generate.agency_files import mask_id

    assert mask_id("420106199001012315", "six") == "420106********2315"
    assert mask_id("420106199001012315", "four") == "4201**********2315"
    rng = random.Random(1)
    company = make_company(rng, "湖北省", "新型建材")
    figs = make_hb_figures(rng, "新型建材", hb.YEAR)
    v = hb.choose_variants(rng)
    v.update(report_pdf=False, monthly_transposed=True, monthly_continued="bare")
    plan = hb.HbPlan("t", company, hb.AGENCIES[0], figs, v)
    doc = docx.Document(io.BytesIO(hb.build_files(plan, rng)[0].data))
    texts = [p.text for p in doc.paragraphs]
    assert "续表3" in texts
    months = [r.cells[0].text for t in doc.tables for r in t.rows if r.cells[0].text.endswith("月")]
    assert months == [f"{m}月" for m in range(1, 13)]  # split over two tables, every month once
    assert "continued_table_bare" in hb.variant_tags(plan.v)
