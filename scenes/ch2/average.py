"""Chapter 2, from one example's cost to the cost function itself.

Two scenes, every number from the real networks and the real MNIST training set:

* ``AverageCost``: the costs of the first few training examples, for a freshly initialised
  network and for the trained one, then the average over the whole training set
  (``Network.cost``), as two bars.
* ``CostIsAFunction``: the network as a function (784 numbers in, 10 out, its weights and
  biases as parameters) beside the cost as a function (those weights and biases in, one number
  out, the training examples as parameters); real weights go in, the real average cost comes
  out, first for the trained network, then for the random one.

Counts (inputs, outputs, parameters, training examples) come from the network and the data,
so a network of other sizes (e.g. 784-32-10) gets its own.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Brace,
    Create,
    DecimalNumber,
    FadeIn,
    GrowFromEdge,
    Group,
    Indicate,
    LaggedStart,
    Line,
    MathTex,
    MoveToTarget,
    Rectangle,
    ReplacementTransform,
    RoundedRectangle,
    SurroundingRectangle,
    Tex,
    TransformFromCopy,
    VGroup,
    VMobject,
    Write,
)

from network import one_hot
from network.model import quadratic_costs
from scenes import style
from scenes.ch2.cost import _CostScene
from scenes.mobjects import DigitImage
from scenes.text import tex_int

KEYS = ("random", "trained")


# ============================================================================ helpers
def averages_over(networks: dict, x, labels) -> dict[str, float]:
    """Each network's average quadratic cost over all of ``x`` (the cost the scenes show,
    ``Network.cost`` for a network trained with it)."""
    return {key: float(np.mean(quadratic_costs(net.feedforward(x), one_hot(labels, net.sizes[-1]))))
            for key, net in networks.items()}


def ratio_words(ratio: float) -> str:
    """How the trained average compares with the random one, in words."""
    if ratio >= 1.5:
        return f"about {ratio:.0f} times smaller"
    if ratio > 1:
        return "a little smaller"
    return "no smaller at all"


def check_examples(n: int, available: int) -> int:
    n = int(n)
    if n < 1:
        raise ValueError(f"n_examples must be at least 1, got {n}")
    if available < 1:
        raise ValueError("the training set is empty: there is no cost to average")
    return min(n, available)


def shown_parameter_indices(network, n_head: int = 4) -> list[int]:
    """Positions in ``network.flat_parameters()`` worth showing: the weights from ``n_head``
    pixels in the middle of the image into the first hidden neuron (corner pixels are always
    blank, so their weights never leave their small starting values), then the last two
    parameters (the output layer's last biases)."""
    n, n_in = network.num_parameters, network.sizes[0]
    side = int(round(np.sqrt(n_in)))
    middle = n_in // 2 + side // 2 if side * side == n_in else n_in // 2
    head = [i for i in range(middle, middle + n_head) if i < n_in]
    return sorted({*head, *range(max(n - 2, 0), n)})


def bracket(height: float, side, width: float = 0.12, **kwargs) -> VMobject:
    """One square bracket of a column vector, ``height`` tall, opening towards ``-side``."""
    s = 1 if np.allclose(side, RIGHT) else -1
    h = height / 2
    corners = [[-s * width, h, 0], [0, h, 0], [0, -h, 0], [-s * width, -h, 0]]
    return VMobject(stroke_width=2, **kwargs).set_points_as_corners(corners)


def bracketed(column, buff: float = 0.1) -> VGroup:
    """``column`` between square brackets."""
    h = column.height + 0.2
    left = bracket(h, LEFT).next_to(column, LEFT, buff=buff)
    right = bracket(h, RIGHT).next_to(column, RIGHT, buff=buff)
    return VGroup(left, right)


# ========================================================================= AverageCost
class AverageCost(_CostScene):
    """Costs of the first training examples, then the average over the whole training set,
    for the random network and the trained one.

    After ``construct``: ``row_indices`` (training-set indices of the ``n_examples`` rows),
    ``row_costs[key]`` (DecimalNumbers, ``key`` in ``"random"``/``"trained"``) beside the exact
    ``example_costs[key]``; ``train_count``; ``averages[key]`` (``Network.cost`` over the whole
    training set), ``average_decimals[key]``; ``formula_tex`` (the MathTex string of the
    average, with the real count); ``bars[key]`` (Rectangles, height proportional to the
    average, standing on ``bar_base_y``), ``bar_decimals[key]``; ``ratio`` and ``ratio_tex``.
    """

    n_examples = 5
    places = 3
    row_top = 1.55
    row_pitch = 0.74
    col_image = -5.7
    col_random = -3.0
    col_trained = -0.9
    bar_base_y = -2.9
    bar_max_height = 4.0
    bar_x = (3.0, 5.4)

    def construct(self):
        self.load()
        self.note_cost_shown()
        d = self.data
        n = check_examples(self.n_examples, len(d.train_x))
        self.row_indices = list(range(n))
        nets = {"random": self.random_network, "trained": self.network}
        xs = np.asarray(d.train_x[:n], dtype=float)
        ys = one_hot(np.asarray(d.train_labels[:n]), self.sizes[-1])
        self.example_costs = {k: quadratic_costs(net.feedforward(xs), ys)
                              for k, net in nets.items()}
        self.train_count = int(len(d.train_x))
        self.averages = averages_over(nets, d.train_x, d.train_labels)
        self.ratio = self.averages["random"] / self.averages["trained"]

        self.beat("One example is not enough: the network should do well on every training "
                  "example, so look at the cost of each.", "examples")
        self.show_examples()

        self.beat(f"Average the cost over all {self.train_count:,} training examples: one "
                  "number for how bad the network is.", "average")
        self.show_average()

        self.beat(f"Random weights: {self.averages['random']:.2f} on average. Trained: "
                  f"{self.averages['trained']:.3f}, {ratio_words(self.ratio)}.", "compare")
        self.show_bars()

    # ------------------------------------------------------------------------ beats
    def row_y(self, r: int) -> float:
        return self.row_top - r * self.row_pitch

    def show_examples(self):
        d, fs = self.data, 30
        head_y = self.row_top + 0.75
        self.header = VGroup(
            Tex("training example", font_size=26, color=style.DIM_TEXT_COLOR)
            .move_to([self.col_image + 0.3, head_y, 0]),
            Tex("random", font_size=26, color=style.DIM_TEXT_COLOR)
            .move_to([self.col_random, head_y, 0]),
            Tex("trained", font_size=26, color=style.DIM_TEXT_COLOR)
            .move_to([self.col_trained, head_y, 0]),
        )
        self.formula_tex = (r"\text{average cost} = \frac{1}{" + tex_int(self.train_count)
                            + r"} \sum_{n=1}^{" + tex_int(self.train_count) + r"} C_n")
        self.formula = MathTex(self.formula_tex, font_size=34)
        self.formula.to_edge(UP, buff=0.25).set_x(3.0)
        self.cost_label = MathTex(r"C_n = \sum_i (a_i - y_i)^2", font_size=30)
        self.cost_label[0][0:2].set_color(style.COST_COLOR)
        self.cost_label.to_edge(UP, buff=0.35).set_x(self.col_random - 0.6)
        self.rows = Group()  # images (ImageMobjects) beside numbers: a Group, not a VGroup
        self.row_costs = {k: VGroup() for k in KEYS}
        for r, i in enumerate(self.row_indices):
            y = self.row_y(r)
            img = DigitImage(d.train_images[i], height=0.6).move_to([self.col_image, y, 0])
            label = MathTex(r"\to " + str(int(d.train_labels[i])), font_size=fs,
                            color=style.PALETTE.desired).next_to(img, RIGHT, buff=0.2)
            row = Group(img, label)
            for key, x in zip(KEYS, (self.col_random, self.col_trained)):
                dec = DecimalNumber(float(self.example_costs[key][r]),
                                    num_decimal_places=self.places, font_size=fs,
                                    color=style.COST_COLOR).move_to([x, y, 0])
                self.row_costs[key].add(dec)
                row.add(dec)
            self.rows.add(row)
        self.play(Write(self.cost_label), FadeIn(self.header))
        self.play(LaggedStart(*[FadeIn(row, shift=0.3 * UP) for row in self.rows],
                              lag_ratio=0.4, run_time=0.6 * len(self.rows) + 0.4))
        self.wait(style.PAUSE)

    def show_average(self):
        fs = 30
        last_y = self.row_y(len(self.row_indices) - 1)
        dots = VGroup(*[MathTex(r"\vdots", font_size=fs).move_to([x, last_y - 0.6, 0])
                        for x in (self.col_image, self.col_random, self.col_trained)])
        line_y = last_y - 1.1
        line = Line([self.col_image - 0.7, line_y, 0], [self.col_trained + 0.7, line_y, 0],
                    stroke_width=2, color=style.DIM_TEXT_COLOR)
        avg_y = line_y - 0.5
        self.average_label = Tex("average", font_size=30).move_to([self.col_image + 0.3, avg_y, 0])
        self.average_decimals = {}
        for key, x in zip(KEYS, (self.col_random, self.col_trained)):
            self.average_decimals[key] = DecimalNumber(
                self.averages[key], num_decimal_places=self.places, font_size=fs + 4,
                color=style.COST_COLOR).move_to([x, avg_y, 0])
        self.average_boxes = VGroup(*[
            SurroundingRectangle(self.average_decimals[k], color=style.COST_COLOR, buff=0.1)
            for k in KEYS])
        self.play(FadeIn(dots), Create(line), Write(self.formula))
        self.play(FadeIn(self.average_label),
                  *[TransformFromCopy(self.row_costs[k], self.average_decimals[k]) for k in KEYS],
                  run_time=2)
        self.play(Create(self.average_boxes))
        self.wait(style.PAUSE)

    def show_bars(self):
        top = max(self.averages.values())
        self.bars, self.bar_decimals = {}, {}
        parts = []
        for key, x in zip(KEYS, self.bar_x):
            h = self.bar_max_height * self.averages[key] / top
            bar = Rectangle(width=1.3, height=max(h, 1e-3), stroke_width=0,
                            fill_color=style.COST_COLOR, fill_opacity=0.85)
            bar.move_to([x, self.bar_base_y + h / 2, 0])
            dec = self.average_decimals[key].copy()
            dec.generate_target()
            dec.target.next_to(bar, UP, buff=0.15)
            name = Tex(f"{key} network", font_size=28, color=style.DIM_TEXT_COLOR)
            name.next_to([x, self.bar_base_y, 0], DOWN, buff=0.2)
            self.bars[key], self.bar_decimals[key] = bar, dec
            parts.append((bar, dec, name))
        axis = Line([self.bar_x[0] - 1.1, self.bar_base_y, 0],
                    [self.bar_x[1] + 1.1, self.bar_base_y, 0], stroke_width=2)
        self.ratio_tex = (f"\\approx {self.ratio:.0f}\\times\\text{{ smaller}}"
                          if self.ratio >= 1.5 else r"\text{" + ratio_words(self.ratio) + "}")
        self.ratio_mobject = MathTex(self.ratio_tex, font_size=32)
        self.ratio_mobject.move_to([self.bar_x[1], self.bar_base_y + 0.55 * self.bar_max_height, 0])
        self.play(Create(axis))
        for bar, dec, name in parts:
            self.add(dec)
            self.play(GrowFromEdge(bar, DOWN), MoveToTarget(dec), FadeIn(name), run_time=1.2)
        self.play(Write(self.ratio_mobject))
        self.wait(2 * style.PAUSE)


# ===================================================================== CostIsAFunction
class CostIsAFunction(_CostScene):
    """Two functions: the network (inputs in, outputs out, its weights and biases as
    parameters) and the cost (those weights and biases in, one number out, the training
    examples as parameters). Real weights go in, the real average cost comes out.

    After ``construct``: ``counts`` (``"inputs"``, ``"outputs"``, ``"parameters"``,
    ``"examples"``, from the network and the data); ``digit_image`` (the test image
    ``image_index``, a 3); ``texts`` (the MathTex strings shown, keys
    ``"network_in"``, ``"network_out"``, ``"network_params"``, ``"cost_in"``, ``"cost_out"``,
    ``"cost_data"``); ``outputs`` and ``output_decimals`` (the trained network's outputs on
    the test image ``image_index``); ``parameter_indices`` (positions in
    ``Network.flat_parameters()``); ``averages[key]`` (``Network.cost`` over the training set,
    ``key`` in ``"trained"``/``"random"``); ``shown[key]``: ``"parameters"`` (the values of
    the parameter DecimalNumbers) and ``"cost"`` (the value of the cost DecimalNumber) while
    that network's weights were going in. The trained state is shown first, then the random.
    ``parameter_decimals`` and ``cost_decimal`` are the mobjects at the end.
    """

    top_y = 2.1
    bottom_y = -1.35
    left_x = -5.5
    box_x = 0.0
    right_x = 5.0
    n_head = 4  # parameters shown from the start of the vector, then ⋮, then the last two

    def construct(self):
        self.load()
        self.note_cost_shown()
        net, d = self.network, self.data
        if len(d.train_x) < 1:
            raise ValueError("the training set is empty: the cost function has no data")
        self.counts = {"inputs": self.sizes[0], "outputs": self.sizes[-1],
                       "parameters": int(net.num_parameters), "examples": int(len(d.train_x))}
        self.outputs = net.feedforward(self.x)
        self.averages = averages_over({"trained": net, "random": self.random_network},
                                      d.train_x, d.train_labels)
        c = self.counts
        self.texts = {
            "network_in": tex_int(c["inputs"]) + r"\text{ numbers in}",
            "network_out": tex_int(c["outputs"]) + r"\text{ numbers out}",
            "network_params": r"\text{parameters: }" + tex_int(c["parameters"])
                              + r"\text{ weights and biases}",
            "cost_in": tex_int(c["parameters"]) + r"\text{ numbers in}",
            "cost_out": r"\text{1 number out}",
            "cost_data": r"\text{parameters: }" + tex_int(c["examples"])
                         + r"\text{ training examples}",
        }
        self.shown = {}

        self.beat(f"The network is a function: {c['inputs']} pixel values in, {c['outputs']} "
                  f"numbers out, shaped by its {c['parameters']:,} weights and biases.", "network")
        self.show_network_function()

        self.beat(f"The cost is a function too. Its input: those {c['parameters']:,} weights "
                  "and biases. Its output: one number.", "cost")
        self.show_cost_function()

        self.beat(f"Its parameters are the data: all {c['examples']:,} training examples, "
                  "fixed, baked into it.", "data")
        self.show_data()

        self.beat(f"Put in the trained weights and out comes {self.averages['trained']:.3f}, "
                  "the average cost.", "trained")
        self.show_value()

        start = ", the ones training started from," if self.random_is_start else ""
        self.beat(f"Put in random weights{start} instead: {self.averages['random']:.3f}. "
                  "Learning means finding inputs that make this output small.", "random")
        self.show_random()

    # -------------------------------------------------------------------- building
    @staticmethod
    def function_box(name: str, color, width=3.2, height=1.4) -> VGroup:
        box = RoundedRectangle(corner_radius=0.15, width=width, height=height, stroke_color=color,
                               stroke_width=3, fill_color=color, fill_opacity=0.12)
        label = Tex(name, font_size=38, color=color).move_to(box)
        return VGroup(box, label)

    def arrow(self, start, end) -> Arrow:
        return Arrow(start, end, buff=0.2, stroke_width=4, color=style.DIM_TEXT_COLOR,
                     max_tip_length_to_length_ratio=0.15)

    def parameter_column(self, network) -> tuple[VGroup, VGroup]:
        """A few of ``network``'s real parameters (``parameter_indices``) as a column with a
        ⋮ after the first ``n_head``: (the column, its DecimalNumbers)."""
        theta = network.flat_parameters()
        decimals = VGroup(*[
            DecimalNumber(float(theta[i]), num_decimal_places=2, font_size=24,
                          include_sign=True, color=style.PALETTE.sign_color(theta[i]))
            for i in self.parameter_indices])
        k = min(self.n_head, len(decimals))
        column = VGroup(*decimals[:k], MathTex(r"\vdots", font_size=24), *decimals[k:])
        column.arrange(DOWN, buff=0.1)
        for dec in decimals:
            dec.align_to(column, RIGHT)
        return column, decimals

    # ------------------------------------------------------------------------ beats
    def show_network_function(self):
        y = self.top_y
        self.network_box = self.function_box("Neural network", style.TEXT_COLOR)
        self.network_box.move_to([self.box_x, y, 0])
        self.digit_image = DigitImage(self.image, height=1.4).move_to([self.left_x, y, 0])
        arrow_in = self.arrow(self.digit_image.get_right(), self.network_box.get_left())
        self.output_decimals = VGroup(*[
            DecimalNumber(float(v), num_decimal_places=2, font_size=24) for v in self.outputs
        ]).arrange(DOWN, buff=0.05)
        if self.output_decimals.height > 2.9:  # a network with many outputs still fits
            self.output_decimals.scale_to_fit_height(2.9)
        self.output_decimals[int(np.argmax(self.outputs))].set_color(style.HIGHLIGHT_COLOR)
        self.output_decimals.move_to([self.right_x, y, 0])
        self.output_vector = VGroup(self.output_decimals, bracketed(self.output_decimals))
        arrow_out = self.arrow(self.network_box.get_right(), self.output_vector.get_left())
        in_label = MathTex(self.texts["network_in"], font_size=26)
        in_label.next_to(arrow_in, DOWN, buff=0.15)
        out_label = MathTex(self.texts["network_out"], font_size=26)
        out_label.next_to(arrow_out, DOWN, buff=0.15)
        params = MathTex(self.texts["network_params"], font_size=26, color=style.DIM_TEXT_COLOR)
        params.next_to(self.network_box, UP, buff=0.2)
        self.network_labels = {"in": in_label, "out": out_label, "params": params}
        self.play(FadeIn(self.network_box), FadeIn(self.digit_image))
        self.play(Create(arrow_in), Write(in_label))
        self.play(Create(arrow_out), FadeIn(self.output_vector), Write(out_label))
        self.play(Write(params))
        self.wait(style.PAUSE)

    def show_cost_function(self):
        y, n = self.bottom_y, self.counts["parameters"]
        self.parameter_indices = shown_parameter_indices(self.network, self.n_head)
        column, self.parameter_decimals = self.parameter_column(self.network)
        column.move_to([self.left_x + 0.3, y, 0])
        self.parameter_column_mobject = column
        self.parameter_brackets = bracketed(column)
        brace = Brace(VGroup(column, self.parameter_brackets), LEFT, buff=0.08)
        count = MathTex(tex_int(n), font_size=26).next_to(brace, LEFT, buff=0.08)
        self.parameter_brace = VGroup(brace, count)
        self.cost_box = self.function_box("Cost function", style.COST_COLOR)
        self.cost_box.move_to([self.box_x, y, 0])
        arrow_in = self.arrow(self.parameter_brackets.get_right(), self.cost_box.get_left())
        in_label = MathTex(self.texts["cost_in"], font_size=26).next_to(arrow_in, DOWN, buff=0.15)
        self.cost_out_arrow = self.arrow(self.cost_box.get_right(),
                                         [self.right_x - 0.6, y, 0])
        out_label = MathTex(self.texts["cost_out"], font_size=26)
        out_label.next_to(self.cost_out_arrow, DOWN, buff=0.15)
        self.cost_labels = {"in": in_label, "out": out_label}
        self.play(FadeIn(self.cost_box))
        # The weights and biases leave the network and become the cost's input.
        self.play(TransformFromCopy(self.network_labels["params"], column),
                  FadeIn(self.parameter_brackets), run_time=1.5)
        self.play(FadeIn(self.parameter_brace), Create(arrow_in), Write(in_label))
        self.play(Create(self.cost_out_arrow), Write(out_label))
        self.wait(style.PAUSE)

    def show_data(self):
        d = self.data
        k = min(8, len(d.train_x))
        thumbs = Group(*[DigitImage(d.train_images[i], height=0.5) for i in range(k)])
        thumbs.arrange(RIGHT, buff=0.08)
        dots = MathTex(r"\cdots", font_size=30).next_to(thumbs, RIGHT, buff=0.15)
        label = MathTex(self.texts["cost_data"], font_size=26, color=style.DIM_TEXT_COLOR)
        self.data_group = Group(Group(thumbs, dots), label).arrange(DOWN, buff=0.15)
        self.data_group.next_to(self.cost_box, DOWN, buff=0.3)
        self.play(LaggedStart(*[FadeIn(t, shift=0.2 * UP) for t in thumbs], lag_ratio=0.15),
                  FadeIn(dots))
        self.play(Write(label))
        self.wait(style.PAUSE)

    def record(self, key: str) -> None:
        self.shown[key] = {"parameters": [dec.get_value() for dec in self.parameter_decimals],
                           "cost": self.cost_decimal.get_value()}

    def show_value(self):
        self.cost_decimal = DecimalNumber(self.averages["trained"], num_decimal_places=3,
                                          font_size=44, color=style.COST_COLOR)
        self.cost_decimal.next_to(self.cost_out_arrow, RIGHT, buff=0.15)
        self.value_label = Tex("average cost", font_size=24, color=style.DIM_TEXT_COLOR)
        self.value_label.next_to(self.cost_decimal, UP, buff=0.15)
        self.who = Tex("trained weights", font_size=24, color=style.DIM_TEXT_COLOR)
        self.who.next_to(self.parameter_column_mobject, UP, buff=0.2)
        self.play(FadeIn(self.who), Indicate(self.parameter_decimals, color=style.HIGHLIGHT_COLOR))
        self.play(FadeIn(self.cost_decimal, shift=0.3 * RIGHT), FadeIn(self.value_label))
        self.cost_frame = SurroundingRectangle(self.cost_decimal, color=style.COST_COLOR, buff=0.1)
        self.play(Create(self.cost_frame))
        self.record("trained")
        self.wait(style.PAUSE)

    def show_random(self):
        column, decimals = self.parameter_column(self.random_network)
        column.move_to(self.parameter_column_mobject)
        who = Tex("random weights", font_size=24, color=style.DIM_TEXT_COLOR).move_to(self.who)
        cost = DecimalNumber(self.averages["random"], num_decimal_places=3, font_size=44,
                             color=style.COST_COLOR).move_to(self.cost_decimal, aligned_edge=LEFT)
        frame = SurroundingRectangle(cost, color=style.COST_COLOR, buff=0.1)
        self.play(ReplacementTransform(self.parameter_column_mobject, column),
                  ReplacementTransform(self.who, who), run_time=1.5)
        self.play(ReplacementTransform(self.cost_decimal, cost),
                  ReplacementTransform(self.cost_frame, frame))
        self.parameter_column_mobject, self.parameter_decimals = column, decimals
        self.who, self.cost_decimal, self.cost_frame = who, cost, frame
        self.record("random")
        self.play(Indicate(cost, color=style.COST_COLOR))
        self.wait(2 * style.PAUSE)
