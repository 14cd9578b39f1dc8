"""The GPT screen's help page (F1), in Markdown."""

HELP = """\
# GPT

Karpathy's **microgpt**, rebuilt over this app's own `Value`: a one-layer GPT with 4
attention heads and 4,192 parameters, trained one name at a time on 32,033 names (Adam,
the learning rate decaying to 0 over 1,000 steps).  The numbers are microgpt's, bit for bit.
It trains in a worker process of its own, so drawing the curve and making up names take
nothing from it.

* **Ctrl+R** trains or pauses, **Ctrl+N** does one step, **F7** starts over (the same
  seed gives the same weights).
* The curve shows every step's loss (grey: each name is a different, noisy example) and
  its moving average (yellow).  It starts near ln 27 ≈ 3.3 (a guess among 27 tokens) and
  falls to about 2.3.
* **Samples**: every few steps the model makes up names at temperature 0.5: gibberish at
  first, then names.
* **Ctrl+S** / **Ctrl+O** save / load the weights, Adam's state and the step (JSON, at the
  *Weights* path); a file that is not a saved GPT is refused, saying why.
* **Ctrl+G** opens one forward pass for one token in the playground: the loss of
  predicting one letter of the next name, with every parameter named
  (`layer0.attn_wq[3][5]`) and attention's softmax as exp, sum and `** -1` nodes.  It has
  thousands of nodes: the tree opens one level at a time.
"""
