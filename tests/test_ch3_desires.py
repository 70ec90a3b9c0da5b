"""Chapter 3, adding up wishes and averaging over examples: every arrow and number drawn is
recomputed here from the partly trained network (by hand where it is short) and compared with
what the scene shows."""

import numpy as np
import pytest

from scenes import style
from scenes.ch3 import desires
from scenes.ch3.desires import signed_arrow_length, wishes
from scenes.text import parameter_name
from tests.scene_support import check_on_frame, check_subtitles, render_scene


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def by_hand(net, x):
    """Weighted sums and activations of a sigmoid network, written out."""
    a, zs, acts = np.asarray(x, dtype=float), [], [np.asarray(x, dtype=float)]
    for W, b in zip(net.weights, net.biases):
        z = W @ a + b
        a = sig(z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def check_arrows(arrows, values, scale, tol=0.021):
    """Each arrow's signed length is ``scale * value`` (values under ~0.02 long are dots) and its
    colour the value's sign."""
    for arrow in arrows:
        v = values[arrow.neuron_index]
        assert signed_arrow_length(arrow) == pytest.approx(scale * v, abs=tol)
        if abs(scale * v) >= 0.05:
            assert arrow.get_color() == style.PALETTE.sign_color(v)


def test_sum_of_desires_is_backprop(mnist, partial_model, tmp_path, monkeypatch, tex_dir):
    # No reading pauses: the test checks what is drawn, not the pace.
    scene, video = render_scene(desires.SumOfDesires, mnist, partial_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5, reading_chars_per_second=0)
    net = partial_model.network
    i = scene.example_index
    x, label = np.asarray(mnist.train_x[i], dtype=float), int(mnist.train_labels[i])
    assert label == 2 and scene.example_label == 2
    np.testing.assert_allclose(scene.digit.values.ravel(), x, atol=1 / 255)

    zs, acts = by_hand(net, x)
    y = np.eye(10)[label]
    grad = net.backprop(x, label)
    # The output layer wants -dC/da = -2(a - y): up for the 2, down for the rest.
    out_nudge = -2 * (acts[-1] - y)
    np.testing.assert_allclose(scene.step_nudges[0], out_nudge, atol=1e-12)
    assert scene.target_scale[0] == pytest.approx(scene.max_target_arrow / np.abs(out_nudge).max())
    check_arrows(scene.target_arrows[0], out_nudge, scene.target_scale[0])
    assert signed_arrow_length(scene.target_arrows[0][label]) > 0
    # The drawn pair shows the real activations of the last two layers.
    pm = scene.pair_mobjects[0]
    np.testing.assert_allclose(pm.shown_activations(0), acts[-2], atol=1e-6)
    np.testing.assert_allclose(pm.shown_activations(1), acts[-1], atol=1e-6)

    # Step back through two layer pairs: wishes by hand, sums = backprop's -dC/da.
    nudge = out_nudge
    for s, l in enumerate((len(net.weights) - 1, len(net.weights) - 2)):
        W = net.weights[l]
        wish = (nudge * sig(zs[l]) * (1 - sig(zs[l])))[None, :] * W.T   # wish[k, j]
        np.testing.assert_allclose(scene.step_wishes[s], wish, atol=1e-12)
        total = wish.sum(axis=1)
        np.testing.assert_allclose(total, -grad.activations[l], atol=1e-10)
        np.testing.assert_allclose(scene.step_sums[s], total, atol=1e-12)
        # Every column of arrows is drawn, at one scale, the longest exactly max_arrow long.
        assert sorted(scene.wish_arrows[s]) == list(range(W.shape[0]))
        scale = scene.wish_scale[s]
        assert scale == pytest.approx(scene.max_arrow / np.abs(wish).max())
        for j, col in scene.wish_arrows[s].items():
            assert len(col) == W.shape[1]
            check_arrows(col, wish[:, j], scale)
            assert col[0].get_center()[0] == pytest.approx(scene.column_x(s, j), abs=1e-6)
            # each arrow stands in the row of the neuron it is a wish for
            for arrow in col:
                neuron = scene.pair_mobjects[s].neuron(0, arrow.neuron_index)
                assert arrow.get_center()[1] == pytest.approx(neuron.get_center()[1], abs=1e-6)
        # The sum: arrows and numbers.
        check_arrows(scene.sum_arrows[s], total, scene.sum_scale[s])
        for d in scene.sum_numbers[s]:
            v = total[d.neuron_index]
            assert d.get_value() == pytest.approx(v, abs=1e-12)
            assert d.num_decimal_places == 2
            assert d.get_color() == style.PALETTE.sign_color(v)
        nudge = total
        # Fills of the pair drawn for this step.
        np.testing.assert_allclose(scene.pair_mobjects[s].shown_activations(0), acts[l], atol=1e-6)

    # The sums carried back are the next step's wishes.
    np.testing.assert_allclose(scene.step_nudges[1], -grad.activations[-2], atol=1e-10)
    check_arrows(scene.target_arrows[1], scene.step_nudges[1], scene.target_scale[1])

    # The narration and the caption: what the network answered, which neuron's wishes come
    # second, and how the network was trained, from its settings.
    said = dict(scene.narrations)
    guess = int(np.argmax(acts[-1]))
    assert said["example"].endswith(f"the output says {guess}{', rightly' if guess == 2 else ''}.")
    rival = guess if guess != 2 else int(np.argsort(-acts[-1])[1])
    who = "the network's answer" if rival == guess else "the brightest of the wrong outputs"
    assert said["second column"].startswith(f"The {desires.WORDS[rival]} neuron, {who}, wants to be dimmer")
    assert rival in scene.wish_arrows[0]
    config = partial_model.config
    assert (f"one pass over the first {config.train_subset:,} training images"
            in scene.story_caption.get_tex_string())

    check_subtitles(scene, video, min_beats=8, in_order=True)
    check_on_frame(scene)


def test_wishes_and_layer_pair_complain_clearly(partial_model):
    net = partial_model.network
    with pytest.raises(ValueError, match="layer pair 3 does not exist"):
        desires.layer_pair(net, 3)
    zs, _ = net.forward(np.zeros(784))
    w = wishes(net, zs, np.ones(10), 2)
    assert w.shape == (16, 10)


def test_average_over_examples_is_minus_the_gradient(mnist, partial_model, tmp_path, monkeypatch,
                                                     tex_dir):
    scene, video = render_scene(desires.AverageOverExamples, mnist, partial_model, tmp_path,
                                monkeypatch, tex_dir=tex_dir, frame_rate=5)
    net = partial_model.network
    n = net.num_parameters
    # Columns: the story example first, then the first training images.
    idx = scene.example_indices
    assert idx[0] == scene.example_index and mnist.train_labels[idx[0]] == 2
    assert idx[1:] == [i for i in range(10) if i != idx[0]][:scene.extra_examples]
    for i, img in zip(idx, scene.header_images):
        np.testing.assert_allclose(img.values.ravel(), mnist.train_x[i], atol=1 / 255)
    x = np.asarray(mnist.train_x[idx], dtype=float)
    labels = np.asarray(mnist.train_labels[idx]).astype(int)
    assert scene.example_labels == list(labels)

    # Rows: first weights, the last parameter included, named in flat_parameters order.
    rows = scene.value_rows
    assert rows[:2] == [0, 1] and rows[-1] == n - 1 and rows[-2] == n - 2
    assert scene.row_names[0] == "w_{0}" and scene.row_names[-1] == "b_{41}"
    assert [m.get_tex_string() for m in scene.row_labels] == [parameter_name(net, k) for k in rows]

    # Each cell: that example's own -dC/dθ; the last bias also by hand, -2(a - y) σ'(z).
    per_example = np.array([-net.backprop(xi, yi).flat() for xi, yi in zip(x, labels)])
    average = -net.backprop(x, labels).flat()
    for c, (xi, yi) in enumerate(zip(x, labels)):
        zs, acts = by_hand(net, xi)
        a, z = acts[-1][9], zs[-1][9]
        assert per_example[c, n - 1] == pytest.approx(-2 * (a - (yi == 9)) * sig(z) * (1 - sig(z)))
    for r, k in enumerate(rows):
        shown = np.array([d.get_value() for d in scene.cell_numbers[r]])
        np.testing.assert_allclose(shown, per_example[:, k], atol=1e-12)
        # The average column is the row mean, and equals -∇C on the examples together.
        avg = scene.average_numbers[r].get_value()
        assert avg == pytest.approx(shown.mean(), abs=1e-12)
        assert avg == pytest.approx(average[k], abs=1e-12)
        # Enough digits that the rounded cells visibly average to the rounded average.
        dec = scene.row_decimals[r]
        assert all(d.num_decimal_places == dec for d in [*scene.cell_numbers[r], scene.average_numbers[r]])
        unit = 10.0 ** -dec
        assert abs(np.round(shown, dec).mean() - round(avg, dec)) <= unit * 1.01
        largest = np.abs(np.append(shown, avg)).max()
        assert largest == 0 or largest >= 100 * unit  # at least three significant digits
    # The row the narration names is the one whose examples disagree most evenly in sign,
    # spoken as its name reads ("w 12,846", "b 40").
    said = dict(scene.narrations)
    scores = [min(per_example[:, k][per_example[:, k] > 0].sum(),
                  -per_example[:, k][per_example[:, k] < 0].sum()) for k in rows]
    if max(scores) > 0:
        k = rows[int(np.argmax(scores))]
        name = parameter_name(net, k).replace("{,}", ",").replace("_{", " ").replace("}", "")
        assert f"like on {name}, their nudges partly cancel" in said["disagree"]
        assert "{" not in said["disagree"]
    check_subtitles(scene, video, min_beats=3, in_order=True)
    check_on_frame(scene)
