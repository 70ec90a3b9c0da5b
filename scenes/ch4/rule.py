"""Chapter 4, the chain rule on the 1-1-1-1 chain: the three factors of ∂C₀/∂w⁽ᴸ⁾, why the
first one is the previous activation, the average over training examples, and the bias and
previous-activation derivatives that carry the rule one layer back.

Every number on screen is computed from the real trained chain (``Chapter4Scene.load_chain``)
by ``network.calculus`` (the chain rule's factors, a real nudge, the average) and by the
network's own ``backprop``; nothing is typed in. The layers are named as in the video:
L = 3 is the output, so a⁽ᴸ⁻³⁾ is the input pixel's brightness.

Scenes: ``ChainRule``, ``WeightFollowsActivation``, ``AverageOverTrainingExamples``,
``BiasAndPreviousActivation``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Circle,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Indicate,
    LaggedStart,
    Line,
    MathTex,
    Mobject,
    Rectangle,
    Square,
    SurroundingRectangle,
    TransformFromCopy,
    VGroup,
    VMobject,
    Write,
)

from network import calculus
from network.chain import example_index
from scenes import style
from scenes.ch4.story import Chapter4Scene
from scenes.layout import caption
from scenes.mobjects import DigitImage
from scenes.text import decimal_places

PAL = style.PALETTE
FORMULA_SIZE = 40           # the main formula of a scene
TABLE_SIZE = 30             # numbers in tables

# Symbols that keep their colour everywhere (scenes/style.py): C red, z green, b maroon,
# y yellow. Written exactly so in every formula; "{y}" and "{C}" carry braces so that the
# letters inside words are never caught.
TEX_COLORS = {
    "C_0": PAL.cost, "C_k": PAL.cost, "{C}": PAL.cost,
    "z^{(L)}": PAL.weighted_sum, "z^{(L-1)}": PAL.weighted_sum,
    "b^{(L)}": PAL.bias, "{y}": PAL.desired,
}


# ---------------------------------------------------------------------------- pure helpers
def formula(*parts: str, font_size: float = FORMULA_SIZE) -> MathTex:
    """``MathTex`` of ``parts`` with C, z, b and y in their colours."""
    tex = MathTex(*parts, font_size=font_size, substrings_to_isolate=list(TEX_COLORS))
    for symbol, color in TEX_COLORS.items():
        tex.set_color_by_tex(symbol, color)
    return tex


def partial(top: str, bottom: str) -> str:
    """∂top/∂bottom as a LaTeX fraction."""
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def number(value: float, digits: int = 3, signed: bool = False, font_size: float = FORMULA_SIZE,
           places: int | None = None) -> DecimalNumber:
    """``value`` to ``digits`` significant digits (or ``places`` decimals); a ``signed``
    quantity (a derivative) carries its sign and its sign colour."""
    places = decimal_places(value, digits=digits, most=8) if places is None else places
    color = PAL.sign_color(value) if signed else PAL.text
    return DecimalNumber(float(value), num_decimal_places=places, include_sign=signed,
                         font_size=font_size, color=color)


def said(value: float, digits: int = 2) -> str:
    """``value`` as narration says it: ``digits`` significant digits, at least two decimals,
    with a real minus sign (the voice reads it as "minus")."""
    return f"{value + 0.0:.{decimal_places(value, digits=digits)}f}".replace("-", "−")


def backprop_weight(network, xs, ys, layer: int) -> float:
    """``network.backprop``'s ∂C/∂w⁽ˡ⁾ of the chain for pixels ``xs`` (one or many) with desired
    outputs ``ys``: averaged over them, as backprop averages a minibatch."""
    xs = np.asarray(xs, dtype=np.float64).reshape(-1, 1)
    ys = np.asarray(ys, dtype=np.float64).reshape(-1, 1)
    return float(network.backprop(xs, ys).weights[layer - 1][0, 0])


def power_of_ten(value: float) -> str:
    """``value`` as TeX ``10^{-k}`` when it is one (the nudge sizes), else its decimal."""
    k = np.log10(abs(value))
    if abs(k - round(k)) < 1e-9 and value > 0:
        return f"10^{{{int(round(k))}}}"
    return f"{value:g}"


# ------------------------------------------------------------------------------ mobjects
class ChainDiagram(VGroup):
    """The 1-1-1-1 chain drawn in a row: four neurons filled with their activations, the three
    weights as edges (sign colour), ``names`` a⁽ᴸ⁻³⁾..a⁽ᴸ⁾ under the neurons and, with
    ``show_values``, ``numbers`` (DecimalNumbers of the activations) under the names; with
    ``show_weights`` the edges are named w⁽ᴸ⁻²⁾..w⁽ᴸ⁾; with ``show_y`` the desired output y
    stands to the right of the last neuron."""

    NAMES = ("a^{(L-3)}", "a^{(L-2)}", "a^{(L-1)}", "a^{(L)}")
    WEIGHTS = ("w^{(L-2)}", "w^{(L-1)}", "w^{(L)}")

    def __init__(self, activations, weights, y: float | None = None, spacing: float = 2.0,
                 radius: float = 0.28, font_size: float = 28, show_names: bool = True,
                 show_values: bool = True, show_weights: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.neurons = VGroup(*[
            Circle(radius=radius, stroke_color=style.NEURON_STROKE_COLOR,
                   stroke_width=style.NEURON_STROKE_WIDTH, fill_color=style.NEURON_FILL_COLOR,
                   fill_opacity=float(np.clip(a, 0, 1))).move_to(i * spacing * RIGHT)
            for i, a in enumerate(activations)])
        self.edges = VGroup(*[
            Line(self.neurons[i].get_right(), self.neurons[i + 1].get_left(),
                 stroke_color=PAL.sign_color(w), stroke_width=3)
            for i, w in enumerate(weights)])
        self.add(self.edges, self.neurons)
        self.names = VGroup()
        self.numbers = VGroup()
        self.weight_names = VGroup()
        if show_names:
            self.names = VGroup(*[formula(n, font_size=font_size).next_to(c, DOWN, buff=0.15)
                                  for n, c in zip(self.NAMES, self.neurons)])
            self.add(self.names)
        if show_values:
            self.numbers = VGroup(*[
                number(a, font_size=font_size - 4).next_to(label, DOWN, buff=0.12)
                for a, label in zip(activations, self.names or self.neurons)])
            self.numbers.set_color(PAL.dim_text)
            self.add(self.numbers)
        if show_weights:
            self.weight_names = VGroup(*[formula(n, font_size=font_size).next_to(e, UP, buff=0.1)
                                         for n, e in zip(self.WEIGHTS, self.edges)])
            self.add(self.weight_names)
        self.target = VGroup()
        if y is not None:
            self.target = formula("{y}", "=", f"{y:g}", font_size=font_size)
            self.target.next_to(self.neurons[-1], RIGHT, buff=0.45)
            self.add(self.target)

    @classmethod
    def of(cls, values, **kwargs) -> "ChainDiagram":
        """The diagram of a ``network.chain.ChainValues``."""
        return cls(values.a, values.w[1:], **kwargs)


class FactorTable(VGroup):
    """``lhs = f₁ · f₂ · f₃`` written as rows of one table, so that what a row says about a
    factor sits right under it: ``rows[r]`` is a list of cells (TeX strings for ``formula``,
    mobjects, or None for an empty cell), the "=" and "·" between them are added, and every
    column is centred on one x. ``cells[r][c]`` are the cells, ``operators[r]`` the signs of
    row r, ``row(r)`` both."""

    def __init__(self, rows: list[list], font_size: float = FORMULA_SIZE,
                 column_buff: float = 0.3, row_buff: float = 0.4, **kwargs):
        super().__init__(**kwargs)
        self.cells = [[self._cell(c, font_size) for c in row] for row in rows]
        columns = len(self.cells[0])
        self.operators = [[formula("=" if c == 0 else r"\cdot", font_size=font_size)
                           for c in range(columns - 1)] for _ in rows]
        widths = [max(row[c].width for row in self.cells) for c in range(columns)]
        op_width = max(op.width for op in self.operators[0])
        xs, x = [], 0.0
        for c, width in enumerate(widths):
            xs.append(x + width / 2)
            x += width + (column_buff * 2 + op_width if c < columns - 1 else 0)
        op_xs = [xs[c] + widths[c] / 2 + column_buff + op_width / 2 for c in range(columns - 1)]
        y = 0.0
        for cells, ops in zip(self.cells, self.operators):
            height = max(c.height for c in cells)
            y -= height / 2
            for cell, cx in zip(cells, xs):
                cell.move_to([cx, y, 0])
            for op, ox in zip(ops, op_xs):
                op.move_to([ox, y, 0])
            y -= height / 2 + row_buff
            self.add(*cells, *ops)
        self.center()

    @staticmethod
    def _cell(cell, font_size: float) -> Mobject:
        if cell is None:
            return VMobject()  # no points: takes no room, draws nothing
        return cell if isinstance(cell, Mobject) else formula(cell, font_size=font_size)

    def row(self, r: int) -> VGroup:
        """Row ``r``: its (non-empty) cells and the signs between them."""
        cells = [c for c in self.cells[r] if c.has_points() or c.submobjects]
        return VGroup(*cells, *self.operators[r])


class Check(VGroup):
    """One way of getting a number: its ``label`` above the ``value`` (a DecimalNumber)."""

    def __init__(self, label: Mobject, value: DecimalNumber, **kwargs):
        super().__init__(label, value, **kwargs)
        self.label, self.value = label, value
        self.arrange(DOWN, buff=0.22)


def pixel_swatch(brightness: float, side: float = 0.36) -> Square:
    """A square of a pixel's grey, framed: white ink on black, like MNIST."""
    return Square(side_length=side, stroke_color=style.IMAGE_FRAME_COLOR,
                  stroke_width=style.IMAGE_FRAME_WIDTH, fill_color=style.NEURON_FILL_COLOR,
                  fill_opacity=float(np.clip(brightness, 0, 1)))


def signed_bar(value: float, largest: float, length: float, height: float = 0.22) -> Rectangle:
    """A horizontal bar ``length · |value| / largest`` long (at least a sliver), sign coloured;
    ``signed_length`` keeps the signed length (+ right)."""
    size = length * abs(value) / largest if largest > 0 else 0.0
    bar = Rectangle(width=max(size, 0.02), height=height, stroke_width=0,
                    fill_color=PAL.sign_color(value), fill_opacity=0.9)
    bar.signed_length = float(np.sign(value) * size)
    return bar


def elbow_arrow(source: Mobject, target: Mobject, left: float, bottom: float,
                color=PAL.highlight, stroke_width: float = 4) -> VGroup:
    """An arrow from ``source``'s left side out to x = ``left``, down to y = ``bottom``, along
    to under ``target`` and up into it: the way round a formula, never through it."""
    start, end = source.get_left(), target.get_bottom()
    corners = [start, [left, start[1], 0], [left, bottom, 0], [end[0], bottom, 0]]
    path = VGroup(*[Line(a, b, color=color, stroke_width=stroke_width)
                    for a, b in zip(corners, corners[1:])])
    tip = Arrow([end[0], bottom, 0], end + 0.05 * DOWN, buff=0, color=color,
                stroke_width=stroke_width, max_tip_length_to_length_ratio=0.5)
    return VGroup(*path, tip)


# ================================================================== the chapter's scenes
class ChainScene(Chapter4Scene):
    """A scene on the chain: ``load()`` loads it (``load_chain``)."""

    def load(self) -> None:
        self.load_chain()

    def chain_caption(self) -> Mobject:
        image, pixel = self.source
        text = (f"1-1-1-1 chain trained to tell ink pixels (L = {self.values.L}); the example: "
                f"pixel {pixel} of training image {image}, brightness {self.x:.3f}, "
                f"so y = {self.y:g}")
        cap = caption(text).to_edge(UP, buff=0.2)
        if cap.width > 13.4:
            cap.scale_to_fit_width(13.4)
        return cap

    def highlight(self, mob: Mobject, buff: float = 0.08) -> SurroundingRectangle:
        return SurroundingRectangle(mob, color=PAL.highlight, buff=buff)


# ========================================================================== ChainRule
class ChainRule(ChainScene):
    """∂C₀/∂w⁽ᴸ⁾ = ∂z⁽ᴸ⁾/∂w⁽ᴸ⁾ · ∂a⁽ᴸ⁾/∂z⁽ᴸ⁾ · ∂C₀/∂a⁽ᴸ⁾ = a⁽ᴸ⁻¹⁾ · σ′(z⁽ᴸ⁾) · 2(a⁽ᴸ⁾ − y) on the
    chain's example: each factor's formula, its real value under it, then the product, and
    that product beside the nudge ratio ΔC₀/Δw⁽ᴸ⁾ for a tiny Δw⁽ᴸ⁾ and backprop's value.

    Exposes: ``factors`` (``calculus.WeightFactors``), ``nudged`` (``calculus.Nudge`` of
    w⁽ᴸ⁾ by ``nudge_size``), ``nudge_ratio``, ``backprop_value``, ``diagram``, ``table``
    (``FactorTable``: generic row, formulas, values), ``factor_numbers`` (the three
    DecimalNumbers), ``product_number``, ``checks`` (``Check`` of the chain rule, the nudge
    and backprop; ``check_numbers`` their DecimalNumbers).
    """

    nudge_size = 1e-5

    def construct(self):
        self.load()
        f = self.factors
        self.beat("The chain again, on one real ink pixel. How sensitive is its cost C₀ to the "
                  "last weight, w⁽ᴸ⁾?", "chain",
                  spoken="The chain again, on one real ink pixel. How sensitive is its cost, "
                         "C zero, to the last weight, w L?")
        self.show_chain()

        self.beat("The chain rule splits it in three: how w⁽ᴸ⁾ moves z⁽ᴸ⁾, how z⁽ᴸ⁾ moves a⁽ᴸ⁾, "
                  "and how a⁽ᴸ⁾ moves the cost.", "rule",
                  spoken="The chain rule splits it in three: how w L moves z L, how z L moves "
                         "a L, and how a L moves the cost.")
        self.show_rule()

        self.beat("Each factor is simple: a⁽ᴸ⁻¹⁾, then σ′(z⁽ᴸ⁾), then 2(a⁽ᴸ⁾ − y).", "formulas",
                  spoken="Each factor is simple: the previous activation, then sigma prime of "
                         "z L, then two times a L minus y.")
        self.show_formulas()

        self.beat(f"On this pixel they are {said(f.dz_dw)}, {said(f.da_dz)} and "
                  f"{said(f.dC_da)}.", "values")
        self.show_values()

        self.beat(f"Multiplied, ∂C₀/∂w⁽ᴸ⁾ = {said(f.product, 3)}.", "product",
                  spoken=f"Multiplied, the derivative of the cost with respect to w L is "
                         f"{said(f.product, 3)}.")
        self.show_product()

        self.beat("The same number twice more: nudge w⁽ᴸ⁾ by a hundred-thousandth and divide "
                  "the change in cost by it, or ask backprop.", "checks",
                  spoken="The same number twice more: nudge w L by a hundred-thousandth and "
                         "divide the change in cost by it, or ask backprop.")
        self.show_checks()

    # ------------------------------------------------------------------------- data
    def load(self) -> None:
        super().load()
        net, x, y, L = self.chain_net, self.x, self.y, self.values.L
        self.factors = calculus.last_layer_weight_factors(net, x, y, layer=L)
        self.nudged = calculus.nudge(net, x, y, "weight", (L, 0, 0), delta=self.nudge_size)
        self.nudge_ratio = float(self.nudged.ratio[0])
        self.backprop_value = backprop_weight(net, x, y, L)

    # ------------------------------------------------------------------------ beats
    def show_chain(self):
        self.caption = self.chain_caption()
        self.diagram = ChainDiagram.of(self.values, y=self.y).move_to([0, 2.45, 0])
        self.cost_line = VGroup(formula("C_0", "=", font_size=30),
                                number(self.values.cost, font_size=30)).arrange(RIGHT, buff=0.12)
        self.cost_line.next_to(self.diagram.target, DOWN, buff=0.35, aligned_edge=LEFT)
        self.edge_box = self.highlight(VGroup(self.diagram.edges[-1],
                                              self.diagram.weight_names[-1]))
        self.play(FadeIn(self.caption, shift=0.2 * DOWN), FadeIn(self.diagram), run_time=1.5)
        self.play(FadeIn(self.cost_line), Create(self.edge_box))

    def show_rule(self):
        f = self.factors
        generic = [partial("C_0", "w^{(L)}"), partial("z^{(L)}", "w^{(L)}"),
                   partial("a^{(L)}", "z^{(L)}"), partial("C_0", "a^{(L)}")]
        expressions = [None, "a^{(L-1)}", r"\sigma'(z^{(L)})", "2(a^{(L)} - {y})"]
        self.factor_numbers = VGroup(number(f.dz_dw), number(f.da_dz),
                                     number(f.dC_da, signed=True))
        self.product_number = number(f.product, signed=True)
        values = [self.product_number, *self.factor_numbers]
        self.table = FactorTable([generic, expressions, values]).move_to([0, -0.45, 0])
        self.play(Write(self.table.row(0)), run_time=2)

    def show_formulas(self):
        t = self.table
        self.play(LaggedStart(*[TransformFromCopy(t.cells[0][c], t.cells[1][c]) for c in (1, 2, 3)],
                              lag_ratio=0.3),
                  FadeIn(VGroup(*t.operators[1])), run_time=2)
        d = self.diagram
        self.play(Indicate(d.names[2]), Indicate(d.names[3]))

    def show_values(self):
        t = self.table
        self.play(LaggedStart(*[FadeIn(n, shift=0.2 * DOWN) for n in self.factor_numbers],
                              lag_ratio=0.3),
                  FadeIn(VGroup(*t.operators[2])), run_time=1.5)

    def show_product(self):
        self.product_box = self.highlight(self.product_number)
        self.play(TransformFromCopy(self.factor_numbers, self.product_number), run_time=1.5)
        self.play(Create(self.product_box))

    def show_checks(self):
        fs = 32
        places = decimal_places(self.factors.product, digits=4, most=8)
        chain = number(self.factors.product, signed=True, font_size=fs, places=places)
        ratio = number(self.nudge_ratio, signed=True, font_size=fs, places=places)
        back = number(self.backprop_value, signed=True, font_size=fs, places=places)
        size = power_of_ten(self.nudge_size)
        self.checks = VGroup(
            Check(formula(r"\text{chain rule}", font_size=fs), chain),
            Check(formula(r"\Delta C_0 / \Delta w^{(L)},\ \Delta w^{(L)} = " + size,
                          font_size=fs), ratio),
            Check(formula(r"\text{backprop}", font_size=fs), back),
        ).arrange(RIGHT, buff=1.1).move_to([0, -3.2, 0])
        for check in self.checks:  # labels differ in height: values on one line, labels above
            check.value.set_y(-3.45)
            check.label.next_to(check.value, UP, buff=0.22)
        self.check_numbers = VGroup(chain, ratio, back)
        self.play(TransformFromCopy(self.product_number, chain), FadeIn(self.checks[0].label))
        self.play(LaggedStart(FadeIn(self.checks[1]), FadeIn(self.checks[2]), lag_ratio=0.5),
                  run_time=1.5)
        self.play(Indicate(self.check_numbers))


# ============================================================ WeightFollowsActivation
@dataclass(frozen=True)
class PixelCase:
    """One training pixel through the chain: ``index`` into ``chain.inputs``, its
    ``source`` (image, pixel), brightness ``x``, desired output ``y``, every activation
    ``a`` (layers 0..L), ``dz`` the real change of z⁽ᴸ⁾ when w⁽ᴸ⁾ is nudged by Δw, and the
    factors of ∂C₀/∂w⁽ᴸ⁾ (``calculus.WeightFactors``)."""

    index: int
    source: tuple
    x: float
    y: float
    a: tuple
    dz: float
    factors: calculus.WeightFactors

    @property
    def a_prev(self) -> float:
        """a⁽ᴸ⁻¹⁾, the first factor ∂z⁽ᴸ⁾/∂w⁽ᴸ⁾."""
        return self.factors.dz_dw

    @property
    def dC_dz(self) -> float:
        """∂C₀/∂z⁽ᴸ⁾ = σ′(z⁽ᴸ⁾) · 2(a⁽ᴸ⁾ − y): what a change of the last z is worth."""
        return self.factors.da_dz * self.factors.dC_da


def pick_pixels(a_prev, targets, example: int, count: int = 3) -> list[int]:
    """``count`` ink pixels that light the previous neuron differently: the ``example`` and
    the ink pixels (first in training order) whose a⁽ᴸ⁻¹⁾ (``a_prev``, one per pixel) is
    nearest evenly spaced levels from the example's up to the largest; dimmest first.
    (Spaced by a⁽ᴸ⁻¹⁾, not by brightness: the neurons before saturate, so bright pixels all
    give nearly the same a⁽ᴸ⁻¹⁾.)"""
    a_prev, targets = np.asarray(a_prev), np.asarray(targets)
    ink = np.flatnonzero(targets == 1.0)
    levels = np.linspace(a_prev[example], a_prev[ink].max(), count)[1:]
    picks = [example] + [int(ink[np.argmin(np.abs(a_prev[ink] - level))]) for level in levels]
    return sorted(dict.fromkeys(picks), key=lambda i: a_prev[i])


class WeightFollowsActivation(ChainScene):
    """∂z⁽ᴸ⁾/∂w⁽ᴸ⁾ = a⁽ᴸ⁻¹⁾: how strongly the previous neuron fires sets how much the weight
    matters. Three real ink pixels of different brightness (``pick_pixels``), each a row:
    its training image with the pixel boxed, the chain lit by it, a⁽ᴸ⁻¹⁾ with a bar of the
    real Δz⁽ᴸ⁾ a nudge Δw = ``nudge_size`` makes (``calculus.nudge``), ∂C₀/∂z⁽ᴸ⁾ and
    ∂C₀/∂w⁽ᴸ⁾ = a⁽ᴸ⁻¹⁾ · ∂C₀/∂z⁽ᴸ⁾; then chapter 3's "fire together, wire together".

    Exposes: ``cases`` (``PixelCase`` per row, dimmest first), ``a_numbers``,
    ``dz_bars`` (``signed_length`` ∝ Δz), ``dz_numbers``, ``dC_dz_numbers``,
    ``dC_dw_numbers`` (DecimalNumbers per row), ``images``, ``minis`` (chain per row).
    """

    nudge_size = 0.1
    bar_length = 1.6          # the bar of Δz = 1 · Δw; every Δz bar is a⁽ᴸ⁻¹⁾ of it
    row_ys = (0.75, -0.8, -2.35)
    columns = {"image": -6.25, "chain": -4.75, "a": -0.85, "bar": -0.15, "dC_dz": 3.35,
               "dC_dw": 5.75}

    def construct(self):
        self.load()
        self.beat("z⁽ᴸ⁾ = w⁽ᴸ⁾a⁽ᴸ⁻¹⁾ + b⁽ᴸ⁾, so the first factor, ∂z⁽ᴸ⁾/∂w⁽ᴸ⁾, is just "
                  "a⁽ᴸ⁻¹⁾: the previous neuron's activation.", "factor",
                  spoken="z L is w L times the previous activation plus b L, so the first "
                         "factor, the derivative of z L with respect to w L, is just the "
                         "previous neuron's activation.")
        self.show_factor()

        dim, bright = self.cases[0], self.cases[-1]
        self.beat(f"Three real ink pixels, {said(dim.x)} to {said(bright.x)} bright, "
                  f"light the previous neuron from {said(dim.a_prev)} to "
                  f"{said(bright.a_prev)}.", "pixels")
        self.show_pixels()

        self.beat(f"Nudge w⁽ᴸ⁾ by {self.nudge_size:g}: z⁽ᴸ⁾ moves by a⁽ᴸ⁻¹⁾ times that. The "
                  "brighter the previous neuron, the more the weight matters.", "nudge",
                  spoken=f"Nudge w L by {self.nudge_size:g}: z L moves by the previous "
                         "activation times that. The brighter the previous neuron, the more "
                         "the weight matters.")
        self.show_nudges()

        self.beat("Times what a change of z⁽ᴸ⁾ is worth to the cost, ∂C₀/∂z⁽ᴸ⁾, that gives "
                  f"∂C₀/∂w⁽ᴸ⁾. {self.worth_phrase()}", "product",
                  spoken="Times what a change of z L is worth to the cost, that gives the "
                         f"derivative with respect to w L. {self.worth_phrase()}")
        self.show_products()

        self.beat("It is chapter 3's echo: for the same wish of the neuron after it, a weight "
                  "changes in proportion to how brightly the neuron before it fires. Neurons "
                  "that fire together wire together.", "hebb")
        self.show_hebb()

    # ------------------------------------------------------------------------- data
    def load(self) -> None:
        super().load()
        ch, L = self.chain, self.values.L
        self.example = example_index(ch)
        _, acts = self.chain_net.astype(np.float64).forward(ch.inputs.reshape(-1, 1))
        a_prev = acts[L - 1][:, 0]
        self.cases = [self.case(i) for i in pick_pixels(a_prev, ch.targets, self.example)]
        self.largest_dz = max(abs(c.dz) for c in self.cases)

    def case(self, i: int) -> PixelCase:
        net, L = self.chain_net, self.values.L
        x, y = float(self.chain.inputs[i]), float(self.chain.targets[i])
        _, acts = net.astype(np.float64).forward(np.array([x]))
        nudged = calculus.nudge(net, x, y, "weight", (L, 0, 0), delta=self.nudge_size)
        return PixelCase(i, tuple(int(v) for v in self.chain.sources[i]), x, y,
                         tuple(float(a[0]) for a in acts), float(nudged.dz[0]),
                         calculus.last_layer_weight_factors(net, x, y, layer=L))

    def worth_phrase(self) -> str:
        """What the products say, from their sizes: which pixel's weight derivative is largest."""
        sizes = [abs(c.factors.product) for c in self.cases]
        top = int(np.argmax(sizes))
        if top == len(self.cases) - 1:
            return "Here the brightest pixel's is also the largest."
        return ("The brighter pixels are already answered nearly right, so their cost cares "
                "little; the weight's share still grows with the activation.")

    # ------------------------------------------------------------------------ beats
    def show_factor(self):
        self.caption = self.chain_caption()
        self.rule = formula("z^{(L)}", "=", "w^{(L)}", "a^{(L-1)}", "+", "b^{(L)}",
                            r"\quad\Rightarrow\quad", partial("z^{(L)}", "w^{(L)}"), "=",
                            "a^{(L-1)}").move_to([0, 2.75, 0])
        self.play(FadeIn(self.caption, shift=0.2 * DOWN), Write(self.rule), run_time=2)
        self.play(Indicate(self.rule[-1]))

    def row_y(self, r: int) -> float:
        return self.row_ys[r]

    def show_pixels(self):
        fs, col = TABLE_SIZE, self.columns
        self.images, self.pixel_boxes, self.minis = [], VGroup(), VGroup()
        self.a_numbers = VGroup()
        self.row_labels = VGroup()
        for r, case in enumerate(self.cases):
            y = self.row_y(r)
            image, pixel = case.source
            digit = DigitImage(self.data.train_x[image].reshape(28, 28), height=1.2)
            digit.move_to([col["image"], y, 0])
            box = digit.pixel_square(pixel).set_style(stroke_color=PAL.highlight, stroke_width=3,
                                                      fill_opacity=0).scale(3.0)
            mini = ChainDiagram(case.a, self.values.w[1:], spacing=0.85, radius=0.19,
                                show_names=False, show_values=False, show_weights=False)
            mini.move_to([col["chain"] + mini.width / 2, y + 0.1, 0])
            label = caption(f"x = {case.x:.3f}", font_size=22).next_to(mini.neurons[0], DOWN,
                                                                        buff=0.12)
            a = number(case.a_prev, font_size=fs).move_to([col["a"], y, 0])
            self.images.append(digit)
            self.pixel_boxes.add(box)
            self.minis.add(mini)
            self.row_labels.add(label)
            self.a_numbers.add(a)
        self.prev_boxes = VGroup(*[self.highlight(m.neurons[2], buff=0.06) for m in self.minis])
        self.headers = VGroup(formula("a^{(L-1)}", font_size=fs).move_to([col["a"], 1.9, 0]))
        self.play(LaggedStart(*[FadeIn(d) for d in self.images], lag_ratio=0.2), run_time=1.2)
        self.play(Create(self.pixel_boxes), FadeIn(self.minis), FadeIn(self.row_labels))
        self.play(Create(self.prev_boxes), FadeIn(self.headers),
                  LaggedStart(*[TransformFromCopy(m.neurons[2], a)
                                for m, a in zip(self.minis, self.a_numbers)], lag_ratio=0.2),
                  run_time=1.5)

    def show_nudges(self):
        fs, col = TABLE_SIZE, self.columns
        self.dz_bars, self.dz_numbers = VGroup(), VGroup()
        for r, case in enumerate(self.cases):
            y = self.row_y(r)
            # Δz of the real nudge, drawn at bar_length per unit of Δw: a⁽ᴸ⁻¹⁾ of the full bar
            bar = signed_bar(case.dz, self.nudge_size, self.bar_length)
            bar.move_to([col["bar"], y, 0], aligned_edge=LEFT)
            dz = number(case.dz, font_size=fs - 4).next_to(bar, RIGHT, buff=0.12)
            dz.set_color(PAL.weighted_sum)
            self.dz_bars.add(bar)
            self.dz_numbers.add(dz)
        header = formula(r"\Delta z^{(L)}", font_size=fs)
        note = formula(r"\Delta w^{(L)} = " f"{self.nudge_size:g}", font_size=fs - 8)
        note.set_color(PAL.dim_text)
        header = VGroup(header, note).arrange(RIGHT, buff=0.2, aligned_edge=DOWN)
        header.move_to([col["bar"] + header.width / 2, 1.9, 0])
        self.headers.add(header)
        self.play(FadeIn(header),
                  LaggedStart(*[GrowFromEdge(b, LEFT) for b in self.dz_bars], lag_ratio=0.2),
                  run_time=1.5)
        self.play(FadeIn(self.dz_numbers))

    def show_products(self):
        fs, col = TABLE_SIZE, self.columns
        self.dC_dz_numbers, self.dC_dw_numbers = VGroup(), VGroup()
        for r, case in enumerate(self.cases):
            y = self.row_y(r)
            self.dC_dz_numbers.add(number(case.dC_dz, signed=True, font_size=fs)
                                   .move_to([col["dC_dz"], y, 0]))
            self.dC_dw_numbers.add(number(case.factors.product, signed=True, font_size=fs)
                                   .move_to([col["dC_dw"], y, 0]))
        h1 = formula(r"\partial C_0 / \partial z^{(L)}", font_size=fs)
        h2 = formula(r"\partial C_0 / \partial w^{(L)}", font_size=fs)
        h1.move_to([col["dC_dz"], 1.9, 0])
        h2.move_to([col["dC_dw"], 1.9, 0])
        self.headers.add(h1, h2)
        self.play(FadeIn(h1), LaggedStart(*[FadeIn(n) for n in self.dC_dz_numbers], lag_ratio=0.2))
        self.play(FadeIn(h2), LaggedStart(*[
            TransformFromCopy(VGroup(a, d), w)
            for a, d, w in zip(self.a_numbers, self.dC_dz_numbers, self.dC_dw_numbers)],
            lag_ratio=0.2), run_time=1.8)

    def show_hebb(self):
        self.motto = formula(r"\text{fire together, wire together}", font_size=32)
        self.motto.set_color(PAL.highlight)
        note = caption("chapter 3: for the same wish of the next neuron, a weight's change "
                       "grows with the previous activation", font_size=20)
        self.hebb = VGroup(self.motto, note).arrange(RIGHT, buff=0.4).move_to([0, -3.55, 0])
        self.play(Write(self.motto), FadeIn(note))
        self.play(Indicate(self.a_numbers), Indicate(self.dz_bars))


# ======================================================== AverageOverTrainingExamples
class AverageOverTrainingExamples(ChainScene):
    """∂C/∂w⁽ᴸ⁾ = (1/n) Σₖ ∂Cₖ/∂w⁽ᴸ⁾ with real values: the chain's example and the first
    training pixels after it (``count`` in all), each a row (swatch of its grey, brightness
    x, desired y, output a⁽ᴸ⁾, ∂Cₖ/∂w⁽ᴸ⁾ and a bar of it), their average
    (``calculus.average_over_examples``) and backprop's gradient of the same pixels as one
    minibatch.

    Exposes: ``indices`` (into ``chain.inputs``), ``xs``, ``ys``, ``outputs``, ``average``
    (``calculus.Average``), ``backprop_value``, ``x_numbers``, ``y_numbers``,
    ``output_numbers``, ``derivative_numbers``, ``bars``, ``mean_number``,
    ``backprop_number``.
    """

    count = 8
    row_top = 1.05
    row_spacing = 0.5
    bar_length = 2.0
    columns = {"k": -6.3, "swatch": -5.55, "x": -4.5, "y": -3.35, "a": -2.2, "d": -0.35,
               "bar": 1.2}

    def construct(self):
        self.load()
        self.beat("The real cost C is the average of the costs Cₖ of every training example, so "
                  "its derivative is the average of theirs.", "average",
                  spoken="The real cost, C, is the average of the costs of every training "
                         "example, so its derivative is the average of theirs.")
        self.show_formula()

        self.beat(f"Take our pixel and the next {self.count - 1} training pixels: their "
                  "brightness, whether they are ink, and what the chain answers.", "examples")
        self.show_examples()

        settled = self.settled_count()
        self.beat(f"Each has its own ∂Cₖ/∂w⁽ᴸ⁾ by the chain rule. {self.settled_phrase(settled)}",
                  "derivatives",
                  spoken="Each has its own derivative with respect to w L, by the chain rule. "
                         f"{self.settled_phrase(settled)}")
        self.show_derivatives()

        self.beat(f"Their average, {said(self.average.mean, 3)}, is ∂C/∂w⁽ᴸ⁾ over these "
                  f"{self.count}.", "mean",
                  spoken=f"Their average, {said(self.average.mean, 3)}, is the derivative of "
                         f"their cost with respect to w L.")
        self.show_mean()

        self.beat(f"Backprop on the {self.count} as one minibatch gives the same number: it "
                  "averages its gradient.", "backprop")
        self.show_backprop()

    # ------------------------------------------------------------------------- data
    def load(self) -> None:
        super().load()
        ch, L = self.chain, self.values.L
        first = example_index(ch)
        others = [i for i in range(len(ch.inputs)) if i != first][:self.count - 1]
        self.indices = [first] + others
        self.xs = np.asarray(ch.inputs[self.indices], dtype=np.float64)
        self.ys = np.asarray(ch.targets[self.indices], dtype=np.float64)
        self.outputs = self.chain_net.astype(np.float64).feedforward(self.xs.reshape(-1, 1))[:, 0]
        self.average = calculus.average_over_examples(self.chain_net, self.xs.reshape(-1, 1),
                                                      list(self.ys), layer=L)
        self.backprop_value = backprop_weight(self.chain_net, self.xs, self.ys, L)

    def settled_count(self, share: float = 0.05) -> int:
        """How many rows have a derivative under ``share`` of the largest one."""
        d = np.abs(self.average.per_example)
        return int(np.sum(d < share * d.max()))

    def settled_phrase(self, settled: int) -> str:
        if settled == 0:
            return "They differ in size and sign."
        many = "all but one" if settled == self.count - 1 else f"{settled} of them"
        return f"For {many}, already answered almost right, it is nearly zero."

    def row_y(self, r: int) -> float:
        return self.row_top - r * self.row_spacing

    # ------------------------------------------------------------------------ beats
    def show_formula(self):
        self.caption = self.chain_caption()
        self.rule = formula(partial("{C}", "w^{(L)}"), "=", r"\frac{1}{n}\sum_{k=0}^{n-1}",
                            partial("C_k", "w^{(L)}")).move_to([0, 2.55, 0])
        self.play(FadeIn(self.caption, shift=0.2 * DOWN), Write(self.rule), run_time=2)

    def show_examples(self):
        fs, col = TABLE_SIZE, self.columns
        header = VGroup(*[formula(t, font_size=fs).move_to([col[c], self.row_top + 0.6, 0])
                          for c, t in (("k", "k"), ("x", r"x = a^{(0)}"), ("y", "{y}"),
                                       ("a", "a^{(L)}"))])
        self.header = header
        self.rows = VGroup()
        self.x_numbers, self.y_numbers, self.output_numbers = VGroup(), VGroup(), VGroup()
        for r, (x, y, a) in enumerate(zip(self.xs, self.ys, self.outputs)):
            ry = self.row_y(r)
            k = formula(str(r), font_size=fs).move_to([col["k"], ry, 0])
            swatch = pixel_swatch(x).move_to([col["swatch"], ry, 0])
            xn = number(x, font_size=fs, places=3).move_to([col["x"], ry, 0])
            yn = number(y, font_size=fs, places=0).set_color(PAL.desired).move_to([col["y"], ry, 0])
            an = number(a, font_size=fs, places=3).move_to([col["a"], ry, 0])
            self.x_numbers.add(xn)
            self.y_numbers.add(yn)
            self.output_numbers.add(an)
            self.rows.add(VGroup(k, swatch, xn, yn, an))
        self.example_box = self.highlight(self.rows[0], buff=0.06)
        self.play(FadeIn(header), LaggedStart(*[FadeIn(r, shift=0.1 * RIGHT) for r in self.rows],
                                              lag_ratio=0.12), run_time=2)
        self.play(Create(self.example_box))

    def show_derivatives(self):
        fs, col = TABLE_SIZE, self.columns
        per = self.average.per_example
        largest = float(np.abs(per).max())
        self.derivative_numbers, self.bars = VGroup(), VGroup()
        for r, d in enumerate(per):
            ry = self.row_y(r)
            # 3 significant digits each, left-aligned so the decimal points line up
            n = number(float(d), signed=True, font_size=fs, digits=3, places=None)
            n.move_to([col["d"] - 0.95, ry, 0], aligned_edge=LEFT)
            self.derivative_numbers.add(n)
            bar = signed_bar(float(d), largest, self.bar_length)
            edge = RIGHT if d < 0 else LEFT  # bars grow left (−) or right (+) of one axis
            bar.move_to([col["bar"] + self.bar_length, ry, 0], aligned_edge=edge)
            self.bars.add(bar)
        axis_x = col["bar"] + self.bar_length
        bottom = self.row_y(self.count - 1) - 0.3
        self.axis = Line([axis_x, self.row_top + 0.3, 0], [axis_x, bottom, 0],
                         stroke_color=PAL.dim_text, stroke_width=1.5)
        self.d_header = formula(r"\partial C_k / \partial w^{(L)}", font_size=fs)
        self.d_header.move_to([col["d"], self.row_top + 0.6, 0])
        self.play(FadeIn(self.d_header), LaggedStart(*[FadeIn(n) for n in self.derivative_numbers],
                                                     lag_ratio=0.1), run_time=1.5)
        self.play(Create(self.axis), LaggedStart(*[GrowFromEdge(b, LEFT if b.signed_length >= 0
                                                                else RIGHT)
                                                   for b in self.bars], lag_ratio=0.1),
                  run_time=1.5)

    def show_mean(self):
        fs, col = TABLE_SIZE + 2, self.columns
        places = decimal_places(self.average.mean, digits=3, most=8)
        line_y = self.row_y(self.count - 1) - 0.35
        self.rule_line = Line([col["d"] - 1.1, line_y, 0], [col["d"] + 1.1, line_y, 0],
                              stroke_color=PAL.dim_text, stroke_width=2)
        self.mean_number = number(self.average.mean, signed=True, font_size=fs, places=places)
        self.mean_number.move_to([col["d"], line_y - 0.4, 0])
        self.mean_label = formula(rf"\tfrac{{1}}{{{self.count}}}\textstyle\sum_k", "=",
                                  font_size=fs).next_to(self.mean_number, LEFT, buff=0.2)
        self.mean_box = self.highlight(self.mean_number)
        self.play(Create(self.rule_line), FadeIn(self.mean_label),
                  TransformFromCopy(self.derivative_numbers, self.mean_number), run_time=1.8)
        self.play(Create(self.mean_box))

    def show_backprop(self):
        fs = TABLE_SIZE + 2
        places = self.mean_number.num_decimal_places
        self.backprop_number = number(self.backprop_value, signed=True, font_size=fs, places=places)
        label = formula(rf"\text{{backprop, minibatch of {self.count}:}}", font_size=fs)
        self.backprop_line = VGroup(label, self.backprop_number).arrange(RIGHT, buff=0.2)
        self.backprop_line.next_to(self.mean_box, RIGHT, buff=0.6)
        self.backprop_box = self.highlight(self.backprop_number)
        self.play(FadeIn(self.backprop_line, shift=0.2 * LEFT))
        self.play(Create(self.backprop_box))


# ========================================================== BiasAndPreviousActivation
class BiasAndPreviousActivation(ChainScene):
    """The other two derivatives of the last layer, with real values, and the same pattern one
    layer back:

    - ∂C₀/∂b⁽ᴸ⁾ = ∂z⁽ᴸ⁾/∂b⁽ᴸ⁾ · σ′(z⁽ᴸ⁾) · 2(a⁽ᴸ⁾ − y) with ∂z⁽ᴸ⁾/∂b⁽ᴸ⁾ = 1;
    - ∂C₀/∂a⁽ᴸ⁻¹⁾ = w⁽ᴸ⁾ · σ′(z⁽ᴸ⁾) · 2(a⁽ᴸ⁾ − y);
    - ∂C₀/∂w⁽ᴸ⁻¹⁾ = a⁽ᴸ⁻²⁾ · σ′(z⁽ᴸ⁻¹⁾) · ∂C₀/∂a⁽ᴸ⁻¹⁾: the sensitivity to a⁽ᴸ⁻¹⁾ is where
      layer L − 1 starts.

    Exposes: ``bias`` (``calculus.BiasFactors``), ``activation``
    (``calculus.ActivationFactors``), ``previous`` (``calculus.WeightFactors`` of w⁽ᴸ⁻¹⁾),
    ``bias_table``, ``activation_table``, ``previous_table`` (``FactorTable``: formulas,
    values) and their DecimalNumbers ``bias_numbers``, ``activation_numbers``,
    ``previous_numbers`` (each: product, then the three factors; the bias's first factor
    is the exact 1), ``diagram``, ``carry`` (the arrow from ∂C₀/∂a⁽ᴸ⁻¹⁾ to its next use).
    """

    table_x = 0.3

    def construct(self):
        self.load()
        b, a, p = self.bias, self.activation, self.previous
        self.beat("The bias: z⁽ᴸ⁾ = w⁽ᴸ⁾a⁽ᴸ⁻¹⁾ + b⁽ᴸ⁾ moves one for one with b⁽ᴸ⁾, so the first "
                  "factor is 1.", "bias",
                  spoken="The bias: z L moves one for one with b L, so the first factor is one.")
        self.show_bias()

        self.beat(f"The rest is unchanged: ∂C₀/∂b⁽ᴸ⁾ = {said(b.product, 3)}.", "bias value",
                  spoken=f"The rest is unchanged: the derivative with respect to b L is "
                         f"{said(b.product, 3)}.")
        self.show_bias_values()

        self.beat("The previous activation: now the first factor is the weight, "
                  f"w⁽ᴸ⁾ = {said(a.dz_da, 3)}.", "activation",
                  spoken=f"The previous activation: now the first factor is the weight, w L, "
                         f"{said(a.dz_da, 3)}.")
        self.show_activation()

        self.beat(f"So ∂C₀/∂a⁽ᴸ⁻¹⁾ = {said(a.product, 3)}. We cannot set a⁽ᴸ⁻¹⁾ directly, but "
                  "it says how much layer L − 1 matters.", "activation value",
                  spoken=f"So the cost's sensitivity to the previous activation is "
                         f"{said(a.product, 3)}. We cannot set that activation directly, but "
                         "it says how much the layer before matters.")
        self.show_activation_values()

        self.beat("One layer back, the same pattern: a⁽ᴸ⁻²⁾, then σ′(z⁽ᴸ⁻¹⁾), then the "
                  "sensitivity we just found in place of 2(a − y).", "layer back",
                  spoken="One layer back, the same pattern: the activation before, then sigma "
                         "prime of z L minus 1, then the sensitivity we just found in place of "
                         "two times a minus y.")
        self.show_previous()

        self.beat(f"∂C₀/∂w⁽ᴸ⁻¹⁾ = {said(p.product, 3)}, and so on back to the first layer: "
                  "that is backpropagation.", "previous value",
                  spoken=f"The derivative with respect to w L minus 1 is {said(p.product, 3)}, "
                         "and so on back to the first layer: that is backpropagation.")
        self.show_previous_values()

    # ------------------------------------------------------------------------- data
    def load(self) -> None:
        super().load()
        net, x, y, L = self.chain_net, self.x, self.y, self.values.L
        self.bias = calculus.bias_factors(net, x, y, layer=L)
        self.activation = calculus.previous_activation_factors(net, x, y, layer=L)
        self.previous = calculus.last_layer_weight_factors(net, x, y, layer=L - 1)

    def numbers(self, product: float, first: float, second: float, third: float,
                exact_first: bool = False) -> VGroup:
        """The values row: the product and the three factors (derivatives signed)."""
        one = number(first, places=0) if exact_first else number(first)
        return VGroup(number(product, signed=True), one, number(second),
                      number(third, signed=True))

    def table(self, lhs: str, factors: list[str], values: VGroup, y: float) -> FactorTable:
        t = FactorTable([[lhs, *factors], list(values)], row_buff=0.3)
        return t.move_to([self.table_x, y, 0])

    # ------------------------------------------------------------------------ beats
    def show_bias(self):
        self.caption = self.chain_caption()
        self.diagram = ChainDiagram.of(self.values, y=self.y).move_to([0, 2.45, 0])
        self.bias_label = formula("b^{(L)}", "=", font_size=28)
        bias_value = number(self.values.b[-1], font_size=28).set_color(PAL.bias)
        self.bias_label = VGroup(self.bias_label, bias_value).arrange(RIGHT, buff=0.1)
        self.bias_label.next_to(self.diagram.target, DOWN, buff=0.35, aligned_edge=LEFT)
        b = self.bias
        self.bias_numbers = self.numbers(b.product, b.dz_db, b.da_dz, b.dC_da, exact_first=True)
        self.bias_table = self.table(partial("C_0", "b^{(L)}"),
                                     [partial("z^{(L)}", "b^{(L)}"), r"\sigma'(z^{(L)})",
                                      "2(a^{(L)} - {y})"], self.bias_numbers, 0.15)
        t = self.bias_table
        self.play(FadeIn(self.caption, shift=0.2 * DOWN), FadeIn(self.diagram),
                  FadeIn(self.bias_label), run_time=1.5)
        self.play(Write(t.row(0)), run_time=2)
        self.one_box = self.highlight(t.cells[0][1])
        self.play(Create(self.one_box), FadeIn(self.bias_numbers[1], shift=0.2 * DOWN))

    def show_bias_values(self):
        t = self.bias_table
        self.play(FadeOut(self.one_box),
                  LaggedStart(*[FadeIn(n, shift=0.2 * DOWN) for n in self.bias_numbers[2:]],
                              lag_ratio=0.3), FadeIn(VGroup(*t.operators[1])))
        self.play(TransformFromCopy(self.bias_numbers[1:], self.bias_numbers[0]))
        self.bias_box = self.highlight(self.bias_numbers[0])
        self.play(Create(self.bias_box))

    def show_activation(self):
        a = self.activation
        self.activation_numbers = self.numbers(a.product, a.dz_da, a.da_dz, a.dC_da)
        self.activation_table = self.table(partial("C_0", "a^{(L-1)}"),
                                           ["w^{(L)}", r"\sigma'(z^{(L)})", "2(a^{(L)} - {y})"],
                                           self.activation_numbers, -2.25)
        t = self.activation_table
        d = self.diagram
        self.neuron_box = self.highlight(VGroup(d.neurons[2], d.names[2]))
        self.play(Write(t.row(0)), Create(self.neuron_box), run_time=2)
        self.play(Indicate(d.weight_names[-1]),
                  FadeIn(self.activation_numbers[1], shift=0.2 * DOWN))

    def show_activation_values(self):
        t = self.activation_table
        self.play(LaggedStart(*[FadeIn(n, shift=0.2 * DOWN)
                                for n in self.activation_numbers[2:]], lag_ratio=0.3),
                  FadeIn(VGroup(*t.operators[1])))
        self.play(TransformFromCopy(self.activation_numbers[1:], self.activation_numbers[0]))
        self.activation_box = self.highlight(self.activation_numbers[0])
        self.play(Create(self.activation_box))

    def show_previous(self):
        p = self.previous
        # The bias equation makes room: the activation's moves up, layer L − 1 comes below.
        gone = VGroup(self.bias_table, self.bias_box)
        kept = VGroup(self.activation_table, self.activation_box)
        self.play(FadeOut(gone), kept.animate.move_to([self.table_x, self.bias_table.get_y(), 0]),
                  run_time=1.5)
        self.previous_numbers = self.numbers(p.product, p.dz_dw, p.da_dz, p.dC_da)
        self.previous_table = self.table(partial("C_0", "w^{(L-1)}"),
                                         ["a^{(L-2)}", r"\sigma'(z^{(L-1)})",
                                          partial("C_0", "a^{(L-1)}")],
                                         self.previous_numbers, -2.25)
        t = self.previous_table
        d = self.diagram
        self.edge_box = self.highlight(VGroup(d.edges[1], d.weight_names[1]))
        self.play(FadeOut(self.neuron_box), Create(self.edge_box), Write(t.row(0)), run_time=2)
        self.start_box = self.highlight(t.cells[0][3])
        self.play(Create(self.start_box))

    def show_previous_values(self):
        t = self.previous_table
        self.carry = elbow_arrow(self.activation_box, self.previous_numbers[3],
                                 left=self.previous_table.get_left()[0] - 0.35,
                                 bottom=self.previous_table.get_bottom()[1] - 0.4)
        self.play(LaggedStart(*[FadeIn(n, shift=0.2 * DOWN) for n in self.previous_numbers[1:3]],
                              lag_ratio=0.3), FadeIn(VGroup(*t.operators[1])))
        self.play(Create(self.carry),
                  TransformFromCopy(self.activation_numbers[0], self.previous_numbers[3]),
                  run_time=1.5)
        self.play(TransformFromCopy(self.previous_numbers[1:], self.previous_numbers[0]))
        self.previous_box = self.highlight(self.previous_numbers[0])
        self.play(Create(self.previous_box))
