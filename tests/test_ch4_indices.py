"""Chapter 4, more neurons, more indices: every index, factor, term and gradient entry the scenes
draw is recomputed here from chapter 3's partly trained network, with a forward pass written
out and central finite differences on the real network (not the project's backprop or
``network.calculus``), and compared with what the scenes show."""

import numpy as np
import pytest

from scenes import style
from scenes.ch4 import indices
from scenes.narration import unspeakable
from tests.scene_support import check_on_frame, render_scene

H = 1e-5   # central differences in float64: error ~ H² relative, rounding ~ 1e-16 / H


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def params(net):
    """Float64 copies of the weights and biases."""
    return ([np.array(w, dtype=np.float64) for w in net.weights],
            [np.array(b, dtype=np.float64) for b in net.biases])


def forward(ws, bs, x):
    """(zs, activations) of an all-sigmoid network, zs[l] for layer l (zs[0] None)."""
    acts, zs = [np.asarray(x, dtype=np.float64)], [None]
    for w, b in zip(ws, bs):
        zs.append(w @ acts[-1] + b)
        acts.append(sigmoid(zs[-1]))
    return zs, acts


def cost(ws, bs, x, label):
    """C₀ = Σⱼ (aⱼ − yⱼ)², no ½, as on screen."""
    out = forward(ws, bs, x)[1][-1]
    return float(np.sum((out - np.eye(len(out))[label]) ** 2))


def d_cost_d_param(ws, bs, x, label, kind, layer, where):
    """∂C₀ by central differences for one weight (kind "w", where (j, k)) or bias ("b", (j,))
    of ``layer`` (1-based), on copies."""
    ws, bs = [w.copy() for w in ws], [b.copy() for b in bs]
    p = (ws if kind == "w" else bs)[layer - 1]
    v = p[where]
    p[where] = v + H
    up = cost(ws, bs, x, label)
    p[where] = v - H
    down = cost(ws, bs, x, label)
    return (up - down) / (2 * H)


def d_cost_d_hidden(ws, bs, x, label, k):
    """∂C₀/∂a_k⁽ᴸ⁻¹⁾ by central differences: the last hidden activation nudged, the last layer
    run again."""
    _, acts = forward(ws, bs, x)
    a, y = acts[-2].copy(), np.eye(ws[-1].shape[0])[label]

    def c(ak):
        a[k] = ak
        return float(np.sum((sigmoid(ws[-1] @ a + bs[-1]) - y) ** 2))

    v = a[k]
    return (c(v + H) - c(v - H)) / (2 * H)


def story(mnist, ws, bs):
    """The first training 2 the network gets wrong (else the first 2), by a plain loop."""
    first = None
    for i, label in enumerate(mnist.train_labels):
        if label == 2:
            x = np.asarray(mnist.train_x[i], dtype=np.float64)
            first = i if first is None else first
            if np.argmax(forward(ws, bs, x)[1][-1]) != 2:
                return i, x
    return first, np.asarray(mnist.train_x[first], dtype=np.float64)


def chain_by_hand(ws, bs, x, label):
    """zs, activations, σ′(z) per layer and ∂C₀/∂a per layer, by the chain rule written out."""
    zs, acts = forward(ws, bs, x)
    L = len(ws)
    slope = [None] + [sigmoid(z) * (1 - sigmoid(z)) for z in zs[1:]]
    dC_da = [None] * (L + 1)
    dC_da[L] = 2 * (acts[L] - np.eye(len(acts[L]))[label])
    for l in range(L, 0, -1):
        dC_da[l - 1] = np.array([sum(ws[l - 1][j, k] * slope[l][j] * dC_da[l][j]
                                     for j in range(ws[l - 1].shape[0]))
                                 for k in range(ws[l - 1].shape[1])])
    return zs, acts, slope, dC_da


def shows(decimal, value, rel=1e-6, abs_=1e-9):
    """A DecimalNumber holds ``value`` and shows it with enough digits to read it."""
    assert decimal.get_value() == pytest.approx(value, rel=rel, abs=abs_)


def check_speakable(scene):
    for beat in scene.beat_log:
        assert unspeakable(beat["spoken"]) == "", beat["spoken"]


@pytest.fixture
def story_numbers(mnist, partial_model):
    net = partial_model.network
    assert net.activation == "sigmoid" and net.cost_name == "quadratic"
    ws, bs = params(net)
    i, x = story(mnist, ws, bs)
    label = int(mnist.train_labels[i])
    zs, acts, slope, dC_da = chain_by_hand(ws, bs, x, label)
    L = len(ws)
    j = label
    k = int(np.argmax(np.abs(acts[L - 1] * slope[L][j] * dC_da[L][j])))
    return dict(net=net, ws=ws, bs=bs, i=i, x=x, label=label, zs=zs, acts=acts, slope=slope,
                dC_da=dC_da, L=L, j=j, k=k)


@pytest.mark.slow
def test_more_neurons_more_indices(mnist, partial_model, story_numbers, tmp_path, monkeypatch,
                                   tex_dir):
    scene, _ = render_scene(indices.MoreNeuronsMoreIndices, mnist, partial_model, tmp_path,
                            monkeypatch, tex_dir=tex_dir, video=False)
    s = story_numbers
    ws, bs, x, label, L, j, k = (s[n] for n in ("ws", "bs", "x", "label", "L", "j", "k"))
    assert scene.example_index == s["i"] and scene.label == label == 2
    # j is the label's output neuron, k the hidden neuron whose weight into j matters most;
    # the indices drawn are the weight's row and column in weights[L - 1].
    assert (scene.j, scene.k) == (j, k)
    assert (scene.j_number.get_value(), scene.k_number.get_value()) == (j, k)
    assert scene.weight == ws[L - 1][j, k]
    shows(scene.weight_number, ws[L - 1][j, k])
    assert scene.weight_number.get_color() == style.PALETTE.sign_color(ws[L - 1][j, k])
    assert f"{j},{k}" in scene.weight_line[0][0][2].tex_string
    # The highlighted edge and neurons are w_jk's: from neuron k of layer L-1 to j of layer L.
    nm = scene.network_mobject
    edge = scene.weight_edge
    assert (edge.source, edge.target) == (k, j) and edge.weight == pytest.approx(ws[L - 1][j, k])
    assert edge in nm.edges_into(L)
    assert scene.neuron_j is nm.neuron(L, j) and scene.neuron_k is nm.neuron(L - 1, k)
    np.testing.assert_allclose(scene.ring_j.get_center(), scene.neuron_j.get_center(), atol=1e-6)
    np.testing.assert_allclose(scene.ring_k.get_center(), scene.neuron_k.get_center(), atol=1e-6)
    start, end = scene.weight_glow.get_start(), scene.weight_glow.get_end()
    r = scene.neuron_k.width / 2
    assert np.linalg.norm(start - scene.neuron_k.get_center()) == pytest.approx(r, abs=0.02)
    assert np.linalg.norm(end - scene.neuron_j.get_center()) == pytest.approx(r, abs=0.02)
    assert [lb.neuron_index for lb in scene.k_labels] == list(range(16))
    assert nm.output_label(j).get_color() == style.PALETTE.highlight
    # The drawn fills are the story example's real activations.
    np.testing.assert_allclose(nm.shown_activations(L - 1), s["acts"][L - 1], atol=1e-6)
    np.testing.assert_allclose(nm.shown_activations(L), s["acts"][L], atol=1e-6)

    # C₀ and the three factors, by hand; their product by finite differences on w_jk.
    shows(scene.cost_number, cost(ws, bs, x, label))
    a_k, slope_j = s["acts"][L - 1][k], s["slope"][L][j]
    out = 2 * (s["acts"][L][j] - 1.0)
    for shown, value in zip(scene.factor_numbers, (a_k, slope_j, out)):
        shows(shown, value)
    numeric = d_cost_d_param(ws, bs, x, label, "w", L, (j, k))
    shows(scene.product_number, numeric, rel=1e-6)
    assert scene.product_number.get_value() == pytest.approx(a_k * slope_j * out, rel=1e-9)
    # At least three significant digits, coloured by sign where a sign means something.
    for d in [*scene.factor_numbers, scene.product_number]:
        assert abs(d.get_value()) >= 100 * 10.0 ** -d.num_decimal_places
    assert scene.product_number.get_color() == style.PALETTE.sign_color(numeric)
    # The spoken numbers are the drawn ones, rounded as shown.
    said = dict(scene.narrations)
    assert f"{a_k:.{scene.factor_numbers[0].num_decimal_places}f}" in said["values"]
    assert (f"{abs(numeric):.{scene.product_number.num_decimal_places}f}"
            in said["values"])
    check_speakable(scene)
    check_on_frame(scene)


@pytest.mark.slow
def test_many_paths_back(mnist, partial_model, story_numbers, tmp_path, monkeypatch, tex_dir):
    scene, _ = render_scene(indices.ManyPathsBack, mnist, partial_model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    s = story_numbers
    ws, bs, x, label, L, k = (s[n] for n in ("ws", "bs", "x", "label", "L", "k"))
    n_out = ws[-1].shape[0]
    assert scene.k == k
    # One path per output neuron: the drawn edge from k to j, glowing in its term's colour.
    terms = np.array([ws[L - 1][j, k] * s["slope"][L][j] * 2 * (s["acts"][L][j] - (j == label))
                      for j in range(n_out)])
    nm = scene.network_mobject
    assert sorted(scene.path_edges) == list(range(n_out))
    for j, edge in scene.path_edges.items():
        assert (edge.source, edge.target) == (k, j) and edge in nm.edges_into(L)
        assert scene.path_glows[j].get_color() == style.PALETTE.sign_color(terms[j])
        # Row j of the table is level with output neuron j.
        for col in (scene.weight_numbers, scene.slope_numbers, scene.output_numbers,
                    scene.term_numbers):
            assert col[j].get_center()[1] == pytest.approx(nm.neuron(L, j).get_center()[1],
                                                           abs=1e-6)
        shows(scene.weight_numbers[j], ws[L - 1][j, k])
        shows(scene.slope_numbers[j], s["slope"][L][j])
        shows(scene.output_numbers[j], 2 * (s["acts"][L][j] - (j == label)))
        shows(scene.term_numbers[j], terms[j], abs_=1e-12)
        shows(scene.wish_numbers[j], -terms[j], abs_=1e-12)
    # The sum of the paths is ∂C₀/∂a_k by finite differences, and backprop's value.
    numeric = d_cost_d_hidden(ws, bs, x, label, k)
    assert terms.sum() == pytest.approx(numeric, rel=1e-6)
    shows(scene.total_number, numeric)
    shows(scene.backprop_number, numeric)
    shows(scene.wish_total_number, -numeric)
    assert scene.backprop_value == pytest.approx(
        float(partial_model.network.backprop(x, label).activations[L - 1][k]), rel=1e-9)
    # The terms share one number of decimals with their sum, so the column visibly adds up.
    d = scene.total_number.num_decimal_places
    assert all(t.num_decimal_places == d for t in scene.term_numbers)
    assert abs(np.round(terms, d).sum() - round(numeric, d)) <= n_out * 0.5 * 10.0 ** -d
    said = dict(scene.narrations)
    assert "sum of desires" in said["desires"]
    assert f"{abs(numeric):.{d}f}" in said["sum"]
    check_speakable(scene)
    check_on_frame(scene)


@pytest.mark.slow
def test_gradient_from_the_chain(mnist, partial_model, story_numbers, tmp_path, monkeypatch,
                                 tex_dir):
    scene, _ = render_scene(indices.GradientFromTheChain, mnist, partial_model, tmp_path,
                            monkeypatch, tex_dir=tex_dir, video=False)
    s = story_numbers
    ws, bs, x, label, L = (s[n] for n in ("ws", "bs", "x", "label", "L"))
    dC_da, slope, acts = s["dC_da"], s["slope"], s["acts"]
    # Two entries a layer, every layer 1..L, each equal to finite differences of C₀.
    assert [(e["layer"], e["kind"]) for e in scene.entries] == [
        (l, kind) for l in range(1, L + 1) for kind in ("w", "b")]
    for e in scene.entries:
        l, j, k = e["layer"], e["j"], e["k"]
        if l == L:
            assert j == label and k in (s["k"], None)
        else:   # the neuron of layer l the cost is most sensitive to
            assert j == int(np.argmax(np.abs(dC_da[l])))
        if e["kind"] == "w":
            assert k == int(np.argmax(np.abs(acts[l - 1] * slope[l][j] * dC_da[l][j])))
            numeric = d_cost_d_param(ws, bs, x, label, "w", l, (j, k))
            by_chain = acts[l - 1][k] * slope[l][j] * dC_da[l][j]
            name = f"w_{{{j},{k}}}^{{({l})}}"
        else:
            numeric = d_cost_d_param(ws, bs, x, label, "b", l, (j,))
            by_chain = slope[l][j] * dC_da[l][j]
            name = f"b_{{{j}}}^{{({l})}}"
        assert by_chain == pytest.approx(numeric, rel=1e-6, abs=1e-10)
        shows(e["number"], numeric, rel=1e-6, abs_=1e-10)
        assert e["value"] == pytest.approx(by_chain, rel=1e-9, abs=1e-14)
        label_tex = scene.entry_labels[scene.entries.index(e)]
        assert name in "".join(part.tex_string for part in label_tex)
        if round(numeric, e["number"].num_decimal_places) != 0:
            assert e["number"].get_color() == style.PALETTE.sign_color(numeric)
    # The worked line of each layer: its weight entry as the product of its three factors.
    for l in range(1, L + 1):
        w = next(e for e in scene.entries if e["layer"] == l and e["kind"] == "w")
        j, k = w["j"], w["k"]
        line = scene.worked[l]
        for shown, value in zip(line.factor_numbers, (acts[l - 1][k], slope[l][j], dC_da[l][j])):
            shows(shown, value)
        shows(line.product_number, w["number"].get_value(), rel=1e-12)
    # The three summary formulas are on screen at the end, with the column.
    on_screen = {m for mob in scene.mobjects for m in mob.get_family()}
    for f in scene.formulas.values():
        assert f in on_screen
    assert scene.entries[0]["number"] in on_screen and scene.brackets in on_screen
    assert [n for n, _ in scene.narrations] == (
        ["gradient"] + [f"layer {l}" for l in range(L, 0, -1)] + ["summary"])
    check_speakable(scene)
    check_on_frame(scene)
