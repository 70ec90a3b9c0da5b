"""Chapter 4, more neurons, more indices: the chain rule of the 1-1-1-1 chain on the video's
784-16-16-10 network, where every layer has many neurons.

- ``MoreNeuronsMoreIndices``: the last two layers, neuron k of layer L − 1 feeding neuron j of
  layer L through the weight w_jk⁽ᴸ⁾ (row j, column k of the last weight matrix), the weighted
  sum, the cost and ∂C₀/∂w_jk⁽ᴸ⁾ as the product of three real factors.
- ``ManyPathsBack``: ∂C₀/∂a_k⁽ᴸ⁻¹⁾ as the sum over the ten paths from neuron k to the cost,
  one term per output neuron, equal to backprop's ∂C/∂a: chapter 3's sum of desires.
- ``GradientFromTheChain``: chapter 2's gradient column filled in from the back, layer by
  layer, with the chapter's three formulas on one screen.

Every number is computed on chapter 3's partly trained network and its story example
(``Chapter4Scene.load_story``) by ``network.calculus``; j and k come from
``calculus.weight_to_follow`` and are positions in ``network.weights[l - 1]``.
"""

from __future__ import annotations

import re

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    BackgroundRectangle,
    Circle,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Integer,
    LaggedStart,
    Line,
    MathTex,
    ShowPassingFlash,
    SurroundingRectangle,
    TransformFromCopy,
    VGroup,
    Write,
)

from network import calculus
from scenes import style
from scenes.ch2.learning import bracket
from scenes.ch4.story import Chapter4Scene
from scenes.layout import caption, fit_between
from scenes.mobjects import NetworkMobject
from scenes.text import decimal_places

PAL = style.PALETTE
DIM_OPACITY = 0.12           # edges and neurons out of focus
FORMULA_FONT_SIZE = 34
NUMBER_FONT_SIZE = 26

# The symbols' colours, as in chapter 3: z green, b pinkish, C red, y yellow, σ yellow.
_SYMBOL_COLORS = ((re.compile(r"^\{?\s*z_"), style.Z_COLOR),
                  (re.compile(r"^\{?\s*b_"), style.BIAS_COLOR),
                  (re.compile(r"^\{?\s*C_"), style.COST_COLOR),
                  (re.compile(r"^\{?\s*y_"), PAL.desired),
                  (re.compile(r"^\{?\s*\\sigma"), PAL.highlight))


# ---------------------------------------------------------------------------- formulas
def formula(*parts: str, font_size: float = FORMULA_FONT_SIZE) -> MathTex:
    """``parts`` as one MathTex, each part coloured by the symbol it starts with (z, b, C, y,
    σ; anything else white). Parts may split a ``{... \\over ...}`` fraction."""
    tex = MathTex(*parts, font_size=font_size)
    for mob, part in zip(tex, parts):
        for pattern, color in _SYMBOL_COLORS:
            if pattern.match(part):
                mob.set_color(color)
    return tex


def segmented(*segments: tuple[str, list[str]],
              font_size: float = FORMULA_FONT_SIZE) -> MathTex:
    """A ``formula`` of named segments, each a list of parts: ``tex.segments[name]`` is the
    VGroup of that segment's glyphs, to place numbers under it."""
    parts = [p for _, ps in segments for p in ps]
    tex = formula(*parts, font_size=font_size)
    tex.segments, i = {}, 0
    for name, ps in segments:
        tex.segments[name] = VGroup(*tex[i:i + len(ps)])
        i += len(ps)
    return tex


def partial(num: str, den: list[str]) -> list[str]:
    """The parts of ∂num/∂den as a fraction (num a single symbol, den a list of parts)."""
    return [r"{\partial", num, r"\over \partial", *den[:-1], den[-1] + "}"]


def slash_partial(num: str, den: str) -> list[str]:
    """The parts of ∂num/∂den written inline, with a slash: one line high."""
    return [r"\partial", num, r"/\partial", den]


def output_slope_parts(cost_name: str, sup: str = "^{(L)}") -> list[str]:
    """∂C₀/∂a_j⁽ᴸ⁾ for the network's cost, as formula parts: 2(a_j − y_j) for the video's
    quadratic cost, (a_j − y_j) / (a_j(1 − a_j)) for the cross-entropy."""
    if cost_name == "quadratic":
        return ["2(", f"a_j{sup}", "-", "y_j", ")"]
    if cost_name == "cross-entropy":
        return [r"{(", f"a_j{sup}", "-", "y_j", r") \over", f"a_j{sup}", f"(1 - a_j{sup})}}"]
    raise ValueError(f"no formula for the cost {cost_name!r}")


def cost_parts(cost_name: str) -> list[str]:
    """C₀ of one example for the network's cost, as formula parts."""
    if cost_name == "quadratic":
        return ["C_0", "=", r"\sum_j", "(", "a_j^{(L)}", "-", "y_j", ")^2"]
    if cost_name == "cross-entropy":
        return ["C_0", "=", r"-\sum_j", r"\big[", "y_j", r"\ln a_j^{(L)} +", "(1 -", "y_j",
                r")\ln(1 - a_j^{(L)})\big]"]
    raise ValueError(f"no formula for the cost {cost_name!r}")


def output_slope_words(cost_name: str) -> str:
    return ("two times the output minus its target" if cost_name == "quadratic"
            else "the output minus its target, over a times one minus a")


# ----------------------------------------------------------------------------- numbers
def places(value: float, digits: int = 3) -> int:
    """Decimal places showing ``value`` to ``digits`` significant digits (2 to 5)."""
    return decimal_places(value, digits=digits, least=2, most=5)


def number(value: float, *, signed: bool = True, digits: int = 3, decimals: int | None = None,
           font_size: float = NUMBER_FONT_SIZE) -> DecimalNumber:
    """A DecimalNumber of ``value`` to ``digits`` significant digits (or ``decimals`` places):
    coloured by its sign when ``signed`` (weights, derivatives), white otherwise (activations,
    slopes); dim when it rounds to zero."""
    value = float(value) + 0.0   # no "-0"
    decimals = places(value, digits) if decimals is None else decimals
    color = PAL.sign_color(value) if signed else style.TEXT_COLOR
    if round(value, decimals) == 0:
        color = style.DIM_TEXT_COLOR
    return DecimalNumber(value, num_decimal_places=decimals, font_size=font_size, color=color)


def said(value: float, digits: int = 3, decimals: int | None = None) -> str:
    """``value`` as the narration says it, rounded as ``number`` shows it."""
    decimals = places(value, digits) if decimals is None else decimals
    return f"{float(value) + 0.0:.{decimals}f}".replace("-", "minus ")


def shown(value: float, digits: int = 3, decimals: int | None = None) -> str:
    """``value`` as a subtitle writes it, rounded as ``number`` shows it."""
    decimals = places(value, digits) if decimals is None else decimals
    return f"{float(value) + 0.0:.{decimals}f}".replace("-", "−")


# ----------------------------------------------------------------------------- network
def story_network(network, example, activations, *, height: float, left: float,
                  center_y: float, layer_spacing: float = 1.55) -> NetworkMobject:
    """The whole network drawn from the story example's forward pass, ``height`` tall, its
    left edge at ``left``."""
    nm = NetworkMobject(network, example=example, layer_spacing=layer_spacing)
    nm.set_activations(activations)
    nm.scale_to_fit_height(height)
    nm.shift((left - nm.get_left()[0]) * RIGHT + (center_y - nm.get_center()[1]) * UP)
    return nm


def edge_between(nm: NetworkMobject, layer: int, j: int, k: int) -> Line:
    """The drawn edge standing for w_jk⁽ˡ⁾ (from neuron k of layer l − 1 to neuron j of l)."""
    for edge in nm.edges_into(layer):
        if edge.source == k and edge.target == j:
            return edge
    raise KeyError(f"w_{j}{k} of layer {layer} is not drawn")


def dim_all_but_last(nm: NetworkMobject) -> list:
    """Animations that fade every layer and edge group but the last two layers and the
    edges between them."""
    L = len(nm.sizes) - 1
    anims = [g.animate.set_stroke(opacity=DIM_OPACITY) for g in nm.edge_groups[:L - 1]]
    for layer in nm.layers[:L - 1]:
        anims.append(layer.animate.set_opacity(0.3))
    return anims


def index_labels(nm: NetworkMobject, layer: int, font_size: float = 18) -> VGroup:
    """Each neuron of a (fully drawn) hidden layer labelled with its index, on its left."""
    labels = VGroup()
    for c in nm.layers[layer].neurons:
        label = MathTex(str(c.neuron_index), font_size=font_size, color=style.DIM_TEXT_COLOR)
        label.next_to(c, LEFT, buff=0.06)
        label.neuron_index = c.neuron_index
        labels.add(label)
    return labels


def a_k_label(k_labels: VGroup, k: int, font_size: float = 26) -> MathTex:
    """a_k⁽ᴸ⁻¹⁾ just left of neuron k's index label, on a dark patch over the dimmed edges."""
    index = next(label for label in k_labels if label.neuron_index == k)
    label = MathTex("a_k^{(L-1)}", font_size=font_size).next_to(index, LEFT, buff=0.06)
    # Left of the whole index column: two-digit labels above and below reach further left.
    column_left = min(other.get_left()[0] for other in k_labels)
    label.set_x(column_left - 0.08 - label.width / 2)
    label.add_to_back(BackgroundRectangle(label, buff=0.04, fill_opacity=0.85))
    return label


def ring(circle: Circle, color=PAL.highlight) -> Circle:
    """A highlight ring around a neuron."""
    return Circle(radius=circle.width / 2 + 0.05, color=color, stroke_width=4).move_to(circle)


def glow(edge: Line, color=PAL.highlight, width: float = 5.0) -> Line:
    return edge.copy().set_stroke(color, width=width, opacity=1)


class IndicesScene(Chapter4Scene):
    """Loads the story (``load_story``) and one example's chain rule: ``L`` (the output
    layer's number), ``label``, ``activations`` (forward pass), ``passes``
    (``calculus.backward``), ``j, k`` (``calculus.weight_to_follow`` on layer L)."""

    def load(self) -> None:
        self.load_story()
        net = self.network
        self.L = len(net.weights)
        self.label = self.example_label
        _, self.activations = net.forward(self.example_x)
        self.passes = calculus.backward(net, self.example_x, self.label)
        self.j, self.k = calculus.weight_to_follow(net, self.example_x, self.label)

    def story_caption(self) -> MathTex:
        text = (f"{self.example_name} (a {self.label}) through chapter 3's partly trained "
                f"network ({self.training_phrase()})")
        cap = caption(text, font_size=22).to_corner(LEFT + UP, buff=0.3)
        if cap.width > 13.4:
            cap.scale_to_fit_width(13.4).to_corner(LEFT + UP, buff=0.3)
        return cap


# ============================================================= MoreNeuronsMoreIndices
class MoreNeuronsMoreIndices(IndicesScene):
    """The last two layers of the video's network, indexed.

    ``j`` (the story label's output neuron) and ``k`` (the neuron of layer L − 1 whose weight
    into j has the largest |∂C₀/∂w_jk|) come from ``calculus.weight_to_follow``; the drawn
    weight is ``network.weights[L - 1][j, k]`` (``weight``), the edge ``weight_edge`` of
    ``network_mobject`` (highlighted by ``weight_glow``), the neurons ``neuron_j`` and
    ``neuron_k`` (rings ``ring_j``, ``ring_k``; index labels ``k_labels`` of layer L − 1, the
    output labels for layer L).

    Numbers drawn: ``j_number``, ``k_number`` (Integers), ``weight_number``, ``cost_number``
    (C₀), and ``factors`` (``calculus.WeightFactors``) with ``factor_numbers`` = the
    DecimalNumbers of a_k⁽ᴸ⁻¹⁾, σ′(z_j⁽ᴸ⁾), ∂C₀/∂a_j⁽ᴸ⁾ (2(a_j − y_j)) and ``product_number``
    (∂C₀/∂w_jk⁽ᴸ⁾).
    """

    network_height = 5.3
    network_left = -6.85
    network_y = -0.35
    formulas_left = 0.35

    def construct(self):
        self.load()
        f = self.factors
        self.beat(f"Back to the video's network and {self.example_name}, a {self.label}: now "
                  "every layer has many neurons.", "network")
        self.show_network()

        self.beat("Take the last two layers: neuron k of layer L − 1 feeds neuron j of the "
                  "output layer L.", "two layers",
                  spoken="Take the last two layers: neuron k of the layer before the last "
                         "feeds neuron j of the output layer.")
        self.show_neurons()

        self.beat(f"The weight joining them is w_jk: row j = {self.j}, column k = {self.k} of "
                  "the last weight matrix.", "weight",
                  spoken=f"The weight joining them is w j k: row j, here {self.j}, and column k, "
                         f"here {self.k}, of the last weight matrix.")
        self.show_weight()

        self.beat("Neuron j's weighted sum adds up every neuron k before it, each times its "
                  "weight, plus its bias.", "weighted sum")
        self.show_weighted_sum()

        self.beat(f"The cost adds up all {self.sizes[-1]} outputs' squared differences from "
                  "what they should be.", "cost")
        self.show_cost()

        self.beat("The chain rule for this one weight is the chain's, with indices: a_k, "
                  "times σ′(z_j), times 2(a_j − y_j).", "derivative",
                  spoken="The chain rule for this one weight is the chain's, with indices: "
                         "a k, times sigma prime of z j, times "
                         + output_slope_words(self.network.cost_name) + ".")
        self.show_derivative()

        self.beat(f"With the real numbers: {shown(f.dz_dw)} × {shown(f.da_dz)} × "
                  f"{shown(f.dC_da)} = {shown(f.product)}.", "values",
                  spoken=f"With the real numbers: {said(f.dz_dw)} times {said(f.da_dz)} times "
                         f"{said(f.dC_da)} is {said(f.product)}.")
        self.show_values()

    def load(self) -> None:
        super().load()
        net = self.network
        self.weight = float(net.weights[self.L - 1][self.j, self.k])
        self.factors = calculus.last_layer_weight_factors(net, self.example_x, self.label,
                                                          self.j, self.k)
        self.cost = self.passes.cost

    # ----------------------------------------------------------------------- beats
    def show_network(self):
        nm = story_network(self.network, self.example_x, self.activations,
                           height=self.network_height, left=self.network_left,
                           center_y=self.network_y)
        self.network_mobject = nm
        self.caption = self.story_caption()
        self.play(FadeIn(nm), FadeIn(self.caption), run_time=1.5)
        self.wait(0.5)

    def show_neurons(self):
        nm, L = self.network_mobject, self.L
        self.neuron_j, self.neuron_k = nm.neuron(L, self.j), nm.neuron(L - 1, self.k)
        self.ring_j, self.ring_k = ring(self.neuron_j), ring(self.neuron_k)
        self.k_labels = index_labels(nm, L - 1)
        for label in self.k_labels:
            if label.neuron_index == self.k:
                label.set_color(PAL.highlight)
        nm.output_label(self.j).set_color(PAL.highlight)
        self.a_j_label = MathTex("a_j^{(L)}", font_size=30).next_to(
            nm.output_label(self.j), RIGHT, buff=0.15)
        self.a_k_label = a_k_label(self.k_labels, self.k)
        self.layer_names = VGroup(*[
            MathTex(name, font_size=28, color=style.DIM_TEXT_COLOR).next_to(
                nm.layers[layer], DOWN, buff=0.2)
            for layer, name in ((L - 1, "L-1"), (L, "L"))])
        self.layer_names.align_to(nm.layers[L - 1], DOWN).shift(0.45 * DOWN)
        self.play(*dim_all_but_last(nm), FadeIn(self.layer_names), run_time=1.2)
        self.play(Create(self.ring_j), Create(self.ring_k), FadeIn(self.k_labels),
                  Write(self.a_j_label), Write(self.a_k_label), run_time=1.5)
        self.wait(style.PAUSE)

    def show_weight(self):
        nm, L = self.network_mobject, self.L
        self.weight_edge = edge_between(nm, L, self.j, self.k)
        self.weight_glow = glow(self.weight_edge)
        self.w_label = MathTex("w_{jk}^{(L)}", font_size=30, color=PAL.highlight)
        self.w_label.move_to(self.weight_edge.point_from_proportion(0.5) + 0.3 * UP)
        self.w_label.add_to_back(BackgroundRectangle(self.w_label, buff=0.04, fill_opacity=0.85))
        # w_jk⁽ᴸ⁾ = weights[L-1][j, k]: the indices on screen are the matrix positions.
        self.j_number = Integer(self.j, color=PAL.highlight)
        self.k_number = Integer(self.k, color=PAL.highlight)
        self.weight_number = number(self.weight, font_size=FORMULA_FONT_SIZE)
        head = formula("w_{jk}^{(L)}", "=", rf"w_{{{self.j},{self.k}}}^{{(L)}}", "=")
        head[0].set_color(PAL.highlight)
        line = VGroup(head, self.weight_number).arrange(RIGHT, buff=0.2)
        self.place_indices(head[2])
        self.weight_line = VGroup(line, self.j_number, self.k_number)
        self.weight_line.move_to([0, 2.75, 0]).align_to([self.formulas_left, 0, 0], LEFT)
        self.weight_note = caption(f"row j = {self.j}, column k = {self.k} of the last weight "
                                   f"matrix, weights[{self.L - 1}]", font_size=22)
        self.weight_note.next_to(self.weight_line, DOWN, buff=0.15, aligned_edge=LEFT)
        fit_between(self.weight_note, self.formulas_left, 6.9)
        self.play(Create(self.weight_glow), FadeIn(self.w_label), run_time=1.2)
        self.play(Write(self.weight_line), FadeIn(self.weight_note), run_time=1.5)
        self.wait(style.PAUSE)

    def place_indices(self, w_tex: MathTex) -> None:
        """Put the j and k Integers where ``w_tex`` (w_{j,k}^{(L)} with the real numbers) shows
        them, and hide its own copies: the numbers drawn are the Integers."""
        glyphs = w_tex[0]
        nj, nk = len(str(self.j)), len(str(self.k))
        j_glyphs = VGroup(*glyphs[1:1 + nj])
        k_glyphs = VGroup(*glyphs[2 + nj:2 + nj + nk])
        for integer, target in ((self.j_number, j_glyphs), (self.k_number, k_glyphs)):
            integer.match_height(target).move_to(target)
            target.set_opacity(0)

    def show_weighted_sum(self):
        self.z_formula = formula("z_j^{(L)}", "=", r"\sum_k", "w_{jk}^{(L)}", "a_k^{(L-1)}", "+",
                                 "b_j^{(L)}")
        self.a_formula = formula("a_j^{(L)}", "=", r"\sigma(", "z_j^{(L)}", ")")
        self.z_formula.move_to([0, 1.45, 0]).align_to([self.formulas_left, 0, 0], LEFT)
        self.a_formula.next_to(self.z_formula, DOWN, buff=0.3, aligned_edge=LEFT)
        edges = VGroup(*[glow(e, width=2.5) for e in self.network_mobject.edges_into(self.L)
                         if e.target == self.j])
        self.play(Write(self.z_formula), run_time=1.5)
        self.play(ShowPassingFlash(edges, time_width=0.5), Write(self.a_formula), run_time=1.5)
        self.wait(style.PAUSE)

    def show_cost(self):
        self.cost_formula = formula(*cost_parts(self.network.cost_name))
        self.cost_number = number(self.cost, signed=False, font_size=FORMULA_FONT_SIZE)
        self.cost_number.set_color(style.COST_COLOR)
        eq = MathTex("=", font_size=FORMULA_FONT_SIZE)
        self.cost_line = VGroup(self.cost_formula, eq, self.cost_number).arrange(RIGHT, buff=0.2)
        self.cost_line.next_to(self.a_formula, DOWN, buff=0.4, aligned_edge=LEFT)
        self.play(Write(self.cost_line), run_time=1.5)
        self.wait(style.PAUSE)

    def show_derivative(self):
        self.derivative = segmented(
            ("dC/dw", partial("C_0", ["w_{jk}^{(L)}"])), ("=", ["="]),
            ("a_k", ["a_k^{(L-1)}"]), ("slope", [r"\,\sigma'(", "z_j^{(L)}", r")\,"]),
            ("dC/da", output_slope_parts(self.network.cost_name)))
        self.derivative.next_to(self.cost_line, DOWN, buff=0.55, aligned_edge=LEFT)
        fit_between(self.derivative, self.formulas_left, 6.9)
        self.derivative_box = SurroundingRectangle(self.derivative, color=PAL.highlight,
                                                   buff=0.12)
        self.play(Write(self.derivative), run_time=2)
        self.play(Create(self.derivative_box))
        self.wait(style.PAUSE)

    def show_values(self):
        f, d = self.factors, self.derivative
        self.factor_numbers = VGroup(number(f.dz_dw, signed=False), number(f.da_dz, signed=False),
                                     number(f.dC_da))
        self.product_number = number(f.product)
        seg = d.segments
        groups = [seg["dC/dw"], seg["a_k"], seg["slope"], seg["dC/da"]]
        y = self.derivative_box.get_bottom()[1] - 0.35
        for mob, over in zip([self.product_number, *self.factor_numbers], groups):
            mob.move_to([over.get_center()[0], y, 0])
        # Equal the factors' spacing if two numbers would touch.
        row = VGroup(*self.factor_numbers)
        for a, b in zip(row, row[1:]):
            if b.get_left()[0] - a.get_right()[0] < 0.25:
                b.shift((0.25 - (b.get_left()[0] - a.get_right()[0])) * RIGHT)
        signs = VGroup(MathTex("=", font_size=NUMBER_FONT_SIZE).move_to(
            [seg["="].get_center()[0], y, 0]))
        for a, b in zip(row, row[1:]):
            signs.add(MathTex(r"\times", font_size=NUMBER_FONT_SIZE).move_to(
                [(a.get_right()[0] + b.get_left()[0]) / 2, y, 0]))
        self.value_row = VGroup(self.product_number, self.factor_numbers, signs)
        fit_between(self.value_row, self.formulas_left, 6.9)
        self.play(LaggedStart(*[FadeIn(m, shift=0.15 * DOWN) for m in self.factor_numbers],
                              lag_ratio=0.3), FadeIn(signs[1:]), run_time=1.5)
        self.play(FadeIn(signs[0]), TransformFromCopy(self.factor_numbers, self.product_number),
                  run_time=1.2)
        self.play(Create(SurroundingRectangle(self.product_number, color=PAL.highlight,
                                              buff=0.08)))
        self.wait(style.PAUSE)


# ======================================================================== ManyPathsBack
class ManyPathsBack(IndicesScene):
    """∂C₀/∂a_k⁽ᴸ⁻¹⁾ = Σⱼ w_jk⁽ᴸ⁾ σ′(z_j⁽ᴸ⁾) ∂C₀/∂a_j⁽ᴸ⁾: every path from neuron ``k`` of layer
    L − 1 (``calculus.weight_to_follow``'s k) to the cost, one through each output neuron j.

    ``paths`` is ``calculus.paths_back``; ``path_edges[j]`` the drawn edge k → j (its glow
    ``path_glows[j]``, coloured by the sign of term j), and in the row of output neuron j the
    DecimalNumbers ``weight_numbers[j]`` (w_jk⁽ᴸ⁾), ``slope_numbers[j]`` (σ′(z_j⁽ᴸ⁾)),
    ``output_numbers[j]`` (∂C₀/∂a_j⁽ᴸ⁾, 2(a_j − y_j)) and ``term_numbers[j]``, which add up
    to ``total_number`` (``terms``, ``total``). ``backprop_value`` is
    ``network.backprop(x, label).activations[L - 1][k]``, drawn as ``backprop_number``.
    """

    network_height = 5.3
    network_left = -6.85
    network_y = -0.35
    column_step = 1.45
    font_size = 22

    def construct(self):
        self.load()
        n, d = self.sizes[-1], self.term_decimals
        self.beat(f"Now follow one neuron instead of one weight: neuron k = {self.k} of layer "
                  "L − 1. How sensitive is the cost to its activation?", "neuron k",
                  spoken=f"Now follow one neuron instead of one weight: neuron {self.k} of the "
                         "layer before the last. How sensitive is the cost to its activation?")
        self.show_neuron()

        self.beat(f"It reaches the cost along {n} paths, one through each output neuron.",
                  "paths")
        self.show_paths()

        self.beat("Each path gives the chain rule along it: w_jk, times σ′(z_j), times "
                  "2(a_j − y_j).", "terms",
                  spoken="Each path gives the chain rule along it: w j k, times sigma prime of "
                         f"z j, times {output_slope_words(self.network.cost_name)}.")
        self.show_terms()

        self.beat(f"Adding the {n} paths gives ∂C₀/∂a_k = {shown(self.total, decimals=d)}: "
                  "exactly what backprop computes for this neuron.", "sum",
                  spoken=f"Adding the {n} paths gives the derivative of the cost with respect "
                         f"to this activation, {said(self.total, decimals=d)}: exactly what "
                         "backprop computes for this neuron.")
        self.show_sum()

        self.beat("This is chapter 3's sum of desires, as calculus: each output neuron's wish "
                  "for neuron k is minus its term.", "desires",
                  spoken="This is chapter 3's sum of desires, as calculus: each output neuron's "
                         "wish for neuron k is minus its term.")
        self.show_desires()

    def load(self) -> None:
        super().load()
        x, label = self.example_x, self.label
        self.paths = calculus.paths_back(self.network, x, label, self.k)
        self.terms = self.paths.terms
        self.total = self.paths.total
        self.backprop_value = float(self.network.backprop(x, label).activations[self.L - 1][self.k])
        # One number of decimals for the terms and their sum, so the column visibly adds up.
        self.term_decimals = places(float(np.abs(self.terms).max()), digits=3) + 1

    # ----------------------------------------------------------------------- beats
    def show_neuron(self):
        nm = story_network(self.network, self.example_x, self.activations,
                           height=self.network_height, left=self.network_left,
                           center_y=self.network_y)
        self.network_mobject = nm
        self.caption = self.story_caption()
        self.neuron_k = nm.neuron(self.L - 1, self.k)
        self.ring_k = ring(self.neuron_k)
        self.k_labels = index_labels(nm, self.L - 1)
        for label in self.k_labels:
            if label.neuron_index == self.k:
                label.set_color(PAL.highlight)
        self.a_k_label = a_k_label(self.k_labels, self.k)
        self.play(FadeIn(nm), FadeIn(self.caption), run_time=1.5)
        self.play(*dim_all_but_last(nm), Create(self.ring_k), FadeIn(self.k_labels),
                  Write(self.a_k_label), run_time=1.5)
        self.wait(style.PAUSE)

    def show_paths(self):
        nm, L = self.network_mobject, self.L
        largest = float(np.abs(self.terms).max()) or 1.0
        self.path_edges, self.path_glows = {}, {}
        for j in range(self.sizes[-1]):
            edge = edge_between(nm, L, j, self.k)
            t = float(self.terms[j])
            self.path_edges[j] = edge
            self.path_glows[j] = glow(edge, PAL.sign_color(t), 1.5 + 4.5 * abs(t) / largest)
        others = VGroup(*[e for e in nm.edges_into(L) if e.source != self.k])
        glows = VGroup(*self.path_glows.values())
        flash = VGroup(*[glow(e, width=4) for e in self.path_edges.values()])
        self.play(others.animate.set_stroke(opacity=DIM_OPACITY), run_time=0.8)
        self.play(ShowPassingFlash(flash, time_width=0.6), run_time=1.5)
        self.play(Create(glows), run_time=1.2)
        self.wait(style.PAUSE)

    def column_x(self, c: int) -> float:
        return self.network_mobject.get_right()[0] + 1.05 + c * self.column_step

    def row_y(self, j: int) -> float:
        return self.network_mobject.neuron(self.L, j).get_center()[1]

    def show_terms(self):
        p, fs = self.paths, self.font_size
        self.path_formula = segmented(
            ("dC/da", partial("C_0", ["a_k^{(L-1)}"])), ("=", ["="]), ("sum", [r"\sum_j"]),
            ("w", ["w_{jk}^{(L)}"]), ("slope", [r"\,\sigma'(", "z_j^{(L)}", r")\,"]),
            ("out", output_slope_parts(self.network.cost_name)))
        headers = VGroup(*[formula(*t, font_size=26) for t in (
            ["w_{jk}^{(L)}"], [r"\sigma'(", "z_j^{(L)}", ")"],
            output_slope_parts(self.network.cost_name), [r"\text{path } j"])])
        top = self.row_y(0) + 0.5
        for c, h in enumerate(headers):
            h.move_to([self.column_x(c + (c == 3) * 0.35), top, 0])
        self.path_formula.move_to([0, 2.85, 0])
        fit_between(self.path_formula.align_to(headers, LEFT), headers.get_left()[0], 6.9)
        self.weight_numbers, self.slope_numbers = VGroup(), VGroup()
        self.output_numbers, self.term_numbers = VGroup(), VGroup()
        signs = VGroup()
        for j in range(self.sizes[-1]):
            y = self.row_y(j)
            values = ((self.weight_numbers, p.w[j], True), (self.slope_numbers, p.slope[j], False),
                      (self.output_numbers, p.dC_da[j], True))
            for c, (group, v, signed) in enumerate(values):
                group.add(number(v, signed=signed, font_size=fs).move_to([self.column_x(c), y, 0]))
            term = number(p.terms[j], font_size=fs, decimals=self.term_decimals)
            term.move_to([self.column_x(3.35), y, 0])
            self.term_numbers.add(term)
            signs.add(*[MathTex(r"\times", font_size=fs, color=style.DIM_TEXT_COLOR)
                        .move_to([self.column_x(c + 0.5), y, 0]) for c in (0, 1)],
                      MathTex("=", font_size=fs).move_to([self.column_x(2.62), y, 0]))
        self.headers, self.row_signs = headers, signs
        rows = [VGroup(self.weight_numbers[j], self.slope_numbers[j], self.output_numbers[j])
                for j in range(self.sizes[-1])]
        self.play(Write(self.path_formula), FadeIn(headers), run_time=1.5)
        self.play(LaggedStart(*[TransformFromCopy(self.path_glows[j], rows[j])
                                for j in range(len(rows))], lag_ratio=0.1),
                  FadeIn(signs), run_time=2.5)
        self.play(LaggedStart(*[TransformFromCopy(rows[j], self.term_numbers[j])
                                for j in range(len(rows))], lag_ratio=0.1), run_time=2)
        self.wait(style.PAUSE)

    def show_sum(self):
        fs, d = self.font_size, self.term_decimals
        x = self.column_x(3.35)
        bottom = self.row_y(self.sizes[-1] - 1) - 0.25
        self.sum_line = Line([x - 0.55, bottom, 0], [x + 0.55, bottom, 0], stroke_width=2)
        self.total_number = number(self.total, font_size=fs + 2, decimals=d)
        self.total_number.move_to([x, bottom - 0.3, 0])
        sigma = formula(r"\textstyle\sum_j", "=", font_size=fs + 4)
        sigma.next_to(self.total_number, LEFT, buff=0.2)
        self.backprop_number = number(self.backprop_value, font_size=fs + 2, decimals=d)
        self.backprop_number.move_to([x, bottom - 0.8, 0])
        said_by = formula(r"\text{backprop's }", *slash_partial("C_0", "a_k^{(L-1)}"), "=",
                          font_size=fs + 2)
        said_by.next_to(self.backprop_number, LEFT, buff=0.2)
        self.backprop_line = VGroup(said_by, self.backprop_number)
        self.total_group = VGroup(self.sum_line, sigma, self.total_number)
        self.play(Create(self.sum_line), FadeIn(sigma),
                  TransformFromCopy(self.term_numbers, self.total_number), run_time=2)
        self.play(FadeIn(self.backprop_line, shift=0.1 * UP))
        self.total_boxes = VGroup(*[SurroundingRectangle(n, color=PAL.highlight, buff=0.07)
                                    for n in (self.total_number, self.backprop_number)])
        self.play(Create(self.total_boxes))
        self.wait(style.PAUSE)

    def show_desires(self):
        """Chapter 3's wishes beside the terms: output j's wish for a_k is minus its term, and
        the wishes add up to minus the derivative."""
        fs, d = self.font_size, self.term_decimals
        x = self.column_x(4.55)
        self.wishes = -self.terms
        self.wish_header = caption("wish (ch. 3)", font_size=22, color=PAL.accent)
        self.wish_header.move_to([x, self.headers[-1].get_center()[1], 0])
        self.wish_numbers = VGroup(*[number(w, font_size=fs, decimals=d).move_to(
            [x, self.row_y(j), 0]) for j, w in enumerate(self.wishes)])
        self.wish_total_number = number(-self.total, font_size=fs + 2, decimals=d)
        self.wish_total_number.move_to([x, self.total_number.get_center()[1], 0])
        self.wish_line = self.sum_line.copy().set_x(x)
        self.desires_note = VGroup(
            caption("chapter 3's sum of desires, as calculus:", font_size=24, color=PAL.accent),
            formula(r"\textstyle\sum_j \text{wishes} = -", *slash_partial("C_0", "a_k^{(L-1)}"),
                    font_size=26)).arrange(RIGHT, buff=0.2)
        self.desires_note.to_edge(DOWN, buff=0.2)
        fit_between(self.desires_note, self.network_mobject.get_right()[0] + 0.2, 6.9)
        self.play(FadeIn(self.wish_header), LaggedStart(*[
            TransformFromCopy(t, w) for t, w in zip(self.term_numbers, self.wish_numbers)],
            lag_ratio=0.08), run_time=2)
        self.play(Create(self.wish_line),
                  TransformFromCopy(self.wish_numbers, self.wish_total_number),
                  FadeIn(self.desires_note, shift=0.1 * UP), run_time=1.5)
        self.wait(style.PAUSE)


# ================================================================= GradientFromTheChain
class GradientFromTheChain(IndicesScene):
    """Chapter 2's gradient column ∇C₀ filled in from the chain rule, from the last layer
    back, and the chapter's three formulas on one screen.

    The column shows, for each layer l = 1..L, the weight ``calculus.weight_to_follow(net, x,
    label, l)`` = (j, k) and the bias b_j⁽ˡ⁾ of the same neuron j, with ⋮ for the others;
    the values come from ``calculus.gradient_by_layer`` (``gradient``). ``entries`` lists a
    dict per shown entry: ``kind`` ("w"/"b"), ``layer``, ``j``, ``k`` (None for a bias),
    ``value`` and ``number`` (its DecimalNumber); ``entry_labels`` their names.

    For each layer, ``worked[l]`` is the worked line of its weight entry: ``factors[l]``
    (``calculus.last_layer_weight_factors``) as DecimalNumbers ``worked[l].factor_numbers``
    (a_k⁽ˡ⁻¹⁾, σ′(z_j⁽ˡ⁾), ∂C₀/∂a_j⁽ˡ⁾) and ``worked[l].product_number``. ``formulas`` holds
    the three summary formulas: "weight", "hidden" and "output".
    """

    row_height = 0.47
    column_top = 2.45
    value_x = -2.75
    formulas_left = -0.35
    font_size = 24

    def construct(self):
        self.load()
        n = self.network.num_parameters
        self.beat(f"Chapter 2's gradient has one entry for each of the {n:,} weights and "
                  "biases; the chain rule gives every one of them.", "gradient")
        self.show_column()
        for l in range(self.L, 0, -1):
            line, spoken = self.layer_narration(l)
            self.beat(line, f"layer {l}", spoken=spoken)
            self.fill_layer(l)
        self.beat("Three formulas, applied from the last layer back, give every entry of the "
                  "gradient: that is backpropagation.", "summary")
        self.show_summary()

    def layer_narration(self, l: int) -> tuple[str, str]:
        """The subtitle and the spoken form of the beat filling layer ``l``'s entries."""
        if l == self.L:
            return ("The last layer's entries come straight from the chain rule, ending in "
                    "2(a_j − y_j).",
                    "The last layer's entries come straight from the chain rule, ending in "
                    f"{output_slope_words(self.network.cost_name)}.")
        if l == 1:
            return ("The same step reaches the first layer, where each a_k is a pixel of the "
                    "image.",
                    "The same step reaches the first layer, where each a k is a pixel of the "
                    "image.")
        return (f"One layer back, ∂C₀/∂a_j of layer {l} is a sum over the paths forward, "
                "from the layer after.",
                f"One layer back, each neuron's derivative in layer {l} is a sum over the "
                "paths forward, from the layer after.")

    def load(self) -> None:
        super().load()
        net, x, label = self.network, self.example_x, self.label
        self.gradient = calculus.gradient_by_layer(net, x, label)
        self.followed, self.factors = {}, {}
        for l in range(1, self.L + 1):
            j, k = calculus.weight_to_follow(net, x, label, layer=l)
            self.followed[l] = (j, k)
            self.factors[l] = calculus.last_layer_weight_factors(net, x, label, j, k, layer=l)
        self.entries = []
        for l in range(1, self.L + 1):
            j, k = self.followed[l]
            self.entries.append({"kind": "w", "layer": l, "j": j, "k": k,
                                 "value": float(self.gradient.weights[l - 1][j, k])})
            self.entries.append({"kind": "b", "layer": l, "j": j, "k": None,
                                 "value": float(self.gradient.biases[l - 1][j])})
        self.worked = {}

    # -------------------------------------------------------------------- geometry
    def rows(self) -> list[dict | None]:
        """The column's rows top to bottom: each layer's weight, ⋮, its bias, ⋮ between."""
        rows = []
        for l in range(1, self.L + 1):
            w, b = [e for e in self.entries if e["layer"] == l]
            rows += [w, None, b] + ([None] if l < self.L else [])
        return rows

    def row_y(self, r: int) -> float:
        return self.column_top - r * self.row_height

    @staticmethod
    def entry_tex(e: dict) -> list[str]:
        sup = f"^{{({e['layer']})}}"
        den = (f"w_{{{e['j']},{e['k']}}}{sup}" if e["kind"] == "w" else f"b_{{{e['j']}}}{sup}")
        return slash_partial("C_0", den)

    # ----------------------------------------------------------------------- beats
    def show_column(self):
        fs = self.font_size
        self.entry_labels, dots, self.layer_tags = VGroup(), VGroup(), VGroup()
        for r, e in enumerate(self.rows()):
            y = self.row_y(r)
            if e is None:
                dots.add(MathTex(r"\vdots", font_size=fs).move_to([self.value_x, y, 0]))
                continue
            label = formula(*self.entry_tex(e), font_size=fs)
            label.move_to([self.value_x - 1.0, y, 0], aligned_edge=RIGHT)
            self.entry_labels.add(label)
            e["row"] = r
            # placeholder width for the value, so the brackets fit the numbers to come
            e["number"] = number(e["value"], font_size=fs).move_to([self.value_x, y, 0])
        values = VGroup(*[e["number"] for e in self.entries], dots)
        self.brackets = VGroup(bracket(values, LEFT), bracket(values, RIGHT))
        self.column_dots = dots
        self.title = formula(r"\nabla", "C_0", font_size=40).next_to(self.brackets, UP, buff=0.2)
        for l in range(1, self.L + 1):
            w, b = [e for e in self.entries if e["layer"] == l]
            y = (self.row_y(w["row"]) + self.row_y(b["row"])) / 2
            name = f"l = {l}" + (r" = L" if l == self.L else "")
            tag = MathTex(name, font_size=22, color=style.DIM_TEXT_COLOR)
            tag.next_to(self.brackets[1], RIGHT, buff=0.15).set_y(y)
            self.layer_tags.add(tag)
        n = self.network.num_parameters
        self.count_note = caption(f"{n:,} entries, grouped by layer", font_size=20)
        self.count_note.next_to(self.brackets, DOWN, buff=0.15)
        self.caption = self.story_caption().to_corner(LEFT + DOWN, buff=0.25)
        self.play(FadeIn(self.caption), FadeIn(self.title), Create(self.brackets),
                  LaggedStart(*[Write(m) for m in self.entry_labels], lag_ratio=0.1),
                  FadeIn(dots), FadeIn(self.layer_tags), FadeIn(self.count_note), run_time=2)
        self.wait(style.PAUSE)

    def summary_formulas(self) -> dict[str, MathTex]:
        """The chapter's three formulas, for any layer l: a weight's derivative, a hidden
        activation's (the sum over paths) and an output activation's."""
        dC_daj = partial("C_0", ["a_j^{(l)}"])
        weight = segmented(("lhs", partial("C_0", ["w_{jk}^{(l)}"])), ("=", ["="]),
                           ("rhs", ["a_k^{(l-1)}", r"\,\sigma'(", "z_j^{(l)}", r")\,", *dC_daj]),
                           font_size=32)
        hidden = segmented(("lhs", partial("C_0", ["a_k^{(l-1)}"])), ("=", ["="]),
                           ("rhs", [r"\sum_j", "w_{jk}^{(l)}", r"\,\sigma'(", "z_j^{(l)}",
                                    r")\,", *dC_daj]), font_size=32)
        output = segmented(("lhs", partial("C_0", ["a_j^{(L)}"])), ("=", ["="]),
                           ("rhs", output_slope_parts(self.network.cost_name)), font_size=32)
        group = VGroup(weight, hidden, output).arrange(DOWN, buff=0.4, aligned_edge=LEFT)
        group.move_to([0, 1.45, 0]).align_to([self.formulas_left, 0, 0], LEFT)
        fit_between(group, self.formulas_left, 6.9)
        return {"weight": weight, "hidden": hidden, "output": output}

    def worked_line(self, l: int) -> VGroup:
        """∂C₀/∂w_jk⁽ˡ⁾ of the followed weight = a_k · σ′(z_j) · ∂C₀/∂a_j, with real numbers."""
        f = self.factors[l]
        fs = self.font_size
        head = formula(*slash_partial("C_0", f"w_{{{f.j},{f.k}}}^{{({l})}}"), "=",
                       font_size=fs + 2)
        factors = VGroup(number(f.dz_dw, signed=False, font_size=fs + 2),
                         number(f.da_dz, signed=False, font_size=fs + 2),
                         number(f.dC_da, font_size=fs + 2))
        product = number(f.product, font_size=fs + 2)
        times = [MathTex(r"\times", font_size=fs + 2) for _ in range(2)]
        line = VGroup(head, factors[0], times[0], factors[1], times[1], factors[2],
                      MathTex("=", font_size=fs + 2), product).arrange(RIGHT, buff=0.15)
        names = VGroup(*[formula(*t, font_size=22) for t in (
            [f"a_{{{f.k}}}^{{({l - 1})}}"], [r"\sigma'(", f"z_{{{f.j}}}^{{({l})}}", ")"],
            slash_partial("C_0", f"a_{{{f.j}}}^{{({l})}}"))])
        for name, factor in zip(names, factors):
            name.next_to(factor, UP, buff=0.12)
        line.factor_numbers, line.product_number, line.names = factors, product, names
        group = VGroup(line, names)
        group.move_to([0, -1.9, 0]).align_to([self.formulas_left, 0, 0], LEFT)
        fit_between(group, self.formulas_left, 6.9)
        line.group = group
        return line

    def fill_layer(self, l: int):
        if not hasattr(self, "formulas"):
            self.formulas = self.summary_formulas()
        uses = ["weight", "output"] if l == self.L else ["weight", "hidden"]
        new = [self.formulas[u] for u in uses if u not in getattr(self, "shown_formulas", set())]
        self.shown_formulas = getattr(self, "shown_formulas", set()) | set(uses)
        marks = VGroup(*[SurroundingRectangle(self.formulas[u], color=PAL.highlight, buff=0.1)
                         for u in uses])
        worked = self.worked[l] = self.worked_line(l)
        old = [self.worked[m].group for m in self.worked if m != l]
        self.play(*[Write(f) for f in new], *[FadeOut(g) for g in old],
                  *[FadeOut(m) for m in getattr(self, "marks", [])], run_time=1.5)
        self.marks = marks
        self.play(Create(marks), FadeIn(worked.group, shift=0.1 * UP), run_time=1.2)
        w, b = [e for e in self.entries if e["layer"] == l]
        self.play(TransformFromCopy(worked.product_number, w["number"]),
                  FadeIn(b["number"], shift=0.1 * LEFT), run_time=1.5)
        self.wait(style.PAUSE)

    def show_summary(self):
        self.bias_note = formula(r"\text{biases: }", *slash_partial("C_0", "b_j^{(l)}"), "=",
                                 r"\sigma'(", "z_j^{(l)}", r")\,",
                                 *slash_partial("C_0", "a_j^{(l)}"), font_size=24)
        self.summary_box = SurroundingRectangle(VGroup(*self.formulas.values()),
                                                color=PAL.highlight, buff=0.2)
        self.summary_title = caption("backpropagation, layer by layer from the back",
                                     font_size=26, color=PAL.highlight)
        self.summary_title.next_to(self.summary_box, UP, buff=0.15)
        self.bias_note.next_to(self.summary_box, DOWN, buff=0.2).align_to(self.summary_box, LEFT)
        fit_between(self.bias_note, self.formulas_left, 6.9)
        self.play(FadeOut(self.marks), run_time=0.8)
        self.play(Create(self.summary_box), FadeIn(self.summary_title), FadeIn(self.bias_note),
                  run_time=1.5)
        self.wait(2 * style.PAUSE)
