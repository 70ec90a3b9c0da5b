"""Chapter 1, the squishification: the sigmoid, the bias as a threshold, and ReLU.

Every weighted sum, bias, activation and accuracy on screen comes from the real trained
networks (``network.load_trained``) and real MNIST test images (``network.load_mnist``).

* ``SigmoidSquish``: σ squeezes the whole real line into (0, 1); then the sixteen real
  weighted sums of the first hidden layer, for one test image, rise to their activations.
* ``BiasShiftsThreshold``: the bias slides the curve, moving where the neuron switches on;
  a real neuron's real weighted sum, its real bias and its activation, live.
* ``SigmoidVersusReLU``: the two squishing functions side by side, then one test image
  through a sigmoid network and a ReLU network, both trained for real, with their measured
  test accuracies.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Arrow,
    Axes,
    Circle,
    Create,
    DashedLine,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    Group,
    LaggedStart,
    Line,
    MathTex,
    NumberLine,
    ReplacementTransform,
    SurroundingRectangle,
    Tex,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
)

from network.model import relu, sigmoid
from scenes import style
from scenes.base import NetworkScene
from scenes.layout import keep_in_frame
from scenes.mobjects import DigitImage, NetworkMobject
from scenes.text import held_out_words

SIGMA_COLOR = style.PALETTE.highlight
RELU_COLOR = style.PALETTE.accent


def sigmoid_formula(var: str = "x", **kwargs) -> MathTex:
    """σ(var) = 1 / (1 + e^{-var}), σ in the highlight colour."""
    tex = MathTex(r"\sigma", f"({var})", "=", r"{1 \over 1 + e^{-" + var + "}}", **kwargs)
    tex[0].set_color(SIGMA_COLOR)
    return tex


def relu_formula(var: str = "a", **kwargs) -> MathTex:
    tex = MathTex(r"\mathrm{ReLU}", f"({var})", "=", r"\max(0, " + var + ")", **kwargs)
    tex[0].set_color(RELU_COLOR)
    return tex


class _RealNetworkScene(NetworkScene):
    """Loads the real data, the trained network and one test image's real forward pass.

    ``load_data`` and ``load_model`` may be swapped by tests for a quicker model."""

    image_index = 0

    def load(self):
        self.load_network()
        data = self.data
        self.words = held_out_words(data)
        self.image = np.asarray(data.test_images[self.image_index])
        self.true_label = int(data.test_labels[self.image_index])
        self.x = np.asarray(data.test_x[self.image_index], dtype=float)
        self.zs, self.activations = self.network.forward(self.x)

    def small_digit(self, height: float = 1.5) -> VGroup:
        digit = DigitImage(self.image, height=height)
        caption = Tex(f"{self.words.image} \\#{self.image_index}",
                      font_size=style.CAPTION_FONT_SIZE, color=style.DIM_TEXT_COLOR)
        caption.next_to(digit, DOWN, buff=0.15)
        self.digit = digit
        return Group(digit, caption)


# =========================================================================== SigmoidSquish
class SigmoidSquish(_RealNetworkScene):
    """σ squishes the real line into (0, 1); real weighted sums rise to their activations.

    Exposes after ``construct``: ``formula``, ``axes``, ``curve``, ``number_line``;
    the demonstration ``demo_xs`` with ``demo_dots`` (on the curve) and ``squished_dots``
    (on the 0–1 segment ``unit_segment``); the real first-layer sums ``z`` and activations
    ``a`` (= ``activations[1]``), ``z_dots`` (``z_dots[j]`` at (clamped z_j, σ(z_j))),
    ``shown_x`` (the clamped x of each dot), ``clamped`` (indices beyond the axis),
    ``clamp_markers`` (index -> the arrow-and-note marker of its side; ``marker.count`` sums beyond), and ``labels``: a list of (neuron index,
    DecimalNumber z, DecimalNumber activation).
    """

    x_min, x_max = -10.0, 10.0
    axes_width = 11.0
    axes_height = 3.8
    axes_y = -0.05
    demo_xs = (-8.0, -4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0, 8.0)

    def construct(self):
        self.load()

        self.beat("The sigmoid, or logistic, function: one way to squash any number into "
                  "the range from 0 to 1.", "formula")
        self.show_formula()

        self.beat(self.curve_narration(), "curve")
        self.show_curve()

        self.beat("Every point of the real line gets squished somewhere between 0 and 1.",
                  "squish")
        self.squish_line()

        n = self.network.sizes[1]
        self.beat(f"Now real weighted sums: the {n} first-layer neurons of the trained "
                  f"network, on {self.words.image} {self.image_index}.", "real sums")
        self.show_real_sums()

        self.beat("Each sum rises to its sigmoid: that height is the neuron's activation.",
                  "activations")
        self.rise_to_activations()

        self.beat(self.label_narration(), "labels")
        self.label_some()

    # ------------------------------------------------------------------ helpers
    def clamp(self, z: float) -> float:
        return float(min(max(z, self.x_min), self.x_max))

    def curve_narration(self) -> str:
        """The curve's ends and its steepest point, computed from σ on the drawn axis."""
        lo, hi = float(sigmoid(self.x_min)), float(sigmoid(self.x_max))
        xs = np.linspace(self.x_min, self.x_max, 2001)
        slopes = np.gradient(sigmoid(xs), xs)
        steepest = float(xs[int(np.argmax(slopes))])
        ends = f"At {self.x_min:g} it is {lo:.5f}, at {self.x_max:g} {hi:.5f}"
        if lo < self.near and hi > 1 - self.near:
            ends += ": very negative inputs land near 0, very positive ones near 1"
        return f"{ends}. It climbs steepest at {steepest + 0.0:g}, with slope {slopes.max():.2f}."

    near = 0.01   # a value within this of 0 (or 1) is "near 0" (or "near 1")

    def label_narration(self) -> str:
        lo, hi = self.z.min(), self.z.max()
        beyond = len(self.clamped)
        extra = (f" {beyond} of them fall beyond ±{self.x_max:g}, marked by arrows at the edge."
                 if beyond else "")
        return (f"The sums run from {lo:.1f} to {hi:.1f}; the activations from "
                f"{self.a.min():.4f} to {self.a.max():.4f}.{extra}")

    # -------------------------------------------------------------------- beats
    def show_formula(self):
        self.formula = sigmoid_formula("x", font_size=56)
        self.formula.to_edge(UP, buff=0.35)
        self.play(Write(self.formula))
        self.wait(style.PAUSE)

    def show_curve(self):
        self.axes = Axes(x_range=[self.x_min, self.x_max, 2], y_range=[0, 1, 0.5],
                         x_length=self.axes_width, y_length=self.axes_height,
                         tips=False, axis_config={"include_numbers": False},
                         y_axis_config={"include_ticks": True})
        self.axes.move_to(self.axes_y * UP)
        self.axes.x_axis.add_numbers([-10, -5, 5, 10], font_size=24)
        self.axes.y_axis.add_numbers([0.5, 1], font_size=24, num_decimal_places=1)
        for label in self.axes.y_axis.numbers:  # the dashed line at 1 passes behind "1.0"
            label.add_background_rectangle(opacity=1, buff=0.04)
        one_line = DashedLine(self.axes.c2p(self.x_min, 1), self.axes.c2p(self.x_max, 1),
                              stroke_width=1.5, color=style.DIM_TEXT_COLOR, dash_length=0.08)
        one_line.set_z_index(-1)
        self.one_line = one_line
        self.curve = self.axes.plot(lambda t: float(sigmoid(t)), x_range=[self.x_min, self.x_max],
                                    color=SIGMA_COLOR, stroke_width=4)
        self.play(Create(self.axes), FadeIn(one_line), run_time=1.5)
        self.play(Create(self.curve), run_time=2.0)
        self.wait(style.PAUSE)

    def squish_line(self):
        ax = self.axes
        self.number_line = NumberLine(x_range=[self.x_min, self.x_max, 2], length=self.axes_width,
                                      include_numbers=False, include_tip=False)
        self.number_line.add_numbers([-8, -4, 0, 4, 8], font_size=24)
        self.number_line.move_to([ax.c2p(0, 0)[0], -3.05, 0])
        # Line the number line's scale up exactly with the axes' x scale.
        self.number_line.shift((ax.c2p(0, 0)[0] - self.number_line.n2p(0)[0]) * RIGHT)

        seg_x = ax.c2p(self.x_max, 0)[0] + 0.7
        self.unit_segment = Line([seg_x, ax.c2p(0, 0)[1], 0], [seg_x, ax.c2p(0, 1)[1], 0],
                                 color=style.TEXT_COLOR, stroke_width=3)
        ends = VGroup(MathTex("0", font_size=26).next_to(self.unit_segment, RIGHT, buff=0.12).align_to(self.unit_segment, DOWN),
                      MathTex("1", font_size=26).next_to(self.unit_segment, RIGHT, buff=0.12).align_to(self.unit_segment, UP))
        self.unit_segment_labels = ends

        xs = np.array(self.demo_xs)
        colors = [style.PALETTE.negative if v < 0 else style.PALETTE.positive for v in xs]
        line_dots = VGroup(*[Dot(self.number_line.n2p(v), radius=0.07, color=c)
                             for v, c in zip(xs, colors)])
        self.play(Create(self.number_line), run_time=1.0)
        self.play(LaggedStart(*[FadeIn(d, scale=0.5) for d in line_dots], lag_ratio=0.1))

        self.demo_dots = VGroup(*[Dot(ax.c2p(v, float(sigmoid(v))), radius=0.07, color=c)
                                  for v, c in zip(xs, colors)])
        self.play(LaggedStart(*[TransformFromCopy(a, b, path_arc=0) for a, b in
                                zip(line_dots, self.demo_dots)], lag_ratio=0.12, run_time=2.5))
        self.squished_dots = VGroup(*[Dot([seg_x, ax.c2p(0, float(sigmoid(v)))[1], 0],
                                          radius=0.07, color=c) for v, c in zip(xs, colors)])
        self.play(Create(self.unit_segment), FadeIn(ends))
        self.play(LaggedStart(*[TransformFromCopy(a, b) for a, b in
                                zip(self.demo_dots, self.squished_dots)], lag_ratio=0.1,
                              run_time=2.0))
        self.wait(style.PAUSE)
        self.play(FadeOut(VGroup(line_dots, self.demo_dots, self.squished_dots, self.number_line,
                                 self.unit_segment, ends)))

    def show_real_sums(self):
        ax = self.axes
        self.z = np.asarray(self.zs[0], dtype=float)
        self.a = np.asarray(self.activations[1], dtype=float)
        self.shown_x = np.array([self.clamp(v) for v in self.z])
        self.clamped = [j for j, v in enumerate(self.z) if v < self.x_min or v > self.x_max]

        digit = self.small_digit(1.2)
        digit.to_corner(UL, buff=0.3)
        self.digit_group = digit
        z_label = MathTex("z", "=", "w", r"\cdot", "a", "+", "b", font_size=36)
        z_label[0].set_color(style.Z_COLOR)
        z_label[6].set_color(style.BIAS_COLOR)
        z_label.to_corner(UR, buff=0.45)
        self.z_label = z_label

        self.sum_dots = VGroup(*[Dot(ax.c2p(x, 0), radius=0.075, color=style.Z_COLOR)
                                 for x in self.shown_x])
        self.clamp_markers = {}
        markers = VGroup()
        below = ax.c2p(0, 0)[1] - 0.75
        for side in (-1, 1):
            beyond = [j for j in self.clamped if np.sign(self.z[j]) == side]
            if not beyond:
                continue
            edge = self.x_min if side < 0 else self.x_max
            direction = RIGHT if side > 0 else LEFT
            start = np.array([ax.c2p(edge, 0)[0] - 0.1 * side, below, 0])
            arrow = Arrow(start, start + 0.7 * direction, buff=0, stroke_width=4,
                          max_tip_length_to_length_ratio=0.35, color=style.Z_COLOR)
            word = "above" if side > 0 else "below"
            noun = "sum" if len(beyond) == 1 else "sums"
            note = Tex(f"{len(beyond)} {noun} {word} ${edge:g}$", font_size=26,
                       color=style.DIM_TEXT_COLOR)
            note.next_to(arrow, -direction, buff=0.15)
            marker = VGroup(arrow, note)
            marker.count = len(beyond)
            markers.add(marker)
            for j in beyond:
                self.clamp_markers[j] = marker
        self.clamp_marker_group = markers
        self.play(FadeIn(digit), Write(z_label))
        self.play(LaggedStart(*[FadeIn(d, scale=0.5) for d in self.sum_dots], lag_ratio=0.08),
                  FadeIn(markers), run_time=2.0)
        self.wait(style.PAUSE)

    def rise_to_activations(self):
        ax = self.axes
        self.z_dots = VGroup(*[Dot(ax.c2p(x, a), radius=0.075, color=SIGMA_COLOR)
                               for x, a in zip(self.shown_x, self.a)])
        self.risers = VGroup(*[DashedLine(ax.c2p(x, 0), ax.c2p(x, a), stroke_width=1.5,
                                          color=style.DIM_TEXT_COLOR, dash_length=0.05)
                               for x, a in zip(self.shown_x, self.a)])
        self.play(LaggedStart(*[ReplacementTransform(d.copy(), t) for d, t in
                                zip(self.sum_dots, self.z_dots)], lag_ratio=0.08),
                  LaggedStart(*[Create(r) for r in self.risers], lag_ratio=0.08),
                  run_time=3.0)
        self.wait(style.PAUSE)

    def chosen_for_labels(self) -> list[int]:
        """The lowest sum, the one nearest 0 (the steep middle) and the highest."""
        order = [int(np.argmin(self.z)), int(np.argmin(np.abs(self.z))), int(np.argmax(self.z))]
        return list(dict.fromkeys(order))

    def label_some(self):
        ax = self.axes
        self.labels = []
        boxes = VGroup()
        for j in self.chosen_for_labels():
            z_num = DecimalNumber(self.z[j], num_decimal_places=2, font_size=30,
                                  color=style.Z_COLOR, include_sign=False)
            a_num = DecimalNumber(self.a[j], num_decimal_places=4, font_size=30,
                                  color=SIGMA_COLOR)
            row = VGroup(MathTex("z", "=", font_size=30), z_num, MathTex(r"\to", font_size=30),
                         MathTex(r"\sigma(z)", "=", font_size=30), a_num)
            row[0][0].set_color(style.Z_COLOR)
            row[3][0][0].set_color(SIGMA_COLOR)
            row.arrange(RIGHT, buff=0.12)
            for part in (z_num, a_num):
                part.align_to(row[0], DOWN)
            row.add_background_rectangle(opacity=0.85, buff=0.06)
            dot = self.z_dots[j]
            if self.a[j] > 0.8:
                row.next_to(dot, DOWN, buff=0.35)
                row.align_to(dot, RIGHT).shift(0.1 * RIGHT)
            elif self.a[j] < 0.2:
                row.next_to(dot, UP, buff=0.35)
                row.align_to(dot, LEFT).shift(0.1 * LEFT)
            else:
                row.next_to(dot, RIGHT, buff=0.3)
            keep_in_frame(row)
            ring = Circle(radius=0.16, color=style.TEXT_COLOR, stroke_width=2).move_to(dot)
            boxes.add(VGroup(ring, row))
            self.labels.append((j, z_num, a_num))
        self.label_group = boxes
        for ring_row in boxes:
            self.play(Create(ring_row[0]), FadeIn(ring_row[1], shift=0.1 * UP), run_time=0.9)
        self.wait(2 * style.PAUSE)


# ======================================================================= BiasShiftsThreshold
class BiasShiftsThreshold(_RealNetworkScene):
    """The bias slides σ along the weighted-sum axis: it sets where a neuron switches on.

    Exposes: ``formula``, ``axes``, ``bias`` (the ValueTracker of b), ``curve`` (redrawn as
    σ(x + b)), ``threshold_marker`` (at x = −b); the real neuron ``neuron_index`` (layer 1),
    its real weighted sum without bias ``weighted_sum`` (= w·a), its real bias ``real_bias``
    and activation ``real_activation``; ``point`` (the dot at (w·a, σ(w·a + b))),
    ``neuron_circle`` (fill = σ(w·a + b)), and ``wa_number``, ``b_number``, ``act_number``
    (DecimalNumbers).
    """

    demo_bias = -10.0
    axes_width = 8.6
    axes_height = 4.2

    def construct(self):
        self.load()
        self.pick_neuron()

        t = -self.demo_bias  # the threshold the demonstration's bias sets
        act = "Subtract" if t >= 0 else "Add"
        self.beat(f"Maybe a neuron should only light up when its weighted sum is bigger than "
                  f"{t:g}. {act} {abs(t):g} before squishing.", "formula")
        self.show_formula()

        self.beat("That number, the bias, slides the sigmoid sideways: the switch-on point "
                  f"moves to {t:g}.", "shift")
        self.shift_curve()

        self.beat(f"A real neuron: number {self.neuron_index} of the first hidden layer, "
                  f"whose weighted sum on {self.words.image} {self.image_index} is "
                  f"{self.weighted_sum:.2f}.", "real sum")
        self.show_real_neuron()

        self.beat(f"Training gave it a bias of {self.real_bias:.2f}, not {self.demo_bias:g}: "
                  f"its activation is σ({self.weighted_sum:.2f} {'−' if self.real_bias < 0 else '+'} "
                  f"{abs(self.real_bias):.2f}) = "
                  f"{self.real_activation:.3f}.", "real bias")
        self.apply_real_bias()

    # ---------------------------------------------------------------- the neuron
    def pick_neuron(self):
        """The first-layer neuron whose real bias moves its activation the most between
        b = demo_bias and its own b: the bias visibly decides whether it fires."""
        w, b = self.network.weights[0], self.network.biases[0]
        wa = w @ self.x
        change = np.abs(sigmoid(wa + b) - sigmoid(wa + self.demo_bias))
        j = int(np.argmax(change))
        self.neuron_index = j
        self.weighted_sum = float(wa[j])
        self.real_bias = float(b[j])
        self.real_activation = float(self.activations[1][j])
        self.x_limit = self.axis_limit()

    def axis_limit(self) -> float:
        need = max(abs(self.weighted_sum), abs(self.real_bias), abs(self.demo_bias)) + 2.0
        return float(5 * math.ceil(need / 5))

    def activation_now(self) -> float:
        return float(sigmoid(self.weighted_sum + self.bias.get_value()))

    # -------------------------------------------------------------------- beats
    def show_formula(self):
        sign, size = ("-" if self.demo_bias < 0 else "+"), f"{abs(self.demo_bias):g}"
        self.formula = MathTex(r"\sigma", "(", r"w_1 a_1 + w_2 a_2 + \cdots + w_n a_n", sign,
                               size, ")", font_size=52)
        self.formula[0].set_color(SIGMA_COLOR)
        self.formula[3:5].set_color(style.BIAS_COLOR)
        self.formula.to_edge(UP, buff=0.35)
        self.bias_brace_label = Tex("bias", font_size=style.LABEL_FONT_SIZE, color=style.BIAS_COLOR)
        self.bias_brace_label.next_to(self.formula[3:5], DOWN, buff=0.15)
        self.play(Write(self.formula))
        self.play(FadeIn(self.bias_brace_label, shift=0.1 * UP))
        self.wait(style.PAUSE)

    def shift_curve(self):
        L = self.x_limit
        step = 5 if L <= 20 else 10
        self.axes = Axes(x_range=[-L, L, step], y_range=[0, 1, 0.5], x_length=self.axes_width,
                         y_length=self.axes_height, tips=False)
        self.axes.to_edge(LEFT, buff=0.6).set_y(0.1)
        ticks = [v for v in np.arange(-L, L + 1, step) if v != 0]
        self.axes.x_axis.add_numbers(ticks, font_size=22, num_decimal_places=0)
        self.axes.y_axis.add_numbers([0.5, 1], font_size=22, num_decimal_places=1)
        x_name = MathTex(r"w \cdot a", font_size=30).next_to(self.axes.x_axis, DOWN, buff=0.45)
        x_name.align_to(self.axes.x_axis, RIGHT)
        self.x_name = x_name

        ax = self.axes
        self.bias = ValueTracker(0.0)
        self.curve = always_redraw(lambda: ax.plot(
            lambda t: float(sigmoid(t + self.bias.get_value())), x_range=[-L, L],
            color=SIGMA_COLOR, stroke_width=4))
        self.threshold_marker = always_redraw(lambda: DashedLine(
            ax.c2p(-self.bias.get_value(), 0), ax.c2p(-self.bias.get_value(), 1.08),
            color=style.BIAS_COLOR, stroke_width=2.5, dash_length=0.08))
        self.threshold_label = always_redraw(lambda: MathTex(
            "-b", font_size=30, color=style.BIAS_COLOR).next_to(
            ax.c2p(-self.bias.get_value(), 1.08), UP, buff=0.08))

        self.b_number = DecimalNumber(0.0, num_decimal_places=2, include_sign=True, font_size=34,
                                      color=style.BIAS_COLOR)
        b_row = VGroup(MathTex("b", "=", font_size=34), self.b_number).arrange(RIGHT, buff=0.15)
        b_row[0][0].set_color(style.BIAS_COLOR)
        self.b_number.add_updater(lambda m: m.set_value(self.bias.get_value()))
        self.b_row = b_row

        self.play(FadeOut(self.bias_brace_label), Create(ax), FadeIn(x_name), run_time=1.2)
        self.play(Create(self.curve), FadeIn(self.threshold_marker), FadeIn(self.threshold_label))
        self.panel_anchor = np.array([ax.get_right()[0] + 0.5, ax.c2p(0, 1)[1], 0])
        b_row.move_to(self.panel_anchor, aligned_edge=UL)
        self.play(FadeIn(b_row))
        self.play(self.bias.animate.set_value(self.demo_bias), run_time=3.0)
        self.wait(style.PAUSE)

    def show_real_neuron(self):
        ax = self.axes
        wa = self.weighted_sum
        self.wa_number = DecimalNumber(wa, num_decimal_places=2, include_sign=True, font_size=34)
        wa_row = VGroup(MathTex(r"w \cdot a", "=", font_size=34), self.wa_number)
        wa_row.arrange(RIGHT, buff=0.15)
        self.act_number = DecimalNumber(self.activation_now(), num_decimal_places=3, font_size=34,
                                        color=SIGMA_COLOR)
        act_row = VGroup(MathTex(r"\sigma", r"(w \cdot a + b)", "=", font_size=34),
                         self.act_number).arrange(RIGHT, buff=0.15)
        act_row[0][0].set_color(SIGMA_COLOR)
        self.act_number.add_updater(lambda m: m.set_value(self.activation_now()))

        self.neuron_circle = Circle(radius=0.45, stroke_color=style.NEURON_STROKE_COLOR,
                                    stroke_width=3, fill_color=style.NEURON_FILL_COLOR,
                                    fill_opacity=self.activation_now())
        self.neuron_circle.add_updater(lambda m: m.set_fill(opacity=self.activation_now()))
        neuron_caption = Tex(f"neuron {self.neuron_index}, layer 1", font_size=style.CAPTION_FONT_SIZE,
                             color=style.DIM_TEXT_COLOR)

        panel = VGroup(wa_row, self.b_row.copy(), act_row).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        panel.move_to(self.panel_anchor, aligned_edge=UL)
        wa_row.shift((self.b_row.get_left()[0] - wa_row.get_left()[0]) * RIGHT)
        target_b = panel[1]
        self.wa_row, self.act_row = wa_row, act_row
        circle_group = VGroup(self.neuron_circle, neuron_caption)
        neuron_caption.next_to(self.neuron_circle, DOWN, buff=0.15)
        circle_group.next_to(act_row, DOWN, buff=0.5).align_to(act_row, LEFT).shift(0.6 * RIGHT)

        digit = self.small_digit(1.3)
        digit.next_to(circle_group, DOWN, buff=0.35).align_to(act_row, LEFT)
        keep_in_frame(digit)
        self.digit_group = digit

        self.point = always_redraw(lambda: Dot(ax.c2p(wa, self.activation_now()), radius=0.08,
                                               color=style.TEXT_COLOR))
        base = Dot(ax.c2p(wa, 0), radius=0.08, color=style.TEXT_COLOR)
        self.riser = always_redraw(lambda: DashedLine(ax.c2p(wa, 0), ax.c2p(wa, self.activation_now()),
                                                      stroke_width=1.5, color=style.DIM_TEXT_COLOR,
                                                      dash_length=0.05))
        self.base_dot = base

        self.play(FadeIn(digit))
        self.play(self.b_row.animate.move_to(target_b), FadeIn(wa_row))
        self.play(FadeIn(base, scale=0.5))
        self.play(TransformFromCopy(base, self.point), Create(self.riser))
        self.play(FadeIn(act_row), FadeIn(circle_group))
        self.wait(style.PAUSE)

    def bias_tex(self, b: float) -> tuple[str, str]:
        """The sign and size of ``b`` as written in the formula: ("-", "0.91")."""
        return ("-" if b < 0 else "+"), f"{abs(b):.2f}"

    def apply_real_bias(self):
        sign, size = self.bias_tex(self.real_bias)
        self.final_formula = MathTex(r"\sigma", "(", r"w_1 a_1 + w_2 a_2 + \cdots + w_n a_n", sign,
                                     size, ")", font_size=52)
        self.final_formula[0].set_color(SIGMA_COLOR)
        self.final_formula[3:5].set_color(style.BIAS_COLOR)
        self.final_formula.move_to(self.formula)
        self.play(self.bias.animate.set_value(self.real_bias),
                  ReplacementTransform(self.formula, self.final_formula), run_time=3.5)
        # Land exactly on the trained value (the tracker's path ends there).
        self.bias.set_value(self.real_bias)
        self.update_mobjects(0)
        box = SurroundingRectangle(self.act_row, color=SIGMA_COLOR, buff=0.1)
        self.play(Create(box))
        self.wait(2 * style.PAUSE)


# ======================================================================== SigmoidVersusReLU
class SigmoidVersusReLU(_RealNetworkScene):
    """The sigmoid and ReLU, then one test image through a real sigmoid network and a real
    ReLU network side by side, with their measured test accuracies.

    Exposes: ``sigmoid_axes``, ``sigmoid_curve``, ``relu_axes``, ``relu_curve``,
    ``sigmoid_formula``, ``relu_formula``; ``models`` (dict "sigmoid"/"relu" -> TrainedModel),
    ``outputs`` (name -> real output activations), ``predictions`` (name -> int),
    ``network_mobjects`` (name -> NetworkMobject), ``answer_digits`` (name -> MathTex),
    ``accuracy_numbers`` (name -> DecimalNumber, in percent), ``saturated`` (how many ReLU
    hidden activations exceed 1, the most a fill can show) and ``saturation_note``.
    """

    network_scale = 0.62

    def load_relu_model(self, data):
        from network import load_trained
        from network.train import PRESETS
        return load_trained(PRESETS["relu"], data=data)

    def load(self):
        super().load()
        self.relu_model = self.load_relu_model(self.data)
        self.models = {"sigmoid": self.model, "relu": self.relu_model}
        self.all_activations = {name: m.network.forward(self.x)[1] for name, m in self.models.items()}
        self.outputs = {name: acts[-1] for name, acts in self.all_activations.items()}
        self.predictions = {name: int(np.argmax(out)) for name, out in self.outputs.items()}

    def construct(self):
        self.load()

        self.beat("The sigmoid was the classic choice for squishing a weighted sum.", "sigmoid")
        self.show_sigmoid()

        self.beat("Many modern networks use something simpler: the rectified linear unit, "
                  "ReLU, max of 0 and a.", "relu")
        self.show_relu()

        self.beat(self.networks_narration(), "two networks")
        self.show_networks()

        self.beat(f"{self.words.image.capitalize()} {self.image_index} goes through each.",
                  "forward")
        self.run_both()

        s, r = self.predictions["sigmoid"], self.predictions["relu"]
        same = "both answer " + str(s) if s == r else f"the sigmoid network answers {s}, the ReLU one {r}"
        self.beat(f"The label is {self.true_label}: {same}.", "answers")
        self.show_answers()

        self.beat(self.accuracy_narration(), "accuracy")
        self.show_accuracies()

    def networks_narration(self) -> str:
        """What the two trained networks share, from their own sizes."""
        s, r = (tuple(self.models[k].network.sizes) for k in ("sigmoid", "relu"))
        if s == r:
            layers = f"the same {'-'.join(map(str, s))} layers"
        else:
            layers = f"{'-'.join(map(str, s))} and {'-'.join(map(str, r))} layers"
        return f"We trained both kinds: {layers}, one with sigmoid hidden neurons, one with ReLU."

    def accuracy_narration(self) -> str:
        s, r = (100 * self.models[k].test_accuracy for k in ("sigmoid", "relu"))
        n = self.models["sigmoid"].test_size
        return (f"Over all {n:,} {self.words.images}: {s:.1f}% right with sigmoid, "
                f"{r:.1f}% with ReLU.")

    # -------------------------------------------------------------------- curves
    def make_axes(self, x_range, y_range, y_ticks, decimals):
        ax = Axes(x_range=x_range, y_range=y_range, x_length=5.6, y_length=2.8, tips=False)
        ax.x_axis.add_numbers([x_range[0], x_range[1]], font_size=22, num_decimal_places=0)
        ax.y_axis.add_numbers(y_ticks, font_size=22, num_decimal_places=decimals)
        return ax

    def show_sigmoid(self):
        self.sigmoid_axes = self.make_axes([-10, 10, 2], [0, 1, 0.5], [1], 0)
        self.sigmoid_axes.move_to([-3.4, -0.6, 0])
        self.sigmoid_curve = self.sigmoid_axes.plot(lambda t: float(sigmoid(t)), x_range=[-10, 10],
                                                    color=SIGMA_COLOR, stroke_width=4)
        self.sigmoid_formula = sigmoid_formula("a", font_size=40)
        self.sigmoid_formula.next_to(self.sigmoid_axes, UP, buff=0.6)
        self.play(Write(self.sigmoid_formula), Create(self.sigmoid_axes))
        self.play(Create(self.sigmoid_curve), run_time=1.5)
        self.wait(style.PAUSE)

    def show_relu(self):
        self.relu_axes = self.make_axes([-4, 4, 1], [0, 4, 1], [2, 4], 0)
        self.relu_axes.move_to([3.4, -0.6, 0])
        # Two straight pieces meeting at the kink: exactly max(0, a), no smoothing.
        self.relu_curve = VGroup(
            *[Line(self.relu_axes.c2p(a0, float(relu(a0))), self.relu_axes.c2p(a1, float(relu(a1))),
                   color=RELU_COLOR, stroke_width=4) for a0, a1 in ((-4, 0), (0, 4))])
        self.relu_formula = relu_formula("a", font_size=40)
        self.relu_formula.next_to(self.relu_axes, UP, buff=0.6)
        self.relu_formula.align_to(self.sigmoid_formula, DOWN)
        self.play(Write(self.relu_formula), Create(self.relu_axes))
        self.play(Create(self.relu_curve), run_time=1.5)
        self.wait(style.PAUSE)

    # ------------------------------------------------------------------ networks
    def build_network(self, name: str, center_x: float) -> NetworkMobject:
        nm = NetworkMobject(self.models[name].network, example=self.x, layer_spacing=1.6)
        nm.scale(self.network_scale)
        nm.move_to([center_x, -0.1, 0])
        return nm

    def show_networks(self):
        self.network_mobjects = {"sigmoid": self.build_network("sigmoid", -4.1),
                                 "relu": self.build_network("relu", 3.9)}
        sig_head = sigmoid_formula("a", font_size=30)
        relu_head = relu_formula("a", font_size=30)
        for head, name in ((sig_head, "sigmoid"), (relu_head, "relu")):
            head.next_to(self.network_mobjects[name], UP, buff=0.3)
        relu_head.align_to(sig_head, DOWN)
        self.headers = {"sigmoid": sig_head, "relu": relu_head}

        digit = DigitImage(self.image, height=2.0).move_to([0.0, -0.1, 0])
        caption = Tex(f"{self.words.image} \\#{self.image_index}",
                      font_size=style.CAPTION_FONT_SIZE,
                      color=style.DIM_TEXT_COLOR).next_to(digit, DOWN, buff=0.15)
        self.digit = digit
        self.play(FadeOut(VGroup(self.sigmoid_axes, self.sigmoid_curve, self.relu_axes, self.relu_curve)),
                  ReplacementTransform(self.sigmoid_formula, sig_head),
                  ReplacementTransform(self.relu_formula, relu_head))
        self.play(*[FadeIn(nm) for nm in self.network_mobjects.values()], FadeIn(digit), FadeIn(caption))
        self.wait(style.PAUSE)

    def run_both(self):
        anims = [self.network_mobjects[name].forward_pass_animation(self.all_activations[name],
                                                                    run_time_per_layer=1.4)
                 for name in ("sigmoid", "relu")]
        self.play(*anims)
        # A circle's fill can show at most 1; ReLU activations are not capped. Say so.
        relu_acts = self.all_activations["relu"]
        self.saturated = sum(int(np.sum(a > 1.0)) for a in relu_acts[1:-1])
        self.saturation_note = None
        if self.saturated:
            self.saturation_note = Tex(f"{self.saturated} ReLU activations above 1 are drawn "
                                       "as full white", font_size=22, color=style.DIM_TEXT_COLOR)
            self.saturation_note.next_to(self.network_mobjects["relu"], DOWN, buff=0.95)
            keep_in_frame(self.saturation_note)
            self.play(FadeIn(self.saturation_note))
        self.wait(style.PAUSE)

    def show_answers(self):
        self.answer_digits = {}
        anims = []
        for name, nm in self.network_mobjects.items():
            box = nm.highlight_output(self.predictions[name])
            digit = MathTex(str(self.predictions[name]), font_size=60, color=style.HIGHLIGHT_COLOR)
            digit.next_to(nm.output_labels, RIGHT, buff=0.3)
            keep_in_frame(digit)
            self.answer_digits[name] = digit
            anims += [Create(box), TransformFromCopy(nm.output_label(self.predictions[name]), digit)]
        self.play(*anims)
        self.wait(style.PAUSE)

    def show_accuracies(self):
        self.accuracy_numbers = {}
        rows = []
        for name, nm in self.network_mobjects.items():
            acc = DecimalNumber(100 * self.models[name].test_accuracy, num_decimal_places=1,
                                unit=r"\%", font_size=36,
                                color=SIGMA_COLOR if name == "sigmoid" else RELU_COLOR)
            words = Tex(self.words.accuracy, font_size=30)
            row = VGroup(words, acc).arrange(RIGHT, buff=0.2)
            acc.align_to(words, DOWN)
            row.next_to(nm, DOWN, buff=0.3)
            keep_in_frame(row)
            self.accuracy_numbers[name] = acc
            rows.append(row)
        self.accuracy_rows = rows
        self.play(*[FadeIn(r, shift=0.15 * UP) for r in rows])
        self.wait(2 * style.PAUSE)
