"""The 汇总 desk in the service: scope (a city sees and files only its own packages), a reviewer's
acceptance, the downloads, the page — through the API and the web page, on SQLite."""

from __future__ import annotations

import io

from docx import Document as WordDocument
from openpyxl import load_workbook

from tests.test_api import (assert_chinese_detail, login, people, sample_upload, service, upload,  # noqa: F401
                            PASSWORD)
from tests.test_web import post_login

CLEAN, DEFECTIVE, OTHER_CITY = "hb_eval_04", "hb_eval_02.zip", "hb_eval_07.zip"


def _checked(service, people) -> dict[str, str]:  # noqa: F811
    ids = {}
    for who, name in (("city_wh", CLEAN), ("city_wh", DEFECTIVE), ("city_yc", OTHER_CITY)):
        r = upload(service.client, people[who], sample_upload(name))
        assert r.status_code == 202, r.text
        ids[name] = r.json()["id"]
    assert service.queue.run_until_idle() == 3
    return ids


def _preview(client, headers, table="hb_publicity", **params):
    return client.get(f"/api/summaries/{table}", headers=headers, params=params)


def test_city_scope_acceptance_and_downloads(service, people):  # noqa: F811
    client = service.client
    ids = _checked(service, people)
    assert {t["id"] for t in client.get("/api/summaries", headers=people["city_wh"]).json()} >= {"hb_publicity", "hb_annual"}

    body = _preview(client, people["city_wh"]).json()
    assert [i["package_id"] for i in body["included"]] == [ids[CLEAN]]
    left = {i["package_id"]: i["reason"] for i in body["excluded"]}
    assert set(left) == {ids[DEFECTIVE]} and "RATE.OUT_OF_RANGE" in left[ids[DEFECTIVE]]
    assert body["unit"] == "武汉市经济和信息化局"
    row = body["sheets"][0]["rows"][0]
    assert row["link"] == f"/packages/{ids[CLEAN]}" and row["cells"]["company"]["source"]["location"]

    # a city user cannot include another city's package, whatever it asks for
    assert_chinese_detail(_preview(client, people["city_wh"], city="宜昌市"), 403, "本市")
    only_ids = _preview(client, people["city_wh"], packages=ids[OTHER_CITY]).json()
    assert not only_ids["included"] and not only_ids["excluded"]
    assert_chinese_detail(_preview(client, people["agency_wh"]), 403)

    # the province sees both cities, or one
    everyone = _preview(client, people["province"]).json()
    assert {i["package_id"] for i in everyone["included"]} == {ids[CLEAN], ids[OTHER_CITY]}
    one = _preview(client, people["province"], city="宜昌市").json()
    assert [i["package_id"] for i in one["included"]] == [ids[OTHER_CITY]]

    # acceptance: a reason is required, the province is read-only, another city's package is not found
    url = f"/api/packages/{ids[DEFECTIVE]}/acceptance"
    assert_chinese_detail(client.put(url, headers=people["city_wh"], json={"note": " "}), 400, "理由")
    assert_chinese_detail(client.put(url, headers=people["province"], json={"note": "x"}), 403)
    assert client.put(url, headers=people["city_yc"], json={"note": "x"}).status_code == 404
    accepted = client.put(url, headers=people["city_wh"], json={"note": "已补正电话号码"})
    assert accepted.status_code == 200 and accepted.json()["accepted_by"] == "city_wh"
    body = _preview(client, people["city_wh"]).json()
    reason = next(i["reason"] for i in body["included"] if i["package_id"] == ids[DEFECTIVE])
    assert "确认受理" in reason and "已补正电话号码" in reason
    detail = client.get(f"/api/packages/{ids[DEFECTIVE]}", headers=people["city_wh"]).json()
    assert detail["accepted"]["note"] == "已补正电话号码"
    assert client.delete(url, headers=people["city_wh"]).json()["accepted"] is False
    # an acceptance holds for the review it was given on: checking the package again withdraws it
    assert client.put(url, headers=people["city_wh"], json={"note": "已补正"}).status_code == 200
    assert client.post(f"/api/packages/{ids[DEFECTIVE]}/recheck", headers=people["city_wh"]).status_code == 202
    assert service.queue.run_until_idle() == 1
    assert client.get(f"/api/packages/{ids[DEFECTIVE]}", headers=people["city_wh"]).json()["accepted"] is None
    assert ids[DEFECTIVE] not in {i["package_id"] for i in _preview(client, people["city_wh"]).json()["included"]}

    # downloads
    xlsx = client.get("/api/summaries/hb_city_report.xlsx", headers=people["city_wh"], params={"filler": "李四"})
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(xlsx.content))
    ws = wb["年报表"]
    assert ws["A2"].value == "填报单位名称：武汉市经济和信息化局"
    assert "填报人：李四" in [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert [r[0] for r in wb["纳入情况"].iter_rows(min_row=3, values_only=True)]
    docx = client.get("/api/summaries/hb_publicity.docx", headers=people["city_wh"])
    assert docx.status_code == 200
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(docx.content)).paragraphs)
    assert "公示" in text and "第二十条" in text
    assert client.get("/api/summaries/nonexistent.xlsx", headers=people["city_wh"]).status_code == 404


def test_summary_page(service, people):  # noqa: F811
    from fastapi.testclient import TestClient

    ids = _checked(service, people)
    with TestClient(service.app, follow_redirects=False) as browser:
        assert post_login(browser, username="city_wh", password=PASSWORD, next="/packages").status_code == 303
        page = browser.get("/summary", params={"table": "hb_annual"})
        assert page.status_code == 200
        assert "备案情况汇总表" in page.text and "未纳入" in page.text and f"/packages/{ids[CLEAN]}" in page.text
        assert "/api/summaries/hb_annual.xlsx" in page.text
        refused = browser.get("/summary", params={"city": "宜昌市"})
        assert "只能汇总本市" in refused.text
        report = browser.get(f"/packages/{ids[DEFECTIVE]}")
        assert "确认受理" in report.text
    with TestClient(service.app, follow_redirects=False) as agency:
        post_login(agency, username="agency_wh", password=PASSWORD, next="/packages")
        assert agency.get("/summary").status_code == 403


def test_batches_choices_and_absolute_links(service, people):  # noqa: F811
    from datetime import date, timedelta

    client = service.client
    ids = _checked(service, people)
    today = date.today()
    tomorrow = (today + timedelta(days=2)).isoformat()
    later = _preview(client, people["city_wh"], **{"from": tomorrow}).json()
    assert not later["included"] and not later["excluded"]
    span = _preview(client, people["city_wh"], **{"from": (today - timedelta(days=1)).isoformat(),
                                                   "to": (today + timedelta(days=1)).isoformat()}).json()
    assert [i["package_id"] for i in span["included"]] == [ids[CLEAN]]
    assert_chinese_detail(_preview(client, people["city_wh"], **{"from": tomorrow, "to": today.isoformat()}), 400, "日期")

    picked = _preview(client, people["city_wh"], packages=ids[DEFECTIVE]).json()
    assert not picked["included"] and [i["package_id"] for i in picked["excluded"]] == [ids[DEFECTIVE]]

    xlsx = client.get("/api/summaries/hb_publicity.xlsx", headers=people["city_wh"])
    wb = load_workbook(io.BytesIO(xlsx.content))
    link = next(r[7] for r in wb["纳入情况"].iter_rows(min_row=3, values_only=True) if r[4] == "纳入")
    assert link == f"http://testserver/packages/{ids[CLEAN]}"
    assert wb["公示名单"]["B4"].hyperlink.target == link
