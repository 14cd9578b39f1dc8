"""The Train screen's pictures: boundary resolution and shading, curve ticks, train vs test."""

from __future__ import annotations

import dataclasses
import re
import time

import pytest

from engine.train import PRESETS
from micrograd_tui.app import MicrogradApp
from micrograd_tui.training import boundary
from micrograd_tui.training.curves import Chart, Series, render_chart
from micrograd_tui.training.plot_data import grid_axes
from micrograd_tui.training.screen import TrainScreen

MOONS = dataclasses.replace(PRESETS["moons-tanh"], steps=5)
FIELD_GLYPHS = {"▀", boundary.TRAIN_GLYPH, boundary.TEST_GLYPH}


def text_of(strip) -> str:
    return "".join(seg.text for seg in strip)


async def trained_screen(pilot, config) -> TrainScreen:
    screen = pilot.app.screen
    assert isinstance(screen, TrainScreen)
    screen.load_config(config)
    await pilot.pause()
    await pilot.press("ctrl+r")
    deadline = time.monotonic() + 60
    while screen.running or screen.step_count < config.steps:
        assert time.monotonic() < deadline
        await pilot.pause(0.02)
    await pilot.pause()
    return screen


def shaded_cells(plot) -> tuple[int, int]:
    """Shaded pixels across and down, read from what the plot renders (two per row down)."""
    widths = []
    for y in range(plot.size.height):
        line = text_of(plot.render_line(y))
        n = sum(ch in FIELD_GLYPHS for ch in line)
        if "▀" in line:  # a row of the field (not the legend, which shows the glyphs too)
            widths.append(n)
    return (max(widths) if widths else 0), 2 * len(widths)


@pytest.mark.parametrize("size, hide_form, least", [
    ((80, 24), True, (40, 24)),
    ((120, 40), False, (44, 36)),
], ids=["80x24-form-hidden", "120x40-form-shown"])
async def test_boundary_has_the_cells_the_issue_asks_for(size, hide_form, least):
    app = MicrogradApp(start_mode="train")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if hide_form:
            await pilot.press("ctrl+b")
            await pilot.pause()
        screen = await trained_screen(pilot, MOONS)
        across, down = shaded_cells(screen.model_plot)
        assert across >= least[0] and down >= least[1], (across, down)
        assert screen.model_plot.shaded_cells == (across, down)
        # train points (●) and, with a test split, test points (○) over the shading
        text = "".join(text_of(screen.model_plot.render_line(y))
                       for y in range(screen.model_plot.size.height))
        assert boundary.TRAIN_GLYPH in text and boundary.TEST_GLYPH in text
        assert "train" in text and "test" in text  # the legend


async def test_regression_shows_the_fit_with_train_and_test_points():
    app = MicrogradApp(start_mode="train")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await trained_screen(pilot, dataclasses.replace(PRESETS["regression"], steps=3))
        plot = screen.model_plot
        assert plot.kind == "curve"
        lines = [text_of(plot.render_line(y)) for y in range(plot.size.height)]
        body = "".join(lines[1:])
        assert re.search("[\u2801-\u28ff]", body)  # the fitted curve, in braille dots
        assert boundary.TRAIN_GLYPH in body and boundary.TEST_GLYPH in body
        assert "model" in lines[0] and "train" in lines[0] and "test" in lines[0]


def test_shading_is_pale_near_the_boundary_and_blue_orange_far_from_it():
    xs = [i / 10 - 1 for i in range(21)]
    ys = [0.0, 0.1]
    grid = [[4 * x for x in xs] for _ in ys]  # the score grows from left (-4) to right (+4)
    field = boundary.make_field(xs, ys, grid, 21, 1, False, ((), ()), ((), ()))
    row = field.levels[0]
    assert row[10] == 0 and abs(row[9]) < abs(row[0])  # pale at the boundary, surer away
    assert boundary.level_color(row[0]) == boundary.NEG_FAR   # far left: orange, saturated
    assert boundary.level_color(row[-1]) == boundary.POS_FAR  # far right: blue, saturated
    # a logit (BCE) is shaded by its probability: score 2 -> p = 0.88 -> 2p - 1 = 0.76
    assert boundary.confidence(2.0, True) == pytest.approx(2 * 0.8807970779778823 - 1)


def test_boundary_grid_keeps_the_data_aspect_ratio():
    X = [(-1.0, -0.5), (2.0, 1.0)]  # three times wider than tall
    xs, ys = grid_axes(X, 40, 40)
    assert xs[1] - xs[0] == pytest.approx(ys[1] - ys[0])  # one scale for x and y
    assert xs[0] < -1.0 and xs[-1] > 2.0 and ys[0] < -0.5 and ys[-1] > 1.0


def test_y_ticks_sit_on_the_rows_they_label_and_steps_are_integers():
    steps = list(range(1, 38))
    chart = Chart("Loss", [Series(steps, [0.5] * len(steps), (1, 2, 3), "train")], y_range=(0, 1))
    lines = [text_of(s) for s in render_chart(chart, 50, 12)]
    row = next(line for line in lines if line.strip().startswith("0.5"))
    assert re.search("[\u2801-\u28ff]", row)  # the flat curve at 0.5 is drawn on that row
    labels = [line.split("┤")[0].strip() for line in lines if "┤" in line]
    assert all(float(v) * 4 == round(float(v) * 4) for v in labels)  # round values
    ticks = lines[-1].split()
    assert ticks and all(t.isdigit() for t in ticks) and int(ticks[-1]) <= 37


def test_the_test_curve_never_hides_the_train_curve():
    steps = list(range(1, 30))
    train = Series(steps, [1 / k for k in steps], (10, 20, 30), "train")
    test = Series(steps, [1 / k for k in steps], (200, 100, 0), "test", "dashed")
    strips = render_chart(Chart("Loss", [train, test]), 40, 12)
    colours = {seg.style.color.triplet for s in strips[1:-1] for seg in s
               if seg.style is not None and seg.style.color is not None
               and re.search("[\u2801-\u28ff]", seg.text)}
    assert (10, 20, 30) in {tuple(c) for c in colours}
    assert (200, 100, 0) not in {tuple(c) for c in colours}  # same values: train on top
    legend = text_of(strips[0])
    assert "train" in legend and "test" in legend


def test_a_mid_run_picture_is_exact_where_the_model_is_asked_and_close_between():
    """While training, the boundary asks the model at every 3rd column and row (a ninth of
    the work) and interpolates; the picture it draws matches the exact one."""
    from engine.train import PRESETS, Trainer
    from micrograd_tui.training.run import RUN_PICTURE_COARSE
    from micrograd_tui.training.view import BoundaryAxes, compute_view

    trainer = Trainer(PRESETS["micrograd-demo"])
    for _ in zip(range(40), trainer.steps()):
        pass
    xs = [-2 + 4 * j / 61 for j in range(62)]
    ys = [-1.5 + 3 * i / 40 for i in range(41)]
    axes = BoundaryAxes(xs, ys)
    exact = compute_view(trainer, axes)
    coarse = compute_view(trainer, axes, RUN_PICTURE_COARSE)
    assert coarse.xs == exact.xs and coarse.ys == exact.ys
    k = RUN_PICTURE_COARSE
    for i in list(range(0, len(ys), k)) + [len(ys) - 1]:
        for j in list(range(0, len(xs), k)) + [len(xs) - 1]:
            assert coarse.grid[i][j] == exact.grid[i][j]
    cells = [(a, b) for ra, rb in zip(coarse.grid, exact.grid) for a, b in zip(ra, rb)]
    spread = max(b for _, b in cells) - min(b for _, b in cells)
    assert max(abs(a - b) for a, b in cells) < 0.1 * spread
    same_side = sum((a > 0) == (b > 0) for a, b in cells)
    assert same_side >= 0.97 * len(cells)
