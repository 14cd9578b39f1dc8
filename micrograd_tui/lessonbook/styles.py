"""The Lessons screen's styles (its ``DEFAULT_CSS``), kept apart from its logic."""

SCREEN_CSS = """
LessonsScreen #lessons-body {
    height: 1fr;
}
LessonsScreen #lesson-main {
    width: 1fr;
    height: 1fr;
}
LessonsScreen #step-title {
    height: 1;
    padding: 0 1;
    background: $boost;
    text-style: bold;
}
LessonsScreen #step-scroll {
    height: 1fr;
    padding: 0 1;
    scrollbar-size-vertical: 1;
}
LessonsScreen #step-scroll:focus {
    background: $boost;
}
LessonsScreen #step-body {
    margin: 0;
}
LessonsScreen #step-problems {
    height: auto;
    padding: 0 1;
    color: $warning;
}
"""
