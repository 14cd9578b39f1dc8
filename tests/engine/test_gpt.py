"""The tiny GPT (engine.gpt): microgpt's numbers to the bit, fused = fine, files and data."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from engine.graph import backward, topological_order
from engine.gpt import (DataFileError, GPTTrainConfig, GPTTrainer, default_docs, load_docs,
                        parse_docs)
from engine.persist import ModelFileError

#: microgpt's own run (seed 42, names.txt): the loss at steps 1, 2 and 3
MICROGPT_LOSSES = [3.3659669475848504, 3.4242727838717717, 3.177802125458052]


def test_the_first_three_losses_are_microgpts_to_the_bit() -> None:
    trainer = GPTTrainer()
    assert len(trainer.model.params) == 4192  # microgpt's count
    assert [trainer.step().loss for _ in range(3)] == MICROGPT_LOSSES


def test_a_private_random_stream_gives_the_module_functions_numbers_and_leaves_them_alone() -> None:
    state = random.getstate()
    trainer = GPTTrainer()
    trainer.step()
    assert random.getstate() == state  # the global stream was not touched
    random.seed(42)
    docs = list(default_docs().docs)
    random.shuffle(docs)
    assert trainer.docs == docs
    assert [random.gauss(0, 0.08) for _ in range(3)] == \
        [p for p in _fresh_params()[:3]]
    random.setstate(state)


def _fresh_params() -> list[float]:
    return [p.data for p in GPTTrainer().model.params]


def test_fused_nodes_give_the_fine_graphs_losses_and_gradients_bit_for_bit() -> None:
    fused, fine = GPTTrainer(), GPTTrainer(fused=False)
    for step in range(3):
        doc = fused.next_doc()
        a, b = fused.forward(doc), fine.forward(doc)
        order_a, order_b = backward(a), backward(b)
        assert len(order_a) * 5 < len(order_b)  # far fewer nodes...
        assert a.data == b.data  # ...and the same numbers, gradients included
        assert [p.grad for p in fused.model.params] == [p.grad for p in fine.model.params], step
        del a, b, order_a, order_b
        for t in (fused, fine):
            t.update(t.lr)
            t.step_count += 1
    assert [p.data for p in fused.model.params] == [p.data for p in fine.model.params]


def test_save_load_and_sample_round_trip(tmp_path: Path) -> None:
    trainer = GPTTrainer()
    trainer.step()
    trainer.step()
    path = tmp_path / "gpt.json"
    trainer.save(str(path))
    loaded = GPTTrainer.load(str(path))
    assert loaded.step_count == 2
    assert [p.data for p in loaded.model.params] == [p.data for p in trainer.model.params]
    names = trainer.sample(5, rng=random.Random(1))
    assert loaded.sample(5, rng=random.Random(1)) == names
    assert all(set(n) <= set(default_docs().chars) and len(n) <= 16 for n in names)
    assert any(names)
    # the loaded run goes on exactly as the saved one would have
    assert loaded.step().loss == trainer.step().loss


def test_a_low_temperature_samples_the_likeliest_letters() -> None:
    trainer = GPTTrainer()
    cold = trainer.sample(15, temperature=0.01, rng=random.Random(3))
    hot = trainer.sample(15, temperature=5.0, rng=random.Random(3))
    # a cold softmax nearly always picks the likeliest first letter, a hot one any letter
    assert len({s[:1] for s in cold}) <= 3 < len({s[:1] for s in hot})


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(format="something else"), "not a GPT saved by micrograd-tui"),
    (lambda d: d["weights"]["wte"][3].__setitem__(5, float("nan")), "weights.wte[3][5]"),
    (lambda d: d["weights"]["lm_head"].pop(), "weights.lm_head: expected 27 rows"),
    (lambda d: d["adam"].__setitem__("m", [0.0]), "adam.m: expected a list of 4192 numbers"),
    (lambda d: d["model"].__setitem__("n_head", 5), "n_head"),
    (lambda d: d.__setitem__("vocab", "ba"), "vocab"),
    (lambda d: d.pop("step"), "'step' is missing"),
])
def test_a_bad_model_file_is_refused_naming_what_is_wrong(tmp_path: Path, change, words) -> None:
    path = tmp_path / "gpt.json"
    GPTTrainer().save(str(path))
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    with pytest.raises(ModelFileError) as e:
        GPTTrainer.load(str(path))
    assert str(path) in str(e.value) and words in str(e.value)


def test_a_model_file_that_is_not_json_or_not_a_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "gpt.json"
    bad.write_text('{"format": "micrograd-tui gpt", ')
    with pytest.raises(ModelFileError, match="not valid JSON"):
        GPTTrainer.load(str(bad))
    with pytest.raises(ModelFileError, match="is a folder"):
        GPTTrainer.load(str(tmp_path))


# --- data files ------------------------------------------------------------------------

def test_a_teachers_file_trains_with_its_own_vocabulary(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text("  héllo \n\nworld\r\nhi\n", encoding="utf-8")
    docs = load_docs(path)
    assert docs.docs == ("héllo", "world", "hi") and docs.chars == "dhilorwé"
    trainer = GPTTrainer(GPTTrainConfig(seed=1), docs)
    assert trainer.model.vocab_size == 9
    assert 0.0 < trainer.step().loss < 10.0
    assert set("".join(trainer.sample(3))) <= set(docs.chars)


@pytest.mark.parametrize("content, words", [
    (b"", "the file is empty"),
    (b"\n  \n\t\n", "the file is empty"),
    (b"anna\n\xff\xfe\x00bob\n", "not a data file of UTF-8 text"),
    (b"anna\nbo\x00b\n", "line 2 holds a NUL byte"),
    (b"anna\nbob\n" + b"x" * 5000 + b"\n", "line 3 is 5000 characters long"),
])
def test_a_bad_data_file_is_refused_clearly(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as e:
        load_docs(path)
    assert str(path) in str(e.value) and words in str(e.value)


def test_a_data_path_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(DataFileError, match="named pipe"):
        load_docs(fifo)  # refused at once, never blocks
    with pytest.raises(DataFileError, match="too many|different characters"):
        parse_docs("".join(chr(0x4E00 + i) + "\n" for i in range(300)), "cjk.txt")


def test_one_tokens_forward_pass_is_a_fine_graph_with_softmax_nodes() -> None:
    trainer = GPTTrainer()
    loss = trainer.token_graph("emma", pos=1)
    order = topological_order(loss)
    ops = {n._op.symbol for n in order}
    assert {"exp", "**-1", "log", "relu", "+", "*"} <= ops and "dot" not in ops
    assert len(order) > 10_000
    labels = {n.label for n in order if n.label}
    # the tokens read so far: BOS (26) then 'e' (4), at positions 0 and 1
    assert {"wte[26][0]", "wte[4][15]", "wpe[1][0]", "layer0.attn_wq[0][0]"} <= labels
    assert "wte[12][0]" not in labels and "wpe[2][0]" not in labels  # 'm' comes later
    loss.backward()
    assert any(n.grad != 0.0 for n in order if n.label.startswith("layer0.attn_wk"))
