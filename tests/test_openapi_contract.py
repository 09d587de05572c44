"""The API keeps the contract its own OpenAPI document states: schemathesis (4.x) against the app
through the ASGI transport (no server), every check enabled, a bounded number of examples.

- `test_every_operation_keeps_its_contract`: each operation with the examples, coverage and
  fuzzing phases (negative data, unsupported methods and their `Allow`, missing and wrong
  authentication, every status and body the responses declare);
- `test_stateful_workflow_reaches_packages_and_findings`: the stateful phase, following the
  document's OpenAPI links from an upload to the package, its reports, recheck and delete, and
  from a checked package's report to marking one of its findings.

The caller is a real user of a fresh SQLite data dir, with a bearer token.  Uploads are checked
at once in the request (a queue that runs the job on submit), so a package that the stateful
phase uploads has its report, and findings, when the next step reads it.
"""

from __future__ import annotations

import io
import os
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Config
from schemathesis.transport.serialization import Binary  # how schemathesis carries `format: binary` values

from service.auth import sessions as auth

from service.jobs import queue as jobs

from service.jobs import runner

from service.auth import users
from service.app import create_app

PASSWORD = "contract-pass-1"
# each parametrized operation: examples per phase; enough to reach every documented status,
# small enough that both tests stay within about two minutes on two cores
MAX_EXAMPLES = 20
STATEFUL_SCENARIOS = 40
# a mark needs three steps in a row (upload, read, mark) among some 24 transitions: with 10
# steps a scenario, whether any of the 40 got there was a coin toss over random seeds (4 of 8
# at 5e9177b), so a change anywhere in the code (Hypothesis draws constants from it)
# could fail this test; with 20, 6 of 8 random seeds pass, at about the same run time
STATEFUL_STEPS = 20
LOGOUT = "POST /api/auth/logout"
UPLOAD = "POST /api/packages"
CROP = "GET /api/packages/{package_id}/crop"
# The schema says what the upload takes (multipart, binary files, the city's length, the form
# ids) but cannot say that a file must be a Word, Excel, PDF or image by its content, within the
# size limits: schema-valid bytes are refused with these documented statuses.
UPLOAD_REFUSALS = ["400", "413", "415"]


def a_pdf() -> bytes:
    """A one-page PDF with Chinese-free text, made here (reportlab)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Contract test submission")
    page.showPage()
    page.save()
    return buffer.getvalue()


def is_positive(case) -> bool:
    meta = case.meta
    return meta is None or meta.generation.mode == schemathesis.GenerationMode.POSITIVE


class CheckAtOnce:
    """A job queue that reviews the package inside `submit`: the report exists when the upload answers."""

    def __init__(self, database: Any) -> None:
        self.database = database

    def submit(self, package_id: str) -> None:
        runner.run_job(package_id, database=self.database)


@pytest.fixture
def contract(service_settings):
    from service.store.db import get_database

    database = get_database()
    with database.session() as session:
        reviewer = users.add_user(session, "contract", "agency", PASSWORD, city="武汉市")
        leaver = users.add_user(session, "leaver", "agency", PASSWORD, city="武汉市")
    jobs.set_queue(CheckAtOnce(database))  # service_settings puts the previous queue back
    app = create_app(service_settings)
    token = auth.create_access_token(reviewer, service_settings)

    def headers_for(case) -> dict[str, str]:
        # logging out ends every token of its user: the logout operation runs as another user,
        # with a token of its own each time, so the reviewer's token stays valid for the rest
        if case.operation.label == LOGOUT:
            with database.session() as session:
                fresh = auth.create_access_token(users.get_user(session, "leaver"), service_settings)
            return {"Authorization": f"Bearer {fresh}"}
        return {"Authorization": f"Bearer {token}"}

    return SimpleNamespace(app=app, headers_for=headers_for, leaver=leaver, pdf=a_pdf())


@pytest.fixture
def api_schema(contract):
    config = Config.from_dict({
        "generation": {"max-examples": MAX_EXAMPLES},
        # the stateful phase walks the links with valid data only: schema-violating requests are
        # each operation's own tests (examples, coverage, fuzzing), and in a walk they only spend
        # steps, and make its outcome depend on which constants Hypothesis drew from the code
        "phases": {"stateful": {"generation": {"mode": "positive"}}},
        "operations": [
            {"include-name": UPLOAD,
             "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", *UPLOAD_REFUSALS]}}},
            # its inputs (the file, page and box of a finding's location) sit deep in a report, where
            # no link can take them from: in the stateful phase each call would be a 404 spent out of
            # the budget that must reach the marks (every other phase still tests it)
            {"include-name": CROP, "phases": {"stateful": {"enabled": False}}},
            # the summary tables and a package's acceptance are not steps towards packages and marks;
            # in the walk they only spend its budget (every other phase tests them)
            *({"include-name": name, "phases": {"stateful": {"enabled": False}}} for name in SUMMARY_OPERATIONS),
        ],
    })
    return schemathesis.openapi.from_asgi("/openapi.json", contract.app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    # schemathesis 4.32 renames the lazily parametrized test through pytest's private
    # `Node._nodeid`, which pytest 9 no longer has; give it one to read (reporting only)
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@schema.parametrize()
@settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, contract):
    case.call_and_validate(headers=contract.headers_for(case))


def test_stateful_workflow_in_a_process_of_its_own():
    """The stateful walk runs alone in a fresh interpreter: inside a long pytest session,
    Hypothesis and schemathesis carry state between tests (the constants drawn from loaded
    modules, what the feedback loop learnt), and the same derandomized walk drew differently
    (FlakyStrategyDefinition) or not as far; alone it is the same walk every time."""
    import os
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:warnings", "-p", "no:cacheprovider",
         f"{__file__}::test_stateful_workflow_reaches_packages_and_findings"],
        env={**os.environ, STATEFUL_ALONE: "1"}, capture_output=True, text=True, timeout=900,
    )
    # one test, run and passed ("." — not "s", skipped, nor "F")
    assert proc.returncode == 0 and proc.stdout.lstrip().startswith(". "), proc.stdout[-4000:] + proc.stderr[-2000:]


STATEFUL_ALONE = "SHENCHA_CONTRACT_STATEFUL_ALONE"
SUMMARY_OPERATIONS = ("GET /api/summaries", "GET /api/summaries/{table}", "GET /api/summaries/{table}.{fmt}",
                      "PUT /api/packages/{package_id}/acceptance", "DELETE /api/packages/{package_id}/acceptance")


@pytest.mark.skipif(os.environ.get(STATEFUL_ALONE) != "1",
                    reason="run in a process of its own by test_stateful_workflow_in_a_process_of_its_own")
def test_stateful_workflow_reaches_packages_and_findings(api_schema, contract):
    reached: set[tuple[str, int]] = set()

    class Workflow(api_schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case) -> dict[str, Any]:
            return {"headers": contract.headers_for(case)}

        def before_call(self, case) -> None:
            if case.operation.label == UPLOAD and isinstance(case.body, dict) and is_positive(case):
                # A valid upload sends a real document, filed under the uploader's own city:
                # random bytes are refused (415), another city too (403), and neither leads to a
                # package.  Set past `Case.__setattr__`, which would count any edited multipart
                # body as schema-violating; the case still records exactly what was sent.
                sent = {key: value for key, value in case.body.items() if key != "city"}
                object.__setattr__(case, "body", {**sent, "files": [Binary(contract.pdf)]})

        def after_call(self, response, case) -> None:
            reached.add((case.operation.label, response.status_code))

    Workflow.run(settings=settings(max_examples=STATEFUL_SCENARIOS, stateful_step_count=STATEFUL_STEPS,
                                   deadline=None, derandomize=True, database=None,
                                   suppress_health_check=list(HealthCheck)))
    assert (UPLOAD, 202) in reached, sorted(reached)
    assert ("GET /api/packages/{package_id}", 200) in reached, sorted(reached)
    assert ("PATCH /api/findings/{finding_id}", 200) in reached, sorted(reached)
