"""The viewer's own digit in the scenes (``NN_DIGIT``): each scene that follows one digit draws
the network's numbers on the photo's 28×28 image, says it is the viewer's, shows the photo once;
the scenes that need the true label stop with one line without it; the render command checks
the photo first and re-renders only the scenes that show it."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from scenes.text import tex_escape
from tests.conftest import ROOT
from tests.digit_photos import save_photo
from tests.scene_support import check_on_frame, render_scene


def first_of(labels, digit: int) -> int:
    return int(np.flatnonzero(np.asarray(labels) == digit)[0])


@pytest.fixture(scope="module")
def photo(mnist, tmp_path_factory):
    """A photo of the first test 7, named so its label is in the name."""
    folder = tmp_path_factory.mktemp("photos")
    i = first_of(mnist.test_labels, 7)
    return save_photo(mnist.test_images[i], folder / "seven_7.png", seed=1)


@pytest.fixture(scope="module")
def unlabelled(mnist, tmp_path_factory):
    folder = tmp_path_factory.mktemp("photos")
    return save_photo(mnist.test_images[first_of(mnist.test_labels, 4)], folder / "photo.jpg",
                      seed=2)


@pytest.fixture
def own(photo, monkeypatch):
    from network.handwriting import prepare

    monkeypatch.setenv("NN_DIGIT", str(photo))
    monkeypatch.delenv("NN_DIGIT_LABEL", raising=False)
    return prepare(photo)


def check_photo_shown(scene, photo, own):
    """The photo was shown once beside the 28×28 image the network reads."""
    intro = scene.own_digit_intro
    assert np.array_equal(intro.pixels.pixels, own.pixels)
    assert intro.photo.pixel_array.shape[2] == 4
    assert tex_escape(photo.name) in intro.captions[0].get_tex_string()
    assert "your digit" in " ".join(text for _, text in scene.narrations).lower()


@pytest.mark.slow
def test_forward_pass_reads_your_digit(mnist, quick_model, tex_dir, tmp_path, monkeypatch, own,
                                       photo):
    from scenes.chapter1 import ForwardPass

    scene, _ = render_scene(ForwardPass, mnist, quick_model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    net = quick_model.network
    assert np.array_equal(scene.digit.pixels, own.pixels)
    assert np.array_equal(scene.x, own.x)
    _, activations = net.forward(own.x)
    answer = int(np.argmax(activations[-1]))
    assert scene.prediction == scene.network_mobject.highlighted_index == answer
    assert scene.answer.get_value() == pytest.approx(activations[-1][answer], abs=1e-12)
    assert scene.label_text.get_tex_string() == "you wrote: 7"
    assert scene.image_caption.get_tex_string() == "your digit"
    check_photo_shown(scene, photo, own)
    check_on_frame(scene)


@pytest.mark.slow
def test_function_and_edge_scenes_use_your_digit(mnist, quick_model, tex_dir, tmp_path,
                                                 monkeypatch, own, photo):
    from scenes.chapter1 import EdgeDetectorNeuron, NetworkIsAFunction

    (tmp_path / "f").mkdir()
    (tmp_path / "e").mkdir()
    scene, _ = render_scene(NetworkIsAFunction, mnist, quick_model, tmp_path / "f", monkeypatch,
                            tex_dir=tex_dir, video=False)
    outputs = quick_model.network.feedforward(own.x)
    assert [d.get_value() for d in scene.output_values] == pytest.approx(list(outputs), abs=1e-12)
    assert [d.get_value() for d in scene.input_values] == pytest.approx(
        [own.x[i] for i in scene.shown_input_indices], abs=1e-12)
    assert scene.digit_caption.get_tex_string() == "your digit"
    check_photo_shown(scene, photo, own)

    scene, _ = render_scene(EdgeDetectorNeuron, mnist, quick_model, tmp_path / "e", monkeypatch,
                            tex_dir=tex_dir, video=False)
    assert scene.image_index is None and np.array_equal(scene.x, own.x)
    W = quick_model.network.weights[0]
    assert scene.real_neuron == int(np.argmax(W @ own.x))
    for panel in scene.panels.values():
        assert panel["total_value"] == pytest.approx(float(np.dot(panel["weights"], own.x)))
    total = scene.panels["designed"]["total_value"]
    share = np.mean(np.asarray(mnist.test_x, dtype=float) @ scene.panels["designed"]["weights"]
                    < total)
    assert f"more than for {100 * share:.0f}% of the" in scene.designed_sum_narration()
    check_photo_shown(scene, photo, own)


@pytest.mark.slow
def test_neuron_holds_a_number_of_your_digit(mnist, quick_model, tex_dir, tmp_path, monkeypatch,
                                             own, photo):
    from scenes.chapter1 import NeuronHoldsANumber

    scene, _ = render_scene(NeuronHoldsANumber, mnist, quick_model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    assert np.array_equal(scene.grid.pixels, own.pixels)
    assert scene.greys == [float(own.x[i]) for i in scene.grey_indices]
    assert scene.narrations[0][1].startswith("Your digit, a 7,")
    check_photo_shown(scene, photo, own)


@pytest.mark.slow
def test_cost_of_your_digit(mnist, quick_model, tex_dir, tmp_path, monkeypatch, own, photo):
    from scenes.chapter2 import CostOfOneExample

    scene, _ = render_scene(CostOfOneExample, mnist, quick_model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    a = quick_model.network.feedforward(own.x)
    y = np.eye(10)[7]
    trained = scene.breakdowns["trained"]
    assert trained.cost == pytest.approx(float(np.sum((a - y) ** 2)), rel=1e-9)
    assert scene.examples["trained"] == (None, 7)
    assert scene.digits["trained"].own and np.array_equal(scene.digits["trained"].pixels,
                                                          own.pixels)
    check_photo_shown(scene, photo, own)


@pytest.mark.slow
def test_one_example_wants_follows_your_digit(mnist, partial_model, tex_dir, tmp_path,
                                              monkeypatch, own, photo):
    from scenes.chapter3 import OneExampleWants

    scene, _ = render_scene(OneExampleWants, mnist, partial_model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    outputs = partial_model.network.feedforward(own.x)
    assert scene.example_index is None and scene.example_label == 7
    assert scene.outputs == pytest.approx(outputs, abs=1e-12)
    assert [d.get_value() for d in scene.wish_mobjects] == pytest.approx(
        list(np.eye(10)[7] - outputs), abs=1e-12)
    assert "your digit (a 7)" in scene.caption.get_tex_string()
    check_photo_shown(scene, photo, own)


def run_scene_file(scene: str, env: dict) -> subprocess.CompletedProcess:
    """``manim render`` of one scene, as a user runs it (stops before drawing if it cannot)."""
    chapter = {"CostOfOneExample": "chapter2", "OneExampleWants": "chapter3"}[scene]
    return subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "-s", "--dry_run",
                           f"scenes/{chapter}.py", scene], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_a_cost_scene_without_the_label_says_why_it_cannot_run(unlabelled, tmp_path):
    env = dict(os.environ, NN_DIGIT=str(unlabelled), NN_EXPLAINED_OFFLINE="1")
    env.pop("NN_DIGIT_LABEL", None)
    result = run_scene_file("CostOfOneExample", env)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr
    assert "CostOfOneExample needs the true digit of photo.jpg" in errors[0]
    assert "NN_DIGIT_LABEL" in errors[0]


def test_settings_check_the_digit_variables(photo, tmp_path):
    from scenes.settings import digit_from_env, problem

    assert digit_from_env({"NN_DIGIT": str(photo)}) == (photo, 7)
    assert digit_from_env({"NN_DIGIT": str(photo), "NN_DIGIT_LABEL": "1"}) == (photo, 1)
    assert digit_from_env({}) is None
    missing = problem({"NN_DIGIT": str(tmp_path / "nope.png")})
    assert "NN_DIGIT=" in missing and "no such file" in missing
    assert "a folder" in problem({"NN_DIGIT": str(tmp_path)})
    assert "0-9" in problem({"NN_DIGIT": str(photo), "NN_DIGIT_LABEL": "seven"})
    assert "NN_DIGIT is not" in problem({"NN_DIGIT_LABEL": "3"})


def test_render_command_checks_the_photo_and_the_label(photo, unlabelled, tmp_path, monkeypatch):
    from production.catalogue import SceneEntry
    from production.cli import own_digit_problem

    # own_digit_problem sets the variables for the scenes it renders: setenv first, so that
    # monkeypatch removes them again after the test.
    for name in ("NN_DIGIT", "NN_DIGIT_LABEL"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    cost = SceneEntry("scenes/chapter2.py", "CostOfOneExample", "Cost", 2, "labelled")
    forward = SceneEntry("scenes/chapter1.py", "ForwardPass", "Forward pass", 1, "any")
    args = lambda digit, label=None: SimpleNamespace(digit=digit, digit_label=label)  # noqa: E731

    problem = own_digit_problem(args(unlabelled), [forward, cost])
    assert "CostOfOneExample" in problem and "--digit-label" in problem
    assert own_digit_problem(args(unlabelled), [forward]) is None
    assert os.environ["NN_DIGIT"] == str(unlabelled.resolve())
    assert "NN_DIGIT_LABEL" not in os.environ
    assert own_digit_problem(args(unlabelled, "4"), [cost]) is None
    assert os.environ["NN_DIGIT_LABEL"] == "4"

    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    problem = own_digit_problem(args(text), [forward])
    assert problem.startswith("--digit: ") and "notes.png" in problem
    assert "\n" not in problem
    assert "needs --digit" in own_digit_problem(args(None, "3"), [forward])


def test_only_the_scenes_that_show_the_digit_render_again(photo, tmp_path):
    from production.catalogue import Quality, SceneEntry
    from production.fingerprint import scene_fingerprint

    quality = Quality("low")
    forward = SceneEntry("scenes/chapter1.py", "ForwardPass", "Forward pass", 1, "any")
    layers = SceneEntry("scenes/chapter1.py", "LayersOfTheNetwork", "Layers", 1, None)
    with_digit = {"NN_DIGIT": str(photo), "NN_DIGIT_LABEL": "7"}
    other = tmp_path / "other_7.png"
    other.write_bytes(photo.read_bytes() + b"\0")

    def fp(entry, environ):
        return scene_fingerprint(entry, quality, "model", slides=False, environ=environ)

    assert fp(layers, with_digit) == fp(layers, {})
    assert fp(forward, with_digit) != fp(forward, {})
    assert fp(forward, with_digit) != fp(forward, {**with_digit, "NN_DIGIT": str(other)})
    assert fp(forward, with_digit) != fp(forward, {**with_digit, "NN_DIGIT_LABEL": "1"})
