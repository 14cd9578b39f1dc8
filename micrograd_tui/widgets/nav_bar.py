"""The top line of every screen: which screen this is, and the keys to the others.

At 80 columns the Footer cannot hold a screen's own keys and the global ones too, so the
navigation lives here, always visible: the current screen highlighted, F2–F5 for the others
(clickable), F1 for help and Ctrl+P for every action.
"""

from __future__ import annotations

from textual.widgets import Static

#: (mode, key, title) of each screen, in the order shown
SCREENS = (
    ("playground", "F2", "Playground"),
    ("train", "F3", "Train"),
    ("lessons", "F4", "Lessons"),
    ("gpt", "F5", "GPT"),
)


class NavBar(Static):
    """``micrograd-tui  [F2 Playground]  F3 Train  F4 Lessons  F5 GPT   F1 Help  ^p Actions``."""

    DEFAULT_CSS = """
    NavBar {
        dock: top;
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text;
    }
    """

    def __init__(self, current: str) -> None:
        if current not in {mode for mode, _, _ in SCREENS}:
            raise ValueError(f"unknown screen {current!r}")
        self.current = current
        super().__init__(self._markup(current), markup=True)

    @staticmethod
    def _markup(current: str) -> str:
        parts = ["[b] micrograd-tui [/b]"]
        for mode, key, title in SCREENS:
            if mode == current:
                parts.append(f"[reverse b] {key} {title} [/]")
            else:
                parts.append(f"[@click=app.switch_mode('{mode}')][b]{key}[/b] {title}[/]")
        parts.append("  [@click=app.help][b]F1[/b] Help[/]")
        parts.append("[@click=app.command_palette][b]^p[/b] Actions[/]")
        return " ".join(parts)
