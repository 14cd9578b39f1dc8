"""The Lessons screen's F1 page."""

HELP = """\
# Lessons

Guided lessons, from the derivative of a function to a trained classifier. Each lesson is a
few short **steps**; page through them with **PgDn** (or Ctrl+N: next) and **PgUp** (back), or
Page Down / Page Up.

* A step with a program: **Ctrl+O** opens it in the playground, with the numbers drawn for
  this attempt. While the step's check is open, it opens in **quiz mode**: the gradients the
  check asks about show `?` until you work them out there (**F6** gives one up), so the
  playground is a place to try, not an answer key. Once the check is passed, every gradient
  is shown.
* A step with a training setup: **Ctrl+T** opens it in the trainer.
* A step with a **check**: type your answer (a number; `-3/2` works too) and press **Enter**.
  The answer was computed by the engine from the step's program. After a wrong answer you get
  a hint; after a second one, the worked answer. **F6** shows them whenever you like. A check
  may know a common mistake and tell you what went wrong.
* A program may draw its numbers at random: each attempt asks about new ones, and **Ctrl+R**
  draws new numbers for the step you are on.
* **Review** (the last entry of the list) asks the checks you passed again, with new numbers,
  the one you passed longest ago first; **PgDn** goes to the next one.
* **Ctrl+L** hides or shows the list (it starts hidden on a narrow screen). **PgDn** and
  **PgUp** scroll a long step before they turn the page; the arrow keys scroll it too.

The list on the left marks lessons you finished (✓: every step seen, every check passed) and
started (•). **Tab** moves between the list, the text and the answer box; **Enter** in the list
opens a lesson. Your progress is saved as you go.

Teachers: `micrograd-tui --lessons DIR` opens your own folder of lessons, and
`micrograd-tui lessons check DIR` checks them. A lesson with a problem is marked ✗ in the list;
open it to read what is wrong.
"""

