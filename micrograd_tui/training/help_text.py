"""The Train screen's help page (F1), in Markdown."""

HELP = """\
# Train

Train a small multi-layer perceptron on a toy data set and watch it learn: the **loss**
(training, and test when a test fraction is set), the **accuracy**, and what the model
learned — the **decision boundary** for 2-D data (blue: the model says +1, orange: −1, pale
where it is unsure; ● training points, ○ test points) or the **fitted curve** for the 1-D
regression.  Training runs in a worker process of its own, so the pictures can be redrawn
several times a second without slowing it down.

* **Settings** (left): every field is checked as you type; a refused value is explained
  right below it.  *Learning rate*, *L2* and *Schedule* change a run as it goes, from its
  next step; *Steps* makes it longer or shorter (raise it to go on).  Any other change
  starts over from step 0 (the hint below the field says so first).  *Preset* fills
  the whole form (`micrograd-demo` reproduces micrograd's notebook: after 100 steps the
  loss is 0.0110 and the accuracy 100%).
* **Ctrl+R** runs or pauses, **Ctrl+N** does one step, **F7** resets the weights (the same
  seed gives the same start).
* **Ctrl+L** switches the loss plot to log10(loss).
* **Ctrl+S** / **Ctrl+O** save / load the model (JSON, at the *Model* path below the
  form); **Ctrl+Y** exports the loss history as CSV (at the *Loss CSV* path).
* **Ctrl+G** opens the model's graph for the first training point in the playground
  (small models only: hidden layers like `4,4` make a graph you can read).
* **Ctrl+T** shows what each hidden neuron computes over the input plane (2-D data), with
  the weights of its connections; arrows select a neuron to see it large.
* **Ctrl+B** hides the form so the plots get the whole width.

Data sets: micrograd demo (micrograd's 100 moons), moons, circles, xor, spiral, blobs
(classification, labels −1/+1), 1-D regression (a noisy curve).  Losses: max margin (SVM
hinge, micrograd's), MSE, binary cross-entropy.  Optimizers: sgd, momentum, adam; schedules: constant,
linear (micrograd's decay), cosine, step.
"""
