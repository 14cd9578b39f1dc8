"""The Train screen's help page (F1), in Markdown."""

HELP = """\
# Train

Train a small multi-layer perceptron on a toy data set and watch it learn: the **loss**
(training, and test when a test fraction is set), the **accuracy**, and what the model
learned — the **decision boundary** for 2-D data (blue: the model says +1, red: −1, with the
data points on top) or the **fitted curve** for the 1-D regression.

* **Settings** (left): every field is checked as you type; a refused value is explained
  right below it.  Changing a setting stops a run and starts over from step 0 with the
  new settings (press Ctrl+R to train again) — except *Steps*, which only makes the run
  longer or shorter: raise it to go on.  *Preset* fills
  the whole form (`micrograd-demo` reproduces micrograd's notebook: after 100 steps the
  loss is 0.0110 and the accuracy 100%).
* **Ctrl+R** runs or pauses, **Ctrl+N** does one step, **F7** resets the weights (the same
  seed gives the same start).
* **Ctrl+L** switches the loss plot to log10(loss).
* **Ctrl+S** / **Ctrl+O** save / load the model (JSON, at the *Model* path below the
  form); **Ctrl+Y** exports the loss history as CSV (at the *Loss CSV* path).
* **Ctrl+G** opens the model's graph for the first training point in the playground
  (small models only: hidden layers like `4,4` make a graph you can read).
* **Ctrl+B** hides the form so the plots get the whole width.

Data sets: micrograd demo (micrograd's 100 moons), moons, circles, xor, spiral, blobs
(classification, labels −1/+1), 1-D regression (a noisy curve).  Losses: max margin (SVM
hinge, micrograd's), MSE, binary cross-entropy.  Optimizers: sgd, momentum, adam; schedules: constant,
linear (micrograd's decay), cosine, step.
"""
