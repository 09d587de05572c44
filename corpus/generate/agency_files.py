"""The files of a generated hb_agency package, from an `AgencyPlan`: 申请报告, 附件5 申请表,
花名册, 社保缴纳明细, 业绩合同清单 and the 第八条 materials, in the layouts filers use."""

from __future__ import annotations

import random
from datetime import date

from corpus.generate import images
from corpus.generate.agency_plan import REVIEW_YEAR, AgencyPlan
from corpus.generate.content import Block, Para, Sheet, Table, cn_int, cn_year
from corpus.generate.outline import Numbering
from corpus.generate.package import PlannedFile
from corpus.generate.render_docx import render_docx
from corpus.generate.render_xlsx import render_xlsx

TITLE = "湖北省工业固体废物资源综合利用评价机构"
SECTIONS = [("机构基本情况", "单位基本情况"), ("从业能力", "专业技术能力"), ("业绩说明", "近三年业绩情况"),
            ("服务规划", "业务发展规划"), ("组织架构", "组织机构设置")]
SCOPE = "环境保护咨询服务；资源循环利用服务技术咨询；节能管理服务；工程和技术研究和试验发展；认证咨询。"
# a third wording of each report item, as applicants rename them
RENAMED = {1: "机构概况", 2: "从业能力情况", 3: "业绩情况", 4: "服务规划及保障措施", 5: "组织架构及人员分工"}
# 附件5 labels as some applicants' copies of the form write them
LABEL_VARIANTS = {"联系人": "联系人姓名", "邮箱": "电子信箱", "联系方式": "移动电话"}


def ymd(d: date, style: str) -> str:
    return {"dash": f"{d:%Y-%m-%d}", "dot": f"{d.year}.{d.month:02d}", "cn": f"{d.year}年{d.month}月",
            "dot_short": f"{d.year}.{d.month}", "cn_upper": f"{cn_year(d.year)}年{cn_int(d.month)}月"}[style]


def show(plan: AgencyPlan, tag: str) -> None:
    """Record a layout variant the files actually carry (once)."""
    shown = plan.v.setdefault("shown", [])
    if tag not in shown:
        shown.append(tag)


def mask_id(number: str, style: str | None) -> str:
    """An ID number as a 社保 system prints it: 420106********2315 or 4201**********2315."""
    if style == "six":
        return number[:6] + "*" * 8 + number[-4:]
    if style == "four":
        return number[:4] + "*" * 10 + number[-4:]
    return number


def spaced(name: str, on: bool) -> str:
    """'张伟' as some filers align two-character names: '张  伟'."""
    return f"{name[0]}  {name[1]}" if on and len(name) == 2 else name


# ---------------------------------------------------------------- 申请报告


def report_blocks(plan: AgencyPlan) -> list[Block]:
    c, v = plan.company, plan.v
    numbering = Numbering(v.get("more_numbering") or v["numbering"], v["styled_headings"])
    senior, mid, junior = plan.grade_counts()
    recent = [k for k in plan.contracts if k.signed.year >= REVIEW_YEAR - 3]
    out: list[Block] = [
        Para(f"{TITLE}申请报告", bold=True, center=True, size=18),
        Para(f"湖北省经济和信息化厅：\n{c.name}现申请列入{TITLE}推荐名单，报告如下。"),
    ]

    bodies: dict[int, list[Block]] = {}

    def section(i: int, body: list[Block]) -> None:
        if i not in plan.drop_sections:
            bodies[i] = body

    section(1, [Para(f"{c.name}成立于{c.founded}，统一社会信用代码：{plan.credit_code or c.credit_code}，注册资本"
                     f"{c.registered_capital_wan}万元，注册地址{c.address}，法定代表人{c.legal_rep}。公司是独立法人，"
                     "具有固定办公场所和开展评价所需的设备设施。")])
    section(2, [Para(f"公司现有从事资源综合利用的专职人员{len(plan.people)}人，均与公司签订劳动合同并缴纳社会保险，"
                     f"其中高级职称{senior}人、中级职称{mid}人、初级职称{junior}人，专业涵盖环境工程、资源循环、"
                     "财务会计、材料与冶金等领域。")])
    section(3, [Para(f"公司自{plan.contracts[0].signed.year}年起从事资源综合利用评价、环境咨询等第三方技术服务，"
                     f"近三年承担相关服务项目{len(recent)}项，详见业绩合同清单。")])
    section(4, [Para("公司将聚焦工业固废资源综合利用评价服务，完善评价工作规程和专家审议制度，"
                     "计划三年内建成覆盖全省主要工业固废品种的评价技术团队。")])
    section(5, [Para("公司设决策层（董事会、总经理）、管理层（技术负责人、质量负责人）和执行层"
                     "（评价业务部、财务部、综合部），评价业务部专门负责工业固废资源综合利用评价工作。")])
    combine = v.get("combined_heading") and 3 in bodies and 4 in bodies
    n = 0
    for i in sorted(bodies):
        if combine and i == 4:
            continue
        n += 1  # after a merged heading the items that follow move up a number
        seed, alt = SECTIONS[i - 1]
        title = alt if i in v["alt_titles"] else seed
        if i in v.get("renamed_sections", ()):
            show(plan, "renamed_headings")
            title = RENAMED[i]
        if combine and i == 3:
            show(plan, "one_heading_two_items")
            title = "业绩及服务规划"
        out.append(numbering.top(n if combine else i, title))
        out.extend(bodies[i] + (bodies[4] if combine and i == 3 else []))
    out.append(Para(f"特此申请。\n{c.name}\n{plan.apply_date.year}年{plan.apply_date.month}月{plan.apply_date.day}日"))
    return out


# ---------------------------------------------------------------- 附件5 申请表


def basic_rows(plan: AgencyPlan) -> tuple[list[list], list[tuple[int, int, int, int]]]:
    """附件5 一、单位基本情况: label / value pairs, two to a row; or as applicants' copies write
    it (other label wordings, 法定代表人：张三 in one cell, values in the row below their labels)."""
    c, v = plan.company, plan.v
    senior, mid, junior = plan.grade_counts()
    rows: list[list] = []
    merges: list[tuple[int, int, int, int]] = []

    def val(label: str, value: str) -> str:
        return "" if label in plan.blank_fields else value

    def lab(label: str) -> str:
        if v.get("label_variants") and label in LABEL_VARIANTS:
            show(plan, "label_variants")
            return LABEL_VARIANTS[label]
        return label

    def add(row: list, spans=()) -> None:
        r = len(rows)
        rows.append(row)
        merges.extend((r, a, r, b) for a, b in spans)

    area = f"{180 + len(plan.people) * 12}平方米"
    add(["单位全称", val("单位全称", c.name), "", ""], [(1, 3)])
    add(["注册地址", val("注册地址", c.address), "注册时间", val("注册时间", c.founded)])
    capital = val("注册资金", f"{c.registered_capital_wan}万元")
    assets = val("资产总额", f"{c.registered_capital_wan * 2 + 135}万元")
    if v.get("values_below"):
        show(plan, "values_below_labels")
        add(["注册资金", "", "资产总额", ""], [(0, 1), (2, 3)])
        add([capital, "", assets, ""], [(0, 1), (2, 3)])
    else:
        add(["注册资金", capital, "资产总额", assets])
    add(["通信地址", val("通信地址", c.address), lab("邮箱"), val("邮箱", plan.email or c.email)])
    if v.get("one_cell"):
        show(plan, "label_value_one_cell")
        add([f"法定代表人：{val('法定代表人', c.legal_rep)}", "", f"电话：{c.landline}", ""], [(0, 1), (2, 3)])
    else:
        add(["法定代表人", val("法定代表人", c.legal_rep), "电话", c.landline])
    add([lab("联系人"), val("联系人", c.contact), lab("联系方式"), val("联系方式", plan.contact_way or c.mobile)])
    add(["员工总数", val("员工总数", f"{len(plan.people) + 3}人"), "工作场所面积", val("工作场所面积", area)])
    add(["专业技术人员情况",
         val("专业技术人员情况", f"共{plan.stated_total()}名。其中高级职称{senior}名；中级职称{mid}名；初级职称{junior}名"), "", ""],
        [(1, 3)])
    add(["(条件符合性描述)", "具备独立法人资格，专职人员不少于8人，专业覆盖资源、环境、财会，管理制度健全。", "", ""], [(1, 3)])
    add(["市州经济和信息化主管部门意见", "（盖章）\n年  月  日", "", ""], [(1, 3)])
    return rows, merges


STAFF_HEADER = ["序号", "姓名", "年龄", "学历", "职称", "所学专业", "从事专业", "从事资源综合利用服务年限", "近三年内服务业绩情况"]


def staff_rows(plan: AgencyPlan) -> list[list]:
    rows: list[list] = [list(STAFF_HEADER)]
    for i, p in enumerate(plan.people, 1):
        rows.append([str(i), p.name, str(plan.stated_age_of(p)), p.education, p.title, p.major, p.specialty,
                     f"{p.service_years}年" if plan.v["years_suffix"] else str(p.service_years),
                     f"参与评价项目{2 + i % 5}项"])
    return rows


def cover_lines(plan: AgencyPlan) -> list[str]:
    c = plan.company
    d = plan.apply_date
    return [f"单位名称（公章）：{c.name}", f"法定代表人（签字）：{c.legal_rep}", f"联系人：{c.contact}",
            f"联系电话：{plan.contact_way or c.mobile}", f"申请时间：{d.year}年{d.month}月{d.day}日"]


def application_file(plan: AgencyPlan) -> tuple[str, bytes | None, bytes | None]:
    """(extension, data, docx to export as PDF)."""
    rows, merges = basic_rows(plan)
    staff = staff_rows(plan)
    kind = plan.v["application"]
    if kind == "xlsx":
        cover = [[line, None, None, None] for line in [f"附件5  {TITLE}申请表", *cover_lines(plan), "一、单位基本情况"]]
        off = len(cover)
        sheet1 = Sheet("申请表", cover + rows, [(r + off, a, r2 + off, b) for r, a, r2, b in merges], widths=[22, 40, 16, 30])
        sheet2 = Sheet("专业技术人员名单", [[f"二、{TITLE}专业技术人员名单"] + [None] * 8] + staff
                       + [["注：只填写评价机构本单位人员。"] + [None] * 8], [(0, 0, 0, 8)], widths=[6, 10, 6, 12, 14, 18, 16, 14, 20])
        return "xlsx", render_xlsx([sheet1, sheet2], "申请表"), None
    blocks: list[Block] = [Para("附件5", bold=True), Para(TITLE, bold=True, center=True, size=16),
                           Para("申请表", bold=True, center=True, size=16)]
    blocks += [Para(x) for x in cover_lines(plan)]
    blocks += [Para("一、单位基本情况", bold=True), Table(rows, merges, header_rows=0, font_size=10),
               Para(f"二、{TITLE}专业技术人员名单", bold=True), Table(staff, font_size=8),
               Para("注：只填写评价机构本单位人员。")]
    data = render_docx(blocks, "申请表")
    return ("pdf", None, data) if kind == "pdf" else ("docx", data, None)


# ---------------------------------------------------------------- 花名册


def roster_rows(plan: AgencyPlan) -> list[list]:
    v = plan.v
    header = ["序号", "姓名", "性别"] + (["身份证号"] if v["roster_ids"] else []) + ["岗位", "入职时间", "社保缴纳起止时间", "是否全职"]
    rows: list[list] = [header]
    if v["date_style"] in ("dot_short", "cn_upper"):
        show(plan, f"dates_{v['date_style']}")
    for i, p in enumerate(plan.people, 1):
        end = ymd(p.insured_to, v["date_style"]) if p.insured_to else "至今"
        row = [str(i), spaced(p.name, v["spaced_names"]), p.gender]
        if v["roster_ids"]:
            row.append(p.id_number)
        row += [p.post, ymd(p.hired, v["date_style"]), f"{ymd(p.insured_from, v['date_style'])}-{end}",
                ("是" if p.full_time else "否") if v["full_time_word"] == "yes" else ("全职" if p.full_time else "兼职")]
        rows.append(row)
    return rows


def roster_file(plan: AgencyPlan) -> tuple[str, bytes]:
    title = f"{plan.roster_name or plan.name}专职人员花名册"
    rows = roster_rows(plan)
    n = len(rows[0])
    unit = f"单位名称（盖章）：{plan.roster_name or plan.name}"
    if plan.v["roster_xlsx"]:
        sheet = Sheet("花名册", [[title] + [None] * (n - 1), [unit] + [None] * (n - 1)] + rows,
                      [(0, 0, 0, n - 1), (1, 0, 1, n - 1)], widths=[6, 10, 6, 22, 14, 14, 26, 10][:n], bold_rows=(0, 2))
        return "xlsx", render_xlsx([sheet], "花名册")
    return "docx", render_docx([Para(title, bold=True, center=True, size=16), Para(unit), Table(rows, font_size=9)], "花名册")


# ---------------------------------------------------------------- 社保缴纳明细

KINDS = ["基本养老保险", "基本医疗保险", "失业保险", "工伤保险"]


def insurance_rows(plan: AgencyPlan) -> list[list]:
    v = plan.v
    people = plan.insured_people()
    masked = v.get("masked_ids")
    if masked:
        show(plan, f"masked_ids_{masked}")
    month = f"{plan.apply_date.year}{plan.apply_date.month - 1:02d}" if plan.apply_date.month > 1 else f"{plan.apply_date.year - 1}12"
    if v["insurance_per_kind"]:
        rows: list[list] = [["序号", "姓名", "公民身份号码", "险种", "参保时间", "缴费状态"]]
        i = 0
        for p in people:
            for k in KINDS[:3]:
                i += 1
                rows.append([str(i), p.name, mask_id(p.id_number, masked), k, f"{p.insured_from:%Y%m}", p.status])
        return rows
    rows = [["序号", "姓名", "公民身份号码", "险种", "缴费起始年月", "缴费截止年月", "缴费状态"]]
    for i, p in enumerate(people, 1):
        rows.append([str(i), p.name, mask_id(p.id_number, masked), "、".join(k.replace("基本", "").replace("保险", "") for k in KINDS),
                     f"{p.insured_from:%Y%m}", month, p.status])
    return rows


def insurance_file(plan: AgencyPlan) -> tuple[str, bytes | None, bytes | None]:
    c = plan.company
    unit = plan.insurer_unit or c.name
    above = [f"{c.city.name}社会保险单位参保人员缴费明细", f"单位名称：{unit}",
             f"单位编号：{c.credit_code[8:17]}    打印日期：{plan.apply_date:%Y-%m-%d}"]
    rows = insurance_rows(plan)
    n = len(rows[0])
    if plan.v["insurance_kind"] == "xlsx":
        sheet = Sheet("参保明细", [[a] + [None] * (n - 1) for a in above] + rows,
                      [(i, 0, i, n - 1) for i in range(len(above))], widths=[6, 10, 22, 18, 12, 12, 12][:n], bold_rows=(0, 3))
        return "xlsx", render_xlsx([sheet], "社保缴纳明细"), None
    data = render_docx([Para(above[0], bold=True, center=True, size=15)] + [Para(a) for a in above[1:]]
                       + [Table(rows, font_size=9), Para(f"（{c.city.name}社会保险经办机构业务专用章）")], "社保缴纳明细")
    return "pdf", None, data


# ---------------------------------------------------------------- 业绩合同清单


def contract_rows(plan: AgencyPlan) -> list[list]:
    typed = plan.v["contract_types"]
    rows: list[list] = [["序号", "项目名称", "委托单位", "合同签订时间", "合同金额（万元）"] + (["服务类型"] if typed else [])]
    for i, k in enumerate(plan.contracts, 1):
        rows.append([str(i), k.name, k.client, ymd(k.signed, "dash"), k.amount_wan] + ([k.kind] if typed else []))
    return rows


def contracts_file(plan: AgencyPlan) -> tuple[str, bytes]:
    title = f"{plan.name}相关业绩合同清单"
    rows = contract_rows(plan)
    n = len(rows[0])
    if plan.v["contracts_xlsx"]:
        sheet = Sheet("业绩清单", [[title] + [None] * (n - 1)] + rows, [(0, 0, 0, n - 1)], widths=[6, 44, 30, 14, 14, 12][:n], bold_rows=(0, 1))
        return "xlsx", render_xlsx([sheet], "业绩合同清单")
    return "docx", render_docx([Para(title, bold=True, center=True, size=16), Table(rows, font_size=9),
                                Para("注：以上业绩均附合同复印件。")], "业绩合同清单")


# ---------------------------------------------------------------- 第八条 materials


def declaration_docx(plan: AgencyPlan) -> bytes:
    c = plan.company
    return render_docx([
        Para("申请材料真实性声明", bold=True, center=True, size=18),
        Para(f"我单位{c.name}郑重声明：本次申请{TITLE}所提交的全部材料真实、有效，我单位对申请材料真实性负责，"
             "如有虚假，愿承担相应法律责任。"),
        Para(f"法定代表人（签名）：{c.legal_rep}"), Para("单位（公章）："),
        Para(f"{plan.apply_date.year}年{plan.apply_date.month}月{plan.apply_date.day}日"),
    ], "真实性声明")


def rules_docx(plan: AgencyPlan) -> bytes:
    blocks: list[Block] = [Para(f"{plan.name}管理制度汇编", bold=True, center=True, size=18)]
    for title in ("机构管理制度", "评价工作规程", "评价人员管理制度", "专家审议制度"):
        blocks += [Para(title, bold=True, center=True),
                   Para("第一条 为规范公司工业固废资源综合利用评价工作，制定本制度。"),
                   Para("第二条 本制度适用于公司评价业务部及全体评价人员。"),
                   Para("第三条 评价项目实行项目负责人制，报告须经技术负责人审核、专家审议后出具。")]
    return render_docx(blocks, "管理制度汇编")


def pledge_docx(plan: AgencyPlan) -> bytes:
    return render_docx([
        Para("人员合规守法承诺书", bold=True, center=True, size=18),
        Para(f"{plan.name}承诺：本单位所有专职人员遵守国家法律法规，无行业禁入、行政处罚记录，若存在隐瞒则承担全部责任。"),
        Para(f"法定代表人（签名）：{plan.company.legal_rep}"),
    ], "人员合规守法承诺书")


def scan(plan: AgencyPlan, rng: random.Random, title: str, lines: list[str]) -> bytes:
    return images.scan_pdf([images.scan_page(title, lines, rng, seal_text=plan.name)])


def build_files(plan: AgencyPlan, rng: random.Random, pdf: bool) -> list[PlannedFile]:
    v, c = plan.v, plan.company
    files: list[PlannedFile] = []

    def add(path: str, data: bytes | None = None, docx: bytes | None = None) -> None:
        if docx is not None and not pdf:
            files.append(PlannedFile(path.rsplit(".", 1)[0] + ".docx", docx))
        else:
            files.append(PlannedFile(path, data, pdf_from_docx=docx))

    report = render_docx(report_blocks(plan), "申请报告")
    if v["report_pdf"]:
        add("01 申请报告.pdf", docx=report)
    else:
        add("01 申请报告.docx", report)
    ext, data, docx = application_file(plan)
    add(f"02 附件5 评价机构申请表.{ext}", data, docx)
    ext, data = roster_file(plan)
    add(f"03 专职人员花名册.{ext}", data)
    ext, data, docx = insurance_file(plan)
    add(f"04 社保缴纳明细.{ext}", data, docx)
    ext, data = contracts_file(plan)
    add(f"05 近三年业绩合同清单.{ext}", data)
    if "business_license" not in plan.drop_files:
        add("06 营业执照.jpg", images.license_image(c, SCOPE))
    if "declaration" not in plan.drop_files:
        add("07 真实性声明.docx", declaration_docx(plan))
    if "management_rules" not in plan.drop_files:
        add("08 管理制度汇编.docx", rules_docx(plan))
    if "labour_contracts" not in plan.drop_files:
        add("09 劳动合同.pdf", scan(plan, rng, "劳动合同", [f"甲方：{c.name}", f"乙方：{plan.people[0].name}",
                                                        "合同期限：固定期限，至2028年12月31日", "工作岗位：评价工程师（全职）"]))
    add("10 职称证书.pdf", scan(plan, rng, "专业技术职务任职资格证书", [f"姓名：{plan.people[0].name}", f"资格名称：{plan.people[0].title}",
                                                                "评审机构：湖北省职称改革工作领导小组办公室"]))
    add("11 办公场所租赁合同.pdf", scan(plan, rng, "房屋租赁合同", [f"承租方：{c.name}", f"房屋坐落：{c.address}",
                                                          f"租赁期限：{REVIEW_YEAR - 2}年1月1日至{REVIEW_YEAR + 2}年12月31日"]))
    if "compliance_pledge" not in plan.drop_files:
        add("12 人员合规守法承诺书.docx", pledge_docx(plan))
    if v["nested"]:
        for f in files:
            f.path = ("申请材料/附件/" if f.name[:2] >= "06" else "申请材料/") + f.path
    return files
