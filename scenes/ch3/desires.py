"""Chapter 3, adding up the wishes: how one example's wishes for the output layer become nudges
for every earlier layer (``SumOfDesires``), and how many examples' nudges average into the
negative gradient (``AverageOverExamples``).

Everything on screen comes from chapter 3's partly trained network and the real MNIST training
images (``Chapter3Scene``): activations from ``Network.forward``, nudges from
``Network.backprop``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    LaggedStart,
    Line,
    MathTex,
    ReplacementTransform,
    SurroundingRectangle,
    TransformFromCopy,
    VGroup,
    Write,
)

from network.model import Network, relu_prime, sigmoid_prime
from scenes import style
from scenes.ch3.story import Chapter3Scene
from scenes.mobjects import DigitImage, NetworkMobject, indices_including
from scenes.layout import caption, vertical_arrow
from scenes.text import decimal_places, parameter_name

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


# ---------------------------------------------------------------------------- helpers
def layer_pair(network, l: int) -> Network:
    """Layers ``l`` and ``l + 1`` of ``network`` as a network of their own, for drawing."""
    if not 0 <= l < len(network.weights):
        raise ValueError(f"layer pair {l} does not exist: the network has {len(network.weights)} "
                         "weight matrices")
    return network.sub_network(l, l + 1)


def activation_slope(network, layer: int, z: np.ndarray) -> np.ndarray:
    """The slope of layer ``layer``'s activation function at ``z`` (the output layer is always
    a sigmoid; hidden layers follow ``network.activation``)."""
    if layer == len(network.sizes) - 1 or network.activation == "sigmoid":
        return sigmoid_prime(z)
    return relu_prime(z)


def wishes(network, zs, nudges, l: int) -> np.ndarray:
    """What each neuron ``j`` of layer ``l + 1`` wishes for each neuron ``k`` of layer ``l``.

    ``nudges`` is layer ``l + 1``'s wanted change ``-∂C/∂a^{(l+1)}``. Neuron ``j`` would move
    ``a_k`` by ``nudges[j] σ'(z_j) w_jk``: returned as ``wish[k, j]`` (one row per neuron of
    layer ``l``, one column per wishing neuron). Each row sums to ``-∂C/∂a^{(l)}_k``.
    """
    slope = activation_slope(network, l + 1, np.asarray(zs[l]))
    return (np.asarray(nudges) * slope)[None, :] * np.asarray(network.weights[l]).T


def output_nudge_tex(cost_name: str) -> str:
    """−∂C/∂aⱼ of an output neuron for the cost in use (quadratic C = Σ (aⱼ − yⱼ)², or
    cross-entropy C = −Σ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)]), as TeX."""
    if cost_name == "quadratic":
        return r"-2(a_j - y_j)"
    if cost_name == "cross-entropy":
        return r"-\frac{a_j - y_j}{a_j(1 - a_j)}"
    raise ValueError(f"no formula for the cost {cost_name!r}")


def output_wish_tex(cost_name: str) -> str:
    """An output neuron ``j``'s wish for neuron ``k`` before it, −∂C/∂aⱼ σ'(zⱼ) wⱼₖ, written
    out for the cost in use (for cross-entropy σ'(zⱼ) = aⱼ(1 − aⱼ) cancels the denominator)."""
    if cost_name == "quadratic":
        return r"-2(a_j - y_j)\,\sigma'(z_j)\,w_{jk}"
    if cost_name == "cross-entropy":
        return r"-(a_j - y_j)\,w_{jk}"
    raise ValueError(f"no formula for the cost {cost_name!r}")


def wish_arrow(x: float, y: float, length: float, color, stroke_width: float = 5):
    """A nudge arrow centred on ``(x, y)`` (``layout.vertical_arrow``); a small dot for a
    nudge too short to draw. ``signed_length`` records ``length``."""
    if abs(length) < 0.02:
        mob = Dot([x, y, 0], radius=0.015, color=style.DIM_TEXT_COLOR, fill_opacity=0.4)
        mob.signed_length = float(length)
        return mob
    return vertical_arrow([x, y, 0], length, color=color, stroke_width=stroke_width,
                          width_ratio=40, tip_length=0.1)


def signed_arrow_length(arrow) -> float:
    """The signed vertical length of an arrow drawn by ``wish_arrow`` (0 for a dot),
    read back from its points."""
    if isinstance(arrow, Dot):
        return 0.0
    return float(arrow.get_end()[1] - arrow.get_start()[1])


# ====================================================================== SumOfDesires
class SumOfDesires(Chapter3Scene):
    """Every output neuron's wishes for the last hidden layer, added into one list of nudges,
    then the same step one layer further back.

    The story example (training image ``example_index``, a 2) goes through the partly trained
    network; ``gradient = network.backprop(example_x, example_label)``. Step ``s`` (0 and 1)
    looks at the layer pair ``l = L - 1 - s`` → ``l + 1`` (``L = len(sizes) - 1``):

    * the right layer's wanted changes ``step_nudges[s] = -gradient.activations[l + 1]``, an
      arrow beside each of its neurons (``target_arrows[s]``, scale ``target_scale[s]``);
    * the wish table ``step_wishes[s]`` (:func:`wishes`, row ``k`` a neuron of layer ``l``,
      column ``j`` a neuron of layer ``l + 1``), one vertical arrow per cell
      (``wish_arrows[s][j][k]``, length ``wish_scale[s] * wish``, up = brighter) in front of
      the row of its neuron;
    * their row sums ``step_sums[s]``, shown as arrows (``sum_arrows[s]``, same scale) and
      DecimalNumbers (``sum_numbers[s]``; arrow scale ``sum_scale[s]``): ``-∂C/∂a^{(l)}``, which equals
      ``-gradient.activations[l]``.

    Also: ``outputs`` (the output activations), ``pair_mobjects[s]`` (the NetworkMobject of the
    layer pair, its fills the real activations), ``digit`` (the DigitImage of the example).

    Any network size: ``steps`` becomes at most the number of hidden layers (a network with one
    hidden layer does the first step only: the layer before it is the input, whose pixels
    cannot be nudged, and the narration says so). A layer of more than ``max_shown`` neurons
    is drawn in part, ``drawn[l]`` (:func:`indices_including` of its ``must_show`` largest
    |∂C/∂a|, and for the output the label and ``rival``: the network's answer, or the brightest
    wrong output when it reads the example right); rows exist for drawn neurons of the
    left layer only and columns (``columns[s]``) for drawn neurons of the right one, while
    every sum still runs over all columns; a note says "k of n shown". The output formulas
    follow ``network.cost_name`` (:func:`output_nudge_tex`, :func:`output_wish_tex`).
    """

    neuron_radius = 0.12
    neuron_buff = 0.08
    pair_spacing = 1.7
    pair_left = -5.7
    rows_y = -0.55
    table_left = -2.25
    table_right = 2.55
    sum_x = 3.55
    number_x = 4.55
    max_arrow = 0.3           # the longest wish or sum arrow; rows are 0.32 apart
    max_target_arrow = 0.3
    steps = 2
    max_shown = style.MAX_SHOWN_NEURONS
    must_show = 4             # of a large layer, at least its this many largest |∂C/∂a|

    def construct(self):
        self.load()
        word = WORDS[self.example_label] if self.example_label < 10 else str(self.example_label)
        guess = int(np.argmax(self.outputs))

        self.beat(f"Training image {self.example_index}, a {self.example_label}, through the partly "
                  f"trained network: the output says {guess}"
                  f"{', rightly' if guess == self.example_label else ''}.", "example")
        self.show_pair(0)

        how = ("each in proportion to how far it is from its target"
               if self.network.cost_name == "quadratic"
               else "each the more strongly the farther it is from its target")
        self.beat(f"The output layer wants to change: the {word} neuron up, every other one "
                  f"down, {how}.", "output wishes")
        self.show_target_arrows(0)

        self.beat(f"The {word} neuron's wish for the last hidden layer: each neuron brighter or "
                  "dimmer in proportion to the weight joining them.", "one column")
        self.show_wish_column(0, self.example_label)

        rival = self.rival
        who = "the network's answer" if rival == guess else "the brightest of the wrong outputs"
        self.beat(f"The {WORDS[rival] if rival < 10 else rival} neuron, {who}, wants to be "
                  "dimmer, so its wishes point the other way, strongest where its weights are "
                  "largest in size.", "second column")
        self.show_wish_column(0, rival)

        self.beat(f"Every output neuron has its own list of wishes for the same "
                  f"{self.spoken_count(self.step_layers[0])}.", "all columns")
        self.show_remaining_columns(0)

        self.beat("Adding the wishes row by row gives one nudge per neuron: exactly what "
                  "backprop computes as minus dC/da.", "sum")
        self.show_sum(0)

        if self.steps == 1:
            self.beat("This network has no further hidden layer: the layer before is the input, "
                      "the image's pixels, which cannot be nudged. These nudges only tell the "
                      "first weights and biases how to change.", "no further layer")
            self.show_input_end()

        if self.steps > 1:
            self.beat("Those nudges are now the wishes of the last hidden layer, and the same "
                      "step takes them one layer further back.", "one layer back")
            self.step_back()

            self.beat(f"Its {self.spoken_count(self.step_layers[1] + 1)} each pass their wishes "
                      "back; their sum is the nudge backprop gives the hidden layer before.",
                      "sum again")
            self.show_all_columns(1)
            self.show_sum(1)

    # ---------------------------------------------------------------- data loading
    def load(self):
        self.load_story()
        net = self.network
        if self.steps < 1:
            raise ValueError(f"steps must be at least 1, got {self.steps}")
        if len(net.sizes) < 3:
            raise ValueError(f"adding up wishes needs a hidden layer; this network has sizes {net.sizes}")
        # Never step back into the input: its pixels cannot be nudged.
        self.steps = min(self.steps, len(net.sizes) - 2)
        self.zs, self.activations = net.forward(self.example_x)
        self.outputs = self.activations[-1]
        self.gradient = net.backprop(self.example_x, self.example_label)
        L = len(net.sizes) - 1
        # The second column shown: the network's answer, or when it reads the example right,
        # the brightest wrong output.
        others = [k for k in np.argsort(-np.asarray(self.outputs)) if k != self.example_label]
        self.rival = int(others[0])
        self.drawn = {}
        for l in range(1, L + 1):
            extra = [self.example_label, self.rival] if l == L else []
            top = np.argsort(-np.abs(self.gradient.activations[l]))[:self.must_show]
            self.drawn[l] = indices_including(net.sizes[l], [*top, *extra], self.max_shown)
        self.step_layers = [L - 1 - s for s in range(self.steps)]
        self.columns = [self.drawn[l + 1] for l in self.step_layers]
        self.step_nudges, self.step_wishes, self.step_sums = [], [], []
        nudges = -self.gradient.activations[-1]
        for l in self.step_layers:
            w = wishes(net, self.zs, nudges, l)
            self.step_nudges.append(nudges)
            self.step_wishes.append(w)
            nudges = w.sum(axis=1)
            self.step_sums.append(nudges)
        # The table and the sums each get their own scale: one wish is a small part of a sum.
        self.wish_scale = [self.max_arrow / (np.abs(w).max() or 1.0) for w in self.step_wishes]
        self.sum_scale = [self.max_arrow / (np.abs(v).max() or 1.0) for v in self.step_sums]
        self.target_scale = [self.max_target_arrow / (np.abs(n).max() or 1.0) for n in self.step_nudges]
        self.pair_mobjects, self.target_arrows = [], []
        self.wish_arrows = [dict() for _ in range(self.steps)]
        self.sum_arrows, self.sum_numbers = [None] * self.steps, [None] * self.steps
        self.column_headers = [dict() for _ in range(self.steps)]

    # -------------------------------------------------------------------- geometry
    def layer_name(self, l: int) -> str:
        L = len(self.sizes) - 1
        return "a^{(L)}" if l == L else f"a^{{(L-{L - l})}}"

    def spoken_count(self, l: int) -> str:
        """Layer ``l``'s size in words, e.g. "sixteen neurons" or "100 neurons (16 shown)"."""
        n, k = self.sizes[l], len(self.drawn[l])
        words = {10: "ten", 16: "sixteen", 20: "twenty", 30: "thirty"}
        said = f"{words.get(n, n)} neurons"
        return said if k == n else f"{said}, {k} of them shown"

    def shown_note(self, s: int) -> VGroup:
        """Under a partly drawn left layer: "k of n shown" (empty when all are drawn)."""
        l = self.step_layers[s]
        k, n = len(self.drawn[l]), self.sizes[l]
        if k == n:
            return VGroup()
        return caption(f"{k} of {n} shown", font_size=20)

    def build_pair(self, s: int) -> NetworkMobject:
        l = self.step_layers[s]
        last = l + 1 == len(self.sizes) - 1
        pm = NetworkMobject(layer_pair(self.network, l), neuron_radius=self.neuron_radius,
                            neuron_buff=self.neuron_buff, layer_spacing=self.pair_spacing,
                            output_labels=last, braces=False, input_indices=self.drawn[l],
                            layer_indices={1: self.drawn[l + 1]})
        pm.set_layer_activation(0, self.activations[l])
        pm.set_layer_activation(1, self.activations[l + 1])
        left = pm.layers[0].neurons
        pm.shift((self.pair_left - left.get_center()[0]) * RIGHT + (self.rows_y - left.get_center()[1]) * UP)
        names = VGroup(*[MathTex(self.layer_name(l + i), font_size=30).next_to(pm.layers[i], DOWN, buff=0.15)
                         for i in (0, 1)])
        names.align_to(pm.layers[0], DOWN).shift(0.45 * DOWN)
        note = self.shown_note(s)
        if len(note):
            note.next_to(names[0], DOWN, buff=0.1)
            names.add(note)
        pm.layer_names = names
        return pm

    def row_ys(self, s: int) -> list[float]:
        return [c.get_center()[1] for c in self.pair_mobjects[s].layers[0].neurons]

    def column_x(self, s: int, j: int) -> float:
        n = len(self.columns[s])
        return self.table_left + (self.table_right - self.table_left) * self.columns[s].index(j) / max(n - 1, 1)

    def target_arrow(self, s: int, j: int):
        """The arrow beside neuron ``j`` of step ``s``'s right layer."""
        return self.target_arrows[s][self.columns[s].index(j)]

    def header_y(self, s: int) -> float:
        return max(self.row_ys(s)) + 0.4

    # ----------------------------------------------------------------------- beats
    def show_pair(self, s: int):
        pm = self.build_pair(s)
        self.pair_mobjects.append(pm)
        if s == 0:
            self.digit = DigitImage(self.example_x.reshape(28, 28), height=1.0)
            self.digit.to_corner(RIGHT + UP, buff=0.25)
            self.story_caption = caption(
                f"training image {self.example_index} (right) through chapter 3's partly trained "
                f"network ({self.training_phrase()})", font_size=22).to_corner(LEFT + UP, buff=0.3)
            # The caption's length follows the settings: keep it clear of the digit.
            right = self.digit.get_left()[0] - 0.25
            if self.story_caption.get_right()[0] > right:
                self.story_caption.scale_to_fit_width(right - self.story_caption.get_left()[0])
                self.story_caption.to_corner(LEFT + UP, buff=0.3)
            self.play(FadeIn(self.digit), FadeIn(self.story_caption))
        self.play(FadeIn(pm), FadeIn(pm.layer_names), run_time=1.5)
        if s == 0:
            guess = int(np.argmax(self.outputs))
            self.guess_box = pm.highlight_output(guess)
            self.play(Create(self.guess_box))
        self.wait(0.5)

    def show_target_arrows(self, s: int):
        pm = self.pair_mobjects[s]
        nudges = self.step_nudges[s]
        x = pm.layers[1].neurons.get_center()[0] + (0.62 if len(pm.output_labels) else 0.32)
        arrows = VGroup()
        for c in pm.layers[1].neurons:
            v = float(nudges[c.neuron_index])
            a = wish_arrow(x, c.get_center()[1], self.target_scale[s] * v, style.PALETTE.sign_color(v))
            a.neuron_index = c.neuron_index
            arrows.add(a)
        self.target_arrows.append(arrows)
        if s == 0:
            self.target_formula = MathTex(r"-\frac{\partial C}{\partial a_j} = "
                                          + output_nudge_tex(self.network.cost_name), font_size=28)
            self.target_formula.next_to(self.story_caption, DOWN, buff=0.25, aligned_edge=LEFT)
            self.play(FadeOut(self.guess_box), Write(self.target_formula),
                      LaggedStart(*[FadeIn(a, shift=0.1 * (UP if a.signed_length > 0 else DOWN))
                                    for a in arrows], lag_ratio=0.08), run_time=2)
        else:
            self.play(FadeIn(arrows))

    def wish_column(self, s: int, j: int) -> VGroup:
        col = VGroup()
        x = self.column_x(s, j)
        for y, c in zip(self.row_ys(s), self.pair_mobjects[s].layers[0].neurons):
            v = float(self.step_wishes[s][c.neuron_index, j])
            a = wish_arrow(x, y, self.wish_scale[s] * v, style.PALETTE.sign_color(v), stroke_width=4)
            a.neuron_index = c.neuron_index
            col.add(a)
        self.wish_arrows[s][j] = col
        n = len(self.columns[s])
        header = MathTex(str(j), font_size=26 if n <= 10 else 20,
                         color=style.PALETTE.sign_color(self.step_nudges[s][j]))
        header.move_to([x, self.header_y(s), 0])
        self.column_headers[s][j] = header
        return col

    def table_formula(self, s: int) -> MathTex:
        if self.step_layers[s] + 1 == len(self.sizes) - 1:   # wishes of the output layer
            tex = output_wish_tex(self.network.cost_name)
        else:
            tex = r"-\frac{\partial C}{\partial a_j}\,\sigma'(z_j)\,w_{jk}"
        f = MathTex(r"\text{wish of } j \text{ for } k:\ ", tex, font_size=28)
        f.move_to([(self.table_left + self.table_right) / 2, self.header_y(s) + 0.55, 0])
        return f

    def edges_from(self, s: int, j: int) -> VGroup:
        return VGroup(*[e for e in self.pair_mobjects[s].edge_groups[0] if e.target == j])

    def show_wish_column(self, s: int, j: int):
        col = self.wish_column(s, j)
        pm = self.pair_mobjects[s]
        glow = self.edges_from(s, j).copy()
        for e in glow:
            e.set_stroke(width=e.get_stroke_width() + 1.5, opacity=1)
        anims = []
        if not hasattr(self, "wish_formulas"):
            self.wish_formulas = {}
        if s not in self.wish_formulas:
            self.wish_formulas[s] = self.table_formula(s)
            anims.append(Write(self.wish_formulas[s]))
        box = SurroundingRectangle(VGroup(pm.neuron(1, j), self.target_arrow(s, j)),
                                   color=style.HIGHLIGHT_COLOR, buff=0.06)
        self.play(Create(box), FadeIn(glow), *anims)
        self.play(FadeIn(self.column_headers[s][j]),
                  LaggedStart(*[TransformFromCopy(self.target_arrow(s, j), a) for a in col],
                              lag_ratio=0.05), run_time=2)
        self.play(FadeOut(box), FadeOut(glow), run_time=0.6)

    def show_remaining_columns(self, s: int):
        rest = [j for j in self.columns[s] if j not in self.wish_arrows[s]]
        cols = [self.wish_column(s, j) for j in rest]
        self.play(LaggedStart(*[FadeIn(VGroup(c, self.column_headers[s][j]), shift=0.1 * RIGHT)
                                for j, c in zip(rest, cols)], lag_ratio=0.15), run_time=2)
        self.wait(0.5)

    def show_all_columns(self, s: int):
        if s not in getattr(self, "wish_formulas", {}):
            self.wish_formulas[s] = self.table_formula(s)
            self.play(Write(self.wish_formulas[s]))
        cols = [self.wish_column(s, j) for j in self.columns[s]]
        self.play(LaggedStart(*[
            TransformFromCopy(self.target_arrow(s, j), VGroup(c, self.column_headers[s][j]))
            for j, c in zip(self.columns[s], cols)], lag_ratio=0.08), run_time=2.5)
        self.wait(0.5)

    def show_sum(self, s: int):
        l = self.step_layers[s]
        sums = self.step_sums[s]
        arrows, numbers = VGroup(), VGroup()
        for y, c in zip(self.row_ys(s), self.pair_mobjects[s].layers[0].neurons):
            v = float(sums[c.neuron_index])
            color = style.PALETTE.sign_color(v)
            a = wish_arrow(self.sum_x, y, self.sum_scale[s] * v, color)
            a.neuron_index = c.neuron_index
            d = DecimalNumber(v, num_decimal_places=2, include_sign=True, font_size=22, color=color)
            d.move_to([self.number_x, y, 0])
            d.neuron_index = c.neuron_index
            arrows.add(a)
            numbers.add(d)
        self.sum_arrows[s], self.sum_numbers[s] = arrows, numbers
        header = MathTex(r"\sum_j = -\frac{\partial C}{\partial " + self.layer_name(l) + "_k}",
                         font_size=28)
        header.move_to([(self.sum_x + self.number_x) / 2, self.header_y(s) + 0.3, 0])
        sign = MathTex(r"\Rightarrow", font_size=36).move_to(
            [(self.table_right + self.sum_x) / 2, self.rows_y, 0])
        n, k = self.step_wishes[s].shape[1], len(self.columns[s])
        drawn = "" if k == n else f" ({k} drawn)"
        source = caption(f"each row summed over all {n} columns{drawn}; "
                         "the result is backprop's own dC/da, negated", font_size=22)
        source.to_edge(DOWN, buff=0.2).shift(1.2 * RIGHT)
        left, right = self.table_left - 0.3, 6.9   # clear of the layer names, on the frame
        if source.width > right - left:
            source.scale_to_fit_width(right - left)
        if source.get_left()[0] < left:
            source.shift((left - source.get_left()[0]) * RIGHT)
        cols = self.wish_arrows[s]
        merges = []
        for r, a in enumerate(arrows):
            merges.append(ReplacementTransform(VGroup(*[cols[j][r].copy() for j in sorted(cols)]), a))
        self.play(FadeIn(sign), FadeIn(header), LaggedStart(*merges, lag_ratio=0.06), run_time=2.5)
        self.play(LaggedStart(*[FadeIn(d, shift=0.1 * LEFT) for d in numbers], lag_ratio=0.04),
                  FadeIn(source), run_time=1.5)
        self.sum_headers = getattr(self, "sum_headers", []) + [VGroup(header, sign, source)]
        self.wait(style.PAUSE)

    def show_input_end(self):
        """One hidden layer only: say on screen that the step back would reach the input."""
        self.input_note = caption("one layer further back is the input: pixels, which cannot be nudged",
                                  font_size=22, color=style.HIGHLIGHT_COLOR)
        self.input_note.move_to(self.story_caption, aligned_edge=LEFT)
        self.play(FadeOut(self.story_caption, shift=0.1 * UP), FadeIn(self.input_note, shift=0.1 * UP))
        self.wait(style.PAUSE)

    def step_back(self):
        """Clear the table, draw the pair one layer back, and carry the sums over as the right
        layer's wishes."""
        old = self.pair_mobjects[0]
        table = VGroup(*[c for c in self.wish_arrows[0].values()],
                       *self.column_headers[0].values(), self.wish_formulas[0], self.target_formula,
                       self.target_arrows[0], old.layer_names, self.sum_numbers[0], self.sum_headers[0])
        keep = self.sum_arrows[0]
        self.play(FadeOut(table), FadeOut(old), run_time=1.2)
        self.show_pair(1)
        pm = self.pair_mobjects[1]
        nudges = self.step_nudges[1]
        x = pm.layers[1].neurons.get_center()[0] + 0.32
        arrows = VGroup()
        for c in pm.layers[1].neurons:
            v = float(nudges[c.neuron_index])
            a = wish_arrow(x, c.get_center()[1], self.target_scale[1] * v, style.PALETTE.sign_color(v))
            a.neuron_index = c.neuron_index
            arrows.add(a)
        self.target_arrows.append(arrows)
        self.play(ReplacementTransform(keep, arrows), run_time=1.5)
        self.wait(0.5)


# ================================================================ AverageOverExamples
class AverageOverExamples(Chapter3Scene):
    """A table of nudges: rows are parameters, columns are real training examples, each cell
    that example's own ``-∂C/∂w`` (``-network.backprop(x_i, label_i).flat()``); a last column
    averages each row, which is that parameter's entry of ``-∇C`` for the examples together.

    Columns: ``example_indices`` = the story example, then training images ``0 ..
    extra_examples - 1`` (skipping the story example), their images as headers
    (``header_images``). Rows: ``row_indices`` (entries of ``Network.flat_parameters()``,
    ``None`` for a ``⋮`` row): the first two weights, the first-layer weight with the largest
    average entry, the later-layer weight with the largest average entry, and the last two
    parameters; named by ``parameter_name`` (``row_names``).

    Exposes: ``per_example`` (array examples × parameters, ``-∂C/∂θ`` of each example alone),
    ``average`` (``-backprop`` on all examples together, flat), ``cell_numbers[r][c]`` (the
    DecimalNumbers, value rows only), ``average_numbers[r]``, ``row_decimals[r]``,
    ``example_labels``.
    """

    extra_examples = 4
    row_height = 0.47
    table_top = 1.55
    label_x = -5.75
    first_column_x = -3.95
    column_step = 1.75
    average_x = 5.2
    font_size = 26

    def construct(self):
        self.load()
        i0 = self.example_indices[0]

        self.beat(f"Backprop on training image {i0} alone says how this one example wants every "
                  "weight and bias nudged.", "one example")
        self.show_rows()
        self.show_column(0)

        self.beat(f"Other training images want other things; here are {self.extra_examples} more, "
                  "each through backprop on its own.", "more examples")
        self.play(LaggedStart(*[self.column_animation(c) for c in range(1, len(self.example_indices))],
                              lag_ratio=0.4), run_time=3)
        self.wait(style.PAUSE)

        self.beat("Average each row across the examples: that is the parameter's entry of minus "
                  "the gradient of their average cost.", "average")
        self.show_average()

        row = self.disagreeing_row()
        if row is not None:
            self.beat(f"Where the examples disagree, like on {self.spoken_name(row)}, their nudges "
                      "partly cancel; where they agree, they add up.", "disagree")
            box = SurroundingRectangle(self.row_group(row)[:-1], color=style.PALETTE.accent, buff=0.08)
            self.play(Create(box))
            self.play(Indicate(self.average_numbers[row], color=style.PALETTE.accent))
            self.wait(style.PAUSE)

    # ---------------------------------------------------------------- data loading
    def load(self):
        self.load_story()
        net, d = self.network, self.data
        others = [i for i in range(len(d.train_labels)) if i != self.example_index][:self.extra_examples]
        if len(others) < self.extra_examples:
            raise ValueError(f"{self.extra_examples} extra examples asked for, the training set "
                             f"has only {len(others)} besides the story example")
        self.example_indices = [self.example_index] + others
        x = np.asarray(d.train_x[self.example_indices], dtype=float)
        self.example_labels = [int(v) for v in np.asarray(d.train_labels)[self.example_indices]]
        self.example_images = x
        self.per_example = np.array([-net.backprop(xi, yi).flat()
                                     for xi, yi in zip(x, self.example_labels)])
        self.average = -net.backprop(x, np.array(self.example_labels)).flat()
        n_weights = sum(w.size for w in net.weights)
        n = net.num_parameters
        first = net.weights[0].size
        k1 = int(np.argmax(np.abs(self.average[:first])))
        k2 = first + int(np.argmax(np.abs(self.average[first:n_weights])))
        picks = [[0, 1], [k1], [k2], [n - 2, n - 1]]
        self.row_indices = []
        for b, block in enumerate(picks):
            if b:
                self.row_indices.append(None)
            self.row_indices.extend(block)
        self.value_rows = [k for k in self.row_indices if k is not None]
        self.row_names = [parameter_name(net, k) for k in self.value_rows]
        self.row_decimals = [
            decimal_places(max(np.abs(self.per_example[:, k]).max(), abs(self.average[k])),
                           digits=4, least=3, most=6)
            for k in self.value_rows]
        self.cell_numbers = [[None] * len(self.example_indices) for _ in self.value_rows]
        self.average_numbers = [None] * len(self.value_rows)

    def disagreeing_row(self) -> int | None:
        """The value row (index into ``value_rows``) whose examples disagree in sign most evenly."""
        best, best_score = None, 0.0
        for r, k in enumerate(self.value_rows):
            v = self.per_example[:, k]
            score = min(v[v > 0].sum(), -v[v < 0].sum())
            if score > best_score:
                best, best_score = r, score
        return best

    def spoken_name(self, r: int) -> str:
        return self.row_names[r].replace("{,}", ",").replace("_{", " ").replace("}", "")

    # -------------------------------------------------------------------- geometry
    def row_y(self, position: int) -> float:
        return self.table_top - position * self.row_height

    def column_x(self, c: int) -> float:
        return self.first_column_x + c * self.column_step

    def number(self, value: float, decimals: int, x: float, y: float) -> DecimalNumber:
        value = float(value) + 0.0  # no "-0"
        shows_zero = round(abs(value), decimals) == 0  # no "+0.0000" for a tiny value either
        color = style.DIM_TEXT_COLOR if shows_zero else style.PALETTE.sign_color(value)
        d = DecimalNumber(value, num_decimal_places=decimals, include_sign=not shows_zero,
                          font_size=self.font_size, color=color)
        return d.move_to([x, y, 0])

    def row_group(self, r: int) -> VGroup:
        return VGroup(self.row_labels[r], *self.cell_numbers[r], self.average_numbers[r])

    # ----------------------------------------------------------------------- beats
    def show_rows(self):
        self.row_labels, dots = VGroup(), VGroup()
        r = 0
        for p, k in enumerate(self.row_indices):
            y = self.row_y(p)
            if k is None:
                dots.add(MathTex(r"\vdots", font_size=self.font_size).move_to([self.label_x, y, 0]))
                continue
            self.row_labels.add(MathTex(self.row_names[r], font_size=self.font_size).move_to([self.label_x, y, 0]))
            r += 1
        self.row_dots = dots
        net = self.network
        n_weights = sum(w.size for w in net.weights)
        self.order_caption = caption(
            f"rows: entries of all {net.num_parameters:,} parameters in order, {n_weights:,} weights "
            f"then {net.num_parameters - n_weights} biases; chapter 3's partly trained network",
            font_size=22).to_edge(DOWN, buff=0.25)
        self.title = caption("each cell: minus dC/dw from backprop on that one training image alone",
                             font_size=26, color=style.TEXT_COLOR).to_edge(UP, buff=0.25)
        self.headers = Group()
        self.header_images = []
        for c, (i, image) in enumerate(zip(self.example_indices, self.example_images)):
            img = DigitImage(image.reshape(28, 28), height=0.85)
            img.move_to([self.column_x(c), self.row_y(0) + 1.15, 0])
            label = caption(f"image {i}", font_size=20).next_to(img, DOWN, buff=0.08)
            self.header_images.append(img)
            self.headers.add(Group(img, label))
        self.play(LaggedStart(*[Write(m) for m in self.row_labels], lag_ratio=0.1), FadeIn(dots),
                  FadeIn(self.title), FadeIn(self.order_caption), run_time=1.5)

    def build_column(self, c: int) -> VGroup:
        col = VGroup()
        r = 0
        for p, k in enumerate(self.row_indices):
            if k is None:
                col.add(MathTex(r"\vdots", font_size=self.font_size).move_to([self.column_x(c), self.row_y(p), 0]))
                continue
            d = self.number(self.per_example[c, k], self.row_decimals[r], self.column_x(c), self.row_y(p))
            self.cell_numbers[r][c] = d
            col.add(d)
            r += 1
        return col

    def column_animation(self, c: int):
        col = self.build_column(c)
        return LaggedStart(FadeIn(self.headers[c], shift=0.2 * DOWN),
                           LaggedStart(*[FadeIn(m, shift=0.1 * DOWN) for m in col], lag_ratio=0.08),
                           lag_ratio=0.3)

    def show_column(self, c: int):
        self.play(self.column_animation(c), run_time=2)
        self.wait(style.PAUSE)

    def show_average(self):
        col = VGroup()
        r = 0
        for p, k in enumerate(self.row_indices):
            if k is None:
                col.add(MathTex(r"\vdots", font_size=self.font_size).move_to([self.average_x, self.row_y(p), 0]))
                continue
            d = self.number(self.average[k], self.row_decimals[r], self.average_x, self.row_y(p))
            self.average_numbers[r] = d
            col.add(d)
            r += 1
        self.average_column = col
        header = MathTex(r"\text{average}", r"= -\nabla C", font_size=30)
        header[1][2].set_color(style.COST_COLOR)
        header.arrange(DOWN, buff=0.15).move_to([self.average_x, self.row_y(0) + 1.1, 0])
        box = SurroundingRectangle(VGroup(col, header), color=style.HIGHLIGHT_COLOR, buff=0.15)
        sep = Line([self.average_x - 1.0, self.row_y(0) + 0.4, 0],
                   [self.average_x - 1.0, self.row_y(len(self.row_indices) - 1) - 0.25, 0],
                   stroke_width=1.5, color=style.DIM_TEXT_COLOR)
        merges = []
        r = 0
        for p, k in enumerate(self.row_indices):
            if k is None:
                continue
            merges.append(ReplacementTransform(VGroup(*[m.copy() for m in self.cell_numbers[r]]),
                                               self.average_numbers[r]))
            r += 1
        self.play(Create(sep), FadeIn(header), run_time=1)
        self.play(LaggedStart(*merges, lag_ratio=0.15), FadeIn(VGroup(*[m for m in col if m not in self.average_numbers])),
                  run_time=2.5)
        self.play(Create(box))
        self.average_header, self.average_box = header, box
        self.wait(style.PAUSE)
