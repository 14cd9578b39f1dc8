"""The playground, driven the way a learner drives it: keys typed into the running app."""

from __future__ import annotations

import pytest

from engine.expr import evaluate
from micrograd_tui.app import MicrogradApp
from micrograd_tui.playground.examples import README_EXAMPLE
from micrograd_tui.playground.graph_index import GraphIndex
from micrograd_tui.playground.gradcheck_screen import GradCheckScreen
from micrograd_tui.playground.screen import THREAD_SOURCE_CHARS, PlaygroundScreen
from micrograd_tui.playground.graph_tree import GraphTree
from micrograd_tui.playground.editor import ProgramEditor

SIZE = (100, 36)


def playground(app: MicrogradApp) -> PlaygroundScreen:
    screen = app.screen
    assert isinstance(screen, PlaygroundScreen)
    return screen


def full_row(tree: GraphTree, name: str):
    """The tree row showing the node called ``name`` in full, opening rows down to it."""
    assert tree.index is not None
    value = tree.index.find(name)
    assert value is not None, name
    node = tree.reveal(value, move_cursor=False)
    assert node is not None
    return node


def row_text(tree: GraphTree, name: str) -> str:
    return full_row(tree, name).data.plain()


async def test_the_app_opens_on_the_readme_example_evaluated():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        assert screen.editor.text == README_EXAMPLE
        assert isinstance(app.focused, ProgramEditor)
        root = screen.tree.root.data
        assert root.name == "g" and "24.7041" in root.plain()
        assert "g = 24.7041" in screen.status_text
        # the root is open, so the learner sees more than one row
        assert len(screen.tree.visible_text()) > 5


async def test_typing_the_readme_example_and_evaluating_shows_g():
    app = MicrogradApp(source="")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        assert screen.index is None  # an empty program has no graph
        keys = ["enter" if ch == "\n" else ch for ch in README_EXAMPLE]
        await pilot.press(*keys)
        assert screen.editor.text == README_EXAMPLE
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "24.7041" in screen.tree.root.data.plain()
        assert "g = 24.7041" in screen.status_text


async def test_backward_fills_the_tree_with_micrograds_gradients():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        tree = screen.tree
        assert "0.0000" in row_text(tree, "a")
        assert isinstance(app.focused, ProgramEditor)
        await pilot.press("ctrl+b")  # the editor has focus: the key still reaches the screen
        await pilot.pause()
        assert row_text(tree, "a").endswith("138.8338")
        assert row_text(tree, "b").endswith("645.5773")
        assert tree.root.data.plain().endswith("1.0000")
        # rows already on screen were updated in place, and changed values are highlighted
        assert tree._flash
        assert "backward" in screen.status_text


async def test_zero_grad_resets_every_visible_grad():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert row_text(screen.tree, "a").endswith("138.8338")
        await pilot.press("ctrl+g")
        await pilot.pause()
        rows = [n.data for n in screen.tree.built_nodes]
        assert rows and all(r.plain().endswith(" 0.0000") for r in rows)
        assert screen.program.variables["a"].grad == 0.0


async def test_stepping_through_the_whole_pass_ends_with_backwards_gradients():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        stepper = screen.stepper
        assert stepper is not None and stepper.position == 1
        assert "Step 1 of" in screen.status_text
        assert "g.grad" in screen.status_text and "×" in screen.status_text
        # the node whose local backward ran is where the cursor is
        assert screen.tree.cursor_node.data.value is stepper.current.node
        await pilot.press("ctrl+t")  # step back, then forward again
        assert stepper.position == 0
        for _ in range(stepper.total):
            await pilot.press("ctrl+n")
        assert stepper.done
        await pilot.press("ctrl+n")
        assert "complete" in screen.status_text
        stepped = [n.grad for n in screen.index.order]
        assert row_text(screen.tree, "a").endswith("138.8338")
        assert row_text(screen.tree, "b").endswith("645.5773")
        reference = evaluate(README_EXAMPLE)
        reference.backward()
        expected = [n.grad for n in GraphIndex(reference.output, reference.variables).order]
        assert stepped == pytest.approx(expected, rel=1e-12, abs=1e-12)


async def test_an_error_keeps_the_old_graph_and_marks_the_column():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        old_index = screen.index
        editor = screen.editor
        editor.move_cursor((2, len("c = a + b")))  # end of line 3
        await pilot.press("space", "*", "[", "b", "]")
        assert editor.text.split("\n")[2] == "c = a + b *[b]"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "line 3, column 12" in screen.status_text
        assert screen.status.has_class("-error")
        # the spot is selected in the editor, and the graph on screen is the old one
        assert editor.selection.start == (2, 11)
        assert editor.has_class("-error") and "line 3" in editor.border_subtitle
        assert screen.index is old_index
        assert "24.7041" in screen.tree.root.data.plain()
        # fixing it and evaluating again clears the mark
        await pilot.press("end", "backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not editor.has_class("-error") and not screen.status.has_class("-error")


async def test_markup_and_nonsense_in_the_program_are_shown_as_text():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        screen.load_source("x = [bold red]1[/]\n")
        await pilot.pause()
        assert "line 1" in screen.status_text
        assert "24.7041" in screen.tree.root.data.plain()
        screen.load_source("\x00\x1b[31m" + "é" * 50 + "]" * 2000)
        await pilot.pause()
        assert screen.status.has_class("-error")
        await pilot.press("ctrl+r", "ctrl+b")
        await pilot.pause()
        assert screen.tree.root.data.plain().endswith("1.0000")


async def test_a_node_shared_thirty_times_stays_small():
    app = MicrogradApp(source="a = 1.0\n" + "a = a + a\n" * 30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        tree = screen.tree
        assert tree.root.data.plain().split()[0] == "a"
        # open every row that can be opened
        stack = [tree.root]
        while stack:
            node = stack.pop()
            if node.allow_expand:
                tree.open(node)
                stack.extend(node.children)
        await pilot.pause()
        rows = tree.visible_text()
        assert len(rows) == 61
        assert sum("shared" in r for r in rows) == 30
        assert "1.074e+09" in rows[0]  # 2**30


async def test_enter_on_a_shared_row_jumps_to_where_it_is_shown_in_full():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        tree = screen.tree
        tree.focus()
        ref = next(n for n in tree.built_nodes if n.data.is_ref)
        tree.move_cursor(ref)
        await pilot.press("enter")
        await pilot.pause()
        landed = tree.cursor_node
        assert landed.data.value is ref.data.value and not landed.data.is_ref
        assert screen.inspector.value is ref.data.value


async def test_the_inspector_explains_the_selected_node():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("ctrl+b")
        tree = screen.tree
        tree.move_cursor(full_row(tree, "b"))
        await pilot.pause()
        text = screen.inspector.text
        assert text.startswith("b") and "leaf" in text
        assert "645.5773" in text
        # b is used several times: its grad is the sum of one contribution per use
        assert f"({len(screen.index.users(screen.program.variables['b']))} uses)" in text
        tree.move_cursor(full_row(tree, "f"))
        await pilot.pause()
        # the rule speaks of the node's own inputs, never the engine's placeholders
        assert "rule: d(e ** 2)/de" in screen.inspector.text
        assert "d(x ** 2)" not in screen.inspector.text


async def test_the_inspector_names_intermediates_readably():
    """README example: unnamed nodes read t1, t2 ..., rules use the real input names."""
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("ctrl+b")
        tree = screen.tree
        g = screen.program.variables["g"]
        last = screen.index.name(g.children[1])  # 10.0 / f, the program's last temporary
        assert last == "t15"
        tree.move_cursor(full_row(tree, last))
        await pilot.pause()
        text = screen.inspector.text
        assert text.startswith("t15  = /((10.0), f)")
        assert "rule: d((10.0) / f)/d(10.0) = 1/f,  d((10.0) / f)/df = -(10.0)/f^2" in text
        assert "  g: 1.0 × 1.0 = 1.0" in text
        assert "#" not in text and "d(a / b)" not in text


async def test_editing_a_leaf_in_the_inspector_rewrites_the_program_and_keeps_the_tree_open():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        tree = screen.tree
        tree.move_cursor(full_row(tree, "a"))
        await pilot.pause()
        opened = {n.data.path for n in tree.built_nodes if n.is_expanded}
        assert screen.inspector.query_one("#leaf-edit").display
        field = screen.inspector.query_one("#leaf-value")
        field.focus()
        field.value = ""
        await pilot.press("3", ".", "5", "enter")
        await pilot.pause()
        assert screen.editor.text.split("\n")[0] == "a = 3.5"
        assert screen.program.variables["a"].data == 3.5
        assert opened <= {n.data.path for n in tree.built_nodes if n.is_expanded}
        # the cursor is still on a, now showing its new value
        assert tree.cursor_node.data.name == "a" and "3.5000" in tree.cursor_node.data.plain()
        expected = evaluate(README_EXAMPLE.replace("a = -4.0", "a = 3.5")).output.data
        assert screen.tree.root.data.value.data == expected
        # a node that is not a plain number in the program has no field to edit
        tree.move_cursor(tree.root)
        await pilot.pause()
        assert not screen.inspector.query_one("#leaf-edit").display


async def test_picking_another_root():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("alt+r")
        await pilot.pause()
        select = screen.query_one("#pg-root")
        assert select.expanded
        select.value = "e"
        await pilot.pause()
        assert screen.tree.root.data.name == "e"
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.program.variables["e"].grad == 1.0
        assert screen.program.variables["g"].grad == 0.0
        # evaluating again keeps the chosen root, and the top line says it was picked
        label = screen.query_one("#pg-root-label")
        assert str(label.render()) == "picked root"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.tree.root.data.name == "e"
        assert "root picked with Alt+R, kept on Ctrl+R" in screen.status_text
        # picking the output again follows the program's output, as before
        select.value = "g"
        await pilot.pause()
        assert str(label.render()) == "root"
        assert "(the program's output)" in screen.status_text


async def test_gradient_check_passes_for_the_example():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, GradCheckScreen)
        assert modal.passed
        # the README example has two inputs (a, b) and six numbers written in it:
        # c + 1, 1 + c, d * 2, 3 * d, f / 2.0, 10.0 / f (b**3 and e**2 are exponents)
        summary = modal.summary().plain
        assert "2 inputs and 6 constants pass" in summary
        assert "ran backward" in summary and "filled in" in summary
        table = modal.query_one("#gradcheck-table")
        assert table.row_count == len(modal.rows) == 8
        # named inputs first, constants after them and marked as constants
        cells = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [(row[0], row[1]) for row in cells[:2]] == [("a", "input"), ("b", "input")]
        assert all(row[0].startswith("(") and row[1] == "constant" for row in cells[2:])
        await pilot.press("escape")
        assert isinstance(app.screen, PlaygroundScreen)
        assert "2 inputs and 6 constants pass" in playground(app).status_text
        # the check ran backward: the tree shows micrograd's gradients
        assert row_text(playground(app).tree, "a").endswith("138.8338")


async def test_export_writes_a_dot_file_that_names_every_node(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        dot_file = tmp_path / "micrograd-graph.dot"
        assert dot_file.exists()
        assert str(dot_file) in screen.status_text
        dot = dot_file.read_text()
        for i in range(len(screen.index)):
            assert f"  n{i} [label=" in dot
        for name in "abcdefg":
            assert f"{{ {name} | data" in dot
        await pilot.press("ctrl+e")  # a second export does not overwrite the first
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (tmp_path / "micrograd-graph-2.dot").exists()


async def test_load_source_before_and_after_mount():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_in_playground("x = 2.0\ny = x * x")
        await pilot.pause()
        screen = playground(app)
        assert screen.tree.root.data.name == "y"
        assert screen.editor.text == "x = 2.0\ny = x * x"
    screen = PlaygroundScreen()
    screen.load_source("p = 3.0\nq = p + 1", evaluate=True)  # not mounted yet: kept for later
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(screen)
        await pilot.pause()
        assert screen.tree.root.data.name == "q"
        assert "4.0000" in screen.tree.root.data.plain()


async def test_a_big_program_is_evaluated_off_the_ui_thread():
    lines = ["x = 0.5", "y = x"] + ["y = y * 1.001 + x" for _ in range(300)]
    source = "\n".join(lines)
    assert len(source) > THREAD_SOURCE_CHARS
    app = MicrogradApp(source=source)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = playground(app)
        assert screen.index is not None and len(screen.index) > 600
        assert screen.tree.root.data.value is screen.program.output
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.program.variables["x"].grad != 0.0


async def test_every_action_has_a_footer_key_and_a_palette_entry():
    app = MicrogradApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = playground(app)
        descriptions = {b.binding.action: b.binding.description
                        for b in screen.active_bindings.values()}
        for action in ("run", "backward", "zero_grad", "step", "step_back", "gradcheck",
                       "export", "pick_root"):
            assert descriptions.get(action), action
        commands = {c.title for c in app.get_system_commands(screen)}
        assert {"Run", "Backward", "Zero grad", "Step", "Export graph", "Root", "Save", "Open",
                "Previous program", "Examples", "New program"} <= commands
        await pilot.press("f1")
        await pilot.pause()
        assert "Playground" in str(app.screen.query_one("Markdown")._markdown)


async def test_a_very_deep_graph_does_not_open_past_what_the_tree_can_lay_out():
    from micrograd_tui.playground.graph_tree import MAX_DEPTH

    source = "x = 0.5\ny = x\n" + "y = -y + x\n" * 200  # about 400 levels deep
    app = MicrogradApp(source=source)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = playground(app)
        tree = screen.tree
        x = screen.program.variables["x"]
        assert len(screen.index.home_path(x)) > MAX_DEPTH
        ref = next(n for n in tree.root.children if n.data.is_ref)  # the root's use of x
        assert ref.data.value is x
        tree.focus()
        tree.move_cursor(ref)
        await pilot.press("enter")
        await pilot.pause()
        assert tree.cursor_node is ref  # stays put (a notification says why)
        assert tree.reveal(x) is None
        # the deepest row that can open is marked, and nothing below it opens
        node = tree.root
        while node.allow_expand:  # open every row on the way down, as far as it goes
            tree.open(node)
            node = node.children[0]
        await pilot.pause()
        assert node.data.depth == MAX_DEPTH and node.data.expandable
        tree.move_cursor(node)  # the tree lays out and draws rows this deep
        await pilot.pause()
        assert "too deep" in tree.render_label(node, tree.rich_style, tree.rich_style).plain


async def test_a_backward_that_cannot_be_computed_is_explained_not_raised():
    # d(a ** b)/db needs a > 0: the forward pass works, the backward pass cannot
    app = MicrogradApp(source="a = -2.0\nb = 2.0\nc = a ** b\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        assert "4.0000" in screen.tree.root.data.plain()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert "backward failed" in screen.status_text and "a > 0" in screen.status_text
        assert screen.editor.has_class("-error")
        assert "line 3" in screen.editor.border_subtitle
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        assert "cannot run" in screen.status_text and "a > 0" in screen.status_text
        # the failed step changed nothing and can be retried; the app still answers
        assert screen.stepper.position == 0 and screen.program.variables["a"].grad == 0.0
        await pilot.press("ctrl+g", "ctrl+l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "gradient check failed" in screen.status_text and "a > 0" in screen.status_text
        assert isinstance(app.screen, PlaygroundScreen)


async def test_export_from_a_folder_that_was_deleted_says_so_and_the_app_lives_on(
        tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # the shell's current folder was removed under the app
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.status.has_class("-error")
        assert "Export failed" in screen.status_text and "does not exist" in screen.status_text
        assert screen.last_export is None
        await pilot.press("ctrl+b")  # still answering
        await pilot.pause()
        assert "backward from g" in screen.status_text


async def test_a_new_root_starts_with_every_grad_at_zero():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("ctrl+n")  # step through backward from g, to the end
        await pilot.press(*["ctrl+n"] * (screen.stepper.total - 1))
        await pilot.pause()
        assert screen.stepper.done
        everything = list(screen.index.order)
        assert screen.program.variables["a"].grad != 0.0
        screen.query_one("#pg-root").value = "c"
        await pilot.pause()
        assert screen.tree.root.data.name == "c"
        # nothing of d g/d node is left anywhere, on screen or off it
        assert all(node.grad == 0.0 for node in everything)
        assert all(n.data.plain().endswith(" 0.0000") for n in screen.tree.built_nodes)
        assert screen.stepper is None
        assert "root is now c (kept when you run again): press Ctrl+B for backward" in screen.status_text
        screen.tree.move_cursor(screen.tree.root)
        await pilot.pause()
        assert "grad 0.0000" in screen.inspector.text
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.program.variables["c"].grad == 1.0
        # c = (a + b) doubled twice, minus a: dc/da = 2 * 2 * 1 - 1
        assert screen.program.variables["a"].grad == pytest.approx(3.0)


async def test_backward_counts_every_grad_that_changed_not_only_the_rows_built():
    source = "x = 0.5\ny = x\n" + "y = y * 1.01 + x\n" * 40
    app = MicrogradApp(source=source)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("ctrl+b")
        await pilot.pause()
        reference = evaluate(source)
        reference.backward()
        order = GraphIndex(reference.output, reference.variables).order
        changed = sum(1 for node in order if node.grad != 0.0)  # every grad started at 0
        built = {id(n.data.value) for n in screen.tree.built_nodes}
        assert len(built) < changed  # most of the graph is not built as rows yet
        assert f"{changed} of {len(order)} grads changed" in screen.status_text


LESSON_4 = "a = 2.0\nb = -3.0\nc = 10.0\ne = a * b\nd = e + c\nf = -2.0\nL = d * f\n"


async def test_the_inspector_writes_the_local_derivative_with_the_nodes_own_inputs():
    # the learner's own a, b, d must not be confused with the engine's placeholder names
    app = MicrogradApp(source=LESSON_4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        tree = screen.tree
        tree.move_cursor(tree.root)
        await pilot.pause()
        lines = screen.inspector.text.splitlines()
        assert "dL/dd = f.data = -2.0,  dL/df = d.data = 4.0" in lines
        # the engine's own rule, written with the node's inputs (the program has its own b)
        assert "rule: d(d * f)/dd = f,  d(d * f)/df = d" in lines
        assert not any(line.startswith("d(a * b)") for line in lines)
        tree.move_cursor(full_row(tree, "e"))
        await pilot.pause()
        assert "de/da = b.data = -3.0,  de/db = a.data = 2.0" in screen.inspector.text


async def test_rows_keep_their_numbers_whole_at_80x24():
    app = MicrogradApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("ctrl+b")
        tree = screen.tree
        stack = [tree.root]  # open every row
        while stack:
            node = stack.pop()
            if node.allow_expand:
                tree.open(node)
                stack.extend(node.children)
        await pilot.pause()
        width = tree.scrollable_content_region.width
        drawn = tree.drawn_lines()
        rows = [line.node.data for line in tree._tree_lines]
        assert len(drawn) == len(rows) == screen.index.row_count()
        # drawn in full, many rows would need more than the width
        assert sum(row.depth * tree.guide_depth + 2 + row.head_width + 1 + 21 > width
                   for row in rows) > 5
        cut_names = 0
        for text, row in zip(drawn, rows):
            data, grad = row.numbers()
            assert len(text) <= width
            assert text.endswith(f"{data:>10} {grad:>10}"), text  # both numbers, whole
            cut_names += "…" in text
        assert cut_names  # the names are what gave way
        assert any("↪ c#1" in text for text in drawn)


async def test_pressing_backward_twice_shows_the_same_gradients():
    # backward() adds into the leaves; the Backward key zeroes first, so nothing piles up
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        for _ in range(2):
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert row_text(screen.tree, "a").endswith("138.8338")
            assert screen.program.variables["b"].grad == pytest.approx(645.5773, abs=1e-4)


def test_the_inspector_shows_a_micrograd_style_operation_as_the_users_own_closure():
    import math

    from engine import Value
    from micrograd_tui.playground.inspector import describe

    x = Value(0.5, label="x")
    out = Value(math.sin(x.data), (x,), "mysin", "s")

    def _backward() -> None:
        x.grad += math.cos(x.data) * out.grad
    out._backward = _backward
    root = out * 2.0
    root.backward()
    index = GraphIndex(root)
    text = describe(index, out).plain
    assert "s  = mysin(x)" in text and "your own _backward" in text
