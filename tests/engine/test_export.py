"""Graph export: DOT in micrograd's draw_dot style, JSON, and rendering with Graphviz."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from engine import Value
from engine.export import ExportError, render_svg, to_dot, to_json, write_dot


def small_graph() -> tuple[Value, Value, Value]:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    out = (a * b + a).tanh()
    out.label = "out"
    out.backward()
    return a, b, out


# --- a small DOT reader, enough to check what Graphviz would see -------------------------

_TOKEN = re.compile(r'\s*(?:(?P<q>"(?:[^"\\]|\\.)*")|(?P<arrow>->)|(?P<id>[A-Za-z_][\w]*)|(?P<p>[\[\]{};,=]))')


def dot_statements(dot: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]]]:
    """Nodes (id -> attributes, quoted strings unquoted as Graphviz does) and edges.

    Fails on anything it cannot tokenize, so an unescaped quote breaks the test."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    dot = dot.strip()
    while pos < len(dot):
        m = _TOKEN.match(dot, pos)
        assert m and m.end() > pos, f"cannot read DOT at {dot[pos:pos + 30]!r}"
        kind = m.lastgroup
        text = m.group(kind)
        if kind == "q":
            text = re.sub(r'\\"', '"', text[1:-1])  # DOT only unescapes \" itself
        tokens.append((kind, text))
        pos = m.end()
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        if kind == "id" and i + 1 < len(tokens) and tokens[i + 1][0] == "arrow":
            edges.append((text, tokens[i + 2][1]))
            i += 3
        elif kind == "id" and text not in ("digraph", "graph", "node", "edge") \
                and i + 1 < len(tokens) and tokens[i + 1] == ("p", "["):
            attrs: dict[str, str] = {}
            i += 2
            while tokens[i] != ("p", "]"):
                if tokens[i][0] in ("id", "q") and tokens[i + 1] == ("p", "="):
                    attrs[tokens[i][1]] = tokens[i + 2][1]
                    i += 3
                else:
                    i += 1
            nodes[text] = attrs
        i += 1
    return nodes, edges


def record_fields(label: str) -> list[str]:
    """The fields of a record label ``{ a | b | c }``, honouring backslash escapes."""
    assert label.startswith("{ ") and label.endswith(" }"), label
    body = label[2:-2]
    fields, cur, i = [], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur.append("\n" if body[i + 1] == "n" else body[i + 1])
            i += 2
            continue
        assert ch not in "{}<>", f"unescaped record character {ch!r} in {label!r}"
        if ch == "|":
            fields.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    fields.append("".join(cur).strip())
    return fields


# --- DOT -------------------------------------------------------------------------------

def test_dot_has_a_record_per_value_and_a_node_per_operation() -> None:
    a, b, out = small_graph()
    nodes, edges = dot_statements(to_dot(out))
    values = {k: v for k, v in nodes.items() if not k.endswith("_op")}
    ops = {k: v for k, v in nodes.items() if k.endswith("_op")}
    assert len(values) == 5  # a, b, a*b, a*b + a, tanh
    assert sorted(v["label"] for v in ops.values()) == ["*", "+", "tanh"]
    labels = [record_fields(v["label"]) for v in values.values()]
    assert ["a", "data 2.0000", f"grad {a.grad:.4f}"] in labels
    assert ["b", "data -3.0000", f"grad {b.grad:.4f}"] in labels
    assert ["out", f"data {out.data:.4f}", "grad 1.0000"] in labels
    # every operation node feeds exactly the value it produced
    for op_id in ops:
        assert (op_id, op_id[: -len("_op")]) in edges
    assert all(src in nodes and dst in nodes for src, dst in edges)


def test_dot_input_used_twice_has_two_edges() -> None:
    a = Value(3.0, label="a")
    y = a + a
    y.backward()
    nodes, edges = dot_statements(to_dot(y))
    a_id = next(k for k, v in nodes.items() if v["label"].startswith("{ a |"))
    assert edges.count((a_id, "n1_op")) == 2
    assert "grad 2.0000" in nodes[a_id]["label"]


def test_dot_ids_follow_topological_order_and_are_deterministic() -> None:
    _, _, out = small_graph()
    text = to_dot(out)
    assert text == to_dot(out)
    nodes, edges = dot_statements(text)
    # the root is the last node, inputs come before the values computed from them
    assert "out |" in nodes["n4"]["label"]
    for src, dst in edges:
        if dst.endswith("_op"):
            assert int(src[1:]) < int(dst[1:-3])


@pytest.mark.parametrize("label", ['say "hi"', "a|b", "{x}", "<port>", "back\\slash", "two\nlines",
                                   "[bold]not markup[/]"])
def test_dot_escapes_labels(label: str) -> None:
    v = Value(1.5, label=label)
    w = v * 2.0
    nodes, _ = dot_statements(to_dot(w, title=label))
    fields = record_fields(nodes["n0"]["label"])
    assert len(fields) == 3, fields
    assert fields[0] == label


def test_dot_title_and_large_numbers() -> None:
    v = Value(1e300, label="big")
    text = to_dot(v, title="my graph")
    assert 'label="my graph"' in text
    assert "data 1.0000e+300" in text


# --- JSON ------------------------------------------------------------------------------

def test_json_lists_every_node_in_topological_order() -> None:
    a, b, out = small_graph()
    data = json.loads(json.dumps(to_json(out)))
    nodes = data["nodes"]
    assert [n["id"] for n in nodes] == list(range(5))
    assert data["root"] == 4 and nodes[4]["label"] == "out" and nodes[4]["op"] == "tanh"
    for n in nodes:
        assert all(c < n["id"] for c in n["children"])
    by_label = {n["label"]: n for n in nodes if n["label"]}
    assert by_label["a"]["data"] == 2.0 and by_label["a"]["grad"] == a.grad
    assert by_label["b"]["op"] == "" and by_label["b"]["children"] == []
    mul = next(n for n in nodes if n["op"] == "*")
    assert [nodes[c]["label"] for c in mul["children"]] == ["a", "b"]


def test_json_of_a_single_leaf() -> None:
    data = to_json(Value(4.0))
    assert data["root"] == 0 and data["nodes"] == [
        {"id": 0, "label": "", "op": "", "data": 4.0, "grad": 0.0, "children": []}]


def test_export_of_a_long_chain_does_not_recurse() -> None:
    x = Value(0.0)
    one = Value(1.0)
    for _ in range(20_000):
        x = x + one
    assert len(to_json(x)["nodes"]) == 20_002
    assert to_dot(x).count("_op [") == 20_000


# --- files -----------------------------------------------------------------------------

def test_write_dot(tmp_path: Path) -> None:
    _, _, out = small_graph()
    path = write_dot(out, tmp_path / "g.dot")
    assert path.read_text() == to_dot(out)


def test_render_svg_without_graphviz(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("engine.export.shutil.which", lambda name: None)
    dot = write_dot(Value(1.0), tmp_path / "g.dot")
    assert render_svg(dot) is None


def _fake_dot(tmp_path: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "dot"
    exe.write_text("#!/bin/sh\n" + script)
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")


def test_render_svg_runs_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # a stand-in for Graphviz: copies its input (argument 2) to the -o file (argument 4)
    _fake_dot(tmp_path, 'cp "$2" "$4"\n', monkeypatch)
    dot = write_dot(Value(1.0, label="x"), tmp_path / "g.dot")
    svg = render_svg(dot)
    assert svg == tmp_path / "g.svg"
    assert svg.read_text() == dot.read_text()


def test_render_svg_reports_dot_failure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _fake_dot(tmp_path, 'echo "syntax error in line 3" >&2\nexit 1\n', monkeypatch)
    dot = write_dot(Value(1.0), tmp_path / "g.dot")
    with pytest.raises(ExportError, match="syntax error in line 3"):
        render_svg(dot)


def test_a_failing_dot_leaves_the_previous_svg_untouched(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    # a dot that writes half a picture and then fails
    _fake_dot(tmp_path, 'echo "<svg partial" > "$4"\necho "out of memory" >&2\nexit 1\n',
              monkeypatch)
    dot = write_dot(Value(1.0), tmp_path / "g.dot")
    (tmp_path / "g.svg").write_text("<svg>old</svg>")
    with pytest.raises(ExportError, match="out of memory"):
        render_svg(dot)
    assert (tmp_path / "g.svg").read_text() == "<svg>old</svg>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "g.dot", "g.svg"]
