"""``micrograd-tui serve``: the app in web browsers (textual-serve), one app process per tab.

How a tab is identified: each browser tab (each page load) opens one websocket, for which
textual-serve starts one app process; that process makes its own folder,
``<data folder>/classroom/tab-<date>-<time>-<random>``, and keeps there everything the tab saves
(lesson progress, saved models, exports). Reloading the page starts a new session in a new
folder; folders are kept after the server stops.

Safety: the server binds 127.0.0.1 unless told otherwise; each tab's app runs with
``$MICROGRAD_TUI_SANDBOX`` set to its folder (see :mod:`.sandbox`), so no save, load or export
reaches outside it, and the app has no command that starts a shell.
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
import threading
import time
from pathlib import Path, PurePath
from typing import Any

#: where a session's app process puts its tab folder (set by the server for each tab)
ENV_SESSIONS = "MICROGRAD_TUI_SESSIONS"
#: "0": the app builds no screen before it is asked for (Train and Lessons after the first frame)
ENV_WARM = "MICROGRAD_TUI_WARM"
PAGE = Path(__file__).parent / "page"


def sessions_root() -> Path:
    from ..data_folder import data_dir

    return data_dir() / "classroom"


def session_command(root: Path, lessons: str | None) -> str:
    """The shell command textual-serve runs for each tab.

    It runs in ``root`` (a folder of ours): ``python -m`` puts its working folder first on
    ``sys.path``, and a learner's ``engine.py`` in the teacher's folder must not be found."""
    python = [sys.executable, "-m", "micrograd_tui.classroom.server", "--session"]
    if lessons is not None:
        python += ["--lessons", str(Path(lessons).resolve())]
    run = " ".join(shlex.quote(a) for a in python)
    return f"cd {shlex.quote(str(root))} && {'exec ' if os.name == 'posix' else ''}{run}"


def make_server(host: str, port: int, lessons: str | None, root: Path) -> Any:
    from textual_serve.server import Server

    class ClassroomServer(Server):
        async def on_startup(self, app: Any) -> None:
            pass  # textual-serve's banner; ours comes once the port is open (serve below)

        tabs: set = set()

        async def handle_websocket(self, request: Any) -> Any:
            import asyncio

            task = asyncio.current_task()
            self.tabs.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.tabs.discard(task)

        async def on_shutdown(self, app: Any) -> None:
            # a tab's websocket stays open until its browser closes it: end each tab now (its
            # app gets textual-serve's quit message and is waited for), not after aiohttp's
            # shutdown timeout
            import asyncio

            tabs = [t for t in self.tabs if t is not None]
            for task in tabs:
                task.cancel()
            await asyncio.gather(*tabs, return_exceptions=True)

        async def handle_index(self, request: Any) -> Any:
            # the page points its websocket at the address the browser used (a room's
            # computers reach the server by its network name, not by --host 0.0.0.0)
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        def serve(self, debug: bool = False) -> None:
            """textual-serve's ``serve``, quiet, and saying where once it listens."""
            import asyncio
            import signal as signals

            from aiohttp import web

            loop = asyncio.get_event_loop()
            for sig in (signals.SIGINT, signals.SIGTERM):
                try:
                    loop.add_signal_handler(sig, self.request_exit)
                except (NotImplementedError, RuntimeError):
                    pass
            web.run_app(self._make_app(), host=host, port=port, handle_signals=False,
                        loop=loop, print=lambda _: announce(host, port, root))

    server = ClassroomServer(session_command(root, lessons), host=host, port=port,
                             title="micrograd-tui", templates_path=PAGE)
    return server


def announce(host: str, port: int, root: Path) -> None:
    where = "this computer only" if host in ("127.0.0.1", "localhost", "::1") \
        else "every computer that can reach this one (see the README: A classroom)"
    print(f"micrograd-tui: serving on http://{_url_host(host)}:{port}/ to {where}\n"
          f"  each tab's files go to a folder of its own in {root}\n  Ctrl+C stops", flush=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def run_server(host: str, port: int, lessons: str | None) -> int:
    """Serve until Ctrl+C (or SIGTERM); every tab's app process is gone when this returns."""
    import asyncio

    root = sessions_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"micrograd-tui: error: cannot make the sessions folder {root}: "
              f"{e.strerror or e}", file=sys.stderr)
        return 1
    asyncio.set_event_loop(asyncio.new_event_loop())
    server = make_server(host, port, lessons, root)
    try:
        server.serve()
    except OSError as e:  # the port is taken, or the address is not this machine's
        print(f"micrograd-tui: error: cannot serve on {host}:{port}: {e.strerror or e}",
              file=sys.stderr)
        return 1
    print("micrograd-tui: stopped", flush=True)
    return 0


# --- one tab's app process ----------------------------------------------------------------------

def _exit_with_server(parent: int) -> None:
    """End this process when the server is gone (never outlive it, whatever killed it)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def run_session(lessons: str | None) -> int:
    """Make this tab's folder, stay in it, and run the app (textual-serve's driver)."""
    from ..data_folder import ENV_DATA_DIR
    from .sandbox import ENV_SANDBOX

    root = Path.cwd()
    folder = Path(tempfile.mkdtemp(prefix=time.strftime("tab-%Y%m%d-%H%M%S-"), dir=root))
    os.environ[ENV_DATA_DIR] = str(folder)
    os.environ[ENV_SANDBOX] = str(folder)
    os.chdir(folder)
    # Ctrl+C in the teacher's terminal reaches the whole process group: Textual's web driver
    # takes SIGINT as "exit the app" (a clean exit), and the server sends each app its quit
    threading.Thread(target=_exit_with_server, args=(os.getppid(),), daemon=True).start()
    # a class shares the server's cores: no screen is built before its tab asks for it
    os.environ.setdefault(ENV_WARM, "0")
    app = served_app(lessons)
    app.run()
    return app.return_code or 0


def served_app(lessons: str | None) -> Any:
    """The app for one tab: :class:`~micrograd_tui.app.MicrogradApp`, focused from the start."""
    import inspect

    from textual import events

    from ..app import MicrogradApp

    class ServedApp(MicrogradApp):
        """Textual's web driver tells an app at start that the page has no focus; our page
        focuses the terminal as soon as the app shows, and that focus may reach the app first.
        The app then stayed unfocused until the learner's first key, which paid for restyling
        every widget and rebuilding the footer (with ten tabs on two cores, every tab's first
        key took 2-3 s, the others under 0.8 s). So that first blur is let go: the app starts
        focused, as in a terminal; later blurs and focuses (leaving the page, coming back)
        count."""

        # Textual finds a relative CSS_PATH beside the file that defines the class (this one):
        # the app's stylesheets are beside app.py
        CSS_PATH = [Path(inspect.getfile(MicrogradApp)).parent / path for path in (
            [MicrogradApp.CSS_PATH] if isinstance(MicrogradApp.CSS_PATH, (str, PurePath))
            else MicrogradApp.CSS_PATH or [])]
        _start_blur_skipped = False

        def on_app_blur(self, event: events.AppBlur) -> None:
            if not self._start_blur_skipped:
                self._start_blur_skipped = True
                event.prevent_default()

    return ServedApp(lessons_dir=lessons)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "--session":
        print("micrograd-tui: this module runs one served tab; use 'micrograd-tui serve'",
              file=sys.stderr)
        return 2
    lessons = args[args.index("--lessons") + 1] if "--lessons" in args[:-1] else None
    return run_session(lessons)


if __name__ == "__main__":
    raise SystemExit(main())
