"""A small Chrome DevTools Protocol driver for Debian's headless Chromium: open a page, run
JavaScript in it, click by visible text, wait for text, take a screenshot. Only the standard
library and `websockets` (installed with dagster-webserver)."""

from __future__ import annotations

import base64
import itertools
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--disable-extensions"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, chromium: Path, profile: Path, window: str = "1600,1100"):
        port = _free_port()
        self.proc = subprocess.Popen(
            [str(chromium), *FLAGS, f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
             f"--window-size={window}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            process_group=0)
        deadline, targets = time.monotonic() + 60, []
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                    targets = [t for t in json.loads(r.read()) if t.get("type") == "page"]
                if targets:
                    break
            except OSError:
                pass
            time.sleep(0.25)
        if not targets:
            self.close()
            raise RuntimeError("Chromium did not open its DevTools port")
        self.ws = connect(targets[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=30)
        self.ids = itertools.count(1)

    def send(self, method: str, params: dict | None = None, timeout: float = 60) -> dict:
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            if message.get("id") == msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def eval(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def goto(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})

    def text(self) -> str:
        return self.eval("document.body ? document.body.innerText : ''") or ""

    def wait_for_text(self, *needles: str, timeout: float = 120) -> str:
        deadline, text = time.monotonic() + timeout, ""
        while time.monotonic() < deadline:
            text = self.text()
            if all(n in text for n in needles):
                return text
            time.sleep(0.5)
        raise AssertionError(f"page never showed {needles}; it showed: {text[:2000]}")

    def click_text(self, text: str, selector: str = "button, a, [role=button], [role=menuitem], label, li",
                   timeout: float = 60) -> None:
        """Click the innermost element matching selector whose visible text contains `text`."""
        script = f"""(() => {{
          const want = {json.dumps(text)};
          const all = [...document.querySelectorAll({json.dumps(selector)})]
            .filter(e => e.offsetParent !== null && e.innerText && e.innerText.includes(want));
          const el = all.find(e => ![...e.querySelectorAll('*')].some(c => all.includes(c))) || all[0];
          if (!el) return false;
          el.scrollIntoView({{block: 'center'}});
          el.click();
          return true;
        }})()"""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.eval(script):
                return
            time.sleep(0.5)
        raise AssertionError(f"nothing to click reading {text!r}; the page showed: {self.text()[:2000]}")

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
