"""`psw preview`: the Cabinet paper as HTML on http://127.0.0.1:<port>/, re-rendered on save.

Only what changed is re-run:
- a prose file in narrative/<year>/ (`*.md`): the executed report is kept, with a marker where
  each prose file goes; the preview renders the changed file's placeholders from the snapshot,
  swaps it in and runs pandoc again (about a second, no chunks re-run);
- a YAML file in narrative/<year>/ (`*.yml`): the kernel that ran the report is still up; the
  narrative is read again (`reload_narrative()` in sections/setup.qmd) and only the chunks that
  use it run again (quarto_lite.execute.cells_to_rerun), then pandoc (a few seconds);
- anything else under report/ (sections, main files, brand): every chunk runs again.

Before each render the report's sources are checked (`psw report --check`: the feature
allow-list on sections and narrative, and the claims check); a problem is printed with its file
and line and the last good page stays up. The page reloads itself when a new render is ready.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  setInterval(function () {
    fetch("version.txt", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) { if (seen === null) { seen = v; } else if (v !== seen) { location.reload(); } })
      .catch(function () {});
  }, 700);
})();
</script>"""
PAGE = "index.html"


def _snapshot_of(folder: Path) -> dict[Path, float]:
    return {p: p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def changed_files(before: dict[Path, float], after: dict[Path, float]) -> set[Path]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


class Preview:
    """One year's Cabinet paper, kept executed so a prose edit re-runs only pandoc."""

    def __init__(self, year: int, report_dir: Path, out_dir: Path, serve_dir: Path,
                 say: Callable[[str], None] = print) -> None:
        from psw_core.config import load_config
        from psw_core.resources import default_resources

        self.year = year
        self.report_dir = Path(report_dir).resolve()
        self.snapshot = Path(out_dir).resolve() / str(year) / "published.duckdb"
        self.narrative = self.report_dir / "narrative" / str(year)
        self.serve_dir = serve_dir
        self.say = say
        self.settings = default_resources()["settings"]
        config = load_config(self.settings.config_path)
        self.params = {"reporting_year": year, "snapshot": str(self.snapshot),
                       "narrative_dir": str(self.narrative), "authority": config.name,
                       "preview_markers": True}
        self.metadata = {"authority": config.name, "author": config.name,
                         "reporting-year": str(year)}
        self.work = Path(tempfile.mkdtemp(prefix="psw-preview-"))
        self.executed = None
        self.live = None  # the report's kernel, kept up for a narrative YAML edit
        self.version = 0
        self.pending: set[Path] = set()  # changes not yet rendered (a check failed)

    def check(self) -> list[str]:
        from assets.report.build import check_report

        return check_report(self.year, self.settings)

    def run_chunks(self) -> None:
        from assets.report.build import MAIN_QMD
        from quarto_lite.render import LiveReport

        self.close_kernel()
        shutil.rmtree(self.work / "build", ignore_errors=True)
        self.live = LiveReport(self.report_dir, MAIN_QMD, self.work, self.params, self.metadata)
        self.executed = self.live.executed()

    def rerun_narrative(self) -> int:
        """Read the narrative again in the running report; re-run the chunks that use it."""
        ran = self.live.rerun("reload_narrative()", {"story"})
        self.executed = self.live.executed()
        return ran

    def close_kernel(self) -> None:
        if self.live is not None:
            self.live.close()
            self.live = None

    def publish(self) -> None:
        """Fill in the prose files, run pandoc, and put the page where the server reads it."""
        from assets.report.support.narrative import OPTIONAL_PROSE, PROSE_FILES
        from assets.report.support.prose import marker, render_file
        from assets.report.support.snapshot import open_snapshot
        from quarto_lite.render import convert_executed

        snap = open_snapshot(self.snapshot, self.year)
        markdown = self.executed.markdown
        for name in (*PROSE_FILES, *OPTIONAL_PROSE):
            if marker(name) in markdown:
                markdown = markdown.replace(marker(name), str(render_file(self.narrative, name,
                                                                          snap)))
        target = self.work / "preview.html"
        convert_executed(self.executed, "html", target, markdown=markdown)
        page = target.read_text(encoding="utf-8").replace("</body>", RELOAD_SCRIPT + "</body>")
        self.version += 1
        (self.serve_dir / PAGE).write_text(page, encoding="utf-8")
        (self.serve_dir / "version.txt").write_text(str(self.version), encoding="utf-8")

    def refresh(self, changed: set[Path] | None = None) -> tuple[str, float]:
        """Re-render after `changed` (None: everything). Returns (what ran, seconds)."""
        from assets.report.support.prose import marker

        started = time.perf_counter()
        everything = changed is None or self.executed is None
        self.pending |= set(changed or ())
        problems = self.check()
        if problems:
            for problem in problems:
                self.say(problem)
            return "not rendered: fix the problems above", time.perf_counter() - started
        narrative_only = not everything and self.live is not None and all(
            p.parent == self.narrative and p.suffix in (".md", ".yml") for p in self.pending)
        # A prose file the report already shows; one added or removed changes which sections
        # appear, so the narrative is read again.
        prose_only = narrative_only and all(
            p.suffix == ".md" and p.is_file() and marker(p.name) in self.executed.markdown
            for p in self.pending)
        if prose_only:
            what = "prose only (pandoc)"
        elif narrative_only:
            what = f"narrative only ({self.rerun_narrative()} chunks)"
        else:
            self.run_chunks()
            what = "all chunks"
        self.publish()
        self.pending.clear()
        return what, time.perf_counter() - started

    def close(self) -> None:
        self.close_kernel()
        shutil.rmtree(self.work, ignore_errors=True)


def serve(folder: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the terminal shows renders, not requests
        pass


def run_preview(year: int, report_dir: Path, out_dir: Path, host: str, port: int,
                say: Callable[[str], None], poll_seconds: float = 0.3,
                stop: threading.Event | None = None) -> None:
    serve_dir = Path(tempfile.mkdtemp(prefix="psw-preview-site-"))
    (serve_dir / PAGE).write_text("<p>Rendering the report…</p>", encoding="utf-8")
    preview = Preview(year, report_dir, out_dir, serve_dir, say)
    server = serve(serve_dir, host, port)
    say(f"Previewing the {year} Cabinet paper at http://{host}:{port}/ (Ctrl-C to stop).")
    stop = stop or threading.Event()
    try:
        what, seconds = preview.refresh()
        say(f"Rendered ({what}) in {seconds:.1f} s.")
        seen = _snapshot_of(preview.report_dir)
        while not stop.is_set():
            time.sleep(poll_seconds)
            now = _snapshot_of(preview.report_dir)
            changed = changed_files(seen, now)
            if not changed:
                continue
            seen = now
            names = ", ".join(sorted(os.path.relpath(p, preview.report_dir) for p in changed))
            try:
                what, seconds = preview.refresh(changed)
                say(f"{names} changed: re-rendered ({what}) in {seconds:.1f} s.")
            except Exception as exc:  # noqa: BLE001 - keep serving the last good page
                say(f"{names} changed: the render failed: {str(exc).splitlines()[0]}")
    finally:
        server.shutdown()
        preview.close()
        shutil.rmtree(serve_dir, ignore_errors=True)
