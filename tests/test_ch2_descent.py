"""Chapter 2, gradient descent on a curve: every ball position, tangent, step and readout is
recomputed from the function's exact derivative and compared with what the scene drew."""

import numpy as np
import pytest

from network.descent import valleys
from scenes.ch2 import descent
from tests.scene_support import check_on_frame, check_subtitles, render_scene


def c(w):
    """The drawn function written out independently: 0.12 w² + 0.2 w + 1 − 0.8 cos 2w."""
    return 0.12 * w ** 2 + 0.2 * w + 1.0 - 0.8 * np.cos(2.0 * w)


def c_prime(w):
    return 0.24 * w + 0.2 + 1.6 * np.sin(2.0 * w)


def test_single_variable_descent_steps_are_real(tmp_path, monkeypatch, tex_dir):
    scene, video = render_scene(descent.SingleVariableDescent, None, None, tmp_path, monkeypatch,
                                tex_dir=tex_dir)
    ax, eta = scene.axes, scene.eta
    assert scene.curve_function == valleys()

    # The curve drawn is C.
    for t in np.linspace(0.01, 0.99, 15):
        w, y = ax.p2c(scene.graph.point_from_proportion(t))
        assert y == pytest.approx(c(w), abs=2e-3)

    # Every ball's path: gradient-descent iterates of C, recomputed step by step.
    assert set(scene.paths) == {scene.lead_start, *scene.starts}
    ends = set()
    for w0, path in scene.paths.items():
        assert path[0] == w0 and len(path) == scene.steps + 1
        for k in range(scene.steps):
            assert path[k + 1] == pytest.approx(path[k] - eta * c_prime(path[k]), abs=1e-12)
        # the ball sits on the curve at its last iterate
        w, y = ax.p2c(scene.balls[w0].body.get_center())
        assert w == pytest.approx(path[-1], abs=1e-6) and y == pytest.approx(c(path[-1]), abs=1e-6)
        ends.add(round(float(path[-1]), 1))
    assert len(ends) == 3  # three different valleys
    assert scene.balls[scene.lead_start] is scene.lead_ball

    # Step arrows run from w_k to w_{k+1} = w_k - eta C'(w_k); steps shrink near the bottom.
    lead = scene.lead_path
    assert len(scene.step_arrows) == scene.lead_steps
    for k, (w, w_next, arrow) in enumerate(scene.step_arrows):
        assert (w, w_next) == (lead[k], lead[k + 1])
        assert ax.p2c(arrow.get_start())[0] == pytest.approx(w, abs=1e-6)
        assert ax.p2c(arrow.get_end())[0] == pytest.approx(w_next, abs=1e-6)
    steps = np.abs(np.diff(lead))
    assert steps[-1] < steps[1] / 100

    # Tangents: through the ball's point with slope C'(w).
    assert [w for w, _ in scene.tangents] == list(lead[:scene.lead_steps + 1])
    for w, line in scene.tangents:
        (w1, y1), (w2, y2) = ax.p2c(line.get_start()), ax.p2c(line.get_end())
        assert (y2 - y1) / (w2 - w1) == pytest.approx(c_prime(w), rel=1e-6)
        assert y1 + (w - w1) * (y2 - y1) / (w2 - w1) == pytest.approx(c(w), abs=1e-6)

    # The readouts end on the lead ball's last iterate.
    w_end = lead[-1]
    assert scene.w_number.get_value() == pytest.approx(w_end, abs=1e-12)
    assert scene.slope_number.get_value() == pytest.approx(c_prime(w_end), abs=1e-9)
    assert scene.step_number.get_value() == pytest.approx(-eta * c_prime(w_end), abs=1e-9)
    assert f"{eta:g}" in scene.rule_eta.get_tex_string()

    # The marks stand on the three real minima, and "lowest" on the deepest.
    minima = valleys().minima
    assert len(scene.minimum_marks) == 3
    for mark, m in zip(scene.minimum_marks, minima):
        assert ax.p2c(mark.get_start())[0] == pytest.approx(m, abs=1e-6)
        assert abs(c_prime(m)) < 1e-9
    lowest = min(minima, key=c)
    assert ax.p2c(scene.lowest_label.get_center())[0] == pytest.approx(lowest, abs=1e-6)

    # The narration's facts, recomputed from the iterates.
    narr = dict(scene.narrations)
    slope = c_prime(scene.lead_start)
    assert f"C'({scene.lead_start:g}) = {slope:.2f}" in narr["slope"]
    assert ("tilted up to the right, so step left" in narr["slope"]) == (slope > 0)
    assert ("tilted up to the left, so step right" in narr["slope"]) == (slope < 0)
    k = int(np.argmax(steps))
    assert 0 < k < len(steps) - 1, "the lead ball's steps grow, then shrink"
    assert f"grow from {steps[0]:.2f} to {steps[k]:.2f}" in narr["steps"]
    shrinking = all(b < a for a, b in zip(steps[k:], steps[k + 1:]))
    at_bottom = min(abs(lead[-1] - m) for m in minima) < 0.01
    assert shrinking and at_bottom
    assert narr["steps"].endswith(f"then shrink to {descent.number_text(steps[-1], 1)} near the bottom.")
    assert float(descent.number_text(steps[-1], 1)) == pytest.approx(steps[-1], rel=0.5)
    valley = {w0: int(np.argmin([abs(path[-1] - m) for m in minima])) for w0, path in scene.paths.items()}
    others = [valley[w0] for w0 in scene.starts]
    deepest = int(np.argmin([c(m) for m in minima]))
    elsewhere = sum(v != valley[scene.lead_start] for v in others)
    assert narr["valleys"].startswith(f"{len(scene.starts)} more balls, dropped elsewhere: "
                                      f"{elsewhere} of them roll into valleys other than the first ball's; "
                                      f"{len(set(valley.values()))} valleys in all.")
    in_lowest = sum(v == deepest for v in others)
    assert 0 < in_lowest < len(others)
    assert f"only {in_lowest} of the {len(others)} in the lowest" in narr["valleys"]

    check_subtitles(scene, video, min_beats=4, in_order=True, seconds=(20, 60))
    check_on_frame(scene)


def test_descent_narration_follows_other_paths(monkeypatch):
    """The step narration changes with the iterates: a start on the bottom's slope whose steps
    only shrink, and a rate so large that the steps never settle."""
    scene = descent.SingleVariableDescent.__new__(descent.SingleVariableDescent)
    scene.curve_function = valleys()
    minima = scene.curve_function.minima
    scene.eta, scene.lead_start, scene.steps = 0.2, minima[1] + 0.05, 10
    scene.lead_path = descent.descent_1d(scene.curve_function.derivative, scene.lead_start,
                                         scene.eta, scene.steps)
    text = scene.steps_narration()
    assert "is the biggest" in text and "grow" not in text and text.endswith("near the bottom.")
    scene.eta = 1.2   # overshoots back and forth
    scene.lead_path = descent.descent_1d(scene.curve_function.derivative, scene.lead_start,
                                         scene.eta, scene.steps)
    steps = np.abs(np.diff(scene.lead_path))
    text = scene.steps_narration()
    shrinking = all(b < a for a, b in zip(steps[np.argmax(steps):], steps[np.argmax(steps) + 1:]))
    assert ("near the bottom" in text) == (shrinking and min(abs(scene.lead_path[-1] - m)
                                                             for m in minima) < 0.01)
