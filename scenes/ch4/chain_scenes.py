"""Chapter 4, the chain of one neuron per layer: the 1-1-1-1 network the calculus is done on.

- ``ChainOfOneNeuron``: the four neurons in a row, the task they learned (``network.chain.TASK``),
  the real pixel they read (a⁽⁰⁾), every activation, the desired output y = 1 and the cost of
  this one example C₀ = (a⁽ᴸ⁾ − y)²; then that the chain really trained (held-out cost and
  accuracy before and after).
- ``CostDependencyTree``: what C₀ depends on, as the video's tree: w⁽ᴸ⁾, a⁽ᴸ⁻¹⁾ and b⁽ᴸ⁾ feed
  z⁽ᴸ⁾, z⁽ᴸ⁾ feeds a⁽ᴸ⁾, a⁽ᴸ⁾ and y feed C₀; then one layer further back (w⁽ᴸ⁻¹⁾, a⁽ᴸ⁻²⁾,
  b⁽ᴸ⁻¹⁾ feed z⁽ᴸ⁻¹⁾ feeds a⁽ᴸ⁻¹⁾). Every node carries its value.
- ``NudgeTheWeight``: a nudge Δw of w⁽ᴸ⁾ ripples to Δz⁽ᴸ⁾, Δa⁽ᴸ⁾ and ΔC₀, each on a number
  line; then ΔC₀/Δw for shrinking Δw, approaching ∂C₀/∂w⁽ᴸ⁾.

Every number is the trained chain's on the chapter's example (``Chapter4Scene.load_chain``):
``network.chain.chain_values`` for the values, ``network.calculus.nudge`` for the ripples and
the derivative. Nothing is typed in.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    Line,
    MathTex,
    NumberLine,
    SurroundingRectangle,
    Tex,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    Write,
)

from network.calculus import nudge
from scenes import style
from scenes.ch4.story import Chapter4Scene
from scenes.layout import caption
from scenes.mobjects import DigitImage, NetworkMobject
from scenes.text import decimal_places

PAL = style.PALETTE
LINE_COLOR = style.EDGE_NEUTRAL_COLOR


# ----------------------------------------------------------------------------- notation
def symbol_color(tex: str):
    """The palette colour of a symbol, as chapter 3 colours them: z the weighted sum's, b the
    bias's, C the cost's, y the desired output's, σ the highlight; None (white) otherwise.
    A leading Δ or ∂ does not change the colour."""
    head = tex.replace(r"\Delta", "").replace(r"\partial", "").lstrip("{ ")
    if head.startswith(r"\sigma"):
        return PAL.highlight
    return {"z": PAL.weighted_sum, "b": PAL.bias, "C": PAL.cost, "y": PAL.desired}.get(head[:1])


def formula(*parts: str, font_size: float = style.LABEL_FONT_SIZE) -> MathTex:
    """MathTex of ``parts``, each part coloured by ``symbol_color``."""
    tex = MathTex(*parts, font_size=font_size)
    for part, mob in zip(parts, tex):
        color = symbol_color(part)
        if color is not None:
            mob.set_color(color)
    return tex


def fmt(value: float, places: int) -> str:
    """``value`` as a DecimalNumber of ``places`` shows it, with a real minus sign for text."""
    return f"{value:.{places}f}".replace("-", "−")


def said(value: float, places: int) -> str:
    """``value`` as the voice says it (a plain hyphen: ``speakable`` reads "-0.5" as minus)."""
    return f"{value:.{places}f}"


def number(value: float, places: int, font_size: float = style.LABEL_FONT_SIZE, color=None,
           **kwargs) -> DecimalNumber:
    return DecimalNumber(float(value), num_decimal_places=places, font_size=font_size,
                         color=color or style.TEXT_COLOR, **kwargs)


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is at least ``x`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= x * (1 - 1e-12))


def window(value: float, change: float, spread: float = 2.2) -> tuple[float, float, float]:
    """``(low, high, step)`` of a number line four round steps long that holds ``value`` near
    its middle and ``value + change`` with room to spare: the step is the round number at
    least ``spread / 2`` times |change|, so the line reaches ``spread`` |change| or more on
    either side of the nearest tick to ``value``."""
    step = nice_ceiling(spread * abs(change) / 2)
    low = (round(value / step) - 2) * step
    return low, low + 4 * step, step


# ================================================================ ChainOfOneNeuron
class ChainOfOneNeuron(Chapter4Scene):
    """The chain, its task, its example and its cost, all real.

    Exposes ``network_mobject`` (the chain drawn by ``NetworkMobject``: edges coloured by the
    real weights' signs, circles filled with the real activations), ``digit`` (the training
    image the example pixel comes from) and ``pixel_box``, ``a_labels`` / ``a_numbers``
    (MathTex a⁽ˡ⁾ and DecimalNumbers a⁽ˡ⁾, l = 0..3), ``y_neuron``, ``y_number``,
    ``cost_formula`` (with ``cost_terms``: the a⁽ᴸ⁾ and y it substitutes), ``cost_number``
    (C₀), ``task_caption`` and ``training_caption`` (``training_texts()``: the held-out cost
    before and after, the accuracy in % before and after, as shown).
    """

    neuron_radius = 0.36
    layer_spacing = 1.95
    chain_x = -0.25       # the middle of the four neurons
    chain_y = 0.75
    value_places = 2
    input_places = 3      # the example pixel sits just above one half: 0.502, not "0.50"

    def construct(self):
        self.load_chain()
        v = self.values
        p = self.value_places

        self.beat("The simplest network there is: four neurons in a row, one per layer.",
                  "chain")
        self.show_chain()

        self.beat(f"Its task: {self.chain.task}", "task")
        self.show_task()

        image, pixel = self.source
        self.beat(f"The input a⁽⁰⁾ is one real pixel of training image {image:,}: "
                  f"its brightness, {fmt(v.a[0], self.input_places)}.", "input",
                  spoken=f"The input, a zero, is one real pixel of training image {image:,}: "
                         f"its brightness, {said(v.a[0], self.input_places)}.")
        self.show_input()

        self.beat(f"Each neuron passes on σ(wa + b) of the one before: a⁽¹⁾ = {fmt(v.a[1], p)}, "
                  f"a⁽²⁾ = {fmt(v.a[2], p)}, and the last, a⁽ᴸ⁾ = {fmt(v.a[3], p)}, with L = 3.",
                  "forward",
                  spoken=f"Each neuron passes on sigma of w a plus b of the one before: a one "
                         f"is {said(v.a[1], p)}, a two is {said(v.a[2], p)}, and the last, "
                         f"a L, is {said(v.a[3], p)}, with L equal to 3.")
        self.show_forward()

        kind = "ink" if v.y == 1 else "not ink"
        self.beat(f"This pixel is {kind}, so the desired output is y = {v.y:.0f}.", "desired")
        self.show_desired()

        c = decimal_places(v.cost)
        self.beat(f"The cost of this one example: C₀ = (a⁽ᴸ⁾ − y)² = {fmt(v.cost, c)}.", "cost",
                  spoken=f"The cost of this one example, C zero, is a L minus y, squared: "
                         f"{said(v.cost, c)}.")
        self.show_cost()

        self.beat(self.training_line(), "trained")
        self.show_training()

    # ------------------------------------------------------------------------- words
    def training_numbers_places(self) -> tuple[int, int]:
        ch = self.chain
        return decimal_places(ch.cost_before), decimal_places(ch.cost_after)

    def training_line(self) -> str:
        ch = self.chain
        before, after = self.training_numbers_places()
        return (f"And it really trained: {ch.steps:,} steps of gradient descent took its "
                f"held-out cost from {said(ch.cost_before, before)} to "
                f"{said(ch.cost_after, after)}, and its accuracy from "
                f"{100 * ch.accuracy_before:.1f}% to {100 * ch.accuracy_after:.1f}%.")

    # ------------------------------------------------------------------------ beats
    def show_chain(self):
        nm = NetworkMobject(self.chain_net, neuron_radius=self.neuron_radius,
                            layer_spacing=self.layer_spacing, output_labels=False, braces=False)
        nm.move_to([self.chain_x, self.chain_y, 0])
        self.network_mobject = nm
        self.neurons = [layer.neurons[0] for layer in nm.layers]
        fs = 36
        names = ["a^{(0)}", "a^{(1)}", "a^{(2)}", "a^{(3)} = a^{(L)}"]
        self.a_labels = VGroup(*[MathTex(n, font_size=fs).next_to(c, DOWN, buff=0.3)
                                 for n, c in zip(names, self.neurons)])
        # The labels sit on one baseline whatever their height.
        for label in self.a_labels:
            label.align_to(self.a_labels[0], UP)
        self.play(LaggedStart(*[FadeIn(c, scale=0.6) for c in self.neurons], lag_ratio=0.2),
                  run_time=1.2)
        self.play(LaggedStart(*[Create(e) for e in nm.edge_groups], lag_ratio=0.3),
                  FadeIn(self.a_labels), run_time=1.2)
        self.add(nm)

    def show_task(self):
        self.task_caption = caption(self.chain.task, font_size=30, color=style.TEXT_COLOR)
        if self.task_caption.width > 13.2:
            self.task_caption.scale_to_fit_width(13.2)
        self.task_caption.to_edge(UP, buff=0.35)
        self.play(Write(self.task_caption), run_time=1.5)

    def show_input(self):
        image, pixel = self.source
        values = np.asarray(self.data.train_x[image], dtype=float)
        self.digit = DigitImage(values.reshape(28, 28), height=2.1)
        self.digit.move_to([-5.45, self.chain_y, 0])
        self.pixel_box = SurroundingRectangle(self.digit.pixel_square(pixel), buff=0.02,
                                              color=PAL.highlight, stroke_width=3)
        row, col = divmod(pixel, 28)
        self.digit_caption = caption(f"training image {image:,}", font_size=22)
        self.pixel_caption = caption(f"pixel {pixel}: row {row}, column {col}", font_size=22)
        VGroup(self.digit_caption, self.pixel_caption).arrange(DOWN, buff=0.1) \
            .next_to(self.digit, DOWN, buff=0.2)
        self.pointer = Line(self.pixel_box.get_right(), self.neurons[0].get_left(), buff=0.05,
                            stroke_width=2, color=PAL.highlight)
        self.a_numbers = VGroup()
        self.a_numbers.add(self.value_under(0))
        self.play(FadeIn(self.digit), FadeIn(self.digit_caption), FadeIn(self.pixel_caption))
        self.play(Create(self.pixel_box), Create(self.pointer))
        self.play(self.network_mobject.fill_animation(0, [self.values.a[0]]),
                  FadeIn(self.a_numbers[0], shift=0.2 * DOWN))

    def value_under(self, l: int) -> DecimalNumber:
        places = self.input_places if l == 0 else self.value_places
        d = number(self.values.a[l], places, font_size=34)
        return d.next_to(self.a_labels[l], DOWN, buff=0.2).set_x(self.neurons[l].get_x())

    def show_forward(self):
        nm = self.network_mobject
        for l in (1, 2, 3):
            self.a_numbers.add(self.value_under(l))
            self.play(nm.layer_animation(l, [self.values.a[l]], run_time=1.2),
                      FadeIn(self.a_numbers[l], shift=0.2 * DOWN))

    def show_desired(self):
        last = self.neurons[-1]
        self.y_neuron = Circle(radius=self.neuron_radius, stroke_color=style.NEURON_STROKE_COLOR,
                               stroke_width=style.NEURON_STROKE_WIDTH,
                               fill_color=style.NEURON_FILL_COLOR, fill_opacity=self.values.y)
        self.y_neuron.move_to(last.get_center() + 2.05 * RIGHT)
        self.y_box = SurroundingRectangle(self.y_neuron, color=PAL.desired, buff=0.12)
        self.y_words = caption("desired output", font_size=24, color=PAL.desired)
        self.y_words.next_to(self.y_box, UP, buff=0.12)
        self.y_label = formula("y", font_size=36).next_to(self.y_neuron, DOWN, buff=0.3)
        self.y_label.align_to(self.a_labels[0], UP)
        self.y_number = number(self.values.y, 0, font_size=34, color=PAL.desired)
        self.y_number.next_to(self.y_label, DOWN, buff=0.2).set_x(self.y_neuron.get_x())
        self.y_number.align_to(self.a_numbers[-1], UP)
        self.play(TransformFromCopy(last, self.y_neuron), run_time=1.0)
        self.play(Create(self.y_box), FadeIn(self.y_words), FadeIn(self.y_label),
                  FadeIn(self.y_number))

    def show_cost(self):
        v = self.values
        fs = 40
        a_text, y_text = f"{v.a[-1]:.{self.value_places}f}", f"{v.y:.0f}"
        self.cost_formula = formula("C_0", "=", "(", "a^{(L)}", "-", "y", ")^2", "=",
                                    "(", a_text, "-", y_text, ")^2", "=", font_size=fs)
        self.cost_formula[11].set_color(PAL.desired)
        # What the formula substitutes, as drawn: a⁽ᴸ⁾ and y.
        self.cost_terms = (self.cost_formula[9], self.cost_formula[11])
        self.cost_number = number(v.cost, decimal_places(v.cost), font_size=fs, color=PAL.cost)
        self.cost_line = VGroup(self.cost_formula, self.cost_number).arrange(RIGHT, buff=0.2)
        self.cost_line.move_to([0.3, -1.75, 0])
        self.cost_number.align_to(self.cost_formula[9], DOWN)
        self.play(Write(self.cost_formula[:8]))
        self.play(TransformFromCopy(self.a_numbers[-1], self.cost_formula[9]),
                  TransformFromCopy(self.y_number, self.cost_formula[11]),
                  FadeIn(self.cost_formula[8]), FadeIn(self.cost_formula[10]),
                  FadeIn(self.cost_formula[12:]))
        self.play(FadeIn(self.cost_number, shift=0.2 * RIGHT))
        self.play(Indicate(self.cost_number, color=PAL.cost))

    def training_texts(self) -> tuple[str, str, str, str]:
        """Held-out cost before and after, accuracy before and after, as the screen shows."""
        ch = self.chain
        before, after = self.training_numbers_places()
        return (f"{ch.cost_before:.{before}f}", f"{ch.cost_after:.{after}f}",
                f"{100 * ch.accuracy_before:.1f}", f"{100 * ch.accuracy_after:.1f}")

    def show_training(self):
        c0, c1, p0, p1 = self.training_texts()
        fs = 28
        head = caption(f"Trained for real, {self.chain.steps:,} steps of gradient descent:",
                       font_size=fs, color=style.TEXT_COLOR)
        self.training_caption = Tex(r"held-out cost ", c0, r" $\rightarrow$ ", c1,
                                    r",\quad accuracy ", p0 + r"\%", r" $\rightarrow$ ",
                                    p1 + r"\%", font_size=fs)
        self.training_caption[1].set_color(PAL.cost)
        self.training_caption[3].set_color(PAL.cost)
        self.training_block = VGroup(head, self.training_caption).arrange(DOWN, buff=0.15)
        self.training_block.move_to([0, -3.15, 0])
        self.play(FadeIn(self.training_block, shift=0.2 * UP), run_time=1.2)


# ============================================================== CostDependencyTree
class TreeNode(VGroup):
    """One quantity of the tree: its symbol and, under it, its real value in the symbol's
    colour. ``name`` is the flat name of ``ChainValues.as_dict`` ("w3", "a2", "C0"...)."""

    def __init__(self, name: str, tex: str, value: float, places: int = 2,
                 font_size: float = 38, **kwargs):
        super().__init__(**kwargs)
        self.name, self.tex, self.real_value = name, tex, float(value)
        self.symbol = formula(tex, font_size=font_size)
        color = symbol_color(tex) or style.TEXT_COLOR
        self.value = number(value, places, font_size=0.68 * font_size, color=color)
        self.value.next_to(self.symbol, DOWN, buff=0.1)
        self.add(self.symbol, self.value)

    def place(self, x: float, y: float) -> "TreeNode":
        """Put the symbol's centre at ``(x, y)``, whatever the value's width."""
        return self.shift(np.array([x, y, 0]) - self.symbol.get_center())


def feed_line(source: TreeNode, target: TreeNode, buff: float = 0.1) -> Line:
    """The line from ``source`` (under its value) down to the ``target`` it feeds."""
    line = Line(source.value.get_bottom(), target.symbol.get_top(), buff=buff,
                stroke_width=2.5, color=LINE_COLOR)
    line.source, line.target = source.name, target.name
    return line


class CostDependencyTree(Chapter4Scene):
    """What the cost of one example depends on, as a tree of real values.

    Levels, top to bottom (the grown tree): w⁽ᴸ⁻¹⁾ a⁽ᴸ⁻²⁾ b⁽ᴸ⁻¹⁾ / z⁽ᴸ⁻¹⁾ / w⁽ᴸ⁾ a⁽ᴸ⁻¹⁾
    b⁽ᴸ⁾ / z⁽ᴸ⁾ / y a⁽ᴸ⁾ / C₀. Each line runs from a node to the node it feeds. Beside each
    computed node, at its height, the formula that computes it.

    Exposes ``nodes`` (flat name → ``TreeNode``: ``.value`` is its DecimalNumber),
    ``node_values`` (flat name → the float drawn), ``lines`` (``.source``, ``.target``
    names), ``feeds`` (the (source, target) pairs drawn) and ``formulas`` (name → MathTex).
    """

    column_x = (-5.4, -3.3, -1.2)
    formula_x = 3.4
    top_y = 3.4
    level_gap = 1.33
    font_size = 38

    # (name, tex, level, column) of every node, and what feeds what
    LAYOUT = (
        ("w2", "w^{(L-1)}", 0, 0), ("a1", "a^{(L-2)}", 0, 1), ("b2", "b^{(L-1)}", 0, 2),
        ("z2", "z^{(L-1)}", 1, 1),
        ("w3", "w^{(L)}", 2, 0), ("a2", "a^{(L-1)}", 2, 1), ("b3", "b^{(L)}", 2, 2),
        ("z3", "z^{(L)}", 3, 1),
        ("y", "y", 4, 0), ("a3", "a^{(L)}", 4, 1),
        ("C0", "C_0", 5, 1),
    )
    LAST_LAYER = ("w3", "a2", "b3", "z3", "a3", "y", "C0")
    FEEDS = (("w3", "z3"), ("a2", "z3"), ("b3", "z3"), ("z3", "a3"), ("a3", "C0"), ("y", "C0"),
             ("w2", "z2"), ("a1", "z2"), ("b2", "z2"), ("z2", "a2"))
    FORMULAS = {
        "z3": ("z^{(L)}", "=", "w^{(L)}", "a^{(L-1)}", "+", "b^{(L)}"),
        "a3": ("a^{(L)}", "=", r"\sigma", "(", "z^{(L)}", ")"),
        "C0": ("C_0", "=", "(", "a^{(L)}", "-", "y", ")^2"),
        "z2": ("z^{(L-1)}", "=", "w^{(L-1)}", "a^{(L-2)}", "+", "b^{(L-1)}"),
        "a2": ("a^{(L-1)}", "=", r"\sigma", "(", "z^{(L-1)}", ")"),
    }

    def construct(self):
        self.load_chain()
        self.build()

        self.beat("Follow the last neuron. Its weight w⁽ᴸ⁾, the activation before it a⁽ᴸ⁻¹⁾ and "
                  "its bias b⁽ᴸ⁾ make the weighted sum z⁽ᴸ⁾.", "weighted sum",
                  spoken="Follow the last neuron. Its weight, w L, the activation before it, "
                         "a L minus 1, and its bias, b L, make the weighted sum, z L.")
        self.show_feeds(["w3", "a2", "b3"], "z3")

        self.beat(f"The sigmoid turns z⁽ᴸ⁾ = {self.shown('z3')} into the output "
                  f"a⁽ᴸ⁾ = {self.shown('a3')}.", "sigmoid",
                  spoken=f"The sigmoid turns z L, {self.spoken('z3')}, into the output, a L, "
                         f"{self.spoken('a3')}.")
        self.show_feeds([], "a3", sources=["z3"])

        self.beat(f"With the desired output y, the output gives the cost of this example, "
                  f"C₀ = {self.shown('C0')}.", "cost",
                  spoken=f"With the desired output y, the output gives the cost of this "
                         f"example, C zero, {self.spoken('C0')}.")
        self.show_feeds(["y"], "C0", sources=["a3", "y"])

        self.beat("And a⁽ᴸ⁻¹⁾ is made the same way, from w⁽ᴸ⁻¹⁾, a⁽ᴸ⁻²⁾ and b⁽ᴸ⁻¹⁾ through "
                  "z⁽ᴸ⁻¹⁾: the tree grows one layer back.", "grow",
                  spoken="And a L minus 1 is made the same way, from w L minus 1, a L minus 2 "
                         "and b L minus 1, through z L minus 1: the tree grows one layer back.")
        self.grow()

    # ------------------------------------------------------------------------ data
    def build(self):
        """Every node, line and formula at its place in the grown tree; the last layer's part
        starts ``level_gap`` higher, centred, and moves down when the tree grows."""
        values = self.values.as_dict()
        self.nodes, self.node_values = {}, {}
        for name, tex, level, column in self.LAYOUT:
            node = TreeNode(name, tex, values[name], places=0 if name == "y" else
                            decimal_places(values[name]), font_size=self.font_size)
            node.place(self.column_x[column], self.top_y - level * self.level_gap)
            self.nodes[name], self.node_values[name] = node, float(values[name])
        self.lines = VGroup(*[feed_line(self.nodes[s], self.nodes[t]) for s, t in self.FEEDS])
        self.line_of = {(l.source, l.target): l for l in self.lines}
        self.feeds = [(l.source, l.target) for l in self.lines]
        self.formulas = {}
        for name, parts in self.FORMULAS.items():
            f = formula(*parts, font_size=36)
            f.move_to([self.formula_x, self.nodes[name].get_y(), 0])
            self.formulas[name] = f
        self.first_part = VGroup(*[self.nodes[k] for k in self.LAST_LAYER],
                                 *[self.line_of[f] for f in self.FEEDS[:6]],
                                 *[self.formulas[k] for k in ("z3", "a3", "C0")])
        self.first_part.shift(self.level_gap * UP)

    def shown(self, name: str) -> str:
        node = self.nodes[name]
        return fmt(node.real_value, node.value.num_decimal_places)

    def spoken(self, name: str) -> str:
        node = self.nodes[name]
        return said(node.real_value, node.value.num_decimal_places)

    # ------------------------------------------------------------------------ beats
    def show_feeds(self, new_sources, target: str, sources=None):
        """Bring in ``new_sources`` (nodes), then the lines from ``sources`` (default: the
        new ones) to ``target``, ``target`` itself and its formula."""
        sources = new_sources if sources is None else sources
        if new_sources:
            self.play(LaggedStart(*[FadeIn(self.nodes[s], shift=0.2 * DOWN) for s in new_sources],
                                  lag_ratio=0.25), run_time=1.2)
        lines = [self.line_of[(s, target)] for s in sources]
        flashes = [l.copy().set_stroke(PAL.highlight, width=4) for l in lines]
        self.play(*[Create(l) for l in lines], *[Create(f) for f in flashes], run_time=0.9)
        self.play(FadeOut(VGroup(*flashes)), FadeIn(self.nodes[target], shift=0.2 * DOWN),
                  Write(self.formulas[target]), run_time=1.2)

    def grow(self):
        box = SurroundingRectangle(self.nodes["a2"].symbol, color=PAL.highlight, buff=0.08)
        self.play(Create(box))
        self.play(self.first_part.animate.shift(self.level_gap * DOWN),
                  box.animate.shift(self.level_gap * DOWN), run_time=1.2)
        self.play(FadeOut(box))
        self.show_feeds(["w2", "a1", "b2"], "z2")
        line = self.line_of[("z2", "a2")]
        flash = line.copy().set_stroke(PAL.highlight, width=4)
        self.play(Create(line), Create(flash), Write(self.formulas["a2"]),
                  Indicate(self.nodes["a2"], color=PAL.highlight), run_time=1.2)
        self.play(FadeOut(flash))


# ================================================================= NudgeTheWeight
class NudgeLine(VGroup):
    """A number line on round ticks for one quantity, its symbol on the left, a marker at its
    value and a faint tick where the value started.

    ``number_line`` (``NumberLine``), ``marker`` (a Dot, ``marker.real_value`` is the value it
    marks), ``start_mark``, ``tick_labels`` (DecimalNumbers)."""

    def __init__(self, tex: str, value: float, change: float, color, *, length: float = 5.0,
                 font_size: float = 40, **kwargs):
        super().__init__(**kwargs)
        low, high, step = window(value, change)
        self.number_line = NumberLine(x_range=[low, high, step], length=length,
                                      include_tip=False, include_numbers=False, color=LINE_COLOR,
                                      stroke_width=2, tick_size=0.07)
        places = decimal_places(step, digits=1, least=1, most=6)
        self.tick_labels = VGroup(*[
            number(t, places, font_size=20, color=style.DIM_TEXT_COLOR)
            .next_to(self.number_line.n2p(t), DOWN, buff=0.14)
            for t in np.linspace(low, high, 5)])
        self.label = formula(tex, font_size=font_size)
        self.label.next_to(self.number_line, LEFT, buff=0.35)
        self.start_mark = Line(0.17 * UP, 0.17 * DOWN, stroke_width=3, color=color)
        self.start_mark.set_opacity(0.45)
        self.start_mark.move_to(self.number_line.n2p(value))
        self.marker = Dot(self.number_line.n2p(value), radius=0.1, color=color)
        self.marker.real_value = float(value)
        self.add(self.number_line, self.tick_labels, self.label, self.start_mark, self.marker)

    def point(self, value: float) -> np.ndarray:
        return self.number_line.n2p(value)


class NudgeTheWeight(Chapter4Scene):
    """Nudge w⁽ᴸ⁾ and watch the ripples, then shrink the nudge.

    The nudges are ``network.calculus.nudge`` on the trained chain (real forward passes):
    ``nudge.deltas`` are the table's Δw (the first is the one the markers show), ``nudge.dz``,
    ``nudge.da``, ``nudge.dC`` its ripples, ``nudge.ratio`` ΔC₀/Δw, ``nudge.derivative``
    ∂C₀/∂w⁽ᴸ⁾ by the chain rule.

    Exposes ``nudge``, ``lines`` (name "w", "z", "a", "C" → ``NudgeLine``), ``start_values``
    and ``nudged_values`` (name → float), ``readouts`` (name → DecimalNumber of the change),
    ``table_rows`` (a VGroup per Δ of DecimalNumbers Δw, ΔC₀, ΔC₀/Δw) and
    ``derivative_number``.
    """

    deltas = (0.1, 0.01, 0.001, 0.0001)
    line_x = -3.2
    line_length = 5.0
    top_line_y = 1.85
    line_gap = 1.5
    ratio_digits = 4     # significant digits of ΔC₀/Δw and of ∂C₀/∂w

    NAMES = ("w", "z", "a", "C")
    TEX = {"w": "w^{(L)}", "z": "z^{(L)}", "a": "a^{(L)}", "C": "C_0"}

    def construct(self):
        self.load_chain()
        self.compute()
        d = self.readout_places

        self.beat("Put w⁽ᴸ⁾, z⁽ᴸ⁾, a⁽ᴸ⁾ and the cost C₀ each on a number line, at their real "
                  "values.", "lines",
                  spoken="Put w L, z L, a L and the cost, C zero, each on a number line, at "
                         "their real values.")
        self.show_lines()

        ch = {k: self.changes[k] for k in self.NAMES}
        self.beat(f"Nudge w⁽ᴸ⁾ by {fmt(ch['w'], d['w'])}: z⁽ᴸ⁾ moves by {fmt(ch['z'], d['z'])}, "
                  f"a⁽ᴸ⁾ by {fmt(ch['a'], d['a'])}, and the cost C₀ by "
                  f"{fmt(ch['C'], d['C'])}.", "nudge",
                  spoken=f"Nudge w L by {said(ch['w'], d['w'])}: z L moves by "
                         f"{said(ch['z'], d['z'])}, a L by {said(ch['a'], d['a'])}, and the "
                         f"cost, C zero, by {said(ch['C'], d['C'])}.")
        self.show_nudge()

        self.beat("Divide the cost's change by the nudge, ΔC₀/Δw, and make the nudge smaller "
                  "and smaller.", "shrink",
                  spoken="Divide the cost's change by the nudge, delta C zero over delta w, and "
                         "make the nudge smaller and smaller.")
        self.show_table()

        r = self.ratio_places
        self.beat(f"The ratio settles on the derivative, ∂C₀/∂w⁽ᴸ⁾ = "
                  f"{fmt(self.nudge.derivative, r)}: how sensitive the cost is to this "
                  "weight.", "derivative",
                  spoken=f"The ratio settles on the derivative, partial C zero over partial w L, "
                         f"{said(self.nudge.derivative, r)}: how sensitive the cost is to this "
                         "weight.")
        self.show_derivative()

    # ------------------------------------------------------------------------ data
    def compute(self):
        v = self.values
        L = v.L
        self.nudge = nudge(self.chain_net, self.x, self.y, "weight", (L, 0, 0),
                           delta=self.deltas)
        n = self.nudge
        self.start_values = {"w": v.w[L], "z": v.z[L], "a": v.a[L], "C": v.cost}
        self.changes = {"w": float(n.deltas[0]), "z": float(n.dz[0]), "a": float(n.da[0]),
                        "C": float(n.dC[0])}
        self.nudged_values = {k: self.start_values[k] + self.changes[k] for k in self.NAMES}
        self.readout_places = {k: decimal_places(self.changes[k]) for k in self.NAMES}
        self.ratio_places = decimal_places(n.derivative, digits=self.ratio_digits, most=8)

    # ------------------------------------------------------------------------ beats
    def color_of(self, name: str):
        if name == "w":  # the weight in its sign's colour, as its edge is drawn
            return PAL.sign_color(self.start_values["w"])
        if name == "a":
            return style.NEURON_FILL_COLOR
        return symbol_color(self.TEX[name])

    def show_lines(self):
        v = self.values
        self.setting = VGroup(
            formula("z^{(L)}", "=", "w^{(L)}", "a^{(L-1)}", "+", "b^{(L)}", ",", r"\quad",
                    "a^{(L)}", "=", r"\sigma", "(", "z^{(L)}", ")", ",", r"\quad",
                    "C_0", "=", "(", "a^{(L)}", "-", "y", ")^2", font_size=34),
            VGroup(caption("held fixed:", font_size=24),
                   formula("a^{(L-1)}", "=", f"{v.a[v.L - 1]:.2f}", r",\quad", "b^{(L)}", "=",
                           f"{v.b[v.L]:.2f}", r",\quad", "y", "=", f"{v.y:.0f}",
                           font_size=30)).arrange(RIGHT, buff=0.2))
        self.setting.arrange(DOWN, buff=0.2).to_edge(UP, buff=0.3)
        self.lines = {}
        for i, name in enumerate(self.NAMES):
            line = NudgeLine(self.TEX[name], self.start_values[name], self.changes[name],
                             self.color_of(name), length=self.line_length)
            line.shift(np.array([self.line_x, self.top_line_y - i * self.line_gap, 0])
                       - line.number_line.get_center())
            self.lines[name] = line
        self.play(FadeIn(self.setting, shift=0.2 * DOWN), run_time=1.2)
        self.play(LaggedStart(*[FadeIn(self.lines[k]) for k in self.NAMES], lag_ratio=0.25),
                  run_time=1.8)

    def show_nudge(self):
        fs = 34
        self.readouts, self.readout_groups = {}, VGroup()
        for name in self.NAMES:
            line = self.lines[name]
            change = self.changes[name]
            d = number(change, self.readout_places[name], font_size=fs,
                       color=PAL.sign_color(change), include_sign=True)
            label = formula(r"\Delta " + self.TEX[name], "=", font_size=fs)
            group = VGroup(label, d).arrange(RIGHT, buff=0.15)
            group.next_to(line.number_line, RIGHT, buff=0.6).align_to(
                [line.number_line.get_right()[0] + 0.6, 0, 0], LEFT)
            self.readouts[name] = d
            self.readout_groups.add(group)
        # The ripple: w moves, then z, a and C₀ follow, each to its real nudged value.
        moves = [self.lines[k].marker.animate.move_to(self.lines[k].point(self.nudged_values[k]))
                 for k in self.NAMES]
        self.play(LaggedStart(*moves, lag_ratio=0.35), run_time=2.2)
        self.wiggle()
        for k in self.NAMES:
            self.lines[k].marker.real_value = self.nudged_values[k]
        self.play(LaggedStart(*[FadeIn(g, shift=0.2 * RIGHT) for g in self.readout_groups],
                              lag_ratio=0.2), run_time=1.4)

    def ripple_at(self, dw: float) -> dict[str, float]:
        """Each quantity's value with w⁽ᴸ⁾ nudged by ``dw``: a real forward pass of the chain."""
        if dw == 0:
            return dict(self.start_values)
        n = nudge(self.chain_net, self.x, self.y, "weight", (self.values.L, 0, 0), delta=dw)
        change = {"w": dw, "z": float(n.dz[0]), "a": float(n.da[0]), "C": float(n.dC[0])}
        return {k: self.start_values[k] + change[k] for k in self.NAMES}

    def wiggle(self, cycles: int = 1):
        """w⁽ᴸ⁾ wiggled back and forth by up to its nudge, as in the original; every frame,
        z, a and C₀ sit where a real forward pass with that weight puts them. It ends at the
        nudge, where the markers were."""
        delta = self.changes["w"]
        tracker = ValueTracker(delta)

        def follow(name: str):
            return lambda marker: marker.move_to(
                self.lines[name].point(self.ripple_at(tracker.get_value())[name]))

        for name in self.NAMES:
            self.lines[name].marker.add_updater(follow(name))
        for _ in range(cycles):
            self.play(tracker.animate.set_value(-delta), run_time=1.6)
            self.play(tracker.animate.set_value(delta), run_time=1.6)
        for name in self.NAMES:
            marker = self.lines[name].marker
            marker.clear_updaters()
            marker.move_to(self.lines[name].point(self.nudged_values[name]))

    def show_table(self):
        n = self.nudge
        fs = 32
        xs = (1.4, 3.55, 5.7)
        header = VGroup(formula(r"\Delta w", font_size=fs), formula(r"\Delta C_0", font_size=fs),
                        formula(r"\Delta C_0", "/", r"\Delta w", font_size=fs))
        self.table_rows = VGroup()
        for i, delta in enumerate(n.deltas):
            dC, ratio = float(n.dC[i]), float(n.ratio[i])
            row = VGroup(
                number(delta, decimal_places(delta, digits=1, least=1, most=8), font_size=fs),
                number(dC, decimal_places(dC, digits=3, most=10), font_size=fs,
                       color=PAL.sign_color(dC)),
                number(ratio, self.ratio_places, font_size=fs, color=PAL.sign_color(ratio)))
            self.table_rows.add(row)
        self.table = VGroup(header, *self.table_rows)
        for r, row in enumerate(self.table):
            for c, cell in enumerate(row):
                cell.move_to([xs[c], 1.75 - 0.62 * r, 0])
        self.rule = Line([xs[0] - 0.9, 1.45, 0], [xs[2] + 1.0, 1.45, 0], stroke_width=1.5,
                         color=LINE_COLOR)
        self.play(FadeOut(self.readout_groups), run_time=0.6)
        self.play(FadeIn(header), Create(self.rule))
        for row in self.table_rows:
            self.play(FadeIn(row, shift=0.15 * DOWN), run_time=0.7)

    def show_derivative(self):
        d = self.nudge.derivative
        fs = 40
        label = formula(r"{\partial C_0", r"\over", r"\partial w^{(L)}}", "=", font_size=fs)
        self.derivative_number = number(d, self.ratio_places, font_size=fs,
                                        color=PAL.sign_color(d))
        self.derivative_line = VGroup(label, self.derivative_number).arrange(RIGHT, buff=0.2)
        self.derivative_line.move_to([3.75, -2.2, 0]).align_to(
            self.table_rows[-1][2], RIGHT)
        self.derivative_box = SurroundingRectangle(self.derivative_line, color=PAL.highlight,
                                                   buff=0.15)
        self.ratio_box = SurroundingRectangle(VGroup(*[r[2] for r in self.table_rows]),
                                              color=PAL.highlight, buff=0.1)
        self.play(Create(self.ratio_box))
        self.play(Write(self.derivative_line), run_time=1.4)
        self.play(Create(self.derivative_box), FadeOut(self.ratio_box))
