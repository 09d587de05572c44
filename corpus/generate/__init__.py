"""Deterministic sample packages for both forms, with planted defects and a manifest.

    python -m corpus.generate [--out corpus/samples] [--seed 20261121] [--count N]

About a third of the packages of each form are clean (internally consistent, eligible,
complete); the others carry 1–3 defects from `corpus.generate.defects`.  The manifest
lists, per package, the rule codes and keys a checker must report (`key`, or `keys` when
one is not enough: every key names the planted item — the tampered value as the finding
states it, a waste or person name, a label, a title), findings that are an honest
consequence of a planted defect (`allowed`, when there are any), and the variants the
package exercises.  Layouts real submitters produce (masked ID numbers, label wordings,
分别为/其中 lists, 续表, 二〇二六年三月, (1,234) …) are drawn from a RNG of their own
(`{seed}:{pid}:layout`), so they never change a package's enterprise or figures.
Same seed and count -> byte-identical packages and manifest.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from corpus.generate import defects as D
from corpus.generate import hb_evaluation as hb
from corpus.generate import hn_benchmark as hn
from corpus.generate.figures import HB_PROFILES, HN_PROFILES, make_hb_figures, make_hn_figures, profile_supports
from corpus.generate.identities import make_company
from corpus.generate.package import PlannedFile, write_package
from corpus.generate.render_pdf import docx_to_pdf

DEFAULT_SEED = 20261121
DEFAULT_COUNT = 30

# the word the company name carries for each 湖南 profile
HN_NAME_WORD = {
    "新型建材": "新型建材", "冶金渣": "新材料", "资源再生": "再生资源", "新能源材料": "新能源材料",
    "有色金属": "有色金属", "矿业": "矿业",
}


@dataclass
class BuiltPackage:
    pid: str
    form: str
    files: list[PlannedFile]
    container: str
    expected: list[dict]
    variants: list[str]
    allowed: list[dict] = field(default_factory=list)  # honest consequences of a planted defect


def split_allowed(entries: list[dict]) -> tuple[list[dict], list[dict]]:
    """Defects return the findings a checker must report and, marked "allowed", findings that
    are an honest consequence of the same planted error (service/reports/scoring.py)."""
    expected = [e for e in entries if not e.get("allowed")]
    allowed = [{k: v for k, v in e.items() if k != "allowed"} for e in entries if e.get("allowed")]
    return expected, allowed


def plan_defects(rng: random.Random, form: str, n: int) -> list[list[D.Defect]]:
    """Deal defects to n packages: rules come round in shuffled rounds so every rule of the
    catalogue is planted about equally often; the variant of a rule is drawn at random."""
    by_rule: dict[str, list[D.Defect]] = {}
    for d in D.CATALOGUE[form]:
        by_rule.setdefault(d.rule, []).append(d)
    queue: list[str] = []
    out: list[list[D.Defect]] = []
    for _ in range(n):
        if len(queue) < len(by_rule) // 2:
            more = sorted(by_rule)
            rng.shuffle(more)
            queue += [r for r in more if r not in queue]
        k = rng.choice([1, 2, 2, 3])
        chosen = [rng.choice(by_rule[queue.pop(0)])]
        j = 0
        while len(chosen) < k and j < len(queue):
            options = [d for d in by_rule[queue[j]] if D.compatible(chosen, d) and _feasible(form, chosen + [d])]
            if options:
                chosen.append(rng.choice(options))
                queue.pop(j)
            else:
                j += 1
        out.append(chosen)
    return out


def _feasible(form: str, defects: list[D.Defect]) -> bool:
    if form != D.HB:
        return True
    needs = D.hb_needs(defects)
    return any(profile_supports(i, **needs) for i in HB_PROFILES)


ANNUAL_UNIT_STYLES = ("header_t", "in_cell", "header_wan", "unit_line")


def build_hb(pid: str, rng: random.Random, defects: list[D.Defect], used: set[str], pdf: bool,
             layout_rng: random.Random | None = None) -> BuiltPackage:
    needs = D.hb_needs(defects)
    industry = rng.choice(sorted(i for i in HB_PROFILES if profile_supports(i, **needs)))
    company = make_company(rng, "湖北省", industry, used)
    figs = make_hb_figures(rng, industry, hb.YEAR, **needs)
    v = hb.choose_variants(rng)
    # every unit style of 附件3 appears in the corpus, not just the likely ones
    v["annual_units"] = ANNUAL_UNIT_STYLES[int(pid.rsplit("_", 1)[1]) % len(ANNUAL_UNIT_STYLES)]
    if not pdf:
        v["report_pdf"] = False
    v.update(hb.choose_layout(layout_rng or random.Random(f"{pid}:layout")))
    plan = hb.HbPlan(pid, company, rng.choice(hb.AGENCIES), figs, v)
    entries: list[dict] = []
    for d in sorted(defects, key=lambda d: d.order):
        entries += d.apply(plan, rng)
    expected, allowed = split_allowed(entries)
    files = hb.build_files(plan, rng)
    return BuiltPackage(pid, hb.FORM, files, v["container"], expected, hb.variant_tags(plan.v), allowed)


def build_hn(pid: str, rng: random.Random, defects: list[D.Defect], used: set[str], pdf: bool,
             layout_rng: random.Random | None = None) -> BuiltPackage:
    needs = {n for d in defects for n in d.needs}
    if "scope" in needs:
        industry, word = "餐厨", "环保科技"
    else:
        industry = rng.choice(sorted(HN_PROFILES))
        word = HN_NAME_WORD[industry]
    company = make_company(rng, "湖南省", word, used)
    figs = make_hn_figures(rng, industry if industry in HN_PROFILES else "新型建材", hn.PREV,
                           below_threshold="below" in needs, out_of_scope="scope" in needs)
    v = hn.choose_variants(rng)
    if not pdf:
        v["report_pdf"] = False
    v.update(hn.choose_layout(layout_rng or random.Random(f"{pid}:layout")))
    plan = hn.HnPlan(pid, company, figs, v)
    entries: list[dict] = []
    for d in sorted(defects, key=lambda d: d.order):
        entries += d.apply(plan, rng)
    expected, allowed = split_allowed(entries)
    if not defects:
        hn.check_consistency(plan)
    files = hn.build_files(plan, rng)
    return BuiltPackage(pid, hn.FORM, files, v["container"], expected, hn.variant_tags(plan.v), allowed)


def build_all(seed: int, count: int, pdf: bool = True, extra_forms: bool = True) -> list[BuiltPackage]:
    rng = random.Random(seed)
    n_hb = (count + 1) // 2
    n_hn = count - n_hb
    used: set[str] = set()
    built: list[BuiltPackage] = []
    for form, n, prefix, builder in ((D.HB, n_hb, "hb_eval", build_hb), (D.HN, n_hn, "hn_bench", build_hn)):
        clean = [i % 3 == 0 for i in range(n)]  # 1st, 4th, 7th … of each form are clean
        dealt = iter(plan_defects(rng, form, sum(1 for c in clean if not c)))
        for i in range(n):
            pid = f"{prefix}_{i + 1:02d}"
            defects = [] if clean[i] else next(dealt)
            built.append(builder(pid, random.Random(f"{seed}:{pid}"), defects, used, pdf,
                                 random.Random(f"{seed}:{pid}:layout")))
    for module in (extra_form_generators() if extra_forms else ()):
        built.extend(module.build_packages(seed, pdf))
    return built


def extra_form_generators():
    """Further forms plug in as corpus/generate/form_<id>.py, each with
    build_packages(seed: int, pdf: bool) -> list[BuiltPackage] (deterministic in the seed)."""
    import importlib

    for p in sorted(Path(__file__).parent.glob("form_*.py")):
        yield importlib.import_module(f"corpus.generate.{p.stem}")


def export_pdfs(built) -> None:
    """The files planned as PDFs printed from Word get their bytes (one LibreOffice call for all)."""
    pending = {f"{b.pid}/{f.path}": f.pdf_from_docx for b in built for f in b.files if f.pdf_from_docx}
    exported = docx_to_pdf(pending)
    for b in built:
        for f in b.files:
            if f.pdf_from_docx is not None:
                f.data = exported[f"{b.pid}/{f.path}"]
                f.pdf_from_docx = None


def empty_dir(out_dir: Path) -> None:
    """`out_dir` created, or emptied of every package an earlier run wrote."""
    if out_dir.exists():
        for child in out_dir.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)


def generate(out_dir: Path, seed: int = DEFAULT_SEED, count: int = DEFAULT_COUNT,
             manifest_path: Path | None = None, pdf: bool = True, extra_forms: bool = True) -> list[dict]:
    """Rebuild `out_dir` (every package in it is replaced) and write the manifest."""
    out_dir = Path(out_dir)
    manifest_path = Path(manifest_path) if manifest_path else out_dir.parent / "manifest.json"
    built = build_all(seed, count, pdf, extra_forms)
    export_pdfs(built)
    empty_dir(out_dir)
    manifest = []
    for b in built:
        name = write_package(out_dir, b.pid, b.files, b.container)
        entry = {
            "package": name,
            "form": b.form,
            "clean": not b.expected,
            "expected": b.expected,
            "variants": b.variants,
        }
        if b.allowed:
            entry["allowed"] = b.allowed
        manifest.append(entry)
    manifest.sort(key=lambda e: e["package"])
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest
