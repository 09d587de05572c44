"""`shencha` command line, against a monkeypatched pipeline (and the real one when present)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from checkers import registry
from checkers.finding import Finding
from service import cli
from service.review import pipeline
from service.review.progress import TerminalProgress, display_width, fit, terminal_progress
from tests.test_report import make_review


class Boom(Exception):
    pass


def fake_pipeline(monkeypatch, outcomes: dict[str, object]):
    """review_package replaced: each path name maps to a Review, or an exception to raise."""
    calls = []

    def review_package(path, progress=None, form_hint=None):
        calls.append((Path(path).name, form_hint))
        if progress:
            progress("read", 0, 2, "报告.docx")
            progress("read", 1, 2, "附件1.xlsx")
            progress("read", 2, 2, "")
            progress("check", 0, 1, "hb_evaluation")
            progress("check", 1, 1, "hb_evaluation")
        result = outcomes[Path(path).name]
        if isinstance(result, BaseException):
            raise result
        return result

    monkeypatch.setattr(pipeline, "review_package", review_package)
    return calls


def clean_review(name="clean_pkg"):
    review = make_review(findings=[Finding(rule="A.INFO", severity="info", message="提示信息")])
    review.name = name
    return review


def bad_review(name="bad_pkg"):
    review = make_review()
    review.name = name
    return review


def test_clean_package_exits_0_and_prints_summary(monkeypatch, capsys):
    fake_pipeline(monkeypatch, {"clean_pkg": clean_review()})
    assert cli.main(["check", "clean_pkg"]) == 0
    out, err = capsys.readouterr()
    assert "审查包：clean_pkg" in out
    assert "申报类型：湖北省工业固体废物资源综合利用评价报告（hb_evaluation）" in out
    assert "否决 0，错误 0，警告 0，提示 1" in out
    assert "未发现否决项或错误" in out
    assert err == ""  # not a terminal: no progress


def test_findings_exit_1_and_list_blocking_findings_with_location(monkeypatch, capsys):
    fake_pipeline(monkeypatch, {"bad_pkg": bad_review()})
    assert cli.main(["check", "bad_pkg"]) == 1
    out = capsys.readouterr().out
    assert "否决 1，错误 2，警告 1，提示 1" in out
    lines = [l for l in out.splitlines() if l.startswith("  [")]
    assert lines[0].startswith("  [否决] ELIGIBILITY.CATEGORY_OUT_OF_SCOPE")
    assert "申报材料/评价报告.docx 表1 第2行第3列" in lines[0]
    assert any("SUM.TOTAL_MISMATCH" in l and "单元格C5 等2处" in l for l in lines)
    assert not any("CROSSDOC" in l for l in lines)  # warnings are not listed


def test_unprocessable_package_exits_2_with_one_line_reason(monkeypatch, capsys):
    fake_pipeline(monkeypatch, {"broken.zip": Boom("压缩包\n已损坏")})
    assert cli.main(["check", "broken.zip"]) == 2
    out, err = capsys.readouterr()
    # an unexpected exception's own text is for developers (--debug), never the reviewer's reason
    assert err == "shencha: 无法处理 broken.zip：内部错误（Boom）：审查程序意外出错，未能完成审查（加 --debug 可显示详细信息）\n"
    assert out == ""


def test_package_error_reason_is_shown_as_is(monkeypatch, capsys):
    package = pytest.importorskip("extractor.package")
    fake_pipeline(monkeypatch, {"missing": package.PackageError("路径 missing 不存在")})
    assert cli.main(["check", "missing"]) == 2
    assert capsys.readouterr().err == "shencha: 无法处理 missing：路径 missing 不存在\n"


def test_several_packages_exit_worst_and_continue_after_failure(monkeypatch, tmp_path, capsys):
    calls = fake_pipeline(monkeypatch, {"a": clean_review("a"), "b": Boom("x"), "c": bad_review("c.zip")})
    out_dir = tmp_path / "reports"
    assert cli.main(["check", "a", "b", "c", "--out", str(out_dir), "--form", "hb_evaluation"]) == 2
    assert calls == [("a", "hb_evaluation"), ("b", "hb_evaluation"), ("c", "hb_evaluation")]
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.html", "a.json", "c.html", "c.json"]
    report = json.loads((out_dir / "c.json").read_text(encoding="utf-8"))
    assert report["package"]["name"] == "c.zip" and report["summary"]["veto"] == 1
    assert "<h1>审查报告 — c.zip</h1>" in (out_dir / "c.html").read_text(encoding="utf-8")  # titled as on the web page
    out, err = capsys.readouterr()
    assert "审查包：a" in out and "审查包：c.zip" in out
    assert err.count("shencha: 无法处理") == 1


def test_several_packages_without_failure_exit_1(monkeypatch, tmp_path):
    fake_pipeline(monkeypatch, {"a": clean_review("a"), "c": bad_review("c")})
    assert cli.main(["check", "a", "c", "--out", str(tmp_path)]) == 1


def test_same_package_names_do_not_overwrite(monkeypatch, tmp_path):
    fake_pipeline(monkeypatch, {"x": clean_review("同名"), "y": clean_review("同名")})
    assert cli.main(["check", "x", "y", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["同名-2.html", "同名-2.json", "同名.html", "同名.json"]


def test_json_and_html_only_where_asked(monkeypatch, tmp_path, capsys):
    fake_pipeline(monkeypatch, {"bad_pkg": bad_review()})
    json_path, html_path = tmp_path / "sub" / "r.json", tmp_path / "r.html"
    assert cli.main(["check", "bad_pkg", "--json", str(json_path), "--html", str(html_path)]) == 1
    assert json.loads(json_path.read_text(encoding="utf-8"))["schema_version"] == 1
    assert html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "sub"]
    out = capsys.readouterr().out
    assert f"报告已写入：{json_path}" in out


def test_json_flag_rejected_with_several_packages(monkeypatch, capsys):
    calls = fake_pipeline(monkeypatch, {"a": clean_review("a"), "b": clean_review("b")})
    assert cli.main(["check", "a", "b", "--json", "r.json"]) == 2
    assert calls == []
    assert "--out" in capsys.readouterr().err


def test_unwritable_output_counts_as_failure(monkeypatch, tmp_path, capsys):
    fake_pipeline(monkeypatch, {"a": clean_review("a")})
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["check", "a", "--json", str(blocker / "r.json")]) == 2
    assert capsys.readouterr().err == f"shencha: 无法处理 a：无法写入报告 {blocker}：已有同名的文件，无法建立文件夹\n"


def test_report_basename():
    assert cli.report_basename("hb_eval_03.zip") == "hb_eval_03"
    assert cli.report_basename("材料.ZIP") == "材料"
    assert cli.report_basename("报告.pdf") == "报告.pdf"
    assert cli.report_basename('a/b:c*?"<>|') == "a_b_c_"
    assert cli.report_basename("..") == "package"


# ---------------------------------------------------------------- progress


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal(monkeypatch, capsys):
    fake_pipeline(monkeypatch, {"clean_pkg": clean_review()})
    term = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert cli.main(["check", "clean_pkg"]) == 0
    shown = term.getvalue()
    assert "\r读取文件 1/2 报告.docx" in shown
    assert "\r读取文件 2/2 附件1.xlsx" in shown
    assert "\r审查…" in shown
    assert shown.endswith("\r\x1b[K")  # the line is cleared before the summary prints
    assert "\n" not in shown  # a single updating line


def test_quiet_silences_progress(monkeypatch):
    fake_pipeline(monkeypatch, {"clean_pkg": clean_review()})
    term = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert cli.main(["check", "clean_pkg", "--quiet"]) == 0
    assert term.getvalue() == ""


def test_progress_helpers():
    assert terminal_progress(False, io.StringIO()) is None
    assert terminal_progress(True, FakeTerminal()) is None
    assert isinstance(terminal_progress(False, FakeTerminal()), TerminalProgress)
    assert display_width("表a1") == 4
    assert fit("一二三四五", 6) == "一二…"
    assert fit("abc", 6) == "abc"


# ---------------------------------------------------------------- samples


def write_samples(root: Path, entries: list[dict]) -> None:
    (root / "samples").mkdir(parents=True)
    (root / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")


def test_samples_table_recall_and_false_alarms(monkeypatch, tmp_path, capsys):
    root = tmp_path / "corpus"
    write_samples(root, [
        {"package": "hb_eval_01", "form": "hb_evaluation", "clean": True, "expected": []},
        {"package": "hb_eval_02.zip", "form": "hb_evaluation", "clean": False,
         "expected": [{"rule": "SUM.TOTAL_MISMATCH", "key": "工业资源年综合利用量"},
                      {"rule": "ATTACHMENT.MISSING", "key": "营业执照"}]},
        {"package": "hn_bench_01", "form": "hn_benchmark", "clean": True, "expected": []},
    ])
    monkeypatch.setattr(cli, "samples_root", lambda: root)
    noisy_clean = bad_review("hn_bench_01")
    calls = fake_pipeline(monkeypatch, {"hb_eval_01": clean_review("hb_eval_01"),
                                         "hb_eval_02.zip": bad_review("hb_eval_02.zip"),
                                         "hn_bench_01": noisy_clean})
    out_dir = tmp_path / "reports"
    assert cli.main(["samples", "--out", str(out_dir)]) == 0
    assert [c[1] for c in calls] == [None, None, None]  # no form hint: detection is tested too
    out = capsys.readouterr().out
    assert "缺陷召回率：1/2 = 50.0%" in out
    # every error/veto no planted defect explains counts, in defective packages too (2 + 3)
    assert "意外的否决/错误（无预埋缺陷可解释，所有样例包）：5 条；无缺陷样例中有误报的包：1/2" in out
    assert "申报类型识别正确：2/3" in out
    assert "漏检 hb_eval_02.zip：ATTACHMENT.MISSING「营业执照」" in out
    assert "误报 hn_bench_01：[否决] ELIGIBILITY.CATEGORY_OUT_OF_SCOPE" in out
    row = next(l for l in out.splitlines() if l.startswith("hb_eval_02.zip"))
    assert "1/2" in row and "hb_evaluation/hb_evaluation" in row
    assert "hb_evaluation/hn_benchmark ✗" in next(l for l in out.splitlines() if l.startswith("hn_bench_01"))
    assert {p.name for p in out_dir.iterdir()} == {
        "hb_eval_01.json", "hb_eval_01.html", "hb_eval_02.json", "hb_eval_02.html",
        "hn_bench_01.json", "hn_bench_01.html", "samples-summary.json"}
    summary = json.loads((out_dir / "samples-summary.json").read_text(encoding="utf-8"))
    assert summary["planted"] == 2 and summary["caught"] == 1 and summary["recall"] == 0.5
    assert summary["unexpected"] == 5 and summary["failed"] == 0


def test_samples_exit_2_when_a_package_crashes(monkeypatch, tmp_path, capsys):
    root = tmp_path / "corpus"
    write_samples(root, [
        {"package": "a", "form": "hb_evaluation", "clean": False, "expected": [{"rule": "X.Y", "key": "k"}]},
        {"package": "b", "form": "hb_evaluation", "clean": True, "expected": []},
    ])
    monkeypatch.setattr(cli, "samples_root", lambda: root)
    fake_pipeline(monkeypatch, {"a": Boom("坏了"), "b": clean_review("b")})
    assert cli.main(["samples", "--out", str(tmp_path / "r")]) == 2
    out, err = capsys.readouterr()
    assert "处理失败：1 个包" in out and "缺陷召回率：0/1 = 0.0%" in out
    assert "无法处理" in err


def test_samples_without_manifest(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(cli, "samples_root", lambda: tmp_path)
    assert cli.main(["samples", "--out", str(tmp_path / "r")]) == 2
    assert "样例清单" in capsys.readouterr().err


# ---------------------------------------------------------------- rules


def fake_rule_modules(monkeypatch, catalogue: str | None):
    monkeypatch.setitem(sys.modules, "checkers.run", types.ModuleType("checkers.run"))
    if catalogue is None:
        monkeypatch.setitem(sys.modules, "checkers.catalogue", None)  # import fails
    else:
        mod = types.ModuleType("checkers.catalogue")
        mod.render_catalogue = lambda: catalogue
        monkeypatch.setitem(sys.modules, "checkers.catalogue", mod)
    monkeypatch.setattr(registry, "RULES", {})
    registry.declare("ZZ.TEST_RULE", "warning", "测试规则", "checks a test", "第九十九条")


def test_rules_uses_the_catalogue_when_present(monkeypatch, capsys):
    fake_rule_modules(monkeypatch, "| code |\n|---|\n| `X` |\n")
    assert cli.main(["rules"]) == 0
    assert capsys.readouterr().out == "| code |\n|---|\n| `X` |\n"


def test_rules_falls_back_to_the_registry(monkeypatch, capsys):
    fake_rule_modules(monkeypatch, None)
    assert cli.main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "| `ZZ.TEST_RULE` | 警告 | 测试规则 | checks a test | 第九十九条 | 全部 |" in out


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["check"])
    assert exc.value.code == 2


# ---------------------------------------------------------------- the real pipeline


def real_pipeline_available() -> bool:
    import importlib.util

    names = ("extractor.package", "extractor.read", "extractor.forms.extract", "checkers.run")
    return all(importlib.util.find_spec(n) is not None for n in names)


needs_pipeline = pytest.mark.skipif(not real_pipeline_available(), reason="pipeline parts not present yet")


@needs_pipeline
def test_real_pipeline_missing_path_exits_2(tmp_path, capsys):
    missing = tmp_path / "不存在的包"
    assert cli.main(["check", str(missing), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"shencha: 无法处理 {missing}：") and err.count("\n") == 1
    assert "内部错误" not in err


@needs_pipeline
def test_real_pipeline_on_a_small_docx_package(tmp_path, capsys):
    from docx import Document

    package = tmp_path / "hb_small"
    package.mkdir()
    doc = Document()
    doc.add_heading("湖北某某公司工业固体废物资源综合利用评价报告", level=0)
    doc.add_heading("一、评价概述", level=1)
    doc.add_paragraph("本报告依据《湖北省工业固体废物资源综合利用评价管理实施细则》编制。")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate([["固废名称", "产生量（吨）", "综合利用量（吨）"], ["粉煤灰", "126000", "120000"],
                             ["炉渣", "34000", "30000"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.save(str(package / "评价报告.docx"))
    json_path, html_path = tmp_path / "r.json", tmp_path / "r.html"
    code = cli.main(["check", str(package), "--json", str(json_path), "--html", str(html_path), "--quiet"])
    assert code in (0, 1), capsys.readouterr().err
    report = json.loads(json_path.read_text(encoding="utf-8"))
    assert report["package"]["name"] == "hb_small"
    assert [(f["path"], f["type"]) for f in report["package"]["files"]] == [("评价报告.docx", "docx")]
    assert any(t["rows"][1][0] == "粉煤灰" for t in report["tables"])
    assert (code == 1) == (report["summary"]["veto"] + report["summary"]["error"] > 0)
    assert "粉煤灰" in html_path.read_text(encoding="utf-8")


def test_module_entry_point_runs(tmp_path):
    repo = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "service.cli", "--version"], cwd=repo, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(repo)})
    assert proc.returncode == 0
    assert proc.stdout.startswith("shencha ")
