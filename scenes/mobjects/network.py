"""``NetworkMobject``: a real ``Network`` drawn as columns of neurons joined by weighted edges.

What is drawn is always a documented function of the real network and input:

* **Layers.** One column per entry of ``network.sizes``. A layer of at most 16 neurons shows
  every neuron, top to bottom in index order. A larger layer shows 16 circles: 8, a vertical
  ellipsis, 8, and a brace on its left labelled with the layer's true size.
* **Which neurons a large layer shows.** Each circle stands for one real neuron, listed in
  ``drawn_indices(layer)`` (increasing from top to bottom).

  - Input layer with an ``example`` given (a square image such as a 28×28 digit): the 16
    pixels evenly spaced, in reading order, through the *bounding box of the ink* (the rows
    and columns that hold a non-zero pixel); see :func:`choose_input_indices`. So the drawn
    inputs sample the digit itself, a fair mix of ink and background, not the always-black
    border. Without an example (or with a blank one, or an input that is not a square image),
    16 indices evenly spaced through the whole layer.
  - Any other large layer: its first 8 and last 8 neurons; the ellipsis stands for the rest.
    ``layer_indices`` chooses them instead (e.g. the neurons a scene talks about, filled up
    with first and last ones by :func:`indices_including`); the ellipsis then stands for
    every neuron not drawn, wherever it lies.
* **Fills.** A circle is filled white with opacity equal to the activation of the neuron it
  stands for (clipped to [0, 1], which only matters for ReLU layers); a drawn input circle
  shows exactly its pixel's value.
* **Edges.** A straight line from every drawn neuron to every drawn neuron of the next layer,
  behind the neurons, standing for that real weight ``network.weights[l][target, source]``.
  Colour by sign (``palette.positive`` for w >= 0, ``palette.negative`` below 0). With
  ``r = |w| / m``, where ``m`` is the largest |w| among the drawn edges of that pair of
  layers, stroke width and opacity both grow as ``r ** edge_power`` (``style.EDGE_POWER`` by default) from a
  hairline to a bold line, so the few strongest connections stand out. Within a group the
  edges are stacked weakest first so strong ones lie on top.
* **Output labels.** Each drawn output neuron carries its index (``0``–``9`` for MNIST) on its
  right.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Brace,
    Circle,
    Line,
    MathTex,
    ShowPassingFlash,
    SurroundingRectangle,
    VGroup,
)

from .. import style
from ..style import Palette


# --------------------------------------------------------------------- which neurons to draw
def evenly_spaced(n_items: int, n_shown: int) -> list[int]:
    """``n_shown`` indices spread evenly over ``range(n_items)``, first and last included."""
    if n_items <= n_shown:
        return list(range(n_items))
    return sorted({int(i) for i in np.round(np.linspace(0, n_items - 1, n_shown))})


def first_and_last(n_items: int, n_shown: int) -> list[int]:
    """The first ``n_shown // 2`` and last ``n_shown - n_shown // 2`` indices (all if few)."""
    if n_items <= n_shown:
        return list(range(n_items))
    top = n_shown // 2
    return list(range(top)) + list(range(n_items - (n_shown - top), n_items))


def indices_including(n_items: int, must: Sequence[int], n_shown: int = style.MAX_SHOWN_NEURONS) -> list[int]:
    """``n_shown`` indices of ``range(n_items)`` (all if there are no more), sorted: every
    index in ``must``, filled up with the first and last indices alternately (0, n−1, 1,
    n−2, …), so the drawn column still begins and ends with the layer's ends."""
    must = sorted({int(i) for i in must})
    if must and (must[0] < 0 or must[-1] >= n_items):
        raise ValueError(f"indices must lie in [0, {n_items}), got {must}")
    if n_items <= n_shown:
        return list(range(n_items))
    if len(must) > n_shown:
        raise ValueError(f"{len(must)} indices must be drawn but only {n_shown} are shown")
    chosen = set(must)
    lo, hi = 0, n_items - 1
    while len(chosen) < n_shown:
        for i in (lo, hi):
            if len(chosen) < n_shown:
                chosen.add(i)
        lo, hi = lo + 1, hi - 1
    return sorted(chosen)


def choose_input_indices(x, n_shown: int = style.MAX_SHOWN_NEURONS) -> list[int]:
    """The input pixels a drawn input column stands for, given the real input ``x``.

    Rule: if ``x`` is a square image (e.g. 784 = 28×28 values) with some ink (a value > 0),
    take the ink's bounding box (from the first to the last row holding ink, and the first
    to the last such column), list its pixels in reading order (row by row, left to right),
    and keep ``n_shown`` of them evenly spaced along that list, first and last included.
    Returns flat pixel indices (``row * width + column``) in increasing order. Otherwise
    (no ``x``, no ink, or not a square image) the indices are evenly spaced through the
    whole input.
    """
    if x is None:
        raise ValueError("choose_input_indices needs an input; use evenly_spaced(n, k) without one")
    x = np.asarray(x, dtype=float).ravel()
    n = x.size
    if n <= n_shown:
        return list(range(n))
    side = int(round(np.sqrt(n)))
    if side * side != n or not np.any(x > 0):
        return evenly_spaced(n, n_shown)
    image = x.reshape(side, side)
    rows = np.flatnonzero(image.max(axis=1) > 0)
    cols = np.flatnonzero(image.max(axis=0) > 0)
    box = [r * side + c
           for r in range(rows[0], rows[-1] + 1)
           for c in range(cols[0], cols[-1] + 1)]
    if len(box) < n_shown:  # a tiny scribble: fall back to the whole image
        return evenly_spaced(n, n_shown)
    return [box[i] for i in evenly_spaced(len(box), n_shown)]


# --------------------------------------------------------------------------- mobjects
class NeuronLayer(VGroup):
    """One column: ``neurons`` (circles; ``neurons[k].neuron_index`` is the real index),
    and for large layers ``dots`` (⋮), ``brace`` and ``brace_label``."""

    def __init__(self, size: int, indices: Sequence[int], *, radius: float, buff: float,
                 brace: bool = True, label_font_size: float = 32, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)
        self.indices = [int(i) for i in indices]
        self.neurons = VGroup()
        for idx in self.indices:
            c = Circle(radius=radius, stroke_color=style.NEURON_STROKE_COLOR,
                       stroke_width=style.NEURON_STROKE_WIDTH,
                       fill_color=style.NEURON_FILL_COLOR, fill_opacity=0.0)
            c.neuron_index = idx
            self.neurons.add(c)
        self.dots = self.brace = self.brace_label = None
        if len(self.indices) < self.size:
            half = len(self.indices) // 2
            top = VGroup(*self.neurons[:half]).arrange(DOWN, buff=buff)
            bottom = VGroup(*self.neurons[half:]).arrange(DOWN, buff=buff)
            self.dots = MathTex(r"\vdots", color=style.NEURON_STROKE_COLOR)
            self.dots.height = 2.6 * radius
            top.next_to(self.dots, UP, buff=buff)
            bottom.next_to(self.dots, DOWN, buff=buff)
            self.add(self.neurons, self.dots)
            if brace:
                self.brace = Brace(VGroup(self.neurons, self.dots), LEFT, buff=0.12,
                                   color=style.TEXT_COLOR)
                self.brace_label = MathTex(str(self.size), font_size=label_font_size,
                                           color=style.TEXT_COLOR)
                self.brace.put_at_tip(self.brace_label, buff=0.1)
                self.add(self.brace, self.brace_label)
        else:
            self.neurons.arrange(DOWN, buff=buff)
            self.add(self.neurons)


class NetworkMobject(VGroup):
    """A real ``Network`` drawn as in the series (see the module docstring for every rule).

    Parts: ``layers`` (``NeuronLayer`` per layer), ``edge_groups`` (``edge_groups[l]`` joins
    layer ``l`` to ``l + 1``; every edge has ``.source``, ``.target`` (real neuron indices)
    and ``.weight``), ``output_labels`` (``output_labels[k].digit`` is the index shown).

    ``example`` is the input the picture is about: it only decides which input pixels are
    drawn (:func:`choose_input_indices`); ``input_indices`` sets them explicitly instead.
    ``layer_indices`` maps a later layer's number (1 … len(sizes) − 1) to the neurons drawn
    for it (any order; drawn sorted), instead of its first and last ones.
    """

    def __init__(self, network, example=None, *, input_indices: Sequence[int] | None = None,
                 layer_indices: Mapping[int, Sequence[int]] | None = None,
                 max_shown: int = style.MAX_SHOWN_NEURONS,
                 neuron_radius: float = style.NEURON_RADIUS,
                 neuron_buff: float = style.NEURON_BUFF,
                 layer_spacing: float = style.LAYER_SPACING,
                 edge_power: float = style.EDGE_POWER,
                 palette: Palette | None = None,
                 output_labels: bool = True, braces: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.network = network
        self.sizes = tuple(int(s) for s in network.sizes)
        self.palette = palette or style.PALETTE
        self.neuron_radius = neuron_radius
        self.edge_power = edge_power
        self.activations: list[np.ndarray] | None = None
        self.highlighted_index: int | None = None

        if input_indices is None:
            input_indices = (choose_input_indices(example, max_shown) if example is not None
                             else evenly_spaced(self.sizes[0], max_shown))
        input_indices = sorted(int(i) for i in input_indices)
        if not input_indices or input_indices[0] < 0 or input_indices[-1] >= self.sizes[0]:
            raise ValueError(f"input indices must lie in [0, {self.sizes[0]}), got {input_indices}")
        chosen = self._check_layer_indices(layer_indices or {})
        shown = [input_indices] + [chosen.get(l, first_and_last(n, max_shown))
                                   for l, n in enumerate(self.sizes) if l > 0]

        self.layers = VGroup(*[
            NeuronLayer(n, idx, radius=neuron_radius, buff=neuron_buff, brace=braces)
            for n, idx in zip(self.sizes, shown)
        ])
        for l, layer in enumerate(self.layers):
            layer.shift(l * layer_spacing * RIGHT - layer.neurons.get_center()[1] * UP
                        - layer.neurons.get_center()[0] * RIGHT)
        self.edge_groups = VGroup(*[self._make_edges(l) for l in range(len(self.sizes) - 1)])
        self.add(self.edge_groups, self.layers)

        self.output_labels = VGroup()
        if output_labels:
            for neuron in self.layers[-1].neurons:
                label = MathTex(str(neuron.neuron_index), color=style.TEXT_COLOR)
                label.height = 1.5 * neuron_radius
                label.next_to(neuron, RIGHT, buff=0.8 * neuron_radius)
                label.digit = neuron.neuron_index
                self.output_labels.add(label)
            self.add(self.output_labels)
        self.center()

    def _check_layer_indices(self, layer_indices: Mapping[int, Sequence[int]]) -> dict[int, list[int]]:
        """``layer_indices`` sorted and checked: known later layers, distinct indices in range."""
        chosen = {}
        for l, indices in layer_indices.items():
            if not isinstance(l, (int, np.integer)) or not 1 <= l < len(self.sizes):
                raise ValueError(f"layer_indices keys must be layers 1 to {len(self.sizes) - 1} "
                                 f"(use input_indices for the input layer), got {l!r}")
            idx = sorted(int(i) for i in indices)
            n = self.sizes[l]
            if not idx or idx[0] < 0 or idx[-1] >= n:
                raise ValueError(f"layer {l}'s indices must be non-empty and lie in [0, {n}), got {idx}")
            if len(set(idx)) != len(idx):
                raise ValueError(f"layer {l}'s indices repeat a neuron: {idx}")
            chosen[int(l)] = idx
        return chosen

    # ------------------------------------------------------------------------ edges
    def _make_edges(self, l: int) -> VGroup:
        src_layer, dst_layer = self.layers[l], self.layers[l + 1]
        w = np.asarray(self.network.weights[l], dtype=float)
        src_idx = np.array(src_layer.indices)
        dst_idx = np.array(dst_layer.indices)
        drawn = w[np.ix_(dst_idx, src_idx)]
        m = float(np.max(np.abs(drawn))) or 1.0
        pairs = sorted(((abs(drawn[t, s]), s, t)
                        for t in range(len(dst_idx)) for s in range(len(src_idx))))
        group = VGroup()
        for _, s, t in pairs:
            weight = float(drawn[t, s])
            edge = Line(src_layer.neurons[s].get_center(), dst_layer.neurons[t].get_center(),
                        buff=self.neuron_radius)
            edge.set_stroke(**self.edge_stroke(weight, m))
            edge.source, edge.target, edge.weight = int(src_idx[s]), int(dst_idx[t]), weight
            edge.strength = self.edge_strength(weight, m)
            group.add(edge)
        return group

    def edge_strength(self, weight: float, largest: float) -> float:
        """``(|w| / largest) ** edge_power``, in [0, 1]: how boldly an edge is drawn."""
        return min(abs(weight) / largest, 1.0) ** self.edge_power if largest > 0 else 0.0

    def edge_stroke(self, weight: float, largest: float) -> dict:
        """Stroke colour, width and opacity of an edge of ``weight`` in a group whose largest
        drawn |w| is ``largest`` (the rule in the module docstring)."""
        r = self.edge_strength(weight, largest)
        return {
            "color": self.palette.sign_color(weight),
            "width": style.EDGE_MIN_WIDTH + (style.EDGE_MAX_WIDTH - style.EDGE_MIN_WIDTH) * r,
            "opacity": style.EDGE_MIN_OPACITY + (style.EDGE_MAX_OPACITY - style.EDGE_MIN_OPACITY) * r,
        }

    def edges_into(self, layer: int) -> VGroup:
        """The edges arriving at ``layer`` (``layer >= 1``)."""
        if not 1 <= layer < len(self.sizes):
            raise IndexError(f"layer {layer} has no incoming edges")
        return self.edge_groups[layer - 1]

    # -------------------------------------------------------------------- read back
    def drawn_indices(self, layer: int) -> list[int]:
        """The real neuron index each circle of ``layer`` stands for, top to bottom."""
        return [c.neuron_index for c in self.layers[layer].neurons]

    def shown_activations(self, layer: int) -> np.ndarray:
        """The fill opacity of each circle of ``layer`` right now, read from the mobjects."""
        return np.array([c.get_fill_opacity() for c in self.layers[layer].neurons], dtype=float)

    def drawn_state(self) -> list[tuple[list[int], np.ndarray]]:
        """For every layer: (drawn real indices, their current fill opacities)."""
        return [(self.drawn_indices(l), self.shown_activations(l)) for l in range(len(self.sizes))]

    def neuron(self, layer: int, index: int) -> Circle:
        """The circle standing for real neuron ``index`` of ``layer`` (KeyError if not drawn)."""
        for c in self.layers[layer].neurons:
            if c.neuron_index == index:
                return c
        raise KeyError(f"neuron {index} of layer {layer} is not drawn")

    # ------------------------------------------------------------------- activations
    def _check(self, layer: int, values) -> np.ndarray:
        values = np.asarray(values, dtype=float).ravel()
        if values.size != self.sizes[layer]:
            raise ValueError(f"layer {layer} has {self.sizes[layer]} neurons, got {values.size} values")
        return values

    def _remember(self, layer: int, values: np.ndarray) -> None:
        if self.activations is None:
            self.activations = [np.zeros(n) for n in self.sizes]
        self.activations[layer] = values.copy()

    def targets(self, layer: int, values) -> list[float]:
        """The fill opacity each circle of ``layer`` gets for real activations ``values``."""
        values = self._check(layer, values)
        return [float(np.clip(values[i], 0.0, 1.0)) for i in self.drawn_indices(layer)]

    def set_layer_activation(self, layer: int, values) -> "NetworkMobject":
        for c, v in zip(self.layers[layer].neurons, self.targets(layer, values)):
            c.set_fill(opacity=v)
        self._remember(layer, self._check(layer, values))
        return self

    def set_activations(self, activations: Sequence[np.ndarray]) -> "NetworkMobject":
        """Fill every layer from a real forward pass (``activations[0]`` is the input)."""
        if len(activations) != len(self.sizes):
            raise ValueError(f"expected {len(self.sizes)} layers of activations, got {len(activations)}")
        for l, a in enumerate(activations):
            self.set_layer_activation(l, a)
        return self

    def clear_activations(self) -> "NetworkMobject":
        for layer in self.layers:
            layer.neurons.set_fill(opacity=0.0)
        self.activations = None
        return self

    def fill_animation(self, layer: int, values, **kwargs) -> AnimationGroup:
        """Animate ``layer``'s fills to real activations ``values``."""
        anims = [c.animate.set_fill(opacity=v)
                 for c, v in zip(self.layers[layer].neurons, self.targets(layer, values))]
        self._remember(layer, self._check(layer, values))
        return AnimationGroup(*anims, **kwargs)

    def flash_animation(self, layer: int, run_time: float = 1.0,
                        color=None, **kwargs) -> ShowPassingFlash:
        """A signal running along every edge into ``layer``, left to right, brighter and wider
        on the stronger edges.

        One flash over a group of the edges' copies draws what one flash per edge would (the
        flash cuts each copy to the same moving window), but adds one mobject to the scene
        instead of hundreds: manim restructures the scene's whole family on every add."""
        color = color or self.palette.highlight
        copies = VGroup()
        for edge in self.edges_into(layer):
            r = edge.strength
            copies.add(edge.copy().set_stroke(color, width=style.FLASH_WIDTH * (0.35 + 0.65 * r),
                                              opacity=0.5 + 0.5 * r))
        return ShowPassingFlash(copies, time_width=style.FLASH_TIME_WIDTH, run_time=run_time,
                                **kwargs)

    def layer_animation(self, layer: int, values,
                        run_time: float = style.LAYER_RUN_TIME) -> AnimationGroup:
        """Light ``layer`` with real activations: the signal runs along its incoming edges,
        then its circles fill. The input layer (0) only fills."""
        if layer == 0:
            return self.fill_animation(0, values, run_time=run_time)
        flash_time = 0.6 * run_time
        return AnimationGroup(
            self.flash_animation(layer, run_time=flash_time),
            self.fill_animation(layer, values, run_time=run_time - 0.5 * flash_time),
            lag_ratio=0.5,
        )

    def forward_pass_animation(self, activations: Sequence[np.ndarray],
                               run_time_per_layer: float = style.LAYER_RUN_TIME,
                               include_input: bool = True) -> AnimationGroup:
        """Light the layers in turn from a real forward pass (``activations[0]`` = input)."""
        if len(activations) != len(self.sizes):
            raise ValueError(f"expected {len(self.sizes)} layers of activations, got {len(activations)}")
        start = 0 if include_input else 1
        steps = [self.layer_animation(l, activations[l], run_time=run_time_per_layer)
                 for l in range(start, len(self.sizes))]
        return AnimationGroup(*steps, lag_ratio=1.0)

    # ----------------------------------------------------------------------- output
    def brightest_output(self) -> int:
        """The index of the output neuron with the largest activation set so far."""
        if self.activations is None:
            raise ValueError("no activations have been set")
        return int(np.argmax(self.activations[-1]))

    def highlight_output(self, index: int | None = None, buff: float = 0.08) -> SurroundingRectangle:
        """A highlight-coloured box around output neuron ``index`` and its label (default:
        the brightest output). Records ``highlighted_index``; the caller adds/animates the box."""
        index = self.brightest_output() if index is None else int(index)
        neuron = self.neuron(len(self.sizes) - 1, index)
        target = VGroup(neuron)
        for label in self.output_labels:
            if label.digit == index:
                target.add(label)
        self.highlighted_index = index
        self.highlight_box = SurroundingRectangle(target, color=self.palette.highlight, buff=buff)
        return self.highlight_box

    def output_label(self, index: int) -> MathTex:
        for label in self.output_labels:
            if label.digit == index:
                return label
        raise KeyError(f"output {index} has no label")
