"""An audit batch (issue 11): packages of different companies and agencies, built from the
bundled samples, with falsification planted across them and decoys that must stay silent.

    python -m corpus.generate.audit_batch --out DIR

Writes DIR/<package>/… and DIR/audit_manifest.json: `planted` (rule and the packages each
signal must name, with what the evidence must show) and `decoys` (what is shared honestly).

Every picture inside a Word file is first replaced by one unique to its package: the sample
generator draws its charts from a small set, which in a real province would be a copied chart.
Then, planted:
- AUDIT.TEXT_COPIED: six paragraphs one company wrote of its own works written into another
  company's report with the name changed (hn_bench_03 from hn_bench_02); and three with the
  source company's name left in one (hn_bench_07 from hn_bench_06);
- AUDIT.STAFF_SHARED: two people of one agency's social-security statement (name and ID number)
  on another agency's roster and statement (hb_agency_06 from hb_agency_04);
- AUDIT.FIGURES_REUSED: one company's 附件3 annual table filed by another (hb_eval_14 from
  hb_eval_03, the company's own name and code put in);
- AUDIT.IMAGE_REUSED: one company's licence photo, re-compressed and scaled, as another's
  (hb_eval_14 from hb_eval_04);
- AUDIT.IDENTITY_CONFLICT: a company filing under another's credit code (hn_bench_11 with
  hn_bench_13's);
- AUDIT.CONTACT_SHARED: an unrelated company giving another's mobile (hb_eval_04 with hb_eval_03's).
Decoys: the template text every generated report shares (six packages of each form); one
evaluation agency writing two clients' reports (its introduction in both: hb_eval_03, hb_eval_14); one company's honest resubmission (hn_bench_01 filed twice); a person of
one agency with the same name as a person of another (different ID number).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import shutil
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PACKAGES = ["hn_bench_01", "hn_bench_02", "hn_bench_03", "hn_bench_06", "hn_bench_07", "hn_bench_11",
            "hn_bench_13", "hn_bench_14", "hb_agency_04", "hb_agency_06", "hb_agency_10", "hb_agency_12",
            "hb_eval_03", "hb_eval_04", "hb_eval_14", "nowaste_01", "nowaste_04", "nowaste_07", "nowaste_09",
            "nowaste_11", "nowaste_12", "gm_01", "gm_05", "gm_06", "gm_08", "gm_10", "gm_12"]
AGENCY = "荆楚资源综合利用评价咨询有限公司"
# the agency's own words in two clients' reports: expected, not copying
AGENCY_WORDS = [
    "评价机构：" + AGENCY + "，联系人：周明远，手机：13986512047。",
    "本报告由" + AGENCY + "受企业委托编制，评价组由三名高级工程师和两名工程师组成，于现场核查了固废进厂台账、计量记录和产品销售凭证。",
    AGENCY + "成立于二〇一六年，专注于工业固体废物资源综合利用评价，已完成省内六十余家企业的评价工作，建立了完整的质量控制制度。",
    AGENCY + "对本报告数据的真实性负责，评价过程中未发现企业存在弄虚作假行为，评价结论客观公正。",
]
RESUBMITTED = "hn_bench_01_再次申报"
# what one company wrote of its own works, in its own words ({name}: the company), which another then copies
OWN_WORDS = [
    "{name}在二号回转窑尾部增设二级旋风预热器后，尾矿中残余硫化物在八百五十摄氏度下充分分解，窑尾烟气二氧化硫浓度由每立方米四百毫克降至九十毫克。",
    "为解决冬季湿法尾矿结冻堵料的问题，{name}自行设计了带蒸汽伴热的螺旋给料机，给料中断由每月十一次减少到一次。",
    "{name}与中南大学冶金学院合作开发的低温焙烧脱砷工艺，使含砷尾渣中砷的浸出浓度稳定在国家标准限值的三分之一以下。",
    "厂区东侧原堆存的四十二万吨历史尾矿，{name}分三期回采，第一期采用旋流器分级加高频振动筛脱水，细粒级全部用于井下充填。",
    "在二〇二四年九月的一次停电事故中，充填站备用柴油发电机未能自动启动，{name}随即把切换逻辑改为双回路互锁并每月实机演练。",
    "{name}的机制砂产品经湘潭市建设工程质量检测中心抽检，细度模数二点七、石粉含量百分之六点一，亚甲蓝值零点八，均满足高性能混凝土用砂要求。",
    "{name}将废石破碎车间的布袋除尘器滤袋由涤纶针刺毡改为覆膜滤料，颗粒物排放浓度从每立方米十八毫克降至六毫克。",
    "由于下游两家水泥厂同时检修，{name}在第三季度把尾矿充填料的配比由一比八调为一比六，以消化积压的粗粒尾砂。",
    "{name}建立了以皮带秤和地磅双重计量为基础的固废台账，每班交接时核对差值，差值超过千分之五即停机复核。",
]


# ---------------------------------------------------------------- file edits


def _docx_paragraph_texts(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def replace_in_docx(path: Path, pairs: list[tuple[str, str]]) -> None:
    import docx

    d = docx.Document(str(path))
    paragraphs = list(d.paragraphs)
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for section in d.sections:
        for part in (section.header, section.footer):
            paragraphs.extend(part.paragraphs)
    for p in paragraphs:
        text = p.text
        new = text
        for old, rep in pairs:
            new = new.replace(old, rep)
        if new != text and p.runs:
            p.runs[0].text = new
            for run in p.runs[1:]:
                run.text = ""
    d.save(str(path))


def replace_in_xlsx(path: Path, pairs: list[tuple[str, str]]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(str(path))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    new = cell.value
                    for old, rep in pairs:
                        new = new.replace(old, rep)
                    cell.value = new
    wb.save(str(path))


def replace_everywhere(folder: Path, pairs: list[tuple[str, str]]) -> None:
    """In every Word and Excel file of the package (PDFs and pictures are left as they are)."""
    for f in folder.rglob("*"):
        if f.suffix.lower() == ".docx":
            replace_in_docx(f, pairs)
        elif f.suffix.lower() == ".xlsx":
            replace_in_xlsx(f, pairs)


def unique_pictures(folder: Path, seed: str) -> None:
    """Every picture inside the package's Word files replaced by one drawn for this package."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    for f in folder.rglob("*.docx"):
        data = f.read_bytes()
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                body = zin.read(item.filename)
                if item.filename.startswith("word/media/") and item.filename.rsplit(".", 1)[-1].lower() in ("png", "jpg", "jpeg"):
                    with Image.open(io.BytesIO(body)) as im:
                        size = im.size
                    img = Image.new("RGB", size, (255, 255, 255))
                    draw = ImageDraw.Draw(img)
                    for _ in range(14):
                        x0, y0 = rng.randrange(size[0]), rng.randrange(size[1])
                        x1, y1 = x0 + rng.randrange(20, max(21, size[0] // 2)), y0 + rng.randrange(20, max(21, size[1] // 2))
                        draw.rectangle([x0, y0, x1, y1], outline=(rng.randrange(200), rng.randrange(200), rng.randrange(200)),
                                       width=3, fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
                    buf = io.BytesIO()
                    img.save(buf, "PNG" if item.filename.lower().endswith(".png") else "JPEG", quality=90)
                    body = buf.getvalue()
                zout.writestr(item, body)
        f.write_bytes(out.getvalue())


def identity_of(folder: Path) -> tuple[str, str]:
    """(company name, credit code) the package's files state."""
    text = ""
    for f in sorted(folder.rglob("*")):
        if f.suffix.lower() == ".docx":
            text += "\n".join(_docx_paragraph_texts(f))
        elif f.suffix.lower() == ".xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(str(f), read_only=True)
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    text += " ".join(str(v) for v in row if v is not None) + "\n"
    code = re.search(r"(?<![0-9A-Z])(9[0-9A-Z]{17})(?![0-9A-Z])", text)
    # the report's file name carries the company's name whole
    for f in sorted(folder.rglob("*")):
        m = re.match(r"(.+?(?:有限责任公司|股份有限公司|有限公司))", f.stem)
        if m:
            return m.group(1), (code.group(1) if code else "")
    name = re.search(r"([\u4e00-\u9fff]{2,20}(?:有限责任公司|股份有限公司|有限公司))", text)
    return (name.group(1) if name else ""), (code.group(1) if code else "")


# ---------------------------------------------------------------- the plants


def copy_paragraphs(src: Path, dst: Path, words: list[str], keep_source_name: bool) -> list[str]:
    """`words` written into src's report as its own (in its name), then copied into dst's report
    with dst's name put in, but for the first when `keep_source_name`.  Returns what dst got."""
    import docx

    src_name, _ = identity_of(src)
    dst_name, _ = identity_of(dst)
    copied = []
    for folder, name in ((src, src_name), (dst, dst_name)):
        report = next(folder.rglob("*报告*.docx"))
        d = docx.Document(str(report))
        anchor = [p for p in d.paragraphs if len(p.text) > 60][-1]
        for n, text in enumerate(words):
            written = text.format(name=src_name if (folder == dst and keep_source_name and n == 0) else name)
            anchor.insert_paragraph_before(written)
            if folder == dst:
                copied.append(written)
        d.save(str(report))
    return copied


def share_staff(src: Path, dst: Path, count: int) -> list[str]:
    import openpyxl

    def rows(path: Path):
        wb = openpyxl.load_workbook(str(path))
        return wb, wb.active

    s_wb, s_ws = rows(next(src.rglob("*社保*.xlsx")))
    people = [r for r in s_ws.iter_rows(values_only=True) if r and r[2] and re.fullmatch(r"\d{17}[\dX]", str(r[2]))][:count]
    d_wb, d_ws = rows(next(dst.rglob("*社保*.xlsx")))
    last = d_ws.max_row
    template = [c.value for c in d_ws[last]]
    for n, person in enumerate(people, 1):
        values = list(template)
        values[0], values[1], values[2] = str(int(str(template[0] or 0)) + n if str(template[0] or "").isdigit() else n), person[1], person[2]
        d_ws.append(values)
    d_wb.save(str(next(dst.rglob("*社保*.xlsx"))))
    r_wb, r_ws = rows(next(dst.rglob("*花名册*.xlsx")))
    last = r_ws.max_row
    template = [c.value for c in r_ws[last]]
    for n, person in enumerate(people, 1):
        values = list(template)
        values[0], values[1] = str(int(str(template[0] or 0)) + n if str(template[0] or "").isdigit() else n), person[1]
        r_ws.append(values)
    r_wb.save(str(next(dst.rglob("*花名册*.xlsx"))))
    return [p[1] for p in people]


def same_name_different_person(src: Path, dst: Path) -> str:
    """The decoy: dst's first insured person renamed to src's first, keeping dst's own ID number."""
    import openpyxl

    s_ws = openpyxl.load_workbook(str(next(src.rglob("*社保*.xlsx")))).active
    name = next(r[1] for r in s_ws.iter_rows(values_only=True) if r and r[2] and re.fullmatch(r"\d{17}[\dX]", str(r[2])))
    for pattern in ("*社保*.xlsx", "*花名册*.xlsx"):
        path = next(dst.rglob(pattern))
        wb = openpyxl.load_workbook(str(path))
        ws = wb.active
        for row in ws.iter_rows():
            if row[0].value is not None and str(row[0].value).strip() == "1":
                row[1].value = name
                break
        wb.save(str(path))
    return name


def build(out: Path) -> dict:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in PACKAGES:
        shutil.copytree(SAMPLES / name, out / name)
        unique_pictures(out / name, name)
    shutil.copytree(out / "hn_bench_01", out / RESUBMITTED)
    planted, decoys = [], []

    copied = copy_paragraphs(out / "hn_bench_02", out / "hn_bench_03", OWN_WORDS[:6], keep_source_name=False)
    planted.append({"rule": "AUDIT.TEXT_COPIED", "packages": ["hn_bench_02", "hn_bench_03"], "min_sentences": 6,
                    "text": copied[0][:40]})
    copied = copy_paragraphs(out / "hn_bench_06", out / "hn_bench_07", OWN_WORDS[6:], keep_source_name=True)
    planted.append({"rule": "AUDIT.TEXT_COPIED", "packages": ["hn_bench_06", "hn_bench_07"], "company_name_left": True,
                    "text": copied[0][:40]})

    names = share_staff(out / "hb_agency_04", out / "hb_agency_06", 2)
    for person in names:
        planted.append({"rule": "AUDIT.STAFF_SHARED", "packages": ["hb_agency_04", "hb_agency_06"], "name": person})
    decoys.append({"what": "同名不同人", "name": same_name_different_person(out / "hb_agency_10", out / "hb_agency_12"),
                   "packages": ["hb_agency_10", "hb_agency_12"]})

    a_name, a_code = identity_of(out / "hb_eval_03")
    b_name, b_code = identity_of(out / "hb_eval_14")
    annual = next((out / "hb_eval_03").rglob("附件3*.docx"))
    for old in (out / "hb_eval_14").glob("附件3*"):
        old.unlink()
    target = out / "hb_eval_14" / annual.name
    shutil.copy(annual, target)
    replace_in_docx(target, [(a_name, b_name), (a_code, b_code)])
    planted.append({"rule": "AUDIT.FIGURES_REUSED", "packages": ["hb_eval_03", "hb_eval_14"]})
    # both are steel works whose generated reports describe the same process lines in the same
    # words: a true near-copy (a warning), not planted here, allowed
    planted.append({"rule": "AUDIT.TEXT_COPIED", "packages": ["hb_eval_03", "hb_eval_14"], "optional": True})

    from PIL import Image

    with Image.open(out / "hb_eval_04" / "营业执照.jpg") as licence:
        smaller = licence.convert("RGB").resize((int(licence.width * 0.8), int(licence.height * 0.8)))
    for old in (out / "hb_eval_14").glob("营业执照.*"):
        old.unlink()
    smaller.save(out / "hb_eval_14" / "营业执照.jpg", "JPEG", quality=60)
    planted.append({"rule": "AUDIT.IMAGE_REUSED", "packages": ["hb_eval_04", "hb_eval_14"]})

    _n11, code11 = identity_of(out / "hn_bench_11")
    _n13, code13 = identity_of(out / "hn_bench_13")
    replace_everywhere(out / "hn_bench_11", [(code11, code13)])
    planted.append({"rule": "AUDIT.IDENTITY_CONFLICT", "packages": ["hn_bench_11", "hn_bench_13"], "credit_code": code13})

    mobile = _mobile_of(out / "hb_eval_03")
    own = _mobile_of(out / "hb_eval_04")
    if mobile and own:
        replace_everywhere(out / "hb_eval_04", [(own, mobile)])
        planted.append({"rule": "AUDIT.CONTACT_SHARED", "packages": ["hb_eval_03", "hb_eval_04"]})

    for client in ("hb_eval_03", "hb_eval_14"):  # one agency, two clients: its own words and number in both
        report = next((out / client).rglob("*报告*.docx"))
        import docx

        d = docx.Document(str(report))
        anchor = [para for para in d.paragraphs if len(para.text) > 20][0]
        for words in AGENCY_WORDS:
            anchor.insert_paragraph_before(words)
        d.save(str(report))
    decoys.append({"what": "同一评价机构服务两家企业（机构介绍相同）", "packages": ["hb_eval_03", "hb_eval_14"]})
    decoys.append({"what": "同一企业再次申报", "packages": ["hn_bench_01", RESUBMITTED]})
    decoys.append({"what": "生成器模板文字（各报告共有）", "packages": []})
    manifest = {"planted": planted, "decoys": decoys, "packages": sorted(p.name for p in out.iterdir() if p.is_dir())}
    (out / "audit_manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _mobile_of(folder: Path) -> str | None:
    import openpyxl

    for f in folder.rglob("*"):
        texts = []
        if f.suffix.lower() == ".xlsx":
            for ws in openpyxl.load_workbook(str(f), read_only=True).worksheets:
                for row in ws.iter_rows(values_only=True):
                    texts += [str(v) for v in row if v is not None]
        elif f.suffix.lower() == ".docx":
            import docx

            d = docx.Document(str(f))
            texts += [p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells]
        for text in texts:
            m = re.search(r"(?<!\d)(1[3-9]\d{9})(?!\d)", text)
            if m:
                return m.group(1)
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m corpus.generate.audit_batch", description="Build an audit batch with ground truth.")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    manifest = build(args.out)
    print(f"{len(manifest['packages'])} packages, {len(manifest['planted'])} planted signals, "
          f"{len(manifest['decoys'])} decoys -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
