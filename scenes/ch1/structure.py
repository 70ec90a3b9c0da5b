"""Chapter 1, the network's structure: its layers, the network as one function, its parameters.

Every size, index and count on screen is read from the real network (``network.sizes``,
``weights[l].shape``, ``biases[l].size``, ``num_parameters``), and every value from a real
forward pass of a real MNIST test image, so another ``NN_LAYERS`` (e.g. ``784,32,10``) gives
other pictures and other sums.

Scenes: ``LayersOfTheNetwork``, ``NetworkIsAFunction``, ``CountingParameters``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    DashedVMobject,
    DecimalNumber,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    Indicate,
    LaggedStart,
    MathTex,
    Restore,
    Square,
    SurroundingRectangle,
    Tex,
    TransformFromCopy,
    VGroup,
    Write,
)

from scenes import style
from scenes.base import NetworkScene
from scenes.mobjects import DigitImage, NetworkMobject, NeuronLayer, first_and_last
from scenes.own_digit import own_digit_beat, test_digit
from scenes.text import NUMBER_WORDS, ORDINALS, held_out_words, tex_int


# ---------------------------------------------------------------------------- helpers
def layer_name(sizes, layer: int) -> str:
    """``input layer``, ``first hidden layer``, ..., ``output layer``."""
    if layer == 0:
        return "input layer"
    if layer == len(sizes) - 1:
        return "output layer"
    if len(sizes) == 3:
        return "hidden layer"
    which = ORDINALS[layer - 1] if layer - 1 < len(ORDINALS) else f"hidden layer {layer}"
    return f"{which} hidden layer" if layer - 1 < len(ORDINALS) else which


def count_word(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def place_network(network, *, left: float, right: float, max_height: float, center_y: float,
                  **kwargs) -> NetworkMobject:
    """A ``NetworkMobject`` whose input column sits at x = ``left`` and output column at
    x = ``right`` (before any shrinking to ``max_height``), neurons centred on ``center_y``."""
    L = len(network.sizes)
    spacing = (right - left) / max(L - 1, 1)
    # The tallest column sets the height; shrunk to fit, the columns would move closer
    # together, so space them wider first.
    radius = kwargs.get("neuron_radius", style.NEURON_RADIUS)
    buff = kwargs.get("neuron_buff", style.NEURON_BUFF)
    shown = kwargs.get("max_shown", style.MAX_SHOWN_NEURONS)
    height = max(NeuronLayer(n, first_and_last(n, shown), radius=radius, buff=buff,
                             brace=False).height for n in network.sizes)
    shrink = min(1.0, max_height / height)
    nm = NetworkMobject(network, layer_spacing=spacing / shrink, **kwargs)
    if nm.height > max_height:
        nm.scale_to_fit_height(max_height)
    first, last = nm.layers[0].neurons, nm.layers[-1].neurons
    mid_x = (first.get_center()[0] + last.get_center()[0]) / 2
    nm.shift(((left + right) / 2 - mid_x) * RIGHT + (center_y - first.get_center()[1]) * UP)
    return nm


class _RealModelScene(NetworkScene):
    """Loads the real data and trained network; tests override ``load_data``/``load_model``."""

    def load(self):
        self.load_network()


# ======================================================================= LayersOfTheNetwork
class LayersOfTheNetwork(_RealModelScene):
    """The network built up from its real sizes: input layer, output layer, the hidden
    layers between them (the open question), then the edges, behind the neurons.

    After ``construct``: ``network_mobject``, ``layer_labels`` (Tex per group: input, hidden
    (absent without hidden layers), output; ``layer_label_texts`` their words),
    ``hidden_box`` (dashed rectangle) and ``question`` (Tex), ``sizes``, ``narrations``.
    """

    network_left = -4.2
    network_right = 4.2
    network_max_height = 5.3
    content_y = 0.1

    def construct(self):
        self.load()
        n_in, n_out, hidden = self.sizes[0], self.sizes[-1], self.sizes[1:-1]

        self.beat(f"The network is built in layers. First come {n_in} input neurons, "
                  "one for each pixel.", "input")
        self.show_input_layer()

        self.beat(f"Last come {n_out} output neurons, one for each digit from 0 to {n_out - 1}.",
                  "output")
        self.show_output_layer()

        self.beat(self.hidden_narration(hidden), "hidden")
        self.show_hidden_layers()

        self.beat("Each neuron is wired to every neuron of the next layer.", "edges")
        self.show_edges()

    # ----------------------------------------------------------------- narration
    @staticmethod
    def hidden_narration(hidden) -> str:
        if not hidden:
            return "Nothing sits in between: the inputs feed the outputs directly."
        if len(set(hidden)) == 1:
            what = (f"one hidden layer of {hidden[0]} neurons" if len(hidden) == 1 else
                    f"{count_word(len(hidden))} hidden layers of {hidden[0]} neurons each")
        else:
            what = "hidden layers of " + ", ".join(str(h) for h in hidden) + " neurons"
        return f"In between, {what}. What they do is the open question."

    # --------------------------------------------------------------------- build
    def build(self):
        nm = place_network(self.network, left=self.network_left, right=self.network_right,
                           max_height=self.network_max_height, center_y=self.content_y)
        self.network_mobject = nm
        L = len(self.sizes)
        hidden_layers = VGroup(*nm.layers[1:L - 1])
        self.hidden_box = self.question = None
        bottom = nm.layers.get_bottom()[1]
        if len(hidden_layers):
            rect = SurroundingRectangle(hidden_layers, buff=0.22, corner_radius=0.1)
            self.hidden_box = DashedVMobject(rect, num_dashes=60).set_stroke(
                style.HIGHLIGHT_COLOR, width=2.5)
            self.question = Tex("what do these do?", font_size=style.LABEL_FONT_SIZE,
                                color=style.HIGHLIGHT_COLOR)
            self.question.next_to(rect, UP, buff=0.15)
            bottom = min(bottom, rect.get_bottom()[1])

        texts = ["input layer"]
        groups = [VGroup(nm.layers[0].neurons)]
        if len(hidden_layers):
            texts.append("hidden layer" if len(hidden_layers) == 1 else "hidden layers")
            groups.append(VGroup(*[layer.neurons for layer in hidden_layers]))
        texts.append("output layer")
        groups.append(VGroup(nm.layers[-1].neurons))
        self.layer_label_texts = texts
        self.layer_labels = VGroup()
        for text, group in zip(texts, groups):
            label = Tex(text, font_size=style.LABEL_FONT_SIZE, color=style.DIM_TEXT_COLOR)
            label.move_to([group.get_center()[0], 0, 0])
            label.set_y(bottom - 0.2 - label.height / 2)
            self.layer_labels.add(label)

    # --------------------------------------------------------------------- beats
    def show_layer(self, layer, run_time=1.5):
        anims = [LaggedStart(*[GrowFromCenter(c) for c in layer.neurons], lag_ratio=0.06,
                             run_time=run_time)]
        if layer.dots is not None:
            anims.append(FadeIn(layer.dots))
        if layer.brace is not None:
            anims.append(FadeIn(layer.brace, shift=0.1 * RIGHT))
            anims.append(Write(layer.brace_label))
        return anims

    def show_input_layer(self):
        self.build()
        nm = self.network_mobject
        self.play(*self.show_layer(nm.layers[0]))
        self.play(Write(self.layer_labels[0]))
        self.wait(style.PAUSE)

    def show_output_layer(self):
        nm = self.network_mobject
        self.play(*self.show_layer(nm.layers[-1], run_time=1.0))
        self.play(LaggedStart(*[FadeIn(l, shift=0.1 * LEFT) for l in nm.output_labels],
                              lag_ratio=0.08), Write(self.layer_labels[-1]))
        self.wait(style.PAUSE)

    def show_hidden_layers(self):
        nm = self.network_mobject
        hidden = nm.layers[1:len(self.sizes) - 1]
        if not len(hidden):
            return
        self.play(LaggedStart(*[a for layer in hidden for a in self.show_layer(layer, 1.0)],
                              lag_ratio=0.3))
        self.play(Write(self.layer_labels[1]))
        self.play(Create(self.hidden_box), FadeIn(self.question, shift=0.2 * DOWN))
        self.wait(style.PAUSE)

    def show_edges(self):
        edges = self.network_mobject.edge_groups
        self.add(edges)
        self.bring_to_back(edges)  # behind the neurons
        self.play(LaggedStart(*[Create(g, lag_ratio=0.002) for g in edges], lag_ratio=0.5,
                              run_time=3.0))
        self.wait(2 * style.PAUSE)


# ======================================================================= NetworkIsAFunction
class NetworkIsAFunction(_RealModelScene):
    """The whole network as one function f(a_0, ..., a_{n-1}) = (y_0, ..., y_{m-1}).

    A real test image (``image_index``; the viewer's own with ``NN_DIGIT``) goes in as a
    column of its real pixel values (a few of them: the first, some through the middle of the
    ink, the last); the real output
    vector comes out, every value a ``DecimalNumber``, the largest highlighted; the network,
    drawn small, is the box in between, with its real parameter count.

    After ``construct``: ``formula`` (MathTex), ``parameter_label`` (MathTex), ``network_mobject``,
    ``digit``, ``input_indices`` and ``input_values`` (DecimalNumbers, one per shown index),
    ``input_labels`` (MathTex ``a_i``), ``output_values`` (DecimalNumbers, all outputs),
    ``output_labels`` (MathTex ``y_k``), ``answer_box``, and the numbers ``x``, ``activations``,
    ``outputs``, ``prediction``.
    """

    own_digit = "any"

    image_index = 0

    formula_y = 3.35
    column_y = -0.15
    row_height = 0.48
    digit_x = -5.95
    input_eq_x = -3.55
    network_left = -0.85
    network_right = 1.55
    network_max_height = 3.6
    output_eq_x = 4.3
    number_font_size = 30

    def construct(self):
        self.load()
        n_in, n_out = self.sizes[0], self.sizes[-1]

        if self.shown.own:
            own_digit_beat(self, self.shown)
        self.beat("Step back, and the whole network is just one function.", "function")
        self.show_function()

        self.beat(f"In go {n_in} numbers: the pixel brightnesses of {self.shown.name}.",
                  "inputs")
        self.show_inputs()

        self.beat(f"Out come {n_out} numbers, one for each digit.", "outputs")
        self.show_outputs()

        top = float(self.outputs[self.prediction])
        self.beat(f"The largest, y{self.prediction} = {top:.2f}, is the network's answer: "
                  f"{self.prediction}.", "answer")
        self.show_answer()

        self.beat(f"And the function is set by {self.network.num_parameters:,} numbers: "
                  "its weights and biases.", "parameters")
        self.show_parameters()

    def load(self):
        super().load()
        self.words = held_out_words(self.data)
        self.shown = test_digit(self, self.image_index, self.words.image)
        self.x = self.shown.x
        self.image = self.shown.pixels
        _, self.activations = self.network.forward(self.x)
        self.outputs = np.asarray(self.activations[-1], dtype=float)
        self.prediction = int(np.argmax(self.outputs))
        self.input_indices = self.choose_shown_inputs(self.x)

    # ---------------------------------------------------------------- which inputs
    @staticmethod
    def choose_shown_inputs(x, n_middle: int = 3) -> list[list[int]]:
        """Runs of input indices to list, separated on screen by ⋮: the first two, ``n_middle``
        consecutive pixels through the ink (from the first inked pixel of the ink's middle
        row), and the last one. Without a square image with ink, the middle of the input."""
        x = np.asarray(x, dtype=float).ravel()
        n = x.size
        if n <= 2 + n_middle + 1 + 2:
            return [list(range(n))]
        side = int(round(np.sqrt(n)))
        start = (n - n_middle) // 2
        if side * side == n and np.any(x > 0):
            image = x.reshape(side, side)
            rows = np.flatnonzero(image.max(axis=1) > 0)
            row = int(rows[len(rows) // 2])
            col = int(np.flatnonzero(image[row] > 0)[0])
            start = row * side + min(col, side - n_middle)
        start = int(np.clip(start, 3, n - n_middle - 2))
        return [[0, 1], list(range(start, start + n_middle)), [n - 1]]

    # --------------------------------------------------------------------- build
    def value_row(self, symbol: str, index: int, value: float, eq_x: float, y: float):
        eq = MathTex("=", font_size=self.number_font_size).move_to([eq_x, y, 0])
        label = MathTex(f"{symbol}_{{{index}}}", font_size=self.number_font_size)
        label.next_to(eq, LEFT, buff=0.15)
        number = DecimalNumber(float(value), num_decimal_places=2,
                               font_size=self.number_font_size)
        number.next_to(eq, RIGHT, buff=0.15)
        return label, eq, number

    def build_inputs(self):
        runs = self.input_indices
        n_rows = sum(len(r) for r in runs) + (len(runs) - 1)
        top_y = self.column_y + (n_rows - 1) * self.row_height / 2
        self.input_labels, self.input_values = VGroup(), VGroup()
        self.input_eqs, self.input_dots = VGroup(), VGroup()
        self.shown_input_indices = []
        row = 0
        for k, run in enumerate(runs):
            if k:
                dots = MathTex(r"\vdots", font_size=self.number_font_size)
                dots.move_to([self.input_eq_x, top_y - row * self.row_height, 0])
                self.input_dots.add(dots)
                row += 1
            for i in run:
                label, eq, number = self.value_row("a", i, self.x[i], self.input_eq_x,
                                                   top_y - row * self.row_height)
                self.input_labels.add(label)
                self.input_eqs.add(eq)
                self.input_values.add(number)
                self.shown_input_indices.append(i)
                row += 1
        self.input_column = VGroup(self.input_labels, self.input_eqs, self.input_values,
                                   self.input_dots)

    def build_outputs(self):
        n = self.sizes[-1]
        top_y = self.column_y + (n - 1) * self.row_height / 2
        self.output_labels, self.output_values, self.output_eqs = VGroup(), VGroup(), VGroup()
        for k in range(n):
            label, eq, number = self.value_row("y", k, self.outputs[k], self.output_eq_x,
                                               top_y - k * self.row_height)
            self.output_labels.add(label)
            self.output_eqs.add(eq)
            self.output_values.add(number)
        self.output_column = VGroup(self.output_labels, self.output_eqs, self.output_values)
        if self.output_column.height > 6.2:  # many outputs: keep them on screen
            self.output_column.scale_to_fit_height(6.2).set_y(self.column_y)

    # --------------------------------------------------------------------- beats
    def show_function(self):
        n_in, n_out = self.sizes[0], self.sizes[-1]
        self.formula_tex = (f"f(a_{{0}}, \\dots, a_{{{n_in - 1}}}) = "
                            f"(y_{{0}}, \\dots, y_{{{n_out - 1}}})")
        self.formula = MathTex(self.formula_tex, font_size=44).set_y(self.formula_y)

        nm = place_network(self.network, example=self.x, left=self.network_left,
                           right=self.network_right, max_height=self.network_max_height,
                           center_y=self.column_y, neuron_radius=0.13, neuron_buff=0.07)
        self.network_mobject = nm
        self.box = SurroundingRectangle(nm, buff=0.2, corner_radius=0.12,
                                        color=style.DIM_TEXT_COLOR, stroke_width=2.5)
        self.box_label = MathTex("f", font_size=48).next_to(self.box, UP, buff=0.15)

        self.play(Write(self.formula))
        self.wait(0.5)
        self.play(FadeIn(nm.edge_groups), FadeIn(nm.layers), FadeIn(nm.output_labels),
                  Create(self.box), run_time=1.5)
        self.play(TransformFromCopy(self.formula[0][0], self.box_label))
        self.wait(style.PAUSE)

    def show_inputs(self):
        self.build_inputs()
        self.digit = DigitImage(self.image, height=1.9).move_to([self.digit_x, self.column_y, 0])
        self.digit_caption = Tex(self.shown.tex_name, font_size=style.CAPTION_FONT_SIZE,
                                 color=style.DIM_TEXT_COLOR)
        self.digit_caption.next_to(self.digit, DOWN, buff=0.2)
        self.play(FadeIn(self.digit), FadeIn(self.digit_caption))
        squares = [self.digit.pixel_square(i) for i in self.shown_input_indices]
        outlines = VGroup(*[
            Square(side_length=self.digit.pixel_size, stroke_color=style.HIGHLIGHT_COLOR,
                   stroke_width=2.0, fill_opacity=0).move_to(self.digit.pixel_center(i))
            for i in self.shown_input_indices
        ])
        self.play(Create(outlines, lag_ratio=0.1), run_time=0.8)
        self.play(
            LaggedStart(*[TransformFromCopy(sq, num)
                          for sq, num in zip(squares, self.input_values)], lag_ratio=0.12),
            LaggedStart(*[Write(VGroup(lab, eq))
                          for lab, eq in zip(self.input_labels, self.input_eqs)], lag_ratio=0.12),
            FadeIn(self.input_dots),
            run_time=2.5,
        )
        self.in_arrow = Arrow(self.input_column.get_right() + 0.1 * RIGHT,
                              self.box.get_left() + 0.05 * LEFT, buff=0.05,
                              color=style.DIM_TEXT_COLOR, stroke_width=3,
                              max_tip_length_to_length_ratio=0.35)
        nm = self.network_mobject
        self.play(Create(self.in_arrow), FadeOut(outlines))
        self.play(nm.layer_animation(0, self.x, run_time=1.0))
        self.wait(style.PAUSE)

    def show_outputs(self):
        nm = self.network_mobject
        self.play(nm.forward_pass_animation(self.activations, run_time_per_layer=1.0,
                                            include_input=False))
        self.build_outputs()
        self.out_arrow = Arrow(self.box.get_right() + 0.05 * RIGHT,
                               self.output_column.get_left() + 0.1 * LEFT, buff=0.05,
                               color=style.DIM_TEXT_COLOR, stroke_width=3,
                               max_tip_length_to_length_ratio=0.35)
        self.play(Create(self.out_arrow))
        neurons = nm.layers[-1].neurons
        sources = [nm.neuron(len(self.sizes) - 1, k) if k in nm.drawn_indices(len(self.sizes) - 1)
                   else neurons[-1] for k in range(self.sizes[-1])]
        self.play(
            LaggedStart(*[TransformFromCopy(src, num)
                          for src, num in zip(sources, self.output_values)], lag_ratio=0.08),
            LaggedStart(*[Write(VGroup(lab, eq))
                          for lab, eq in zip(self.output_labels, self.output_eqs)], lag_ratio=0.08),
            run_time=2.2,
        )
        self.wait(style.PAUSE)

    def show_answer(self):
        k = self.prediction
        row = VGroup(self.output_labels[k], self.output_eqs[k], self.output_values[k])
        self.answer_box = SurroundingRectangle(row, buff=0.08, color=style.HIGHLIGHT_COLOR)
        nm = self.network_mobject
        net_box = nm.highlight_output(k, buff=0.05)
        self.play(Create(self.answer_box), Create(net_box),
                  row.animate.set_color(style.HIGHLIGHT_COLOR),
                  nm.output_label(k).animate.set_color(style.HIGHLIGHT_COLOR))
        self.wait(style.PAUSE)

    def show_parameters(self):
        n = self.network.num_parameters
        self.parameter_tex = f"{tex_int(n)}" + r"\text{ parameters}"
        self.parameter_label = MathTex(self.parameter_tex, font_size=36)
        self.parameter_label.next_to(self.box, DOWN, buff=0.3)
        nm = self.network_mobject
        self.play(Write(self.parameter_label))
        self.play(LaggedStart(*[Indicate(g, color=style.HIGHLIGHT_COLOR, scale_factor=1.0)
                                for g in nm.edge_groups], lag_ratio=0.3, run_time=2.0))
        self.wait(2 * style.PAUSE)


# ======================================================================= CountingParameters
class CountingParameters(_RealModelScene):
    """Count the network's parameters from its real shapes.

    One weight term ``n_in × n_out`` per pair of layers, from ``weights[l].shape`` (written
    under that pair's edges while they light up), their sum; one bias term per non-input
    layer, from ``biases[l].size`` (under that layer), their sum; then the total, computed,
    never typed, and equal to ``network.num_parameters``.

    After ``construct``: ``terms`` (MathTex per weight matrix) with ``term_shapes`` (n_in,
    n_out) and ``term_values``; ``weights_sum`` (MathTex ``= 12{,}960``) and
    ``weight_count``; ``bias_terms`` with ``bias_values``; ``bias_sum`` and ``bias_count``;
    ``total`` (MathTex of the last line) and ``total_value``; ``network_mobject``;
    ``lit_edge_groups`` / ``lit_edge_colors`` (which edge group lit up with each term, and the
    stroke colours it had then).
    """

    network_left = -3.6
    network_right = 3.6
    network_max_height = 3.5
    network_y = 1.75
    weights_y = -0.95
    biases_y = -1.95
    total_y = -3.2
    term_font_size = 36

    def construct(self):
        self.load()
        self.compute()

        self.beat("How many numbers does it take to pin this network down? Let's count.",
                  "network")
        self.show_network()

        for l in range(len(self.term_shapes)):
            n_in, n_out = self.term_shapes[l]
            self.beat(f"{n_in} × {n_out} = {n_in * n_out:,} weights join the "
                      f"{layer_name(self.sizes, l)} to the {layer_name(self.sizes, l + 1)}, "
                      "one for each connection.", f"weights {l}")
            self.show_weight_term(l)

        self.beat(f"That makes {self.weight_count:,} weights.", "weights")
        self.show_weight_sum()

        self.beat("Each neuron after the input also has its own bias: "
                  + " + ".join(str(b) for b in self.bias_values)
                  + f" = {self.bias_count} biases.", "biases")
        self.show_biases()

        self.beat(f"In all, {self.total_value:,} parameters: the knobs that training turns.",
                  "total")
        self.show_total()

    # ---------------------------------------------------------------- the counts
    def compute(self):
        """Every number of the scene, from the parameter arrays' shapes."""
        net = self.network
        self.term_shapes = [(int(w.shape[1]), int(w.shape[0])) for w in net.weights]
        self.term_values = [n_in * n_out for n_in, n_out in self.term_shapes]
        self.bias_values = [int(np.asarray(b).size) for b in net.biases]
        self.weight_count = sum(self.term_values)
        self.bias_count = sum(self.bias_values)
        self.total_value = self.weight_count + self.bias_count

    # --------------------------------------------------------------------- beats
    def show_network(self):
        nm = place_network(self.network, left=self.network_left, right=self.network_right,
                           max_height=self.network_max_height, center_y=self.network_y)
        self.network_mobject = nm
        self.lit_edge_groups, self.lit_edge_colors = [], []  # read back by tests
        for g in nm.edge_groups:  # dimmed, so the counted group can light up
            for e in g:
                e.set_stroke(opacity=0.25 + 0.5 * e.strength)
        self.play(FadeIn(nm.layers), FadeIn(nm.output_labels), run_time=1.2)
        self.add(nm.edge_groups)
        self.bring_to_back(nm.edge_groups)
        self.play(Create(nm.edge_groups, lag_ratio=0.001), run_time=1.5)

        self.weights_row_label = Tex("weights", font_size=style.LABEL_FONT_SIZE)
        self.biases_row_label = Tex("biases", font_size=style.LABEL_FONT_SIZE,
                                    color=style.BIAS_COLOR)
        self.build_terms()
        label_right = min(self.terms[0].get_left()[0], self.bias_terms[0].get_left()[0]) - 0.7
        for label, y in ((self.weights_row_label, self.weights_y),
                         (self.biases_row_label, self.biases_y)):
            label.move_to([label_right - label.width / 2, y, 0])
        self.wait(0.5)

    def build_terms(self):
        nm = self.network_mobject
        xs = [layer.neurons.get_center()[0] for layer in nm.layers]
        fs = self.term_font_size
        self.terms, self.plus_signs = VGroup(), VGroup()
        for l, (n_in, n_out) in enumerate(self.term_shapes):
            term = MathTex(f"{n_in} \\times {n_out}", font_size=fs)
            term.move_to([(xs[l] + xs[l + 1]) / 2, self.weights_y, 0])
            self.terms.add(term)
            if l:
                self.plus_signs.add(MathTex("+", font_size=fs).move_to([xs[l], self.weights_y, 0]))
        # Many layers close together: shrink the weight terms until each fits between its
        # two plus signs with a gap.
        if len(xs) > 2:
            room = min(b - a for a, b in zip(xs, xs[1:])) - self.plus_signs[0].width - 0.5
            widest = max(t.width for t in self.terms)
            if widest > room:
                for mob in (*self.terms, *self.plus_signs):
                    mob.scale(room / widest)
        self.bias_terms, self.bias_plus_signs = VGroup(), VGroup()
        for l, n in enumerate(self.bias_values, start=1):
            term = MathTex(str(n), font_size=fs, color=style.BIAS_COLOR)
            term.move_to([xs[l], self.biases_y, 0])
            self.bias_terms.add(term)
            if l > 1:
                plus = MathTex("+", font_size=fs, color=style.BIAS_COLOR)
                self.bias_plus_signs.add(plus.move_to([(xs[l - 1] + xs[l]) / 2, self.biases_y, 0]))
        eq_x = max(self.terms[-1].get_right()[0], self.bias_terms[-1].get_right()[0]) + 0.55
        self.weights_sum = MathTex("=", tex_int(self.weight_count), font_size=fs)
        self.bias_sum = MathTex("=", tex_int(self.bias_count), font_size=fs,
                                color=style.BIAS_COLOR)
        for s, y in ((self.weights_sum, self.weights_y), (self.bias_sum, self.biases_y)):
            s.shift([eq_x - s[0].get_center()[0], y - s[0].get_center()[1], 0])

        self.total = MathTex(tex_int(self.weight_count), "+", tex_int(self.bias_count), "=",
                             tex_int(self.total_value), font_size=48)
        self.total[2].set_color(style.BIAS_COLOR)
        self.total_word = Tex("parameters", font_size=48)
        self.total_word.next_to(self.total, RIGHT, buff=0.3, aligned_edge=DOWN)
        VGroup(self.total, self.total_word).move_to([0, self.total_y, 0])

    def show_weight_term(self, l: int):
        nm = self.network_mobject
        group = nm.edge_groups[l]
        group.save_state()
        anims = [group.animate.set_stroke(color=style.HIGHLIGHT_COLOR, opacity=1.0),
                 Write(self.terms[l])]
        if l == 0:
            anims.append(Write(self.weights_row_label))
        else:
            anims.append(FadeIn(self.plus_signs[l - 1]))
        self.play(*anims, run_time=1.5)
        self.lit_edge_groups.append(l)
        self.lit_edge_colors.append({e.get_stroke_color().to_hex().lower() for e in group})
        self.wait(0.5)
        self.play(Restore(group), run_time=0.8)

    def show_weight_sum(self):
        self.play(Write(self.weights_sum))
        self.wait(style.PAUSE)

    def show_biases(self):
        nm = self.network_mobject
        self.play(Write(self.biases_row_label))
        for k, term in enumerate(self.bias_terms):
            neurons = nm.layers[k + 1].neurons
            neurons.save_state()
            anims = [neurons.animate.set_stroke(color=style.BIAS_COLOR, width=4),
                     TransformFromCopy(neurons, term)]
            if k:
                anims.append(FadeIn(self.bias_plus_signs[k - 1]))
            self.play(*anims, run_time=1.0)
            self.play(Restore(neurons), run_time=0.5)
        self.play(Write(self.bias_sum))
        self.wait(style.PAUSE)

    def show_total(self):
        self.play(TransformFromCopy(self.weights_sum[1], self.total[0]),
                  TransformFromCopy(self.bias_sum[1], self.total[2]),
                  FadeIn(self.total[1]), run_time=1.5)
        self.play(Write(self.total[3:]), Write(self.total_word))
        self.total_box = SurroundingRectangle(self.total[4], color=style.HIGHLIGHT_COLOR,
                                              buff=0.12)
        self.play(Create(self.total_box))
        self.wait(2 * style.PAUSE)
