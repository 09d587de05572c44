"""The provincial audit (issue 11): a generated batch with planted falsification and decoys,
audited from its packages and from the `shencha check --json` reports of them; and the rules'
decoys one by one on hand-made features."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkers.audit.model import AuditedPackage
from checkers.audit.run import audit
from extractor.audit.features import Contact, FigureSet, PackageFeatures, Passage, Person, hash_id
from extractor.audit.passages import encode_signature, masked, name_variants, signature
from service import cli


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    from corpus.generate.audit_batch import build

    out = tmp_path_factory.mktemp("audit") / "batch"
    manifest = build(out)
    return out, manifest


def _audit(capsys, *args: str) -> dict:
    target = Path(args[-1]).parent / "audit.json"
    code = cli.main(["audit", *args, "--json", str(target), "--quiet"])
    capsys.readouterr()
    report = json.loads(target.read_text(encoding="utf-8"))
    report["exit"] = code
    return report


def _score(report: dict, manifest: dict) -> tuple[list, list]:
    """(planted signals not found, signals no planted entry explains)."""
    found = [(s["rule"], frozenset(s["packages"])) for s in report["signals"]]
    expected = [(p["rule"], frozenset(p["packages"])) for p in manifest["planted"]]
    missed = [p for p in manifest["planted"] if not p.get("optional") and (p["rule"], frozenset(p["packages"])) not in found]
    unexplained = [s for s in report["signals"] if (s["rule"], frozenset(s["packages"])) not in expected]
    return missed, unexplained


def test_every_planted_signal_is_found_and_no_decoy_is_flagged(batch, capsys):
    out, manifest = batch
    report = _audit(capsys, str(out))
    assert report["schema_version"] == 1 and len(report["packages"]) == len(manifest["packages"])
    missed, unexplained = _score(report, manifest)
    assert missed == [] and unexplained == [], (missed, [(s["rule"], s["packages"], s["message"]) for s in unexplained])
    assert report["exit"] == 1  # errors among them
    by_rule = {}
    for s in report["signals"]:
        by_rule.setdefault(s["rule"], []).append(s)
    # the evidence each names
    copied = next(s for s in by_rule["AUDIT.TEXT_COPIED"] if set(s["packages"]) == {"hn_bench_02", "hn_bench_03"})
    assert copied["severity"] == "warning" and copied["evidence"]["sentences"] >= 6  # near-copies: never certain
    assert any("回转窑" in p["a"] and "【" in p["b_marked"] for p in copied["evidence"]["passages"])  # names marked
    slip = next(s for s in by_rule["AUDIT.TEXT_COPIED"] if set(s["packages"]) == {"hn_bench_06", "hn_bench_07"})
    assert slip["evidence"]["company_name_left"] and slip["severity"] == "error"
    staff = {s["evidence"]["name"] for s in by_rule["AUDIT.STAFF_SHARED"]}
    assert staff == {p["name"] for p in manifest["planted"] if p["rule"] == "AUDIT.STAFF_SHARED"}
    assert all(s["severity"] == "error" and s["evidence"]["matched_by"] == "id" for s in by_rule["AUDIT.STAFF_SHARED"])
    conflict = by_rule["AUDIT.IDENTITY_CONFLICT"][0]
    assert conflict["evidence"]["credit_code"] == next(p["credit_code"] for p in manifest["planted"] if p["rule"] == "AUDIT.IDENTITY_CONFLICT")
    image = by_rule["AUDIT.IMAGE_REUSED"][0]
    assert image["evidence"]["distance"] <= 6 and all(l["file"].endswith("营业执照.jpg") for l in image["locations"])
    assert all(p["thumbnail"] for p in image["evidence"]["pictures"])  # both pictures, to be looked at side by side
    figures = by_rule["AUDIT.FIGURES_REUSED"][0]
    assert len(figures["evidence"]["values"]) >= 3
    for s in report["signals"]:  # every signal says where, in each package it names
        assert {l["package"] for l in s["locations"]} == set(s["packages"]), s["rule"]
    # the agency's own introduction in two clients' reports is never among copied sentences
    agency = __import__("corpus.generate.audit_batch", fromlist=["AGENCY"]).AGENCY
    assert not any(agency in p["a"] or agency in p["b"] for s in by_rule["AUDIT.TEXT_COPIED"] for p in s["evidence"]["passages"])


def test_auditing_the_check_reports_gives_the_same_signals(batch, capsys, tmp_path):
    out, manifest = batch
    reports = tmp_path / "reports"
    assert cli.main(["check", *[str(p) for p in sorted(out.iterdir()) if p.is_dir()], "--out", str(reports), "--quiet"]) in (0, 1)
    capsys.readouterr()
    from_reports = _audit(capsys, str(reports))
    from_packages = _audit(capsys, str(out))
    key = lambda r: sorted((s["rule"], tuple(s["packages"]), s["severity"]) for s in r["signals"])  # noqa: E731
    assert key(from_reports) == key(from_packages)
    assert {p["name"] for p in from_reports["packages"]} == set(manifest["packages"])
    html = tmp_path / "audit.html"
    assert cli.main(["audit", str(reports), "--html", str(html), "--quiet"]) == 1
    page = html.read_text(encoding="utf-8")
    assert "跨申报包审计报告" in page and "<mark>" in page  # copied passages side by side, differences marked
    assert page.count("data:image/jpeg;base64,") >= 2  # the reused picture, both copies


def test_a_check_report_carries_the_audit_features(batch, tmp_path, capsys):
    out, _ = batch
    target = tmp_path / "r.json"
    cli.main(["check", str(out / "hb_agency_06"), "--json", str(target), "--quiet"])
    capsys.readouterr()
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["schema_version"] == 1
    section = report["audit"]
    assert section["form"] == "hb_agency" and section["people"] and section["passages"]
    assert all(len(p["id_hash"]) == 32 for p in section["people"] if p["id_hash"])
    assert not any("420" in json.dumps(p) and p.get("id_hash") and p.get("id_masked") for p in section["people"])
    raw_ids = [row for row in json.dumps(section["people"]).split('"') if len(row) == 18 and row[:17].isdigit()]
    assert raw_ids == []  # no ID number in the clear


# ---------------------------------------------------------------- decoys, one by one


def pkg(name: str, **features) -> AuditedPackage:
    return AuditedPackage(name=name, features=PackageFeatures(**features))


def passage(text: str, company: str | None) -> Passage:
    return Passage(text=text, signature=encode_signature(signature(masked(text, name_variants(company)))))


def test_people_who_only_share_a_name_are_not_a_signal():
    a = pkg("a", form="hb_agency", company="甲评价有限公司", credit_code="A", people=[
        Person(name="王伟", list="insured", id_hash=hash_id("420106198001011234"), id_visible="420106…1234", birth="19800101")])
    b = pkg("b", form="hb_agency", company="乙评价有限公司", credit_code="B", people=[
        Person(name="王伟", list="insured", id_hash=hash_id("420502199203035678"), id_visible="420502…5678", birth="19920303")])
    assert audit([a, b]) == []


def test_a_masked_number_matches_its_full_number_with_the_same_name():
    a = pkg("a", form="hb_agency", company="甲评价有限公司", credit_code="A", people=[
        Person(name="王伟", list="insured", id_hash=hash_id("420106198001011234"), id_visible="420106…1234", birth="19800101")])
    b = pkg("b", form="hb_agency", company="乙评价有限公司", credit_code="B", people=[
        Person(name="王伟", list="insured", id_masked="420106********1234", id_visible="420106…1234")])
    c = pkg("c", form="hb_agency", company="丙评价有限公司", credit_code="C", people=[
        Person(name="李娜", list="insured", id_masked="420106********1234", id_visible="420106…1234")])
    signals = audit([a, b, c])
    assert [(s.rule, s.severity, s.packages, s.evidence["matched_by"]) for s in signals] == [
        ("AUDIT.STAFF_SHARED", "warning", ["a", "b"], "visible")]


def test_round_figures_and_a_resubmission_are_not_reused_figures():
    round_set = FigureSet(source="basic_info", period="2024", values=[("a", "1000"), ("b", "2000"), ("c", "500")],
                          fingerprint="r", round_only=True)
    real = FigureSet(source="basic_info", period="2024", values=[("a", "1234.5"), ("b", "88.1"), ("c", "7")], fingerprint="x")
    a = pkg("a", company="甲公司有限公司", credit_code="A", figures=[round_set, real])
    b = pkg("b", company="乙公司有限公司", credit_code="B", figures=[round_set])
    a_again = pkg("a2", company="甲公司有限公司", credit_code="A", figures=[real])  # the same filing again
    assert audit([a, b, a_again]) == []
    next_year = pkg("a3", company="甲公司有限公司", credit_code="A",
                    figures=[real.model_copy(update={"period": "2025"})])
    assert [(s.rule, s.severity) for s in audit([a, next_year])] == [("AUDIT.FIGURES_REUSED", "warning")]


def test_identity_spellings_and_resubmissions_are_not_conflicts():
    a = pkg("a", company="武汉长隆钢铁有限责任公司", credit_code="91420100MA4K0X0X0X")
    a_ocr = pkg("a2", company="武汉长隆钢铁有限责任公司 ", credit_code="91420100MA4K0X0X0X")
    a_next = pkg("a3", company="武汉长隆钢铁有限责任公司", credit_code="91420100MA4K0X0X0X", period="2025")
    assert audit([a, a_ocr, a_next]) == []
    other = pkg("b", company="襄阳金鼎热电股份有限公司", credit_code="91420100MA4K0X0X0X")
    assert [s.rule for s in audit([a, other])] == ["AUDIT.IDENTITY_CONFLICT"]


def test_an_agencys_own_contact_in_its_clients_reports_is_expected():
    agency = "荆楚评价咨询有限公司"
    clients = [pkg(f"c{i}", company=f"客户{i}号有限公司", credit_code=f"C{i}", agency=agency,
                   contacts=[Contact(kind="mobile", value="13900001111")]) for i in range(2)]
    own = pkg("ag", form="hb_agency", company=agency, credit_code="AG", agency=agency,
              contacts=[Contact(kind="mobile", value="13900001111")])
    assert audit(clients) == [] and audit(clients + [own]) == []
    stranger = pkg("s", company="无关企业有限公司", credit_code="S", contacts=[Contact(kind="mobile", value="13900001111")])
    assert [s.rule for s in audit(clients[:1] + [stranger])] == ["AUDIT.CONTACT_SHARED"]


def test_boilerplate_many_companies_write_is_not_copying():
    template = ["{n}严格遵守国家有关资源综合利用的法律法规，建立健全了固体废物管理台账制度并认真执行，确保数据真实。",
                "{n}高度重视安全生产和环境保护工作，近三年未发生重大安全生产事故和环境污染事件，未被列入失信名单。",
                "{n}将继续加大技术改造投入，提高资源综合利用水平，为地方经济社会发展和生态文明建设作出更大贡献。",
                "{n}建立了完善的质量管理体系，产品质量稳定可靠，得到了下游用户的一致好评，市场占有率逐年提高。"]
    packages = []
    for i, name in enumerate(["甲矿业有限公司", "乙建材有限公司", "丙环保有限公司"]):
        packages.append(pkg(f"p{i}", company=name, credit_code=f"C{i}",
                            passages=[passage(t.format(n=name), name) for t in template]))
    assert audit(packages) == []
    assert [s.rule for s in audit(packages[:2])] == ["AUDIT.TEXT_COPIED"]  # two alone: the same four sentences


@pytest.mark.parametrize("where", ["memory", "redis"])
def test_the_passage_index_finds_an_edited_copy_and_not_other_text(where):
    from checkers.audit.index import MemoryPassageIndex, RedisPassageIndex
    from extractor.audit.passages import decode_signature

    if where == "redis":
        import redis

        redis.Redis(db=12).flushdb()
        index = RedisPassageIndex("127.0.0.1", 6379, db=12, basename="shencha-audit-test")
    else:
        index = MemoryPassageIndex()
    own = "公司将废石破碎车间的布袋除尘器滤袋由涤纶针刺毡改为覆膜滤料，颗粒物排放浓度从每立方米十八毫克降至六毫克。"
    other = "公司建立了以皮带秤和地磅双重计量为基础的固废台账，每班交接时核对差值，差值超过千分之五即停机复核。"
    index.add("a/1", decode_signature(passage(own, None).signature))
    index.add("a/2", decode_signature(passage(other, None).signature))
    edited = own.replace("十八", "二十").replace("六毫克", "五毫克")
    assert index.query(decode_signature(passage(edited, None).signature)) == ["a/1"]
    if where == "redis":
        import redis

        redis.Redis(db=12).flushdb()


def test_features_that_cannot_be_computed_do_not_stop_the_review(monkeypatch, tmp_path):
    import extractor.audit.features as features_module
    from service.reports.model import build_report
    from service.review.pipeline import review_package

    def broken(*_a, **_k):
        raise RuntimeError("no")

    monkeypatch.setattr(features_module, "package_features", broken)
    review = review_package(Path(__file__).resolve().parent.parent / "corpus" / "samples" / "hn_bench_01")
    assert review.features is None and review.form.form == "hn_benchmark"
    assert build_report(review)["audit"] is None


# ---------------------------------------------------------------- in the service


@pytest.mark.parametrize("index", ["table", "redis"])
def test_the_service_compares_each_checked_package_and_scopes_the_signals(batch, service_settings, database, session,
                                                                          index, monkeypatch):
    import redis

    from service import config

    if index == "redis":  # the key index in Redis, as when the service runs with a Redis broker
        redis.Redis(db=12).flushdb()
        monkeypatch.setenv("SHENCHA_BROKER_URL", "redis://127.0.0.1:6379/12")
        config.get_settings.cache_clear()
    service_settings = config.get_settings()  # on the test's database (sqlite or postgresql)
    """Two agencies of two cities, one with two people of the other's statement: the second check
    finds it against the first, stored; the province sees it whole, each city only its side, an
    agency nothing; the export opens; deleting a package takes its signals away."""
    from fastapi.testclient import TestClient
    from openpyxl import load_workbook

    from service.app import create_app
    from service.auth import users
    from service.jobs import queue as jobs
    from service.jobs.queue import InProcessQueue
    from tests.test_api import login

    out, _manifest = batch
    for name, role, city in (("prov", "province", None), ("city_a", "city", "武汉市"), ("city_b", "city", "宜昌市"),
                             ("agency_a", "agency", "武汉市")):
        users.add_user(session, name, role, "password-123", city=city)
    queue = InProcessQueue(database=database, settings=service_settings)
    jobs.set_queue(queue)

    def upload(client, headers, folder: Path) -> str:
        files = [("files", (f"{folder.name}/{p.relative_to(folder).as_posix()}", p.read_bytes(), "application/octet-stream"))
                 for p in sorted(folder.rglob("*")) if p.is_file()]
        response = client.post("/api/packages", headers=headers, files=files)
        assert response.status_code == 202, response.text
        queue.run_until_idle()
        return response.json()["id"]

    with TestClient(create_app(service_settings)) as client:
        a, b, prov, agency = (login(client, n, "password-123") for n in ("city_a", "city_b", "prov", "agency_a"))
        first = upload(client, a, out / "hb_agency_04")
        assert client.get("/api/audit/signals", headers=prov).json()["items"] == []
        second = upload(client, b, out / "hb_agency_06")
        upload(client, a, out / "hb_agency_10")  # an unrelated agency: nothing

        whole = client.get("/api/audit/signals", headers=prov).json()["items"]
        assert {s["rule"] for s in whole} == {"AUDIT.STAFF_SHARED"} and len(whole) == 2
        assert all({p["id"] for p in s["packages"]} == {first, second} for s in whole)
        assert all(s["evidence"]["matched_by"] == "id" for s in whole)
        assert client.get("/api/audit/signals", headers=prov, params={"rule": "AUDIT.TEXT_COPIED"}).json()["items"] == []
        assert len(client.get("/api/audit/signals", headers=prov, params={"city": "宜昌市"}).json()["items"]) == 2

        for headers, own, other in ((a, first, second), (b, second, first)):
            seen = client.get("/api/audit/signals", headers=headers).json()["items"]
            assert len(seen) == 2
            for s in seen:
                assert {p["id"] for p in s["packages"]} == {own, None}
                assert "另一市州的申报包" in {p["name"] for p in s["packages"]} and s["evidence"] == {}
                text = json.dumps(s, ensure_ascii=False)
                assert other not in text and "hb_agency_0" + ("6" if own == first else "4") not in text
                assert all(l["package_id"] == own for l in s["locations"])
        assert client.get("/api/audit/signals", headers=agency).json()["items"] == []

        xlsx = client.get("/api/audit/signals.xlsx", headers=prov)
        assert xlsx.status_code == 200
        import io

        rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
        assert rows[0][:4] == ("序号", "规则", "规则名称", "严重程度") and len(rows) == 3
        assert all(r[1] == "AUDIT.STAFF_SHARED" for r in rows[1:])

        # the pages: the province's 审计 page side by side, a city's without the other side, an agency refused
        from tests.test_web import post_login

        with TestClient(create_app(service_settings)) as page_client:
            post_login(page_client, username="prov", password="password-123")
            page = page_client.get("/audit").text
            assert page.count('class="finding sev-') == 2 and "hb_agency_04" in page and "hb_agency_06" in page
            assert "审计" in page_client.get("/packages").text  # in the menu
            report_page = page_client.get(f"/packages/{first}").text
            assert "跨申报包审计：本包涉及 2 条疑点" in report_page
        with TestClient(create_app(service_settings)) as page_client:
            post_login(page_client, username="city_a", password="password-123")
            page = page_client.get("/audit").text
            assert "另一市州的申报包" in page and "hb_agency_06" not in page
            assert "跨申报包审计" not in page_client.get(f"/packages/{first}").text  # shown to the province only
        with TestClient(create_app(service_settings)) as page_client:
            post_login(page_client, username="agency_a", password="password-123")
            assert page_client.get("/audit").status_code == 403

        assert client.delete(f"/api/packages/{second}", headers=b).status_code == 204
        assert client.get("/api/audit/signals", headers=prov).json()["items"] == []
        if index == "redis":  # the deleted package's keys are gone from Redis too; an emptied Redis is rebuilt
            r = redis.Redis(db=12)
            assert not any(second.encode() in r.smembers(k) for k in r.scan_iter("shencha:audit:*:k:*"))
            r.flushdb()
            again = upload(client, b, out / "hb_agency_06")
            assert {s["rule"] for s in client.get("/api/audit/signals", headers=prov).json()["items"]} == {"AUDIT.STAFF_SHARED"}
            assert any(again.encode() in r.smembers(k) for k in r.scan_iter("shencha:audit:*:k:*"))
            r.flushdb()


# ---------------------------------------------------------------- by hand, in a layout the generator never makes


HAND_A = [
    "宜都兴发化工有限公司磷石膏综合利用情况说明",
    "我公司湿法磷酸装置每年副产磷石膏约一百八十万吨，二〇二三年起在猇亭园区建设两条改性磷石膏生产线。",
    "改性工艺采用二级水洗加石灰中和，可溶磷降至百分之零点一以下，氟含量降至百分之零点二以下，产品用于水泥缓凝剂。",
    "二号线增设了低温煅烧窑，把二水石膏转成半水石膏，再加入缓凝剂和减水剂制成粉刷石膏，年产能二十万吨。",
    "由于长江大保护要求，我们把堆场渗滤液全部收集进调节池，经石灰乳中和后回用于水洗工段，不外排。",
    "二〇二四年一月冷冻期间，水洗工段结冰停车九天，我们随后给全部管线加装了电伴热并改造了保温层。",
    "本单位承诺所提供的全部材料真实、准确、完整，如有虚假愿承担相应责任。",
    "依据《湖北省工业固体废物资源综合利用评价管理实施细则》的要求编制本说明。",
]
HAND_B_OWN = [
    "枝江楚源新材料有限公司钛石膏利用情况",
    "本公司硫酸法钛白粉生产线每年产生钛石膏约四十万吨，主要成分为二水硫酸钙并含少量铁。",
    "钛石膏经压滤脱水后与粉煤灰按三比七配比，用于生产蒸压加气混凝土砌块，年消纳钛石膏约十二万吨。",
    "本单位承诺所提供的全部材料真实、准确、完整，如有虚假愿承担相应责任。",
    "依据《湖北省工业固体废物资源综合利用评价管理实施细则》的要求编制本说明。",
]
HAND_C = [
    "荆州长江环保建材有限公司建筑垃圾资源化项目简介",
    "公司以城市拆迁产生的建筑垃圾为原料，经颚式破碎、反击破碎、风选除杂和筛分，生产再生骨料和再生砖。",
    "项目配套建设了封闭式原料大棚和喷雾降尘系统，厂界颗粒物浓度低于每立方米零点五毫克。",
    "本单位承诺所提供的全部材料真实、准确、完整，如有虚假愿承担相应责任。",
]
HAND_D = [
    "黄石华新矿渣微粉项目说明",
    "公司利用大冶特钢的高炉水渣，经立磨粉磨生产S95级矿渣微粉，比表面积控制在每千克四百三十平方米左右。",
    "立磨热风来自窑尾余热，吨产品电耗约四十二千瓦时，比同规模球磨系统低三成以上。",
    "依据《湖北省工业固体废物资源综合利用评价管理实施细则》的要求编制本说明。",
]


def _hand_docx(path: Path, paragraphs: list[str], table: list[tuple[str, str]]) -> None:
    """A Word file laid out as no generated sample is: a title in bold, a two-column label table
    first, then prose in a text box-free body with right-aligned paragraphs."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    title = d.add_paragraph()
    title.add_run(paragraphs[0]).bold = True
    t = d.add_table(rows=0, cols=2)
    for label, value in table:
        cells = t.add_row().cells
        cells[0].text, cells[1].text = label, value
    for text in paragraphs[1:]:
        d.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    d.save(str(path))


def test_hand_made_packages_copy_found_and_clean_ones_silent(tmp_path, capsys):
    """Four hand-written packages: B copied four of A's paragraphs (its name put in, two figures
    changed); C and D share only the statement and the citation every applicant writes."""
    copied = [p.replace("宜都兴发化工有限公司", "枝江楚源新材料有限公司").replace("我公司", "本公司")
              .replace("一百八十万吨", "一百六十万吨").replace("二十万吨", "十五万吨") for p in HAND_A[1:5]]
    layout = [
        ("hand_A", HAND_A, "宜都兴发化工有限公司", "91420581MA0000001A"),
        ("hand_B", HAND_B_OWN[:3] + copied + HAND_B_OWN[3:], "枝江楚源新材料有限公司", "91421083MA0000002B"),
        ("hand_C", HAND_C, "荆州长江环保建材有限公司", "91421000MA0000003C"),
        ("hand_D", HAND_D, "黄石华新矿渣微粉有限公司", "91420200MA0000004D"),
    ]
    root = tmp_path / "province"
    for name, paragraphs, company, code in layout:
        (root / name).mkdir(parents=True)
        _hand_docx(root / name / f"{company}情况说明.docx", paragraphs,
                   [("单位名称", company), ("统一社会信用代码", code), ("联系手机", "1390000" + code[-4:-1].replace("A", "1"))])
    report = _audit(capsys, str(root))
    found = [(s["rule"], sorted(s["packages"])) for s in report["signals"]]
    assert found == [("AUDIT.TEXT_COPIED", ["hand_A", "hand_B"])], [s["message"] for s in report["signals"]]
    signal = report["signals"][0]
    assert signal["evidence"]["sentences"] >= 4
    assert any("【" in p["a_marked"] for p in signal["evidence"]["passages"])  # the changed figures marked


def test_two_packages_compared_at_once_still_see_each_other(batch, service_settings, database, session):
    """Two workers finishing at the same moment: the comparisons run one after the other, so the
    second always finds the first stored."""
    import threading

    from service import config
    from service.domain import packages as desk
    from service.jobs.audit import compare_checked_package
    from service.review.pipeline import review_package
    from service.reports.model import build_report
    from service.store.db import AuditSignal

    out, _ = batch
    settings = config.get_settings()
    user = __import__("service.auth.users", fromlist=["add_user"]).add_user(session, "a", "agency", "password-123", city="武汉市")
    reports, ids = [], []
    for name in ("hb_agency_04", "hb_agency_06"):
        reports.append(build_report(review_package(out / name)))
        ids.append(desk.create_package(session, user, [("x.pdf", b"%PDF-1.4\\n%%EOF\\n")]).id)
    barrier = threading.Barrier(2)

    def compare(i: int) -> None:
        with database.session() as s:
            barrier.wait()
            compare_checked_package(s, ids[i], reports[i])

    threads = [threading.Thread(target=compare, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    with database.session() as s:
        staff = [a for a in s.query(AuditSignal).all() if a.rule == "AUDIT.STAFF_SHARED"]
    assert len(staff) == 2  # the two people the second agency borrowed, found whichever finished first
    assert settings.data_dir.exists()


def test_documents_of_one_template_are_not_one_picture():
    """Two 职称证书 (or 失信查询截图) of one template with other names in them are a few bits apart,
    as close as a re-saved photo: found on the hand-made set, 46 false signals before."""
    from extractor.model import PictureHash

    base = int("f" * 64, 16)
    near = f"{base ^ 0b1111:064x}"  # 4 bits apart

    def two(paper: bool) -> list[AuditedPackage]:
        return [pkg("a", company="甲公司有限公司", credit_code="A",
                    pictures=[PictureHash(file="证书.jpg", phash=f"{base:064x}", width=1240, height=1754, paper=paper)]),
                pkg("b", company="乙公司有限公司", credit_code="B",
                    pictures=[PictureHash(file="证书.jpg", phash=near, width=1240, height=1754, paper=paper)])]

    assert audit(two(paper=True)) == []
    assert [s.rule for s in audit(two(paper=False))] == ["AUDIT.IMAGE_REUSED"]


def test_a_mistyped_code_or_a_citys_batch_is_the_same_company():
    figures = FigureSet(source="basic_info", period="2025", values=[("a", "47310"), ("b", "357000.5"), ("c", "12.5")],
                        fingerprint="f")
    a = pkg("a", company="鄂州鑫华特钢有限公司", credit_code="91420703MA49F3RL68", figures=[figures])
    typo = pkg("b", company="鄂州鑫华特钢有限公司", credit_code="91420703MA49F3RL6F", figures=[figures])
    assert [s.rule for s in audit([a, typo])] == ["AUDIT.IDENTITY_CONFLICT"]  # the code, not the figures
    batch = pkg("c", company="衡阳金源化工有限公司", credit_code="C", applicants=["衡阳金源化工有限公司", "鄂州鑫华特钢有限公司"],
                figures=[figures])
    assert audit([a, batch]) == []
