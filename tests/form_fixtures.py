"""Small hand-written submission parts for form-extraction tests, built with python-docx.

They are deliberately laid out differently from the sample generator's output (other
numbering, other wording, units in other places) so the tests exercise the extractor's
tolerance of variation rather than one layout.
"""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: F401  (kept for layout tweaks in tests)

from extractor.package import PackageFile, detect_type
def read_document(pf):  # noqa: E302 - resolved lazily so fixtures import before readers exist
    from extractor.read import read_document as _rd

    return _rd(pf)

VALID_USCC = ""  # computed below


def _uscc(body17: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    s = sum(alphabet.index(c) * w for c, w in zip(body17, weights))
    return body17 + alphabet[(31 - s % 31) % 31]


VALID_USCC = _uscc("91420100MA4K2XYU1")


def docx_bytes(build) -> bytes:
    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def as_document(name: str, data: bytes):
    import hashlib

    ext = name.rsplit(".", 1)[-1].lower()
    pf = PackageFile(path=name, data=data, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                     type=detect_type(data, ext), ext=ext)
    return read_document(pf)


def table(d, rows, merge=()):
    t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    t.style = "Table Grid"
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            t.cell(i, j).text = v
    for (r1, c1, r2, c2) in merge:
        t.cell(r1, c1).merge(t.cell(r2, c2))
    return t


def hb_basic_info(company="湖北示例建材有限公司", code=VALID_USCC, mobile="13871234567", email="hbsl@163.com",
                  rows=(("粉煤灰", "0", "126,000", "126,000", "蒸压粉煤灰砖", "8000万块", "2,400"),
                        ("炉渣", "32,000", "0", "31,500", "混凝土砌块", "5万立方米", "600")),
                  commitment=True, total_value="3000"):
    def build(d):
        d.add_paragraph("附件1")
        d.add_paragraph("湖北省工业固体废物资源综合利用申报企业基本情况表")
        kv = [
            ["企业名称", company, "统一社会信用代码", code, "", "", ""],
            ["通讯地址", "武汉市青山区示例路8号", "", "", "", "", ""],
            ["联系人", "张明", "手机号码", mobile, "", "", ""],
            ["传真号码", "027-86881234", "电子邮箱", email, "", "", ""],
            ["年综合利用产值(万元)", total_value, "利润总额(万元)", "420", "上一年度减免税种及税额(万元)", "增值税 150", ""],
            ["主要生产工艺描述", "粉煤灰经计量配料、搅拌、成型、蒸压养护制成蒸压砖", "", "", "", "", ""],
            ["2025年工业固体废物利用情况", "", "", "", "", "", ""],
            ["工业固体废物种类名称", "产生量(吨)", "接收量(吨)", "利用量(吨)", "产品名称", "产品产量", "产品产值(万元)"],
        ]
        for r in rows:
            kv.append(list(r))
        if commitment:
            kv.append(["材料真实性承诺：我单位郑重承诺：本次申报所提交的相关信息、数据及证明材料均真实、准确。", "", "", "", "", "", ""])
        t = table(d, kv)
        t.cell(1, 1).merge(t.cell(1, 6))
        t.cell(5, 1).merge(t.cell(5, 6))
        t.cell(6, 0).merge(t.cell(6, 6))
        if commitment:
            t.cell(len(kv) - 1, 0).merge(t.cell(len(kv) - 1, 6))
    return docx_bytes(build)


def hb_annual_report(company="湖北示例建材有限公司", rows=(("1", "粉煤灰", "", "126,000", "2,400", "—", "外购"),
                                                      ("2", "炉渣", "32,000", "31,500", "600", "98.4", "")),
                     total=("合计", "", "32,000", "157,500", "3,000", "", "")):
    def build(d):
        d.add_paragraph("附件3")
        d.add_paragraph("湖北省工业固体废物资源综合利用情况年报表（2025年）")
        d.add_paragraph(f"填报单位名称：{company}")
        data = [["序号", "工业固体废物名称", "产生量(吨)", "综合利用量(吨)", "综合利用产值(万元)", "综合利用率(%)", "备注"]]
        data += [list(r) for r in rows]
        data.append(list(total))
        t = table(d, data)
        t.cell(len(data) - 1, 0).merge(t.cell(len(data) - 1, 1))
        d.add_paragraph("审核人：李华      填报人：王芳      联系电话：027-86881234      填报日期：2026年1月20日")
    return docx_bytes(build)


def hb_report(sections=None, flowchart=True, narrative="2025年共综合利用粉煤灰12.60万吨、炉渣3.15万吨。", monthly=True):
    titles = sections or ["评价概述", "企业基本概况", "企业生产经营情况", "工艺技术及装备", "体系建设情况", "固体废物综合利用情况", "评价结论"]
    nums = ["第一部分", "第二部分", "第三部分", "第四部分", "第五部分", "第六部分", "第七部分"]

    def build(d):
        d.add_paragraph("湖北示例建材有限公司工业固体废物资源综合利用评价报告")
        for n, t in zip(nums, titles):
            if t is None:
                continue
            d.add_heading(f"{n} {t}", level=1)
            if t == "评价概述":
                d.add_paragraph("评价期为2025年1月1日至2025年12月31日。本机构对评价报告的真实性负责。")
            if t == "企业基本概况":
                d.add_paragraph(f"企业名称：湖北示例建材有限公司，统一社会信用代码：{VALID_USCC}。")
            if t == "工艺技术及装备":
                d.add_paragraph("企业采用蒸压养护工艺。")
                if flowchart:
                    from docx.shared import Cm

                    d.add_picture(io.BytesIO(flowchart_png()), width=Cm(12))
                    d.add_paragraph("图1 生产工艺流程图")
            if t == "固体废物综合利用情况":
                d.add_paragraph(narrative)
                if monthly:
                    d.add_paragraph("表6-1 2025年各月固体废物综合利用量（单位：吨）")
                    months = [f"{m}月" for m in range(1, 13)]
                    table(d, [["种类", *months, "合计"],
                              ["粉煤灰", *["10500"] * 12, "126000"],
                              ["炉渣", *["2625"] * 12, "31500"]])
                d.add_paragraph("表6-2 物料衡算表（单位：万吨）")
                table(d, [["固废种类", "期初库存", "产生量", "接收量", "利用量", "处置量", "期末库存"],
                          ["粉煤灰", "0.20", "0", "12.60", "12.60", "0", "0.20"],
                          ["炉渣", "0.10", "3.20", "0", "3.15", "0.05", "0.10"]])
    return docx_bytes(build)


HN_INDICATORS = [
    ("1", "企业年销售收入", "万元", "52,000", "56,000", "+7.7%"),
    ("2", "资源综合利用产品或技术成果年销售收入", "万元", "30,000", "33,000", "+10.0%"),
    ("3", "利润", "万元", "4,000", "4,600", "增加600"),
    ("4", "税金", "万元", "2,100", "2,300", "+9.5%"),
    ("5", "工业资源年综合利用量", "万吨", "14.2", "15.8", "+1.6"),
    ("", "种类1：粉煤灰利用量", "万吨", "10.1", "11.3", "+1.2"),
    ("", "种类2：脱硫石膏利用量", "万吨", "4.1", "4.5", "+0.4"),
    ("6", "综合利用率", "%", "95.3", "96.0", "+0.7个百分点"),
    ("7", "综合利用产品年产值", "万元", "28,000", "31,000", "+10.7%"),
    ("", "综合利用产品1：水泥产量", "万吨", "60", "66", "+10.0%"),
    ("", "综合利用产品1：水泥产值", "万元", "20,000", "22,000", "+10.0%"),
    ("", "综合利用产品2：石膏板产量", "万平方米", "800", "900", "+12.5%"),
    ("", "综合利用产品2：石膏板产值", "万元", "8,000", "9,000", "+12.5%"),
    ("8", "建立质量、环境、职业健康、能源管理体系情况", "", "已建立", "已建立", "—"),
    ("9", "资源综合利用领域相关技术专利数量", "个", "12", "15", "+3"),
    ("10", "制定（或参与制定）的资源综合利用国家、地方、行业、团体、企业标准数量（分项列出数量）", "个", "2", "3", "+1"),
]


def hn_report(indicators=HN_INDICATORS, include_table=True, drop=(), phone="0731-88886666", narrative=None):
    tops = [("一、", "企业基本情况", ["1、企业概况", "2、研发能力", "3、能源资源消耗、废弃物排放情况", "4、企业管理能力"]),
            ("二、", "上年度资源综合利用情况", ["1、上年度企业经营指标、从业人数及构成情况", "2、上年度资源综合利用产品、生产能力、产量及变化情况",
                                     "3、上年度在推动绿色发展方面主要工作情况", "4、上年度废弃物回收利用渠道建立和运行情况", "5、上年度推动相关标准建立、完善管理体系等情况"]),
            ("三、", "重点项目、重点工作情况", []), ("四、", "保障措施", []), ("五、", "存在问题、主要经验和政策建议", []),
            ("六、", "相关证明材料", [])]

    def build(d):
        d.add_paragraph("湖南省工业资源综合利用标杆企业")
        d.add_paragraph("自评价报告书")
        d.add_paragraph("单位（盖章）：湖南示例环保建材有限公司")
        d.add_paragraph("联  系  人：刘强")
        d.add_paragraph(f"联 系 电 话：{phone}")
        d.add_paragraph("2025年3月")
        for num, title, subs in tops:
            if title in drop:
                continue
            d.add_heading(num + title, level=1)
            for s in subs:
                d.add_heading(s, level=2)
                if s.startswith("1、企业概况"):
                    d.add_paragraph(f"公司统一社会信用代码：{VALID_USCC}。")
                if s.startswith("1、上年度企业经营"):
                    d.add_paragraph(narrative or "上年度（2024年）企业实现销售收入56,000万元，利润4600万元。综合利用粉煤灰11.3万吨，较前一年度增长11.9%。资源产生（含接收）总量16.46万吨。")
            if title == "相关证明材料":
                d.add_paragraph("（一）企业营业执照；（二）无事故及未列入失信黑名单的证明材料。")
        if include_table:
            d.add_paragraph("附表")
            d.add_paragraph("工业资源综合利用标杆企业指标表")
            table(d, [["序号", "指标名称", "单位", "前一年度情况", "上年度情况", "上年度指标较前一年度变化情况"], *[list(r) for r in indicators]])
    return docx_bytes(build)


import base64 as _b64

PNG = _b64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def flowchart_png() -> bytes:
    """A box-and-arrow drawing big enough to survive a PDF export as a picture."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(img)
    for i in range(3):
        draw.rectangle([20 + i * 160, 50, 140 + i * 160, 110], outline="black", width=3)
        if i < 2:
            draw.line([140 + i * 160, 80, 180 + i * 160, 80], fill="black", width=3)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def to_pdf(docx_files: dict[str, bytes], out_dir) -> None:
    """LibreOffice export, the way submitters make their PDFs."""
    import subprocess
    import tempfile
    from pathlib import Path

    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for name, data in docx_files.items():
            (Path(tmp) / name).write_bytes(data)
            names.append(str(Path(tmp) / name))
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", str(out_dir), *names], check=True, capture_output=True, timeout=180)
