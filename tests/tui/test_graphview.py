"""The graph-to-rows mapping behind the playground's tree (plain Python, no Textual)."""

from __future__ import annotations

import pytest

from engine.expr import evaluate
from engine.value import Value
from micrograd_tui.playground.examples import README_EXAMPLE
from micrograd_tui.playground.graph_index import GraphIndex, Row, format_number, short_number


def all_rows(index: GraphIndex) -> list[Row]:
    """Every row of the tree with every full row opened (iteratively)."""
    rows = [index.root_row()]
    stack = [rows[0]]
    while stack:
        row = stack.pop()
        children = index.child_rows(row)
        rows.extend(children)
        stack.extend(children)
    return rows


@pytest.fixture
def readme() -> tuple:
    program = evaluate(README_EXAMPLE)
    return program, GraphIndex(program.output, program.variables)


def test_names_follow_the_program(readme):
    program, index = readme
    v = program.variables
    # the value a variable holds now has its plain name; earlier ones are numbered
    assert {index.name(v[n]) for n in "abcdefg"} == set("abcdefg")
    names = {index.name(node) for node in index.order}
    assert {"c#1", "c#2", "d#1", "d#2", "g#1"} <= names
    assert "c#3" not in names and "g#2" not in names
    # unlabelled operations get a readable, unique name; constants are called by their value
    not_constants = [index.name(n) for n in index.order if n.children or n.label]
    assert len(set(not_constants)) == len(not_constants)
    temps = [index.name(n) for n in index.order if n.children and not n.label]
    assert temps == [f"t{k}" for k in range(1, len(temps) + 1)]  # t1, t2 ... in order
    assert index.name(v["g"].children[1]) == temps[-1]
    assert not any("#" in t for t in temps)
    assert "(10.0)" in names


def test_every_node_is_shown_in_full_exactly_once(readme):
    _, index = readme
    rows = all_rows(index)
    full = [r.value for r in rows if not r.is_ref]
    assert len(full) == len(index.order)
    assert {id(v) for v in full} == {id(v) for v in index.order}
    # one row per edge, plus the root
    assert len(rows) == index.row_count() == 1 + sum(len(v.children) for v in index.order)
    # references have no children of their own and are marked shared
    for r in rows:
        if r.is_ref:
            assert not r.expandable and index.child_rows(r) == []
            assert "shared" in r.plain()
            assert index.is_shared(r.value)


def test_the_full_row_is_where_a_depth_first_walk_meets_the_node_first():
    x = Value(3.0, "x")
    y = Value(2.0, "y")
    p = x * y
    p.label = "p"
    out = p + x
    out.label = "out"
    index = GraphIndex(out)
    top = index.child_rows(index.root_row())
    assert [(r.name, r.is_ref) for r in top] == [("p", False), ("x", True)]
    under_p = index.child_rows(top[0])
    assert [(r.name, r.is_ref) for r in under_p] == [("x", False), ("y", False)]
    assert index.home_path(x) == (0, 0)
    assert index.home_path(out) == ()


def test_a_node_used_twice_by_one_operation_is_one_full_row_and_one_reference():
    a = Value(2.0, "a")
    b = a + a
    index = GraphIndex(b)
    rows = index.child_rows(index.root_row())
    assert [(r.name, r.is_ref) for r in rows] == [("a", False), ("a", True)]
    assert [u[1] for u in index.users(a)] == [0, 1]


def test_repeated_self_addition_stays_small():
    program = evaluate("a = 1.0\n" + "a = a + a\n" * 30)
    index = GraphIndex(program.output, program.variables)
    rows = all_rows(index)
    assert program.output.data == 2.0 ** 30
    assert len(index.order) == 31
    assert len(rows) == 61  # 31 full rows and 30 references, not 2**30 rows
    assert sum(r.is_ref for r in rows) == 30


def test_home_path_leads_to_the_full_row(readme):
    program, index = readme
    for node in index.order:
        path = index.home_path(node)
        row = index.root_row()
        for i in path:
            row = index.child_rows(row)[i]
        assert row.value is node and not row.is_ref
        assert row.path == path


def test_contributions_add_up_to_the_gradient(readme):
    program, index = readme
    program.backward()
    for node in index.order:
        if node is index.root:
            continue
        parts = index.contributions(node)
        assert len(parts) == len(index.users(node))
        assert sum(p.contribution for p in parts) == pytest.approx(node.grad, rel=1e-12, abs=1e-12)


def test_a_failing_local_derivative_is_reported_not_raised():
    a = Value(-2.0, "a")
    b = Value(2.0, "b")
    out = a ** b  # d/db needs a > 0
    index = GraphIndex(out)
    out.grad = 1.0
    parts = index.contributions(b)
    assert parts[0].contribution is None and "a > 0" in parts[0].error


def test_rows_read_like_micrograd_prints(readme):
    program, index = readme
    program.backward()
    root = index.root_row()
    assert "24.7041" in root.plain() and "1.0000" in root.plain()
    assert format_number(138.83381924198252) == "138.8338"
    assert format_number(0.0) == "0.0000"
    assert format_number(-2.5e7) == "-2.500e+07"
    assert format_number(1e-7) == "1.000e-07"
    assert short_number(2.0) == "2.0" and short_number(-3.0) == "-3.0"
    assert short_number(0.123456789) == "0.123457"


def test_markup_like_labels_are_kept_as_text():
    a = Value(1.0, "[bold]x[/")
    out = a * 2.0
    index = GraphIndex(out)
    leaf = index.child_rows(index.root_row())[0]
    assert leaf.plain().startswith("[bold]x[/")


def test_a_large_graph_is_indexed_without_building_rows():
    x = Value(0.5, "x")
    acc = x
    for _ in range(5000):
        acc = acc * 1.0001 + x
    index = GraphIndex(acc)
    assert len(index) > 10_000
    root = index.root_row()
    # only the root's own inputs are made; nothing below is touched until asked for
    assert len(index.child_rows(root)) == 2
    assert index.home_path(x) is not None
