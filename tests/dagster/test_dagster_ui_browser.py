"""The Dagster UI as the data team meets it: `psw ui` serves the asset graph, the rendered page
names the assets and checks, a run of the sample's latest year succeeds, and SIGTERM stops
every process.

Needs Debian's Chromium at /usr/bin/chromium (`scripts/ensure-debian-tools.sh` installs it); skips
with a reason when it is absent, except under `CI=true`, where a missing Chromium fails. The Dagster UI is a JavaScript app, so the page is read with
`chromium --headless --dump-dom` after a virtual time budget, not from the HTTP response.
Everything is local: the server binds 127.0.0.1, DAGSTER_HOME and the outputs are temporary,
and telemetry is off.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
LATEST_SAMPLE_YEAR = "2025"
STARTUP_SECONDS = 240  # `dagster dev` needs ~5 s on a quiet machine, much longer on a busy one
RUN_SECONDS = 420
STOP_SECONDS = 20

IN_CI = os.environ.get("CI", "").lower() == "true"
TIMINGS: dict[str, float] = {}  # measured run times, printed at the end (pytest -s)

pytestmark = [
    pytest.mark.timeout(900),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not IN_CI,
        reason="Chromium is not installed at /usr/bin/chromium; run scripts/ensure-debian-tools.sh "
        "(needs root) to enable the Dagster UI browser test",
    ),
]

# What the data team must be able to find in the UI (names as the UI writes them).
CATALOG_NAMES = [
    "candidate / hr_workforce", "candidate / checked_year", "raw / year", "staging / worker_spells",
    "metrics / workforce_measures", "metrics / trends", "published / tables",
    "report / annual_report",
]
GROUPS = ["candidate", "raw", "staging", "metrics", "published", "report"]

RUN_STATUS = "query($id: ID!) { runOrError(runId: $id) { __typename ... on Run { status } } }"
RUN_FAILURES = """query($id: ID!) { logsForRun(runId: $id, limit: 5000) {
  __typename ... on EventConnection { events { __typename
    ... on MessageEvent { message level }
    ... on EngineEvent { message }
    ... on ExecutionStepFailureEvent { stepKey error { message cause { message } } }
    ... on RunFailureEvent { error { message } } } } } }"""


class UiServer:
    def __init__(self, proc: subprocess.Popen, port: int, home: Path, out: Path, log: Path):
        self.proc, self.port, self.home, self.out, self.log = proc, port, home, out, log
        self.url = f"http://127.0.0.1:{port}"
        self.location = ""
        self.repository = ""

    def graphql(self, query: str, variables: dict | None = None, timeout: float = 60) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read())
        assert "errors" not in answer, answer["errors"]
        return answer["data"]

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def group_alive(self) -> bool:
        self.proc.poll()  # reap the leader, or a zombie would count as alive
        try:
            os.killpg(self.proc.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def stop(self) -> None:
        if self.group_alive():
            os.killpg(self.proc.pid, signal.SIGTERM)
            deadline = time.monotonic() + STOP_SECONDS
            while self.group_alive() and time.monotonic() < deadline:
                time.sleep(0.5)
            if self.group_alive():
                os.killpg(self.proc.pid, signal.SIGKILL)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_signals() -> None:
    # A background job started from bash ignores SIGINT, and dagster copies that handler to
    # SIGTERM; start the UI with both at their defaults so SIGTERM stops it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _wait_until_loaded(server: UiServer) -> None:
    query = """{ workspaceOrError { __typename ... on Workspace { locationEntries {
      name loadStatus locationOrLoadError { __typename
        ... on RepositoryLocation { repositories { name } }
        ... on PythonError { message } } } } } }"""
    deadline = time.monotonic() + STARTUP_SECONDS
    last = ""
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(f"`psw ui` exited with {server.proc.returncode}:\n{server.log_tail()}")
        try:
            entries = server.graphql(query, timeout=10)["workspaceOrError"]["locationEntries"]
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            last = repr(exc)
            time.sleep(1)
            continue
        if entries and entries[0]["loadStatus"] == "LOADED" and entries[0]["locationOrLoadError"]:
            loaded = entries[0]["locationOrLoadError"]
            if loaded["__typename"] == "PythonError":
                pytest.fail(f"the code location failed to load:\n{loaded['message']}")
            server.location = entries[0]["name"]
            server.repository = loaded["repositories"][0]["name"]
            return
        last = json.dumps(entries)
        time.sleep(1)
    pytest.fail(f"the UI was not ready after {STARTUP_SECONDS} s ({last}):\n{server.log_tail()}")


@pytest.fixture(scope="module")
def ui(tmp_path_factory) -> UiServer:
    if not CHROMIUM.exists():
        pytest.fail(f"CI=true and Chromium is missing at {CHROMIUM}: run scripts/ensure-debian-tools.sh")
    tmp = tmp_path_factory.mktemp("dagster_ui")
    home, out, log = tmp / "dagster_home", tmp / "build", tmp / "psw-ui.log"
    port = _free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),  # `psw ui` writes dagster.yaml with telemetry off
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "GX_ANALYTICS_ENABLED": "false",
        "PSW_RAW_DIR": str(ROOT / "data" / "raw"),
        "PSW_OUT_DIR": str(out),
        "PSW_WAREHOUSE": str(out / "warehouse.duckdb"),
        "PSW_CONFIG": str(ROOT / "data" / "authority.yml"),
        "PSW_REPORT_DIR": str(ROOT / "report"),
        "PSW_FORMATS": "html",  # the other formats are tested by the rendering tests
        "PSW_LOG_DIR": str(tmp),
    }
    psw = Path(sys.executable).with_name("psw")
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [str(psw), "ui", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
            process_group=0, preexec_fn=_reset_signals,
        )
    server = UiServer(proc, port, home, out, log)
    started = time.monotonic()
    try:
        _wait_until_loaded(server)
        TIMINGS["psw ui answering, location loaded (s)"] = time.monotonic() - started
        server.graphql("mutation { setNuxSeen }")  # no "join the community" dialog over pages
        yield server
    finally:
        server.stop()


def _chromium(tmp: Path, url: str, *, budget_ms: int, screenshot: Path | None = None,
              window: str = "1600,2600") -> str:
    """Load url in headless Chromium; return the rendered DOM (or write a PNG). The window is
    tall because the asset graph only renders the nodes inside the viewport."""
    profile = tmp / f"chromium-profile-{time.monotonic_ns()}"
    args = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--disable-extensions",
        f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}",
        f"--window-size={window}",
    ]
    args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
    proc = subprocess.Popen(args + [url], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, process_group=0)
    try:
        dom, _ = proc.communicate(timeout=90 + budget_ms / 1000)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"Chromium did not finish loading {url}")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # renderer/zygote children, if any remain
        except ProcessLookupError:
            pass
    return dom.decode("utf-8", errors="replace")


def _visible_text(dom: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def _page_text(tmp: Path, url: str, expected: list[str], window: str = "1600,2600") -> str:
    """The page's rendered text once every expected string shows (retrying with more time:
    a busy machine can take longer than the virtual time budget to answer the app's queries)."""
    text = ""
    for budget_ms in (15000, 30000, 60000):
        text = _visible_text(_chromium(tmp, url, budget_ms=budget_ms, window=window))
        if all(name in text for name in expected):
            return text
    missing = [name for name in expected if name not in text]
    pytest.fail(f"{url} rendered without {missing}; it showed: {text[:1500]}")


def test_telemetry_is_off_in_the_ui_dagster_home(ui):
    config = (ui.home / "dagster.yaml").read_text(encoding="utf-8")
    assert re.search(r"telemetry:\s*\n\s+enabled:\s*false", config), config
    assert re.search(r"nux:\s*\n\s+enabled:\s*false", config), config


def test_asset_graph_catalog_and_checks_render(ui, tmp_path):
    # The global lineage: one box per group (stage), in flow order.
    lineage = _page_text(tmp_path, f"{ui.url}/asset-groups", GROUPS)
    assert "Global asset lineage" in lineage

    # The ingest group's graph: one node per extract, with its checks and kinds.
    group = f"{ui.url}/locations/{ui.repository}@{ui.location}/asset-groups/candidate"
    text = _page_text(tmp_path, group, ["hr_workforce", "hr_vacancies", "learning",
                                        "supervision", "caseload", "year", "Asset checks"])
    assert "Great Expectations" in text and "DuckDB" in text
    _chromium(tmp_path, group, budget_ms=15000, screenshot=tmp_path / "asset-graph-ingest.png")
    assert (tmp_path / "asset-graph-ingest.png").stat().st_size > 10_000

    # An asset's page shows its description, its job and the sensor that can trigger it.
    report = _page_text(tmp_path, f"{ui.url}/assets/report/annual_report",
                        ["annual_report", "build_year", "new_extract_sensor"])
    assert "Principal Social Worker report" in report

    # The catalog lists every asset by its full key. Its list is virtualised (only rows inside
    # the viewport are in the DOM), so the window is tall enough for every asset's row.
    _page_text(tmp_path, f"{ui.url}/assets", CATALOG_NAMES, window="1600,8000")

    # Blocking checks are visible on their assets.
    checks = _page_text(tmp_path, f"{ui.url}/assets/candidate/checked_year?view=checks",
                        ["cross_extract_rules"])
    assert "blocking" in checks.lower()
    _page_text(tmp_path, f"{ui.url}/assets/candidate/hr_workforce?view=checks",
               ["gx_suite_hr_workforce"])


def _run_failure_summary(ui: UiServer, run_id: str) -> str:
    try:
        events = ui.graphql(RUN_FAILURES, {"id": run_id})["logsForRun"].get("events", [])
    except Exception as exc:  # noqa: BLE001 - only used to explain a failure
        return f"(could not read the run's events: {exc})"
    lines = []
    for event in events:
        if event.get("error"):
            error = event["error"]
            cause = (error.get("cause") or {}).get("message", "")
            lines.append(f"{event['__typename']} {event.get('stepKey', '')}: "
                         f"{error['message'][:400]} {cause[:800]}".rstrip())
        elif event.get("level") in ("ERROR", "CRITICAL"):
            lines.append(f"{event['__typename']}: {event.get('message', '')[:800]}")
    return "\n".join(lines[-10:]) or "(no error events)"


def test_materialise_latest_sample_year_through_graphql(ui, tmp_path):
    if not (ROOT / "data" / "raw" / LATEST_SAMPLE_YEAR).is_dir():
        pytest.skip(f"data/raw/{LATEST_SAMPLE_YEAR} does not exist yet: generate the sample "
                    "(python -m psw_synth --sample) to run the UI materialisation")
    selector = {"repositoryLocationName": ui.location, "repositoryName": ui.repository}
    added = ui.graphql(
        """mutation($sel: RepositorySelector!, $key: String!) {
          addDynamicPartition(partitionsDefName: "reporting_year", partitionKey: $key,
                              repositorySelector: $sel) {
            __typename ... on PythonError { message } ... on UnauthorizedError { message } } }""",
        {"sel": selector, "key": LATEST_SAMPLE_YEAR},
    )["addDynamicPartition"]
    assert added["__typename"] in ("AddDynamicPartitionSuccess",
                                   "DuplicateDynamicPartitionError"), added

    launched = ui.graphql(
        """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
          __typename ... on LaunchRunSuccess { run { runId } }
          ... on PythonError { message } ... on RunConfigValidationInvalid { errors { message } }
          ... on InvalidSubsetError { message } ... on PipelineNotFoundError { message }
          ... on RunConflict { message } ... on UnauthorizedError { message } } }""",
        {"params": {
            "selector": {**selector, "jobName": "build_year"},
            "runConfigData": {},
            "executionMetadata": {"tags": [
                {"key": "dagster/partition", "value": LATEST_SAMPLE_YEAR},
                {"key": "psw/source", "value": "ui-test"},
            ]},
        }},
    )["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    started = time.monotonic()
    status = _wait_for_run(ui, run_id)
    TIMINGS["build_year run via GraphQL (s)"] = time.monotonic() - started
    assert status == "SUCCESS", (
        f"run {run_id} ended {status or 'unfinished'} after at most {RUN_SECONDS} s:\n"
        f"{_run_failure_summary(ui, run_id)}\n--- psw ui log ---\n{ui.log_tail()}"
    )

    # The run wrote the published snapshot and the report where PSW_OUT_DIR says.
    year_out = ui.out / LATEST_SAMPLE_YEAR
    assert (year_out / "published.duckdb").is_file()
    assert list(year_out.glob("*.html")), sorted(p.name for p in year_out.iterdir())

    # The UI now shows the partition as materialised.
    _page_text(tmp_path, f"{ui.url}/assets/published/tables?view=partitions",
               [LATEST_SAMPLE_YEAR])


def _wait_for_run(ui: UiServer, run_id: str) -> str:
    deadline, status = time.monotonic() + RUN_SECONDS, ""
    while time.monotonic() < deadline:
        status = ui.graphql(RUN_STATUS, {"id": run_id})["runOrError"]["status"]
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(1)
    return status


LATEST_RUNS = """{ runsOrError(limit: 5) { __typename ... on Runs { results {
  runId jobName status tags { key value } } } } }"""

# One line per stage, as the assets log them (what they did), seen on the run page.
STAGE_LINES = ["candidate: read", "candidate year: cross-extract rules", "raw: promoted",
               "staging.worker_spells:", "metrics workforce:", "metrics trends:", "published:",
               "report:"]


def _run_log_text(tmp: Path, ui: UiServer, run_id: str) -> str:
    """The run page's log. It renders only the rows in view, so the window is tall enough for
    every row of a one-year run."""
    from dagster_cdp import Browser

    page = Browser(CHROMIUM, tmp / "profile-run-page", window="1600,24000")
    try:
        page.goto(f"{ui.url}/runs/{run_id}")
        try:
            return page.wait_for_text("RUN_SUCCESS", *STAGE_LINES, timeout=120)
        except AssertionError:
            return page.text()
    finally:
        page.close()


def test_materialize_all_for_one_year_by_clicking_in_the_browser(ui, tmp_path):
    """The data team's path: Lineage → *Materialize all…* → pick the year (listed without typing)
    → Launch → the run succeeds in one process, and its log has a line per stage."""
    from dagster_cdp import Browser

    years = sorted(p.name for p in (ROOT / "data" / "raw").iterdir() if re.fullmatch(r"\d{4}", p.name))
    browser = Browser(CHROMIUM, tmp_path / "profile", window="1600,1400")
    try:
        browser.goto(f"{ui.url}/asset-groups")
        browser.wait_for_text("Materialize all", timeout=180)
        browser.click_text("Materialize all")
        browser.wait_for_text("Partition selection")
        browser.click_text("Select a partition or create one", selector="input, [role=combobox], div")
        browser.wait_for_text(f"Select all ({len(years)})", *years)  # every folder, no typing
        browser.click_text(LATEST_SAMPLE_YEAR, selector="[role=menuitem], li, label, a, button, div")
        browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Escape", "code": "Escape",
                                                "windowsVirtualKeyCode": 27})
        browser.wait_for_text("1 partition", "Launch 1 run")
        known = {r["runId"] for r in ui.graphql(LATEST_RUNS)["runsOrError"]["results"]}
        browser.click_text("Launch 1 run")
        started = time.monotonic()
        run_id = ""
        while not run_id and time.monotonic() - started < 60:
            runs = ui.graphql(LATEST_RUNS)["runsOrError"]["results"]
            run_id = next((r["runId"] for r in runs if r["runId"] not in known), "")
            time.sleep(0.5)
        assert run_id, "clicking Launch 1 run started no run"
        status = _wait_for_run(ui, run_id)
        TIMINGS["Materialize all… for one year, clicked in the UI (s)"] = time.monotonic() - started
        assert status == "SUCCESS", (
            f"run {run_id} ended {status}:\n{_run_failure_summary(ui, run_id)}\n{ui.log_tail()}")
        run = [r for r in ui.graphql(LATEST_RUNS)["runsOrError"]["results"] if r["runId"] == run_id][0]
        assert run["jobName"] == "__ASSET_JOB"
        assert {"key": "dagster/partition", "value": LATEST_SAMPLE_YEAR} in run["tags"]
        text = _run_log_text(tmp_path, ui, run_id)
        missing = [line for line in STAGE_LINES if line not in text]
        assert not missing, f"the run page never showed {missing}"
        # The in-process executor: one process for every step (a debug-level engine event,
        # hidden on the page by default, so read through GraphQL).
        events = ui.graphql(RUN_FAILURES, {"id": run_id})["logsForRun"]["events"]
        engine = [e.get("message", "") for e in events if e["__typename"] == "EngineEvent"]
        assert any(m.startswith("Executing steps in process") for m in engine), engine
        assert not any("multiprocess" in m for m in engine), engine
        browser.screenshot(tmp_path / "run-page.png")
    finally:
        browser.close()
    print("\n" + "\n".join(f"{name}: {value:.1f}" for name, value in TIMINGS.items()))


def test_sigterm_stops_every_process_of_the_ui(ui):
    assert ui.group_alive()
    os.killpg(ui.proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    while ui.group_alive() and time.monotonic() < deadline:
        time.sleep(0.25)
    alive = ui.group_alive()
    assert not alive, f"`psw ui` still running {STOP_SECONDS} s after SIGTERM:\n{ui.log_tail()}"
    assert ui.proc.wait(timeout=5) is not None
