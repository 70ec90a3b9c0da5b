"""Chapter 4's numbers: the chain rule behind backpropagation, factor by factor, for any
``Network`` (the 1-1-1-1 chain of ``network.chain`` and the video's 784-16-16-10 alike).

Indexing follows the video. Layer 0 is the input and L = ``len(network.weights)`` the output
layer; "layer l" (1 <= l <= L) has the weighted sums z⁽ˡ⁾, activations a⁽ˡ⁾, weights w⁽ˡ⁾ and
biases b⁽ˡ⁾, stored as::

    w_jk⁽ˡ⁾ = network.weights[l - 1][j, k]     b_j⁽ˡ⁾ = network.biases[l - 1][j]
    z_j⁽ˡ⁾ = Σ_k w_jk⁽ˡ⁾ a_k⁽ˡ⁻¹⁾ + b_j⁽ˡ⁾      a_j⁽ˡ⁾ = σ(z_j⁽ˡ⁾)

with 0-based neuron indices: j counts the neurons of layer l, k those of layer l − 1, and
they are exactly the positions in the weight matrices (row j, column k). The cost of one
example is the network's own: for the video's quadratic cost C₀ = Σ_j (a_j⁽ᴸ⁾ − y_j)² (no ½,
as on screen), so ∂C₀/∂a_j⁽ᴸ⁾ = 2(a_j⁽ᴸ⁾ − y_j); for a cross-entropy network its cost and
slope. Hidden layers use the network's activation (σ′ below means its slope, ReLU's for a
ReLU network); the output layer is always a sigmoid.

``y`` is what the example should give: a label (a whole number) for a network of several
outputs, which means the one-hot row, or the desired output activations themselves (one
number for the chain).

Everything is computed in float64, on a float64 copy of the network, even when the network
stores float32: these numbers are checked against finite differences, and in float32
(7 significant digits) a difference quotient (C(w + h) − C(w − h)) / 2h with a small h
would be mostly rounding error.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .model import Gradient, Network, one_hot, relu_prime, sigmoid_prime


# ---------------------------------------------------------------- one example, every layer
@dataclass(frozen=True)
class Backward:
    """One example's forward and backward pass in float64, indexed by layer l = 0..L:
    ``a[l]`` the activations a⁽ˡ⁾ (``a[0]`` the input), and for l >= 1 ``z[l]`` the weighted
    sums, ``slope[l]`` σ′(z⁽ˡ⁾) and ``w[l]``, ``b[l]`` the parameters; ``dC_da[l]`` is
    ∂C₀/∂a⁽ˡ⁾ for every l (``dC_da[0]``: the input's). Index 0 of ``z``, ``slope``, ``w``,
    ``b`` is None. ``y`` is the desired output row and ``cost`` C₀."""

    a: list
    z: list
    slope: list
    w: list
    b: list
    dC_da: list
    y: np.ndarray
    cost: float

    @property
    def L(self) -> int:
        return len(self.a) - 1


def desired_output(network: Network, y) -> np.ndarray:
    """``y`` as the float64 row of desired output activations: a label (whole number) of a
    network with several outputs becomes its one-hot row; anything else is taken as the
    desired activations. ValueError if that is not one number per output neuron."""
    n_out = network.sizes[-1]
    if n_out > 1 and isinstance(y, numbers.Integral) and not isinstance(y, bool):
        return one_hot([int(y)], n_out)[0]
    row = np.asarray(y, dtype=np.float64).reshape(-1)
    if row.size != n_out or not np.isfinite(row).all():
        raise ValueError(f"expected a label or {n_out} finite desired outputs, got {y!r}")
    return row


def example_cost(network: Network, output: np.ndarray, y: np.ndarray) -> float:
    """C₀ of one example from its output activations: Σ(a − y)² for the quadratic cost."""
    return float(network.example_costs(np.asarray(output, dtype=np.float64)[None], y[None])[0])


def _cost_slope(network: Network, output: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂C₀/∂a⁽ᴸ⁾: 2(a − y) for the quadratic cost, (a − y) / (a(1 − a)) for the cross-entropy."""
    if network.cost_name == "quadratic":
        return 2.0 * (output - y)
    a = np.clip(output, 1e-12, 1 - 1e-12)  # as the network's own cost clips
    return (a - y) / (a * (1.0 - a))


def _slope(network: Network, layer: int, z: np.ndarray) -> np.ndarray:
    """σ′(z) for ``layer`` (1-based): the sigmoid's slope on the output layer, the hidden
    activation's below it."""
    if layer == len(network.weights) or network.activation == "sigmoid":
        return sigmoid_prime(z)
    return relu_prime(z)


def backward(network: Network, x, y) -> Backward:
    """The ``Backward`` pass of one example ``x`` (its input activations) with desired output
    ``y``, computed in float64 with the chain rule alone:
    ∂C₀/∂a_k⁽ˡ⁻¹⁾ = Σ_j w_jk⁽ˡ⁾ σ′(z_j⁽ˡ⁾) ∂C₀/∂a_j⁽ˡ⁾, from ∂C₀/∂a⁽ᴸ⁾ down."""
    net = network.astype(np.float64)
    zs, activations = net.forward(np.asarray(x, dtype=np.float64).reshape(-1))
    y = desired_output(net, y)
    L = len(net.weights)
    z, a = [None] + list(zs), list(activations)
    w, b = [None] + net.weights, [None] + net.biases
    slope = [None] + [_slope(net, l, z[l]) for l in range(1, L + 1)]
    dC_da = [None] * (L + 1)
    dC_da[L] = _cost_slope(net, a[L], y)
    for l in range(L, 0, -1):
        dC_da[l - 1] = w[l].T @ (slope[l] * dC_da[l])
    return Backward(a, z, slope, w, b, dC_da, y, example_cost(net, a[L], y))


def _layer(network: Network, layer: int | None) -> int:
    """``layer`` (default: the last, L), after checking that it is one of 1..L."""
    L = len(network.weights)
    layer = L if layer is None else layer
    if isinstance(layer, bool) or not isinstance(layer, numbers.Integral) or not 1 <= layer <= L:
        raise ValueError(f"layer must be one of 1..{L} (layer 0 is the input), got {layer!r}")
    return int(layer)


def _neuron(network: Network, layer: int, index, name: str) -> int:
    """``index`` after checking it is a neuron of ``layer`` (0-based)."""
    n = network.sizes[layer]
    if isinstance(index, bool) or not isinstance(index, numbers.Integral) or not 0 <= index < n:
        raise ValueError(f"{name} must be a neuron of layer {layer}: one of 0..{n - 1}, "
                         f"got {index!r}")
    return int(index)


# ----------------------------------------------------------------- the chain rule's factors
@dataclass(frozen=True)
class WeightFactors:
    """∂C₀/∂w_jk⁽ˡ⁾ = ∂z_j/∂w_jk · ∂a_j/∂z_j · ∂C₀/∂a_j = a_k⁽ˡ⁻¹⁾ · σ′(z_j⁽ˡ⁾) · ∂C₀/∂a_j⁽ˡ⁾,
    where on the last layer ∂C₀/∂a_j⁽ᴸ⁾ = 2(a_j⁽ᴸ⁾ − y_j). ``product`` is the three multiplied:
    the derivative. ``w`` is the weight itself, ``network.weights[layer - 1][j, k]``."""

    layer: int
    j: int
    k: int
    w: float
    dz_dw: float
    da_dz: float
    dC_da: float
    product: float


@dataclass(frozen=True)
class BiasFactors:
    """∂C₀/∂b_j⁽ˡ⁾ = ∂z_j/∂b_j · ∂a_j/∂z_j · ∂C₀/∂a_j = 1 · σ′(z_j⁽ˡ⁾) · ∂C₀/∂a_j⁽ˡ⁾."""

    layer: int
    j: int
    b: float
    dz_db: float
    da_dz: float
    dC_da: float
    product: float


@dataclass(frozen=True)
class ActivationFactors:
    """One path of ∂C₀/∂a_k⁽ˡ⁻¹⁾: ∂z_j/∂a_k · ∂a_j/∂z_j · ∂C₀/∂a_j = w_jk⁽ˡ⁾ · σ′(z_j⁽ˡ⁾) ·
    ∂C₀/∂a_j⁽ˡ⁾, through neuron j of layer l. In a chain (one neuron a layer) the only path,
    so ``product`` is ∂C₀/∂a⁽ˡ⁻¹⁾; in general ``paths_back`` adds the paths up."""

    layer: int
    j: int
    k: int
    a: float
    dz_da: float
    da_dz: float
    dC_da: float
    product: float


def last_layer_weight_factors(network: Network, x, y, j: int = 0, k: int = 0,
                              layer: int | None = None) -> WeightFactors:
    """The three factors of ∂C₀/∂w_jk⁽ˡ⁾ for example ``x, y``, as ``WeightFactors`` of floats.
    ``layer`` defaults to the last, L, where ∂C₀/∂a_j = 2(a_j − y_j); on a hidden layer the
    third factor is the backpropagated ∂C₀/∂a_j⁽ˡ⁾."""
    layer = _layer(network, layer)
    j, k = _neuron(network, layer, j, "j"), _neuron(network, layer - 1, k, "k")
    p = backward(network, x, y)
    dz_dw, da_dz, dC_da = p.a[layer - 1][k], p.slope[layer][j], p.dC_da[layer][j]
    return WeightFactors(layer, j, k, float(p.w[layer][j, k]), float(dz_dw), float(da_dz),
                         float(dC_da), float(dz_dw * da_dz * dC_da))


def bias_factors(network: Network, x, y, j: int = 0, layer: int | None = None) -> BiasFactors:
    """The factors of ∂C₀/∂b_j⁽ˡ⁾ (``layer`` defaults to L), as ``BiasFactors`` of floats."""
    layer = _layer(network, layer)
    j = _neuron(network, layer, j, "j")
    p = backward(network, x, y)
    da_dz, dC_da = p.slope[layer][j], p.dC_da[layer][j]
    return BiasFactors(layer, j, float(p.b[layer][j]), 1.0, float(da_dz), float(dC_da),
                       float(da_dz * dC_da))


def previous_activation_factors(network: Network, x, y, j: int = 0, k: int = 0,
                                layer: int | None = None) -> ActivationFactors:
    """The factors of the path through neuron j of layer l of ∂C₀/∂a_k⁽ˡ⁻¹⁾ (``layer``
    defaults to L), as ``ActivationFactors`` of floats; for the chain, ∂C₀/∂a⁽ˡ⁻¹⁾ itself."""
    layer = _layer(network, layer)
    j, k = _neuron(network, layer, j, "j"), _neuron(network, layer - 1, k, "k")
    p = backward(network, x, y)
    dz_da, da_dz, dC_da = p.w[layer][j, k], p.slope[layer][j], p.dC_da[layer][j]
    return ActivationFactors(layer, j, k, float(p.a[layer - 1][k]), float(dz_da), float(da_dz),
                             float(dC_da), float(dz_da * da_dz * dC_da))


@dataclass(frozen=True)
class Paths:
    """Every path from neuron k of layer l − 1 to the cost, through each neuron j of layer l:
    ``terms[j]`` = ``w[j]`` · ``slope[j]`` · ``dC_da[j]`` = w_jk⁽ˡ⁾ σ′(z_j⁽ˡ⁾) ∂C₀/∂a_j⁽ˡ⁾
    (arrays over j), and ``total`` their sum, ∂C₀/∂a_k⁽ˡ⁻¹⁾. ``a`` is a_k⁽ˡ⁻¹⁾."""

    layer: int
    k: int
    a: float
    w: np.ndarray
    slope: np.ndarray
    dC_da: np.ndarray
    terms: np.ndarray
    total: float


def paths_back(network: Network, x, y, k: int = 0, layer: int | None = None) -> Paths:
    """The ``Paths`` from neuron ``k`` of layer ``layer - 1`` (``layer`` defaults to L) to the
    cost for example ``x, y``. Their ``total`` equals ``network.backprop(x, y).activations
    [layer - 1][k]`` (Gradient.activations is indexed by layer, 0 = input)."""
    layer = _layer(network, layer)
    k = _neuron(network, layer - 1, k, "k")
    p = backward(network, x, y)
    w = p.w[layer][:, k].copy()
    terms = w * p.slope[layer] * p.dC_da[layer]
    return Paths(layer, k, float(p.a[layer - 1][k]), w, p.slope[layer].copy(),
                 p.dC_da[layer].copy(), terms, float(terms.sum()))


# ---------------------------------------------------------------- many examples: the average
@dataclass(frozen=True)
class Average:
    """∂C/∂w_jk⁽ˡ⁾ of the mean cost C = (1/n) Σᵢ Cᵢ of n examples: ``per_example[i]`` is
    ∂Cᵢ/∂w_jk⁽ˡ⁾ (each by the chain rule) and ``mean`` their average, the gradient entry."""

    layer: int
    j: int
    k: int
    per_example: np.ndarray
    mean: float


def average_over_examples(network: Network, xs, ys, j: int = 0, k: int = 0,
                          layer: int | None = None) -> Average:
    """The ``Average`` over examples ``xs`` (rows) with desired outputs ``ys`` (one per row,
    as ``y`` elsewhere) of ∂Cᵢ/∂w_jk⁽ˡ⁾ (``layer`` defaults to L). ``mean`` equals
    ``network.backprop(xs, ys).weights[layer - 1][j, k]``: backprop *averages* its minibatch
    gradient (the gradient of the mean cost), it does not sum it."""
    xs = np.asarray(xs, dtype=np.float64).reshape(len(xs), -1)
    if len(xs) == 0:
        raise ValueError("there are no examples to average over")
    if len(ys) != len(xs):
        raise ValueError(f"got {len(ys)} desired outputs for {len(xs)} examples")
    layer = _layer(network, layer)
    j, k = _neuron(network, layer, j, "j"), _neuron(network, layer - 1, k, "k")
    net = network.astype(np.float64)
    per = np.array([last_layer_weight_factors(net, x, y, j, k, layer).product
                    for x, y in zip(xs, ys)])
    return Average(layer, j, k, per, float(per.mean()))


# ------------------------------------------------------------------ a nudge and its ripples
@dataclass(frozen=True)
class Nudge:
    """What nudging one parameter by each Δ in ``deltas`` does, from real forward passes (not
    linearised): ``dz[i]`` and ``da[i]`` are Δz_j⁽ˡ⁾ and Δa_j⁽ˡ⁾ of the nudged neuron, ``dC[i]``
    is ΔC₀, ``ratio[i]`` = ΔC₀/Δ, and ``ripple[i]`` the change of every layer's activations
    from l to L (``ripple[i][0]`` is Δa⁽ˡ⁾, the last Δa⁽ᴸ⁾). ``derivative`` is ∂C₀/∂(parameter)
    by the chain rule, which the ratios approach as Δ shrinks. ``which`` is "weight" or
    "bias", ``k`` None for a bias; ``value`` the parameter before the nudge."""

    which: str
    layer: int
    j: int
    k: int | None
    value: float
    deltas: np.ndarray
    dz: np.ndarray
    da: np.ndarray
    dC: np.ndarray
    ratio: np.ndarray
    ripple: tuple
    derivative: float


def nudge(network: Network, x, y, which: str = "weight", index=None,
          delta=(0.1, 0.01, 0.001, 0.0001)) -> Nudge:
    """Nudge one parameter and follow the ripples: ``which`` is "weight" (``index`` is
    ``(layer, j, k)``: w_jk⁽ˡ⁾) or "bias" (``index`` is ``(layer, j)``: b_j⁽ˡ⁾); a layer of
    None means L, and no ``index`` at all w_00⁽ᴸ⁾ or b_0⁽ᴸ⁾. ``delta`` is one Δ or a sequence
    of them (shrinking, to watch ΔC₀/Δ approach the derivative). Each Δ is a fresh forward
    pass of a float64 copy with the parameter changed by Δ; the network passed in is not
    changed. Returns the ``Nudge``."""
    if which not in ("weight", "bias"):
        raise ValueError(f"which must be 'weight' or 'bias', got {which!r}")
    index = ((None, 0, 0) if which == "weight" else (None, 0)) if index is None else tuple(index)
    if len(index) != (3 if which == "weight" else 2):
        raise ValueError(f"a {which} is indexed by (layer, j{', k' if which == 'weight' else ''}),"
                         f" got {index!r}")
    layer = _layer(network, index[0])
    j = _neuron(network, layer, index[1], "j")
    k = _neuron(network, layer - 1, index[2], "k") if which == "weight" else None
    deltas = np.atleast_1d(np.asarray(delta, dtype=np.float64))
    if deltas.ndim != 1 or not np.isfinite(deltas).all() or (deltas == 0).any():
        raise ValueError(f"delta must be finite, non-zero nudges, got {delta!r}")
    base = backward(network, x, y)
    if which == "weight":
        derivative = last_layer_weight_factors(network, x, y, j, k, layer).product
    else:
        derivative = bias_factors(network, x, y, j, layer).product
    net = network.astype(np.float64)
    params = net.weights[layer - 1] if which == "weight" else net.biases[layer - 1]
    where = (j, k) if which == "weight" else (j,)
    value = float(params[where])
    dz, da, dC, ripple = [], [], [], []
    for d in deltas:
        params[where] = value + d
        zs, activations = net.forward(base.a[0])
        params[where] = value
        dz.append(zs[layer - 1][j] - base.z[layer][j])
        da.append(activations[layer][j] - base.a[layer][j])
        dC.append(example_cost(net, activations[-1], base.y) - base.cost)
        ripple.append(tuple(activations[m] - base.a[m] for m in range(layer, base.L + 1)))
    dC = np.array(dC)
    return Nudge(which, layer, j, k, value, deltas, np.array(dz), np.array(da), dC,
                 dC / deltas, tuple(ripple), float(derivative))


# ------------------------------------------------------------ the whole gradient, layer by layer
def gradient_by_layer(network: Network, x, y) -> Gradient:
    """The whole gradient of C₀ for example ``x, y``, assembled layer by layer from the chain
    rule's pieces, as a ``network.model.Gradient`` (float64): ``weights[l - 1][j, k]`` =
    a_k⁽ˡ⁻¹⁾ σ′(z_j⁽ˡ⁾) ∂C₀/∂a_j⁽ˡ⁾, ``biases[l - 1][j]`` = σ′(z_j⁽ˡ⁾) ∂C₀/∂a_j⁽ˡ⁾,
    ``activations[l]`` = ∂C₀/∂a⁽ˡ⁾ (1-D) and ``cost`` = C₀. Equal to ``network.backprop(x, y)``
    (which for one example has nothing to average); ``.flat()`` gives the gradient vector
    in ``Network.flat_parameters`` order."""
    p = backward(network, x, y)
    weights, biases = [], []
    for l in range(1, p.L + 1):
        delta = p.slope[l] * p.dC_da[l]           # ∂C₀/∂z⁽ˡ⁾: σ′(z_j) ∂C₀/∂a_j for each j
        weights.append(np.outer(delta, p.a[l - 1]))
        biases.append(delta)
    return Gradient(weights, biases, [d.copy() for d in p.dC_da], p.cost)


def weight_to_follow(network: Network, x, label: int, layer: int | None = None) -> tuple[int, int]:
    """The weight w_jk⁽ˡ⁾ a scene of the video's network follows for a labelled example
    ``x, label`` (``layer`` defaults to L): on the last layer j is the output neuron of the
    true label (on a hidden layer, its neuron with the largest |∂C₀/∂a_j⁽ˡ⁾|), and k is the
    neuron of layer l − 1 whose weight into j has the largest |∂C₀/∂w_jk⁽ˡ⁾| (the first on a
    tie). Returns ``(j, k)``, positions in ``network.weights[layer - 1]``."""
    layer = _layer(network, layer)
    p = backward(network, x, label)
    if layer == p.L:
        j = _neuron(network, layer, label, "label")
    else:
        j = int(np.argmax(np.abs(p.dC_da[layer])))
    k = int(np.argmax(np.abs(p.a[layer - 1] * p.slope[layer][j] * p.dC_da[layer][j])))
    return j, k
