"""Drive Debian's headless Chromium through its DevTools protocol (a websocket; aiohttp's client,
which textual-serve already brings): open pages, press keys, read the served terminal's text.

Used by tests/test_serve_browser.py and benchmarks/bench_serve.py. Nothing is downloaded: the
browser is the system's ``chromium``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

#: Chromium as root in a container: no sandbox, no GPU, nothing fetched in the background
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
         "--window-size=1280,800", "--remote-debugging-port=0"]

#: before any page script runs: keep each xterm.js Terminal that textual-serve's page makes
#: (``this.terminal = new Terminal(...)``), so the test can read what the screen shows
CAPTURE_TERMINAL = """
window.__terms = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    window.__terms.push(value);
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true,
                                             enumerable: true});
  },
});
window.__term = () => window.__terms.find(t => t && t.buffer && t.buffer.active);
window.__screen = (t) => {
  const b = t.buffer.active, lines = [];
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
};
// arm a wait for the screen to show (shown=true) or lose `text`: window.__waited resolves to
// the clock time (ms since 1970) of the first terminal write after which it does, or null
// after `ms`; the screen is read only when the terminal has parsed new output
window.__armWait = (text, shown, ms) => {
  const t = window.__term();
  if (!t || window.__screen(t).includes(text) === shown) return false;
  window.__waited = new Promise(resolve => {
    const done = (when) => { sub.dispose(); clearTimeout(timer); resolve(when); };
    const sub = t.onWriteParsed(() => {
      if (window.__screen(t).includes(text) === shown)
        done(performance.timeOrigin + performance.now());
    });
    const timer = setTimeout(() => done(null), ms);
  });
  return true;
};
"""

SCREEN_TEXT = "(() => { const t = window.__term(); return t ? window.__screen(t) : null; })()"

FOCUS = """(() => { const t = (window.__terms || []).find(t => t && t.focus);
  if (t) t.focus(); return !!t; })()"""

#: key name -> (key, code, Windows virtual key code)
KEYS = {"f1": ("F1", "F1", 112), "f2": ("F2", "F2", 113), "f3": ("F3", "F3", 114),
        "f4": ("F4", "F4", 115), "enter": ("Enter", "Enter", 13),
        "escape": ("Escape", "Escape", 27), "down": ("ArrowDown", "ArrowDown", 40),
        "up": ("ArrowUp", "ArrowUp", 38), "tab": ("Tab", "Tab", 9)}


def find_chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium"):
        if name and (path := shutil.which(name)):
            return path
    return None


class CDPError(RuntimeError):
    pass


class Browser:
    """One headless Chromium; ``async with Browser(path) as b: page = await b.new_page()``."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future] = {}

    async def __aenter__(self) -> "Browser":
        import aiohttp

        # Chromium's helper processes may still write to the profile as it is removed
        self._profile = tempfile.TemporaryDirectory(prefix="mg-chromium-",
                                                    ignore_cleanup_errors=True)
        self.process = subprocess.Popen(
            [self.executable, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = await asyncio.to_thread(self._devtools_url)
        self._http = aiohttp.ClientSession()
        self._ws = await self._http.ws_connect(url, max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        return self

    def _devtools_url(self) -> str:
        assert self.process.stderr is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                break
            if "DevTools listening on " in line:
                # keep reading Chromium's chatter so its pipe never fills up
                threading_drain(self.process.stderr)
                return line.split("DevTools listening on ", 1)[1].strip()
        raise CDPError(f"{self.executable} did not start (exit code {self.process.poll()})")

    async def __aexit__(self, *exc: Any) -> None:
        self._reader.cancel()
        await self._ws.close()
        await self._http.close()
        self.process.terminate()
        try:
            await asyncio.to_thread(self.process.wait, 10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._profile.cleanup()

    async def _read(self) -> None:
        async for message in self._ws:
            data = json.loads(message.data)
            future = self._waiting.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                if "error" in data:
                    future.set_exception(CDPError(str(data["error"])))
                else:
                    future.set_result(data.get("result", {}))

    async def send(self, method: str, params: dict | None = None,
                   session: str | None = None, timeout: float = 30) -> dict:
        n = next(self._ids)
        message: dict[str, Any] = {"id": n, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        future = self._waiting[n] = asyncio.get_running_loop().create_future()
        await self._ws.send_str(json.dumps(message))
        return await asyncio.wait_for(future, timeout)

    async def new_page(self) -> "Page":
        target = await self.send("Target.createTarget", {"url": "about:blank"})
        attached = await self.send("Target.attachToTarget",
                                   {"targetId": target["targetId"], "flatten": True})
        page = Page(self, attached["sessionId"])
        await page.send("Page.enable")
        # each page keeps its focus as if it were the window of a browser of its own (a
        # learner's): without this, opening a page takes the focus from the one before
        await page.send("Emulation.setFocusEmulationEnabled", {"enabled": True})
        await page.send("Page.addScriptToEvaluateOnNewDocument", {"source": CAPTURE_TERMINAL})
        return page


def threading_drain(stream: Any) -> None:
    import threading

    threading.Thread(target=lambda: [None for _ in stream], daemon=True).start()


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    async def send(self, method: str, params: dict | None = None,
                   timeout: float = 30) -> dict:
        return await self.browser.send(method, params, self.session, timeout)

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", {"url": url})

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate",
                                 {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    async def screen(self) -> str:
        return await self.evaluate(SCREEN_TEXT) or ""

    async def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """The screen once it shows ``text``; CDPError with the last screen after ``timeout``."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = await self.screen()
            if text in screen:
                return screen
            await asyncio.sleep(0.05)
        raise CDPError(f"the page never showed {text!r}; it shows:\n{screen}")

    async def answer(self, key: str, text: str, shown: bool = True,
                     timeout: float = 60.0) -> float:
        """Press ``key`` and wait until the screen shows ``text`` (or, ``shown=False``, no
        longer shows it); the seconds from the key sent to the terminal output that did it.

        The page itself watches the terminal's output (no polling from here), so measuring
        costs the browser next to nothing."""
        if not await self.evaluate(f"window.__armWait({json.dumps(text)}, {json.dumps(shown)}, "
                                   f"{int(timeout * 1000)})"):
            raise CDPError(f"cannot wait for {text!r} {'to show' if shown else 'to go'}: the "
                           "page has no terminal, or the screen is like that already")
        sent = time.time()
        await self.press(key)
        result = await self.send("Runtime.evaluate", {"expression": "window.__waited",
                                                      "awaitPromise": True,
                                                      "returnByValue": True},
                                 timeout=timeout + 10)
        when = result.get("result", {}).get("value")
        if when is None:
            raise CDPError(f"{key}: the screen did not {'show' if shown else 'lose'} {text!r} "
                           f"within {timeout} s")
        return when / 1000 - sent

    async def press(self, key: str, focus: bool = True) -> None:
        """``ctrl+b``, ``f4``, ``enter``...: a key down and up in the terminal (focused first,
        as a click into it would; ``focus=False``: wherever the page's focus is)."""
        if focus:
            await self.evaluate(FOCUS)
        *mods, name = key.lower().split("+")
        modifiers = 2 if "ctrl" in mods else 0
        if name in KEYS:
            k, code, vk = KEYS[name]
        else:
            k, code, vk = name, f"Key{name.upper()}", ord(name.upper())
        event = {"key": k, "code": code, "windowsVirtualKeyCode": vk, "modifiers": modifiers}
        if not modifiers and len(name) == 1:
            event["text"] = name
        await self.send("Input.dispatchKeyEvent", {"type": "keyDown", **event})
        await self.send("Input.dispatchKeyEvent", {"type": "keyUp", **event})


def served_folder(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("tab-*") if p.is_dir())
