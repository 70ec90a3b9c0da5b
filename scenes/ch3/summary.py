"""Chapter 3, the summary: backprop, averaging, repeating, each line with a small real picture.

* ``BackpropSummary``: three lines of text, each beside the visual that showed it:

  1. backprop: the story example's wishes for the output layer, −∂C/∂aᵢ from
     ``Network.backprop`` (−2(aᵢ − yᵢ) for the quadratic cost, −(aᵢ − yᵢ)/(aᵢ(1 − aᵢ)) for
     cross-entropy), as arrows on the ten output neurons (filled by their activations);
  2. averaging: the output biases' nudges −∂C/∂b of a few examples of the first minibatch of a
     seeded shuffle, and their average over the whole minibatch (backprop of the minibatch);
  3. repeating: a real minibatch SGD run continuing from the partly trained network over
     successive minibatches of that shuffle: the minibatch cost before each step (jagged)
     and the cost on the first test images after each step (smooth); the narration says
     how that cost moved, from the numbers (``cost_trend``).

The settings adapt to the data instead of refusing it (``adapt_settings``): the run takes at
most one pass over the training set (the bundled 8,000-image sample makes 80 minibatches of
100, not 200), and the scene says how much of the training set its steps used.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Circle,
    Create,
    DashedLine,
    FadeIn,
    GrowArrow,
    Group,
    LaggedStart,
    Line,
    MathTex,
    Rectangle,
    Tex,
    Transform,
    VGroup,
    VMobject,
)

from scenes import style
from scenes.ch3.steps import cost_trend, minibatch_run, shuffled_order
from scenes.ch3.story import Chapter3Scene
from scenes.layout import fit_between, vertical_arrow
from scenes.mobjects import DigitImage

ROW_Y = (2.45, 0.0, -2.45)      # centres of the three rows
TEXT_LEFT = -6.7
VISUAL_CENTER_X = 3.1
FRAME_RIGHT = 6.85               # the right edge anything drawn may reach
HELD_OUT_COLOR = style.PALETTE.highlight
BATCH_COST_COLOR = style.DIM_TEXT_COLOR


def nudge_arrow(center, value: float, scale: float, **kwargs) -> Arrow:
    """A vertical arrow centred on ``center``, ``scale * |value|`` long, pointing up for a
    positive ``value``; coloured by sign."""
    arrow = vertical_arrow(center, scale * value, stroke_width=4, tip_ratio=0.35, width_ratio=12,
                           **kwargs)
    arrow.value = float(value)
    return arrow


def bar_chart(values, scale: float, bar_width: float = 0.08, gap: float = 0.03) -> VGroup:
    """One bar per value standing on (or hanging from) a baseline: ``scale * value`` high,
    coloured by sign. ``chart.bars[i].value`` and ``chart.baseline`` are kept for tests."""
    values = np.asarray(values, dtype=float)
    width = len(values) * (bar_width + gap) - gap
    baseline = Line(LEFT * width / 2, RIGHT * width / 2, stroke_width=1.5,
                    color=style.DIM_TEXT_COLOR)
    bars = VGroup()
    for i, v in enumerate(values):
        h = max(abs(v) * scale, 1e-6)  # a zero-height rectangle has no direction
        bar = Rectangle(width=bar_width, height=h, stroke_width=0, fill_opacity=1,
                        fill_color=style.PALETTE.sign_color(v))
        x = -width / 2 + bar_width / 2 + i * (bar_width + gap)
        bar.move_to([x, np.sign(v) * h / 2, 0])
        bar.value = float(v)
        bars.add(bar)
    chart = VGroup(baseline, bars)
    chart.bars, chart.baseline, chart.scale_factor = bars, baseline, scale
    return chart


def bar_value(chart: VGroup, i: int) -> float:
    """Read bar ``i``'s value back from the drawing: signed height over the chart's scale."""
    bar, y0 = chart.bars[i], chart.baseline.get_center()[1]
    top, bottom = bar.get_top()[1], bar.get_bottom()[1]
    height = top - bottom
    sign = 1.0 if (top + bottom) / 2 >= y0 else -1.0
    return sign * height / chart.scale_factor


class BackpropSummary(Chapter3Scene):
    """Backprop, averaging over a minibatch, repeating: three lines, three real pictures.

    Exposes after ``construct``: ``lines`` (the three ``Tex`` lines); row 1: ``outputs`` (the
    story example's output activations), ``output_nudges`` (−∂C/∂a of the output layer from
    backprop), ``output_neurons`` (ten circles, fill opacity = activation) and
    ``output_arrows`` (``Arrow`` per neuron, ``arrow_scale * |nudge|`` long, up for +;
    ``arrow_scale`` is shrunk on the instance so the longest is at most ``max_arrow``, which
    only happens for cross-entropy's large nudges);
    row 2: ``shuffle`` (the seeded permutation of the training set), ``batch`` (its first
    ``batch_size`` indices), ``shown_examples`` (the indices drawn), ``example_nudges`` (their
    −∂C/∂b, output layer), ``average_nudge`` (the minibatch's), ``example_charts`` /
    ``average_chart`` (bar charts; read back with ``bar_value``), ``average_zoom`` (the
    average's magnification, shown as ×k); row 3: ``batch_costs`` (minibatch cost before
    each of ``sgd_steps`` steps), ``held_out_costs`` (cost on the first ``held_out`` test
    images before the first step and after each), ``cost_axes``, ``batch_curve`` and
    ``held_out_curve`` (polylines through them), ``accuracy_before`` / ``accuracy_after``
    (test accuracy, fraction), ``accuracy_tex``, ``steps_label`` (the run's size on screen)
    and ``trend`` (``cost_trend`` of ``held_out_costs``).

    ``sgd_steps``, ``batch_size``, ``shown_count`` and ``held_out`` are what is asked for;
    ``adapt_settings`` lowers them on the instance to what the data allows (``requested``
    keeps the asked values) and ``steps_phrase`` says what the run covered.
    """

    batch_size = 100
    shuffle_seed = 0
    shown_count = 3
    sgd_steps = 200
    held_out = 1000
    arrow_scale = 0.55      # scene units per unit of −∂C/∂a
    max_arrow = 1.1         # the longest output arrow (quadratic nudges are at most 2 anyway)
    bar_height = 0.6        # the tallest example bar, in scene units

    def construct(self):
        self.load_story()
        self.adapt_settings()
        self.beat(f"Backprop works out how one training example wants every weight and bias "
                  f"nudged: here training image {self.example_index}, a {self.example_label} "
                  f"{self.misread_phrase()}.", "backprop")
        self.show_backprop()

        self.beat(f"Average those wishes over a minibatch of {self.batch_size} shuffled images, "
                  f"and you have one stochastic gradient step.", "average")
        self.show_average()

        self.run_sgd()
        self.beat(f"Repeat, minibatch after minibatch, for {self.steps_phrase()}. The cost on "
                  f"{self.held_out:,} test images {self.trend}. The network goes from "
                  f"{100 * self.accuracy_before:.1f}% to {100 * self.accuracy_after:.1f}% right "
                  f"on the test set.", "repeat")
        self.show_repeat()

    # ------------------------------------------------------------------ settings
    def adapt_settings(self):
        """Fit the settings to the data, never refusing it: a minibatch holds at most half the
        training images, the run takes at least 2 steps and at most one pass over the
        training set, ``held_out`` is at most the test set."""
        n, n_test = len(self.data.train_x), len(self.data.test_x)
        if n < 2 or n_test < 1:
            raise ValueError(f"the summary needs at least 2 training images and 1 test image, "
                             f"the data has {n:,} and {n_test:,}")
        self.requested = {k: getattr(self, k) for k in ("batch_size", "sgd_steps", "shown_count", "held_out")}
        self.batch_size = int(min(max(1, self.batch_size), n // 2))
        self.minibatch_count = n // self.batch_size          # whole minibatches in one pass
        self.sgd_steps = int(min(max(2, self.sgd_steps), self.minibatch_count))
        self.shown_count = int(min(max(1, self.shown_count), self.batch_size, 5))
        self.held_out = int(min(max(1, self.held_out), n_test))

    def run_coverage(self) -> str:
        """How much of the training set the run's minibatches used, from the settings and the
        data: "one pass over the 8,000 training images", "20,000 of the 60,000 training
        images"."""
        n, used = len(self.data.train_x), self.sgd_steps * self.batch_size
        if self.sgd_steps == self.minibatch_count:
            return (f"one pass over the {n:,} training images" if used == n
                    else f"one pass, {used:,} of the {n:,} training images")
        return f"{used:,} of the {n:,} training images"

    def steps_phrase(self) -> str:
        """"80 steps (one pass over the 8,000 training images)", see ``run_coverage``."""
        return f"{self.sgd_steps:,} steps ({self.run_coverage()})"

    # ------------------------------------------------------------------ layout
    def line(self, index: int, head: str, *rest: str) -> VGroup:
        """Line ``index`` of the summary: a coloured ``head`` and the ``rest`` (one or more
        lines) below it."""
        number = MathTex(f"{index + 1}.", font_size=38, color=style.DIM_TEXT_COLOR)
        top = Tex(head, font_size=34, color=style.PALETTE.highlight)
        bottom = VGroup(*[Tex(r, font_size=30) for r in rest]).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        words = VGroup(top, bottom).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        group = VGroup(number, words).arrange(RIGHT, aligned_edge=UP, buff=0.25)
        group.move_to([0, ROW_Y[index], 0]).align_to([TEXT_LEFT, 0, 0], LEFT)
        return group

    # --------------------------------------------------------------------- beats
    def show_backprop(self):
        self.lines = [
            self.line(0, "backprop:", "how one example wants to nudge", "every weight and bias"),
            self.line(1, "average over a minibatch:", "a stochastic gradient step"),
            self.line(2, "repeat:", "converge towards a local minimum"),
        ]
        self.separators = VGroup(*[
            DashedLine([-6.8, y, 0], [6.8, y, 0], stroke_width=1, color=style.DIM_TEXT_COLOR,
                       stroke_opacity=0.4) for y in ((ROW_Y[0] + ROW_Y[1]) / 2, (ROW_Y[1] + ROW_Y[2]) / 2)])

        grad = self.network.backprop(self.example_x, np.array([self.example_label]))
        self.outputs = self.network.feedforward(self.example_x)
        self.output_nudges = -np.asarray(grad.activations[-1], dtype=float)
        largest = float(np.max(np.abs(self.output_nudges)))
        if largest * self.arrow_scale > self.max_arrow:
            self.arrow_scale = self.max_arrow / largest

        spacing, radius = 0.38, 0.12
        self.output_neurons = VGroup(*[
            Circle(radius=radius, stroke_color=style.NEURON_STROKE_COLOR, stroke_width=2,
                   fill_color=style.NEURON_FILL_COLOR, fill_opacity=float(np.clip(a, 0, 1)))
            for a in self.outputs]).arrange(RIGHT, buff=spacing - 2 * radius)
        self.output_neurons.move_to([VISUAL_CENTER_X + 0.75, ROW_Y[0] - 0.55, 0])
        labels = VGroup(*[MathTex(str(i), font_size=24).next_to(c, DOWN, buff=0.1)
                          for i, c in enumerate(self.output_neurons)])
        labels[self.example_label].set_color(style.PALETTE.desired)
        self.output_arrows = VGroup(*[
            nudge_arrow(c.get_center() + 0.95 * UP, v, self.arrow_scale)
            for c, v in zip(self.output_neurons, self.output_nudges)])
        digit = DigitImage(self.example_x, height=1.15)
        digit.next_to(self.output_neurons, LEFT, buff=0.75).set_y(ROW_Y[0] + 0.1)
        digit_caption = Tex(f"training image {self.example_index}", font_size=22,
                            color=style.DIM_TEXT_COLOR).next_to(digit, DOWN, buff=0.08)
        into = Arrow(digit.get_right(), self.output_neurons.get_left() + 0.1 * UP, buff=0.12,
                     stroke_width=3, color=style.DIM_TEXT_COLOR, max_tip_length_to_length_ratio=0.3)
        into.set_y(self.output_neurons.get_y()).set_x((digit.get_right()[0] + self.output_neurons.get_left()[0]) / 2)
        nudge_label = MathTex(r"-\frac{\partial C}{\partial a_i}", font_size=28).next_to(
            self.output_arrows, RIGHT, buff=0.15)
        nudge_label[0][2].set_color(style.COST_COLOR)
        self.digit = digit
        self.play(FadeIn(self.lines[0]), FadeIn(digit), FadeIn(digit_caption))
        self.play(GrowArrow(into), FadeIn(self.output_neurons), FadeIn(labels))
        self.play(LaggedStart(*[GrowArrow(a) for a in self.output_arrows], lag_ratio=0.1),
                  FadeIn(nudge_label), run_time=1.5)
        self.play(Create(self.separators[0]), run_time=0.5)

    def show_average(self):
        d = self.data
        self.shuffle = shuffled_order(len(d.train_x), self.shuffle_seed)
        self.batch = self.shuffle[:self.batch_size]
        self.shown_examples = [int(i) for i in self.batch[:self.shown_count]]
        x = np.asarray(d.train_x, dtype=float)
        labels = np.asarray(d.train_labels)
        self.example_nudges = [-self.network.backprop(x[i], labels[i:i + 1]).biases[-1]
                               for i in self.shown_examples]
        self.average_nudge = -self.network.backprop(x[self.batch], labels[self.batch]).biases[-1]

        biggest = max(float(np.abs(v).max()) for v in self.example_nudges)
        scale = self.bar_height / max(biggest, 1e-12)
        # the average is smaller (wishes partly cancel); magnify it by a whole factor, shown
        avg_big = float(np.abs(self.average_nudge).max())
        self.average_zoom = max(1, int(np.floor(biggest / max(avg_big, 1e-12))))
        self.example_charts = [bar_chart(v, scale) for v in self.example_nudges]
        self.average_chart = bar_chart(self.average_nudge, scale * self.average_zoom)

        # columns 1.35 apart: digit above, chart below; then ⋯, →, and the average
        image_y, base_y = ROW_Y[1] + 0.8, ROW_Y[1] - 0.2
        x0 = VISUAL_CENTER_X - 2.3
        columns = Group()
        for k, (i, chart) in enumerate(zip(self.shown_examples, self.example_charts)):
            image = DigitImage(x[i], height=0.62).move_to([x0 + 1.35 * k, image_y, 0])
            chart.shift([x0 + 1.35 * k, base_y, 0] - chart.baseline.get_center())
            columns.add(Group(image, chart))
        x_end = x0 + 1.35 * (self.shown_count - 1)
        dots = MathTex(r"\cdots", font_size=36).move_to([x_end + 0.95, base_y, 0])
        arrow = MathTex(r"\rightarrow", font_size=40).move_to([x_end + 1.6, base_y, 0])
        self.average_chart.shift([x_end + 2.55, base_y, 0] - self.average_chart.baseline.get_center())
        avg_title = Tex(f"average of {self.batch_size}", font_size=24).move_to(
            [self.average_chart.get_x(), image_y, 0])
        row = Group(*columns, dots, arrow, avg_title, self.average_chart)
        zoom = MathTex(rf"\times {self.average_zoom}", font_size=26, color=style.DIM_TEXT_COLOR)
        zoom.next_to(self.average_chart, RIGHT, buff=0.12)
        label = MathTex(r"-\frac{\partial C}{\partial b}", font_size=26, color=style.DIM_TEXT_COLOR)
        label.next_to(columns[0], LEFT, buff=0.25).set_y(self.example_charts[0].baseline.get_y())
        caption = Tex(f"output biases; minibatch {self.batch_size}, shuffle seed {self.shuffle_seed}",
                      font_size=22, color=style.DIM_TEXT_COLOR)
        caption.next_to(row, DOWN, buff=0.1)
        # The ×k label's width depends on the numbers: keep the row on the frame, clear of the text.
        fit_between(Group(row, zoom, label, caption), self.lines[1].get_right()[0] + 0.4,
                    FRAME_RIGHT)
        self.zoom_tex = zoom
        self.play(FadeIn(self.lines[1]))
        self.play(LaggedStart(*[FadeIn(c) for c in columns], lag_ratio=0.3), FadeIn(label), run_time=1.5)
        self.play(FadeIn(dots), FadeIn(arrow), FadeIn(avg_title), FadeIn(caption))
        copies = [c.bars.copy() for c in self.example_charts]
        self.play(*[Transform(c, self.average_chart.bars.copy()) for c in copies],
                  FadeIn(self.average_chart.baseline), FadeIn(zoom), run_time=1.5)
        self.remove(*copies)
        self.add(self.average_chart)
        self.play(Create(self.separators[1]), run_time=0.5)

    def run_sgd(self):
        """Continue training the partly trained network on successive minibatches of the
        shuffle: the minibatch cost before each step and the held-out cost after each."""
        d = self.data
        config = self.model.config
        test_x = np.asarray(d.test_x[:self.held_out], dtype=float)
        test_labels = d.test_labels[:self.held_out]
        self.batch_costs, self.held_out_costs, net = minibatch_run(
            self.network, d.train_x, d.train_labels, self.shuffle, config.eta, self.sgd_steps,
            test_x, test_labels, self.batch_size, l2=config.l2)
        self.trained_further = net
        self.trend = cost_trend(self.held_out_costs)
        self.accuracy_before = self.network.evaluate(d.test_x, d.test_labels) / len(d.test_x)
        self.accuracy_after = net.evaluate(d.test_x, d.test_labels) / len(d.test_x)

    def show_repeat(self):
        top = float(max(self.batch_costs.max(), self.held_out_costs.max()))
        y_max = np.ceil(top * 10) / 10
        self.cost_axes = Axes(x_range=[0, self.sgd_steps, self.sgd_steps], y_range=[0, y_max, y_max],
                              x_length=3.6, y_length=1.6, tips=False,
                              axis_config={"stroke_color": style.DIM_TEXT_COLOR, "include_ticks": False})
        self.cost_axes.move_to([VISUAL_CENTER_X - 1.7, ROW_Y[2] - 0.05, 0])
        ax = self.cost_axes
        self.batch_curve = VMobject(stroke_color=BATCH_COST_COLOR, stroke_width=1.5, stroke_opacity=0.7)
        self.batch_curve.set_points_as_corners([ax.c2p(k, c) for k, c in enumerate(self.batch_costs)])
        self.held_out_curve = VMobject(stroke_color=HELD_OUT_COLOR, stroke_width=3.5)
        self.held_out_curve.set_points_as_corners([ax.c2p(k, c) for k, c in enumerate(self.held_out_costs)])
        steps_label = VGroup(
            Tex(f"{self.sgd_steps:,} steps, minibatches of {self.batch_size:,}", font_size=22,
                color=style.DIM_TEXT_COLOR),
            Tex(self.run_coverage(), font_size=22, color=style.DIM_TEXT_COLOR),
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.06)
        steps_label.next_to(ax.x_axis, DOWN, buff=0.1).align_to(ax.x_axis, RIGHT)
        fit_between(steps_label, self.lines[2].get_right()[0] + 0.3, FRAME_RIGHT)
        self.steps_label = steps_label
        c_label = MathTex("C", font_size=28, color=style.COST_COLOR).next_to(ax.y_axis, UP, buff=0.08)
        legend = VGroup(
            Tex("minibatch cost", font_size=22, color=BATCH_COST_COLOR),
            Tex(f"cost on {self.held_out:,} test images", font_size=22, color=HELD_OUT_COLOR),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        legend.next_to(ax, RIGHT, buff=0.2).align_to(ax, UP)
        self.accuracy_tex = Tex(f"test accuracy {100 * self.accuracy_before:.1f}\\% "
                                f"$\\rightarrow$ {100 * self.accuracy_after:.1f}\\%",
                                font_size=24)
        self.accuracy_tex.next_to(legend, DOWN, buff=0.2, aligned_edge=LEFT)
        fit_between(VGroup(legend, self.accuracy_tex), ax.get_right()[0] + 0.2, FRAME_RIGHT)
        self.play(FadeIn(self.lines[2]), Create(ax), FadeIn(c_label), FadeIn(steps_label), FadeIn(legend))
        self.play(Create(self.batch_curve), Create(self.held_out_curve), run_time=3.0)
        self.play(FadeIn(self.accuracy_tex))
        self.wait(2 * style.PAUSE)
