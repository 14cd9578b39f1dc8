"""The documents a GPT trains on: one a line, the shipped names or a teacher's own file.

Read as microgpt reads ``names.txt``: every line stripped of surrounding white space, empty
lines skipped.  The vocabulary is every character that occurs, sorted, plus one more token,
BOS (beginning/end of sequence), whose id is the number of characters.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources

from ..persist import FileReadError, read_text_limited

__all__ = ["Docs", "DataFileError", "load_docs", "default_docs", "parse_docs",
           "MAX_DATA_BYTES", "MAX_LINE_CHARS", "MAX_VOCAB"]

#: a data file larger than this is refused (names.txt is 228 kB)
MAX_DATA_BYTES = 20 * 1024 * 1024
#: a line (document) longer than this is refused: the model sees at most 16 tokens of it
MAX_LINE_CHARS = 1000
#: at most this many distinct characters (the lm_head has one row per token)
MAX_VOCAB = 256

DEFAULT_NAME = "names.txt (karpathy/makemore)"


class DataFileError(FileReadError):
    """A data file was refused; the message names the file (and line) and says why."""


@dataclass(frozen=True)
class Docs:
    """The documents (in file order) and their vocabulary."""

    docs: tuple[str, ...]
    chars: str  # the vocabulary, sorted; token id i is chars[i], BOS is len(chars)
    source: str  # where they came from, for messages

    @property
    def bos(self) -> int:
        return len(self.chars)

    @property
    def vocab_size(self) -> int:
        return len(self.chars) + 1

    def encode(self, doc: str) -> list[int]:
        """``doc`` wrapped in BOS on both sides, as token ids."""
        index = {ch: i for i, ch in enumerate(self.chars)}
        return [self.bos, *(index[ch] for ch in doc), self.bos]


def parse_docs(text: str, source: str) -> Docs:
    """The documents of ``text`` (one a line); ``DataFileError`` saying where and why."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataFileError(f"{source}: line {line} holds a NUL byte: this looks like a binary "
                            f"file, not text with one document a line")
    docs: list[str] = []
    for number, raw in enumerate(text.split("\n"), 1):
        doc = raw.strip()
        if len(doc) > MAX_LINE_CHARS:
            raise DataFileError(f"{source}: line {number} is {len(doc)} characters long; a "
                                f"document (one a line) may have at most {MAX_LINE_CHARS}")
        if doc:
            docs.append(doc)
    if not docs:
        raise DataFileError(f"{source}: the file is empty: it needs one document a line "
                            f"(a name, a word), and has none")
    chars = "".join(sorted(set("".join(docs))))
    if len(chars) > MAX_VOCAB:
        raise DataFileError(f"{source}: {len(chars)} different characters; at most {MAX_VOCAB} "
                            f"are allowed (one output per character)")
    return Docs(tuple(docs), chars, source)


def load_docs(path: str | os.PathLike[str]) -> Docs:
    """The documents of a teacher's text file (bounded read, regular files only)."""
    try:
        text = read_text_limited(path, MAX_DATA_BYTES, what="data file")
    except FileReadError as e:
        raise DataFileError(str(e)) from None
    return parse_docs(text, os.fspath(path))


_DEFAULT: Docs | None = None


def default_docs() -> Docs:
    """The shipped names (karpathy/makemore's names.txt, MIT licence; see names.LICENSE.txt)."""
    global _DEFAULT
    if _DEFAULT is None:
        text = (resources.files("engine") / "data" / "names.txt").read_text(encoding="utf-8")
        _DEFAULT = parse_docs(text, DEFAULT_NAME)
    return _DEFAULT
