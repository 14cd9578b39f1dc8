"""The shipped lessons: Markdown files in this folder (the format is described in
``micrograd_tui.lessonbook.model``)."""

from pathlib import Path

#: the folder that holds the shipped lesson files
LESSONS_DIR = Path(__file__).parent
