"""docs/rules.md is generated from the registry and must be kept up to date."""

from pathlib import Path

from checkers.catalogue import DOC_PATH, END, START, render_catalogue, replace_block, write_catalogue
from checkers.finding import SEVERITIES
from checkers.run import load_rules


def test_docs_rules_md_is_up_to_date():
    assert DOC_PATH.is_file(), "run: python -m checkers.catalogue --write"
    assert DOC_PATH.read_text(encoding="utf-8") == render_catalogue(), "run: python -m checkers.catalogue --write"


def test_every_rule_is_documented():
    rules = load_rules()
    assert len(rules) >= 20
    for code, r in rules.items():
        assert r.title.strip() and r.meaning.strip() and r.clause.strip(), code
        assert r.severity in SEVERITIES, code
        assert f"`{code}`" in render_catalogue()


def test_catalogue_is_sorted_by_code():
    lines = [l for l in render_catalogue().splitlines() if l.startswith("| `")]
    codes = [l.split("`")[1] for l in lines]
    assert codes == sorted(codes) and len(codes) == len(load_rules())


def test_write_replaces_readme_block_only_between_markers(tmp_path: Path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# 项目\n\n前言\n{START}\n旧表格\n{END}\n结尾\n", encoding="utf-8")
    doc = tmp_path / "docs" / "rules.md"
    written = write_catalogue(doc, readme)
    assert written == [doc, readme]
    text = readme.read_text(encoding="utf-8")
    assert "旧表格" not in text and "`SUM.TOTAL_MISMATCH`" in text
    assert text.startswith("# 项目\n\n前言\n") and text.endswith(f"{END}\n结尾\n")
    assert doc.read_text(encoding="utf-8") == render_catalogue()


def test_readme_without_markers_is_left_alone(tmp_path: Path):
    readme = tmp_path / "README.md"
    readme.write_text("# 项目\n", encoding="utf-8")
    assert write_catalogue(tmp_path / "rules.md", readme) == [tmp_path / "rules.md"]
    assert readme.read_text(encoding="utf-8") == "# 项目\n"
    assert replace_block("no markers", "x") is None
    assert not (tmp_path / "README.md.bak").exists()
