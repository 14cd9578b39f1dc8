"""``micrograd-tui serve`` without a browser: a tab is one websocket, one app process and one
folder; Ctrl+C stops everything; bad options are named."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from serving import Served, gone

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="reads the app processes from /proc (Linux)")


async def open_tabs(url: str, n: int, served: Served) -> list:
    """``n`` websockets, as ``n`` browser tabs open them, each once the app in the one before
    has drawn its first screen; then each keeps reading, as a browser does (and so answers the
    server's close at once)."""
    import aiohttp

    http = aiohttp.ClientSession()
    sockets = []
    for _ in range(n):
        ws = await http.ws_connect(f"{url}ws?width=100&height=30")
        got = 0
        while got < 2000:  # the first screen's bytes
            message = await asyncio.wait_for(ws.receive(), 60)
            if message.type == aiohttp.WSMsgType.BINARY:
                got += len(message.data)
            elif message.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"the tab closed: {message}; server said {served.rest()}")
        sockets.append(ws)
    readers = [asyncio.create_task(drain(ws)) for ws in sockets]
    return [http, readers]


async def drain(ws) -> None:
    async for _ in ws:
        pass


def test_each_tab_has_its_own_process_and_folder_and_ctrl_c_leaves_nothing(tmp_path):
    served = Served(tmp_path / "data")
    assert served.url in served.banner  # the command prints the URL
    try:
        async def tabs_then_stop() -> tuple[list[int], int]:
            http, sockets = await open_tabs(served.url.replace("http", "ws", 1), 2, served)
            apps = served.app_processes()
            code = await asyncio.to_thread(served.stop)
            await http.close()
            return apps, code

        apps, code = asyncio.run(tabs_then_stop())
    finally:
        if served.process.poll() is None:
            served.process.kill()
    assert code == 0
    assert "stopped" in served.rest()
    assert len(apps) == 2
    assert all(gone(pid) for pid in apps), "an app process outlived the server"
    folders = served.tab_folders()
    assert len(folders) == 2 and folders[0] != folders[1]


def test_a_missing_lessons_folder_is_named(tmp_path):
    done = subprocess.run([sys.executable, "-m", "micrograd_tui", "serve", "--lessons",
                           str(tmp_path / "nope")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--lessons" in done.stderr and "nope" in done.stderr


def test_a_port_in_use_is_named(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "micrograd_tui", "serve", "--port",
                               str(port)], capture_output=True, text=True, timeout=60,
                              env=os.environ | {"MICROGRAD_TUI_DATA_DIR": str(tmp_path)})
    assert done.returncode == 1
    assert f"127.0.0.1:{port}" in done.stderr and "cannot serve" in done.stderr


def test_a_served_app_starts_focused_and_then_follows_the_page(tmp_path):
    """Textual's web driver says "not focused" as the app starts; the page focuses the terminal
    as soon as the app shows, so the app keeps its focus (the editor its cursor) through that
    first word, and follows every later one (the learner leaving the page and coming back)."""
    from textual import events

    from micrograd_tui.classroom.server import served_app

    async def focus_after(*said: events.Event) -> tuple[bool, bool]:
        app = served_app(None)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for event in said:
                app.post_message(event)
                await pilot.pause()
            return app.app_focus, app.screen.focused is not None

    start = events.AppBlur()  # the driver's, at start
    assert asyncio.run(focus_after(start)) == (True, True)
    assert asyncio.run(focus_after(events.AppBlur(), events.AppBlur())) == (False, False)
    assert asyncio.run(focus_after(events.AppBlur(), events.AppBlur(), events.AppFocus())) \
        == (True, True)
