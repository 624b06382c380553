"""The HTML report in a real browser at desktop (1280 px) and phone (390 px) widths: axe-core
finds no serious or critical accessibility violations, there is one `<main>` landmark, and
the page itself never scrolls sideways (wide tables and charts scroll in their own boxes).

Needs Debian's Chromium (`scripts/ensure-debian-tools.sh`) and axe-core from npm
(`scripts/ensure-axe.sh`, pinned); both run from `make test`. Without them the test skips,
except under CI=true, where it fails. axe runs inside the page: the test injects axe.min.js
and a few lines that write the results into the DOM, and reads them back with
`chromium --headless --dump-dom` (no driver, nothing leaves the machine).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RUNNER = """
<script>
axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  var out = {
    violations: r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, nodes: v.nodes.length}; }),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    main: document.querySelectorAll("main").length,
    scrollBoxes: document.querySelectorAll(".table-scroll").length,
    tables: document.querySelectorAll("table").length
  };
  parent.postMessage(JSON.stringify(out), "*");
});
</script>
"""
# Headless Chromium will not make a window narrower than 500 px, so the page is measured in
# an iframe exactly `width` px wide; the frame posts axe's results up to this wrapper.
WRAPPER = """<!DOCTYPE html><html lang="en"><head><title>axe</title></head><body style="margin:0">
<iframe title="report" src="{src}" style="width:{width}px;height:900px;border:0"></iframe>
<script>
window.addEventListener("message", function (e) {{
  var pre = document.createElement("pre");
  pre.id = "axe-result";
  pre.textContent = e.data;
  document.body.appendChild(pre);
}});
</script></body></html>"""

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def _needs(path: Path | None, what: str, script: str) -> Path:
    if path is not None and path.exists():
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is missing under CI=true; run scripts/{script}")
    pytest.skip(f"{what} is not installed; run scripts/{script}")


def _chromium() -> Path:
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return _needs(Path(found) if found else None, "Chromium", "ensure-debian-tools.sh")


def audit(page: Path, width: int, tmp_path: Path) -> dict:
    chromium = _chromium()
    axe = _needs(AXE, "axe-core", "ensure-axe.sh")
    probe = tmp_path / f"{page.stem}-{width}.html"
    text = page.read_text(encoding="utf-8")
    script = f"<script>{axe.read_text(encoding='utf-8')}</script>{RUNNER}"
    probe.write_text(text.replace("</body>", script + "</body>"), encoding="utf-8")
    wrapper = tmp_path / f"{page.stem}-{width}-wrapper.html"
    wrapper.write_text(WRAPPER.format(src=probe.name, width=width), encoding="utf-8")
    completed = subprocess.run(
        [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / f'profile-{width}'}", f"--window-size={width + 100},1000",
         "--virtual-time-budget=60000", "--dump-dom", wrapper.as_uri()],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    found = re.search(r'<pre id="axe-result"[^>]*>(.*?)</pre>', completed.stdout, flags=re.S)
    assert found, f"axe did not report: {completed.stderr[-500:]}"
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("document", ["paper", "annex"])
def test_html_has_no_serious_axe_violations_and_no_sideways_scroll(
    document, width, rendered, rendered_annex, tmp_path
):
    page = (rendered if document == "paper" else rendered_annex).outputs["html"]
    result = audit(page, width, tmp_path)
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    assert result["main"] == 1
    assert result["tables"] >= 1 and result["scrollBoxes"] == result["tables"]
    assert result["innerWidth"] == width
    assert result["scrollWidth"] <= result["innerWidth"], result  # the page never scrolls sideways
