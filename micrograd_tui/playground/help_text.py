"""The playground's help page (F1), in Markdown."""

HELP = """\
# Playground

Type a small program on the left; its **graph** appears on the right, rooted at the last
variable assigned. Each row shows a value's name or operation, its **data** (the forward
value) and its **grad** (d root / d this value, filled in by backward).

* **Ctrl+R** evaluates the program. A mistake is shown in the status line at the
  bottom with its line and column, and the spot is selected in the editor; the old graph
  stays.
* **Ctrl+B** (or F8, handy inside tmux) runs **backward** from the root: every grad
  updates, changed ones flash.
* **Ctrl+G** sets every grad back to zero.
* **Ctrl+N** steps through backward **one node at a time**, in topological order, and shows
  the chain rule with the actual numbers, e.g. `a.grad += b.data × c.grad = 2.0 × -3.0`.
  **Ctrl+T** steps back.
* **Ctrl+L** runs the **gradient check**: each input's gradient (then each constant's)
  against central differences. It runs backward first, so the grads get filled in.
* **Ctrl+S** **saves** the program to a file (the first time it asks for a name, and it asks
  before replacing another file); **Ctrl+O** **opens** one; **Alt+S** saves as.
* **Alt+E** opens one of the lecture's **examples**, **Alt+N** a **new**, empty program.
  Whatever replaces your program (an example, a file, a lesson's program, a model's graph),
  your program is **kept**: **Alt+P** brings it back (and Alt+P again swaps back), Ctrl+Z in the
  editor too. The last program comes back when the app starts again.
* **Ctrl+E** **exports** the graph as a Graphviz DOT file (and SVG when `dot` is installed)
  into the current folder, and says the full path.
* **Alt+R** picks which variable is the **root** of the graph; every grad goes back to 0
  (the old ones were for the old root). A picked root is kept when you run again (the top
  line says "picked root"); pick the last variable to follow the program's output again.
* **Ctrl+A** selects the whole program; **Ctrl+P** lists every action.
* **F9** lets you **write an operation's backward**: its name, inputs (`x`, or `a, b`), its
  forward (`log(1 + exp(x))`) and its local derivative (`sigmoid(x)`; two inputs: `b + 1; a`),
  in the program language. The derivative is checked against the slope at random points;
  a wrong one is refused with the point and both numbers, a right one can be called in your
  programs for the rest of the session (`softplus(x)`), as one node showing your formula.
* **F7** turns **quiz mode** on: every grad shows `?` until you work it out; select a node,
  type its grad in the field under the graph and press Enter. **F6** gives up on one (it is
  shown, with its `local × upstream`). A wrong answer that is a common mistake is named (the
  local derivative or the upstream grad alone, one use of several, a sign flip, `=` for `+=`);
  any other gets a hint. In quiz mode, Ctrl+N asks for each step's grads first
  (stepping back keeps your answers); the gradient check and the export wait until no grad
  is hidden.
* **F10** shows the DAG **as a graph** (a record `[name│data│grad]` per value, its
  operation just before it; each input comes in by its own arrow `▶ ▼ ▲`, lines only cross
  at `┼`; arrows pan, a click or `[` `]` selects) or back as the tree, on the same node.

In the graph, **Enter** or **Space** opens a row; Enter on a **↪ shared** row jumps to where
that value is shown in full (a value used in several places is shown in full only once).
The **inspector** under the graph explains the selected node: its operation, the local
derivative formula, and how its grad is the sum of one contribution per use. For a leaf the
program sets to a number, a field at the top of the inspector takes a new value (Tab to it,
type, Enter): the program line is rewritten and evaluated again, and the graph stays open
where it was. **Tab** moves between the editor, the root picker, the graph and that field.

The language: `a = -4.0`, `c = a * b + b**3`, `c += 1`, `+ - * / **`, `relu(x)`, `tanh(x)`,
`exp(x)`, `log(x)`, `sigmoid(x)` (or `x.relu()` ...), `Value(2.0)`.
"""
