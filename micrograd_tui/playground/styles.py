"""The Playground screen's styles (its ``DEFAULT_CSS``), kept apart from its logic."""

SCREEN_CSS = """
PlaygroundScreen #pg-main {
    height: 1fr;
}
PlaygroundScreen #pg-left {
    width: 2fr;
    min-width: 28;
}
PlaygroundScreen #pg-right {
    width: 3fr;
}
PlaygroundScreen #pg-status {
    height: auto;
    min-height: 2;
    max-height: 7;
    padding: 0 1;
    background: $boost;
}
PlaygroundScreen #pg-status.-error {
    background: $error 15%;
    color: $text-error;
}
"""
