"""Neuron, Layer, MLP: micrograd's behaviour, its known bugs fixed, saving and loading."""

from __future__ import annotations

import json
import os
import random

import pytest

from engine import MLP, Layer, ModelFileError, Neuron, Value


def test_mlp_draws_micrograds_weights_for_a_seed():
    # micrograd: Value(random.uniform(-1, 1)) per weight, neuron by neuron, bias Value(0)
    random.seed(1337)
    expected = []
    for nin, nout in [(2, 16), (16, 16), (16, 1)]:
        for _ in range(nout):
            expected += [random.uniform(-1, 1) for _ in range(nin)] + [0.0]
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    assert [p.data for p in model.parameters()] == expected
    assert len(model.parameters()) == 337


def test_default_architecture_is_relu_hidden_and_linear_output():
    model = MLP(2, [3, 1])
    assert [n.activation for n in model.layers[0].neurons] == ["relu"] * 3
    assert model.layers[1].neurons[0].activation == "linear"
    assert repr(model).startswith("MLP of [Layer of [ReLUNeuron(2)")


def test_neuron_exposes_w_and_b_like_micrograd():
    n = Neuron(3)
    params = n.w + [n.b]
    assert params == n.parameters() and len(params) == 4
    assert n.b.data == 0.0


def test_a_layer_of_one_neuron_returns_a_bare_value():
    layer = Layer(2, 1)
    out = layer([1.0, 2.0])
    assert isinstance(out, Value)


def test_a_hidden_layer_of_one_neuron_works():
    # micrograd issue #13: the bare Value broke the next layer's zip
    random.seed(0)
    model = MLP(2, [1, 3, 1])
    out = model([0.5, -1.5])
    assert isinstance(out, Value)
    out.backward()
    assert any(p.grad != 0.0 for p in model.parameters())


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_activations(activation):
    random.seed(2)
    model = MLP(2, [4, 1], activation=activation)
    hidden = model.layers[0].forward([0.3, -0.7])
    for h in hidden:
        if activation == "relu":
            assert h.data >= 0.0
        elif activation == "tanh":
            assert -1.0 <= h.data <= 1.0 and h._op == "tanh"
        elif activation == "sigmoid":
            assert 0.0 <= h.data <= 1.0
        else:
            assert h._op in ("+", "neuron")


def test_unknown_activation_is_refused_by_name():
    with pytest.raises(ValueError, match="softmax"):
        MLP(2, [3, 1], activation="softmax")
    with pytest.raises(ValueError, match="at least one"):
        MLP(2, [])
    with pytest.raises(ValueError, match="takes 2 inputs, got 3"):
        MLP(2, [1])([1.0, 2.0, 3.0])


def test_fused_and_fine_graphs_give_identical_numbers():
    def run(fused):
        random.seed(1337)
        model = MLP(2, [16, 16, 1], fused=fused)
        xs = [[0.5, -0.25], [1.5, 0.75], [-1.0, 0.1]]
        loss = sum(((model(x) - 1.0) ** 2 for x in xs), Value(0.0))
        loss.backward()
        return loss.data, [p.grad for p in model.parameters()]

    fine_loss, fine_grads = run(False)
    fused_loss, fused_grads = run(True)
    assert fine_loss == fused_loss
    assert fine_grads == fused_grads


def test_fused_graph_has_one_node_per_neuron():
    random.seed(0)
    model = MLP(2, [4, 1], fused=True)
    out = model([Value(1.0), Value(2.0)])
    from engine import topological_order

    ops = [str(n._op) for n in topological_order(out)]
    assert ops.count("neuron") == 5
    assert "*" not in ops


def test_save_and_load_give_the_same_predictions(tmp_path):
    random.seed(7)
    model = MLP(2, [5, 3, 1], activation="tanh")
    path = tmp_path / "model.json"
    model.save(path)
    loaded = MLP.load(path)
    for x in ([0.1, 0.2], [-1.0, 3.0]):
        assert loaded(x).data == model(x).data
    assert [f for f in os.listdir(tmp_path)] == ["model.json"]  # no temp file left behind


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", "not valid JSON"),
        ('{"format": "other"}', "not a micrograd-tui model"),
        (json.dumps({"format": "micrograd-tui/mlp", "nin": 2, "nouts": [1],
                     "parameters": [1.0]}), "list of 3 numbers"),
        (json.dumps({"format": "micrograd-tui/mlp", "nin": 2, "nouts": [1],
                     "parameters": [1.0, "x", 2.0]}), "parameter 1 is not a number"),
        (json.dumps({"format": "micrograd-tui/mlp", "nin": 0, "nouts": [1],
                     "parameters": []}), "'nin'"),
        (json.dumps({"format": "micrograd-tui/mlp", "nin": 2, "nouts": [1],
                     "activation": "bogus", "parameters": [0, 0, 0]}), "bogus"),
    ],
)
def test_a_bad_model_file_gives_a_clear_error_naming_it(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises((ModelFileError, ValueError)) as info:
        MLP.load(path)
    assert words in str(info.value)
    assert path.exists()  # never deleted


def test_loading_a_missing_file_says_so(tmp_path):
    with pytest.raises(ModelFileError, match="no such model file"):
        MLP.load(tmp_path / "nope.json")


def test_zero_grad_resets_every_parameter():
    random.seed(3)
    model = MLP(2, [3, 1])
    model([1.0, 2.0]).backward()
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_label_parameters_names_weights_for_graph_views():
    model = MLP(2, [2, 1])
    model.label_parameters()
    assert model.layers[0].neurons[1].w[0].label == "L1.N2.w1"
    assert model.layers[1].neurons[0].b.label == "L2.N1.b"


def test_a_model_file_with_an_enormous_shape_is_refused_before_building_it(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps({"format": "micrograd-tui/mlp", "nin": 100000,
                                "nouts": [100000], "parameters": []}))
    with pytest.raises(ValueError, match="too large"):
        MLP.load(path)
    path.write_text('{"format": "micrograd-tui/mlp", "nin": 1, "nouts": [1], "parameters": [0, '
                    + "1" * 400 + "]}")
    with pytest.raises(ValueError, match="too large for a float"):
        MLP.load(path)
