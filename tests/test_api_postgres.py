"""The main API flow on the machine's real PostgreSQL server (never skipped: the server is part of
the machine and of CI).  The database is created for this test run and dropped after it by the
`postgres_url` fixture in conftest.py; the `database` fixture empties it and points the settings at it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.jobs import queue as jobs
from service.app import create_app
from service.config import get_settings
from service.store.db import AuditLog
from service.jobs.queue import InProcessQueue
from tests.test_api import (
    DEFECTIVE_FOLDER,
    DEFECTIVE_FOLDER_RULES,
    DEFECTIVE_ZIP,
    DEFECTIVE_ZIP_RULES,
    DOWNLOAD_TEXT,
    FORMATS,
    MAGIC,
    MIME,
    PEOPLE,
    add_people,
    assert_chinese_detail,
    login,
    sample_upload,
    upload,
    wait_done,
)


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_main_flow_on_postgresql(database):
    settings = get_settings()
    assert database.engine.dialect.name == "postgresql"
    assert settings.database_url.startswith("postgresql+psycopg://")
    add_people(database)
    queue = InProcessQueue(database=database, settings=settings, poll_seconds=0.2)
    jobs.set_queue(queue)
    queue.start()
    try:
        with TestClient(create_app(settings)) as client:
            _flow(client, database)
    finally:
        queue.stop()


def _flow(client: TestClient, database) -> None:
    people = {name: login(client, name) for name, _, _ in PEOPLE}

    zip_id = upload(client, people["city_wh"], sample_upload(DEFECTIVE_ZIP))
    folder_id = upload(client, people["agency_yc"], sample_upload(DEFECTIVE_FOLDER), form="hb_evaluation")
    assert zip_id.status_code == folder_id.status_code == 202
    zip_id, folder_id = zip_id.json()["id"], folder_id.json()["id"]

    assert wait_done(client, people["city_wh"], zip_id)["status"] == "done"
    assert wait_done(client, people["agency_yc"], folder_id)["status"] == "done"

    # scope: each sees its own; the province sees both
    def listed(who: str) -> set[str]:
        return {p["id"] for p in client.get("/api/packages", headers=people[who]).json()["items"]}

    assert listed("city_wh") == {zip_id} and listed("agency_wh") == set()
    assert listed("agency_yc") == listed("city_yc") == {folder_id}
    assert listed("province") == {zip_id, folder_id}
    assert_chinese_detail(client.get(f"/api/packages/{folder_id}", headers=people["city_wh"]), 404)
    assert_chinese_detail(client.get(f"/api/packages/{zip_id}/report.pdf", headers=people["agency_yc"]), 404)

    report = client.get(f"/api/packages/{zip_id}", headers=people["city_wh"]).json()["report"]
    assert DEFECTIVE_ZIP_RULES <= {f["rule"] for f in report["findings"]}
    folder_report = client.get(f"/api/packages/{folder_id}", headers=people["province"]).json()["report"]
    assert DEFECTIVE_FOLDER_RULES <= {f["rule"] for f in folder_report["findings"]}

    # a mark, shown in the JSON and the downloads
    finding = report["findings"][0]["id"]
    response = client.patch(f"/api/findings/{finding}", headers=people["city_wh"],
                            json={"package_id": zip_id, "status": "已核实", "comment": "与原件一致"})
    assert response.status_code == 200, response.text
    assert_chinese_detail(client.patch(f"/api/findings/{finding}", headers=people["province"],
                                       json={"package_id": zip_id, "status": "误报"}), 403)
    marked = client.get(f"/api/packages/{zip_id}", headers=people["province"]).json()["report"]
    mark = next(f["mark"] for f in marked["findings"] if f["id"] == finding)
    assert mark["status"] == "已核实" and mark["comment"] == "与原件一致" and mark["user"] == "city_wh"
    for fmt in FORMATS:
        response = client.get(f"/api/packages/{zip_id}/report.{fmt}", headers=people["city_wh"])
        assert response.status_code == 200 and response.headers["content-type"] == MIME[fmt]
        assert response.content.startswith(MAGIC[fmt])
        if fmt in DOWNLOAD_TEXT:
            assert "与原件一致" in DOWNLOAD_TEXT[fmt](response.content), fmt

    # recheck runs again; delete removes it
    assert client.post(f"/api/packages/{zip_id}/recheck", headers=people["city_wh"]).status_code == 202
    assert wait_done(client, people["city_wh"], zip_id)["status"] == "done"
    assert_chinese_detail(client.delete(f"/api/packages/{zip_id}", headers=people["province"]), 403)
    assert client.delete(f"/api/packages/{zip_id}", headers=people["city_wh"]).status_code == 204
    assert_chinese_detail(client.get(f"/api/packages/{zip_id}", headers=people["city_wh"]), 404)
    assert listed("province") == {folder_id}

    with database.session() as session:
        actions = set(session.scalars(select(AuditLog.action).where(AuditLog.package_id == zip_id)))
    assert {"upload", "view", "mark", "download", "recheck", "delete"} <= actions
