"""Chapter 2, the cost function: how bad is a network, in one number?

Four scenes, every number computed from the real networks and the real MNIST data:

* ``RandomNetworkIsTrash``: a freshly initialised network (same sizes as the trained one,
  seeded) fed the first 3 of the test set: its outputs are a mess; the trained network is not.
* ``CostOfOneExample``: that network's cost on the 3, term by term, C = Σ (aᵢ − yᵢ)²; then the
  trained network on the same 3 (small cost), and on its first misclassified test image.
* ``AverageCost``: costs of a few training examples stream into the average over the whole
  training set, for the random and the trained network.
* ``CostIsAFunction``: the network is a function of 784 numbers; the cost is a function of
  its 13,002 weights and biases, parameterised by the training data.

The cost is the project's: ``C = Σᵢ (aᵢ − yᵢ)²`` per example (``Network.example_costs``, no ½),
averaged over examples (``Network.cost``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    Brace,
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
    MoveToTarget,
    ReplacementTransform,
    RoundedRectangle,
    SurroundingRectangle,
    Tex,
    Transform,
    TransformFromCopy,
    VGroup,
    Rectangle,
    Write,
)

from network import Network, one_hot
from scenes import style
from scenes.base import NetworkScene
from scenes.ch1.structure import place_network
from scenes.mobjects import DigitImage
from scenes.text import tex_escape, tex_int


# ============================================================================ helpers
def fmt(value: float, places: int) -> str:
    """``value`` as a ``DecimalNumber`` with ``places`` decimals shows it."""
    return f"{float(value):.{int(places)}f}"


def first_test_index(labels, digit: int) -> int:
    """Index of the first test image labelled ``digit``."""
    hits = np.flatnonzero(np.asarray(labels) == digit)
    if hits.size == 0:
        raise ValueError(f"no test image is labelled {digit}")
    return int(hits[0])


def first_misclassified(network, x, labels) -> int | None:
    """Index of the first example the network gets wrong (None if it gets all right)."""
    wrong = np.flatnonzero(network.predict(x) != np.asarray(labels))
    return int(wrong[0]) if wrong.size else None


def random_network(trained: Network, seed: int) -> Network:
    """A freshly initialised network shaped like ``trained`` (same sizes, activation, cost)."""
    return Network(trained.sizes, activation=trained.activation, cost=trained.cost_name,
                   seed=seed)


# The precisions tried for a cost breakdown, in order of preference: (decimals of aᵢ,
# decimals of each square, decimals of the sum).
PRECISIONS = ((2, 2, 2), (3, 3, 2), (3, 3, 3), (4, 3, 2), (4, 3, 3), (4, 4, 2), (4, 4, 3),
              (5, 4, 2), (5, 4, 3), (5, 5, 3), (6, 5, 3), (6, 6, 3), (7, 6, 4), (8, 7, 5))


@dataclass
class CostBreakdown:
    """One example's cost, term by term, and how it is shown.

    ``a`` are the real outputs, ``y`` the one-hot desired outputs, ``squares`` the exact
    (aᵢ − yᵢ)², ``cost`` their sum (= ``Network.example_costs``). ``a_places``,
    ``square_places`` and ``cost_places`` are the decimals shown, chosen (see
    :func:`cost_breakdown`) so that the screen is self-consistent: each shown square is the
    square of the shown difference to the shown precision, and the shown sum is the sum of
    the shown squares to the shown precision.
    """

    a: np.ndarray
    y: np.ndarray
    squares: np.ndarray
    cost: float
    a_places: int
    square_places: int
    cost_places: int

    def a_text(self, i: int) -> str:
        return fmt(self.a[i], self.a_places)

    def y_text(self, i: int) -> str:
        return fmt(self.y[i], 0)

    def square_text(self, i: int) -> str:
        return fmt(self.squares[i], self.square_places)

    def cost_text(self) -> str:
        return fmt(self.cost, self.cost_places)

    def term_tex(self, i: int) -> list[str]:
        """The parts of row ``i``: ``(``, aᵢ, ``-``, yᵢ, ``)^2 =``, the square."""
        return ["(", self.a_text(i), "-", self.y_text(i), ")^2", "=", self.square_text(i)]


def consistent(a, y, places) -> bool:
    """Whether showing ``a`` with ``places = (pa, ps, pc)`` decimals reads consistently."""
    pa, ps, pc = places
    squares = (a - y) ** 2
    shown_a = np.array([float(fmt(v, pa)) for v in a])
    for s, sa, yi in zip(squares, shown_a, y):
        if fmt(s, ps) != fmt((sa - yi) ** 2, ps):
            return False
    shown_sum = sum(float(fmt(s, ps)) for s in squares)
    return fmt(squares.sum(), pc) == fmt(shown_sum, pc)


def cost_breakdown(network: Network, x, label: int) -> CostBreakdown:
    """The real cost of ``network`` on input ``x`` with ``label``, with the first precision
    of ``PRECISIONS`` that shows it consistently (the last one if none does)."""
    a = np.asarray(network.feedforward(np.asarray(x, dtype=float)), dtype=float)
    y = one_hot(int(label), a.size)[0]
    squares = (a - y) ** 2
    cost = float(network.example_costs(a, y))
    places = next((p for p in PRECISIONS if consistent(a, y, p)), PRECISIONS[-1])
    return CostBreakdown(a, y, squares, cost, *places)


def caption(text: str, font_size=style.CAPTION_FONT_SIZE, color=style.DIM_TEXT_COLOR) -> Tex:
    return Tex(r"\mbox{" + tex_escape(text) + "}", font_size=font_size, color=color)


class OutputColumn(VGroup):
    """Ten output neurons as a column: ``neurons[i]`` filled with opacity ``values[i]``
    (clipped to [0, 1]), ``labels[i]`` the digit ``i`` on the left. ``values`` is kept."""

    def __init__(self, values, *, pitch: float = 0.56, radius: float = 0.2,
                 color=style.NEURON_FILL_COLOR, labels: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.values = np.asarray(values, dtype=float)
        self.neurons = VGroup(*[
            Circle(radius=radius, stroke_color=style.NEURON_STROKE_COLOR,
                   stroke_width=style.NEURON_STROKE_WIDTH, fill_color=color,
                   fill_opacity=float(np.clip(v, 0, 1))).move_to(-i * pitch * UP)
            for i, v in enumerate(self.values)
        ])
        self.add(self.neurons)
        self.labels = VGroup()
        if labels:
            for i, n in enumerate(self.neurons):
                label = MathTex(str(i), font_size=28, color=style.TEXT_COLOR)
                label.next_to(n, LEFT, buff=0.15)
                self.labels.add(label)
            self.add(self.labels)

    def fills(self) -> np.ndarray:
        return np.array([n.get_fill_opacity() for n in self.neurons])

    def fill_animations(self, values):
        self.values = np.asarray(values, dtype=float)
        return [n.animate.set_fill(opacity=float(np.clip(v, 0, 1)))
                for n, v in zip(self.neurons, self.values)]


class _CostScene(NetworkScene):
    """Loads the data, the trained network and a freshly initialised one of the same shape.

    ``fresh_seed`` seeds the fresh network; ``digit`` picks the test image (the first test
    image with that label).
    """

    fresh_seed = 0  # not `random_seed`: manim's Scene sets that attribute to None itself
    digit = 3

    def load(self):
        self.load_network()
        self.random_network = random_network(self.network, self.fresh_seed)
        config = getattr(self.model, "config", None)
        self.random_is_start = bool(config is not None and getattr(config, "seed", None) == self.fresh_seed
                                    and tuple(config.sizes) == self.sizes)
        self.image_index = first_test_index(self.data.test_labels, self.digit)
        self.image = np.asarray(self.data.test_images[self.image_index])
        self.x = np.asarray(self.data.test_x[self.image_index], dtype=float)
        self.true_label = int(self.data.test_labels[self.image_index])


# ============================================================== RandomNetworkIsTrash
class RandomNetworkIsTrash(_CostScene):
    """A freshly initialised network on a real 3: the outputs are a mess.

    After ``construct``: ``random_network``, ``random_activations``, ``random_network_mobject``,
    ``random_output_decimals`` (one DecimalNumber per output), ``random_box`` around the
    brightest output; and the same for the trained network (``trained_activations``,
    ``trained_network_mobject``, ``trained_output_decimals``, ``trained_box``); ``digit``,
    ``image_index``, ``caption``.
    """

    network_left = -2.6
    network_right = 2.6
    network_max_height = 6.4
    content_y = -0.35
    digit_x = -5.4

    def construct(self):
        self.load()
        _, self.random_activations = self.random_network.forward(self.x)
        _, self.trained_activations = self.network.forward(self.x)

        start = " (the very values training started from)" if self.random_is_start else ""
        self.beat("Before any learning, every weight and bias is just a random number"
                  f"{start}.", "random")
        self.show_random_network()

        self.beat(f"Feed it a real 3: test image {self.image_index}, which it has never seen.",
                  "forward")
        self.run_forward()

        self.beat(self.mess_narration(), "mess")
        self.show_outputs()

        out = self.trained_activations[-1]
        k = int(np.argmax(out))
        self.beat(f"The trained network, same image: {k} at {out[k]:.2f}, "
                  "and every other output dark.", "trained")
        self.show_trained()

    def mess_narration(self) -> str:
        out = self.random_activations[-1]
        order = np.argsort(out)[::-1]
        k = int(order[0])
        close = [int(i) for i in order[1:] if out[k] - out[i] < 0.1]
        if k == self.true_label:
            verdict = f"{k} is brightest, at {out[k]:.2f}, but only barely"
        else:
            verdict = f"{k} is brightest, at {out[k]:.2f}, while 3 gets {out[self.true_label]:.2f}"
        if close:
            names = ", ".join(str(i) for i in close)
            verdict += f"; {names} {'is' if len(close) == 1 else 'are'} nearly as bright"
        return f"Its answer is trash: {verdict}."

    # ------------------------------------------------------------------------ beats
    def place(self, network):
        return place_network(network, left=self.network_left, right=self.network_right,
                             max_height=self.network_max_height, center_y=self.content_y)

    def output_decimals(self, nm, values):
        group = VGroup()
        for label in nm.output_labels:
            d = DecimalNumber(float(values[label.digit]), num_decimal_places=2, font_size=26)
            d.next_to(label, RIGHT, buff=0.3)
            d.set_opacity(0.35 + 0.65 * float(np.clip(values[label.digit], 0, 1)))
            d.digit = label.digit
            group.add(d)
        return group

    def show_random_network(self):
        nm = self.place(self.random_network)
        # The drawn input pixels are chosen from the image, the same for both networks.
        self.input_indices = nm.drawn_indices(0)
        self.random_network_mobject = nm
        sizes = "-".join(str(s) for s in self.sizes)
        self.caption = caption(f"a {sizes} network with random weights and biases "
                               f"(seed {self.fresh_seed})")
        self.caption.to_edge(UP, buff=0.3)
        self.play(LaggedStart(*[FadeIn(layer) for layer in nm.layers], lag_ratio=0.3),
                  Create(nm.edge_groups, lag_ratio=0.002), FadeIn(nm.output_labels), run_time=2.5)
        self.play(FadeIn(self.caption, shift=0.2 * DOWN))
        self.wait(style.PAUSE)

    def run_forward(self):
        nm = self.random_network_mobject
        self.digit = DigitImage(self.image, height=2.4).move_to([self.digit_x, self.content_y, 0])
        self.digit_label = Tex(f"test image \\#{self.image_index}", font_size=style.LABEL_FONT_SIZE,
                               color=style.DIM_TEXT_COLOR).scale(0.85)
        self.digit_label.next_to(self.digit, DOWN, buff=0.25)
        self.play(FadeIn(self.digit), FadeIn(self.digit_label))
        self.play(nm.forward_pass_animation(self.random_activations, run_time_per_layer=1.2))
        self.wait(0.5)

    def show_outputs(self):
        nm = self.random_network_mobject
        out = self.random_activations[-1]
        self.random_output_decimals = self.output_decimals(nm, out)
        # Kept before the numbers morph into the trained network's at the end.
        self.random_values_shown = [d.get_value() for d in self.random_output_decimals]
        self.random_box = nm.highlight_output(int(np.argmax(out)))
        self.play(LaggedStart(*[FadeIn(d, shift=0.2 * LEFT) for d in self.random_output_decimals],
                              lag_ratio=0.1, run_time=1.5))
        self.play(Create(self.random_box))
        true_label = nm.output_label(self.true_label)
        self.play(Indicate(VGroup(true_label, self.random_output_decimals[self.true_label]),
                           color=style.PALETTE.desired))
        self.wait(style.PAUSE)

    def show_trained(self):
        old = self.random_network_mobject
        nm = place_network(self.network, left=self.network_left, right=self.network_right,
                           max_height=self.network_max_height, center_y=self.content_y,
                           input_indices=self.input_indices)
        nm.set_activations(self.trained_activations)
        out = self.trained_activations[-1]
        self.trained_network_mobject = nm
        self.trained_output_decimals = self.output_decimals(nm, out)
        self.trained_box = nm.highlight_output(int(np.argmax(out)))
        new_caption = caption(f"the trained network: {100 * self.model.test_accuracy:.1f}% "
                              "of test images right")
        new_caption.move_to(self.caption)
        self.play(FadeOut(old), FadeIn(nm), FadeOut(self.random_box),
                  ReplacementTransform(self.random_output_decimals, self.trained_output_decimals),
                  Transform(self.caption, new_caption), run_time=2)
        self.play(Create(self.trained_box))
        self.wait(2 * style.PAUSE)


# ==================================================================== CostOfOneExample
class CostOfOneExample(_CostScene):
    """The cost of one example, term by term, with the real numbers.

    After ``construct``: ``breakdowns`` maps ``"random"``, ``"trained"`` and ``"wrong"`` to a
    :class:`CostBreakdown`; ``examples`` maps the same keys to ``(image index, label)``.
    The last state drawn is the misclassified example; what each state showed is kept in
    ``shown[key]``: ``a_decimals``, ``y_decimals`` (DecimalNumbers), ``terms`` (MathTex rows,
    parts as in ``CostBreakdown.term_tex``), ``cost_decimal``, ``output_fills`` and
    ``desired_fills`` (fill opacities of the two columns). ``formula`` is the cost formula.
    """

    row_pitch = 0.56
    rows_top = 2.3
    digit_x = -5.7
    output_x = -4.0
    a_x = -3.0
    desired_x = -1.85
    terms_left = -0.95
    font_size = 30

    def construct(self):
        self.load()
        net = self.network
        self.breakdowns = {"random": cost_breakdown(self.random_network, self.x, self.true_label),
                           "trained": cost_breakdown(net, self.x, self.true_label)}
        self.examples = {"random": (self.image_index, self.true_label),
                         "trained": (self.image_index, self.true_label)}
        wrong = first_misclassified(net, self.data.test_x, self.data.test_labels)
        if wrong is not None:
            self.breakdowns["wrong"] = cost_breakdown(net, self.data.test_x[wrong],
                                                      int(self.data.test_labels[wrong]))
            self.examples["wrong"] = (wrong, int(self.data.test_labels[wrong]))
        self.shown = {}

        r = self.breakdowns["random"]
        self.beat(f"The random network's ten outputs on the 3, beside what we wanted: "
                  f"1 for the 3, 0 for every other digit.", "desired")
        self.show_columns(r)

        self.beat("Cost of this one example: add up the squares of the differences.", "terms")
        self.show_terms(r)

        self.beat(f"Their sum is {r.cost_text()}: a large cost, because the network is "
                  "far from right.", "sum")
        self.show_sum(r)

        t = self.breakdowns["trained"]
        self.beat(f"The trained network on the same 3: confident and right, a cost of only "
                  f"{t.cost_text()}.", "trained")
        self.switch_to("trained", "trained network")

        if "wrong" in self.breakdowns:
            w = self.breakdowns["wrong"]
            index, label = self.examples["wrong"]
            guess = int(np.argmax(w.a))
            self.beat(f"Test image {index} is a {label}; the trained network says {guess}, "
                      f"and the cost jumps to {w.cost_text()}.", "wrong")
            self.switch_to("wrong", "trained network")
        self.wait(style.PAUSE)

    # --------------------------------------------------------------------- building
    def row_y(self, i: int) -> float:
        return self.rows_top - i * self.row_pitch

    def build_state(self, b: CostBreakdown, image_index: int, label: int, who: str) -> dict:
        """Every mobject of one example's breakdown, laid out."""
        fs = self.font_size
        outputs = OutputColumn(b.a, pitch=self.row_pitch)
        outputs.move_to([self.output_x, 0, 0])
        outputs.shift((self.rows_top - outputs.neurons[0].get_center()[1]) * UP)
        desired = OutputColumn(b.y, pitch=self.row_pitch, color=style.PALETTE.desired, labels=False)
        desired.neurons.set_stroke(color=style.PALETTE.desired)
        desired.move_to([self.desired_x, 0, 0]).shift(
            (self.rows_top - desired.neurons[0].get_center()[1]) * UP)
        a_dec, y_dec, terms = VGroup(), VGroup(), VGroup()
        for i in range(len(b.a)):
            y_pos = self.row_y(i)
            d = DecimalNumber(float(b.a[i]), num_decimal_places=b.a_places, font_size=fs)
            d.move_to([self.a_x, y_pos, 0])
            a_dec.add(d)
            yd = DecimalNumber(float(b.y[i]), num_decimal_places=0, font_size=fs,
                               color=style.PALETTE.desired)
            yd.next_to(desired.neurons[i], RIGHT, buff=0.2)
            y_dec.add(yd)
            term = MathTex(*b.term_tex(i), font_size=fs)
            term[3].set_color(style.PALETTE.desired)
            term.move_to([0, y_pos, 0]).align_to([self.terms_left, 0, 0], LEFT)
            terms.add(term)
        # Align the "=" signs of every row.
        eq_x = max(t[5].get_center()[0] for t in terms)
        for t in terms:
            t.shift((eq_x - t[5].get_center()[0]) * RIGHT)
        squares = VGroup(*[t[6] for t in terms])
        brace = Brace(squares, RIGHT, buff=0.2)
        cost_label = MathTex("C", "=", font_size=fs + 6, color=style.COST_COLOR)
        cost = DecimalNumber(b.cost, num_decimal_places=b.cost_places, font_size=fs + 6,
                             color=style.COST_COLOR)
        cost_group = VGroup(cost_label, cost).arrange(RIGHT, buff=0.15)
        cost.align_to(cost_label, DOWN)
        cost_group.next_to(brace, RIGHT, buff=0.2)
        digit = DigitImage(self.data.test_images[image_index], height=1.6)
        digit.move_to([self.digit_x, 1.4, 0])
        digit_caption = VGroup(
            Tex(f"test image \\#{image_index}", font_size=24, color=style.DIM_TEXT_COLOR),
            Tex(f"label {label}", font_size=24, color=style.PALETTE.desired),
            Tex(who, font_size=24, color=style.DIM_TEXT_COLOR),
        ).arrange(DOWN, buff=0.15).next_to(digit, DOWN, buff=0.25)
        headers = VGroup(
            MathTex("a_i", font_size=fs + 4).next_to(a_dec, UP, buff=0.3),
            MathTex("y_i", font_size=fs + 4, color=style.PALETTE.desired).next_to(
                VGroup(desired.neurons, y_dec), UP, buff=0.3),
            MathTex("(a_i - y_i)^2", font_size=fs + 4).next_to(terms, UP, buff=0.3),
        )
        headers[2][0][4:6].set_color(style.PALETTE.desired)
        headers.align_to(headers[0], DOWN)
        return {"outputs": outputs, "desired": desired, "a_decimals": a_dec, "y_decimals": y_dec,
                "terms": terms, "brace": brace, "cost_group": cost_group, "cost_decimal": cost,
                "digit": digit, "digit_caption": digit_caption, "headers": headers}

    def record(self, key: str, state: dict) -> None:
        self.shown[key] = {
            "a_decimals": state["a_decimals"], "y_decimals": state["y_decimals"],
            "terms": state["terms"], "cost_decimal": state["cost_decimal"],
            "output_fills": state["outputs"].fills(), "desired_fills": state["desired"].fills(),
            "image_index": self.examples[key][0],
        }

    # ------------------------------------------------------------------------ beats
    def show_columns(self, b: CostBreakdown):
        s = self.state = self.build_state(b, self.image_index, self.true_label, "random network")
        self.current_index = self.image_index
        self.formula = MathTex("C", "=", r"\sum_{i=0}^{9}", "(a_i - y_i)^2", font_size=40)
        self.formula[0].set_color(style.COST_COLOR)
        self.formula.to_edge(RIGHT, buff=0.5).set_y(2.2)  # clear of the column headers
        self.play(FadeIn(s["digit"]), FadeIn(s["digit_caption"]))
        self.play(FadeIn(s["outputs"]), FadeIn(s["headers"][0]),
                  LaggedStart(*[FadeIn(d) for d in s["a_decimals"]], lag_ratio=0.05))
        self.play(FadeIn(s["desired"]), FadeIn(s["headers"][1]),
                  LaggedStart(*[FadeIn(d) for d in s["y_decimals"]], lag_ratio=0.05))
        self.wait(style.PAUSE)

    def show_terms(self, b: CostBreakdown):
        s = self.state
        self.play(Write(self.formula), FadeIn(s["headers"][2]))
        anims = []
        for i, term in enumerate(s["terms"]):
            anims.append(AnimationGroup(
                TransformFromCopy(s["a_decimals"][i], term[1]),
                TransformFromCopy(s["y_decimals"][i], term[3]),
                FadeIn(VGroup(term[0], term[2], term[4], term[5])),
            ))
        self.play(LaggedStart(*anims, lag_ratio=0.15, run_time=3))
        self.play(LaggedStart(*[FadeIn(t[6], shift=0.1 * LEFT) for t in s["terms"]],
                              lag_ratio=0.1, run_time=1.5))
        self.wait(style.PAUSE)

    def show_sum(self, b: CostBreakdown):
        s = self.state
        squares = VGroup(*[t[6] for t in s["terms"]])
        self.play(Create(s["brace"]))
        self.play(TransformFromCopy(squares, s["cost_decimal"]), FadeIn(s["cost_group"][0]))
        self.play(Create(SurroundingRectangle(s["cost_group"], color=style.COST_COLOR,
                                              buff=0.12)), run_time=0.8)
        self.cost_box = self.mobjects[-1]
        self.record("random", s)
        self.wait(style.PAUSE)

    def switch_to(self, key: str, who: str):
        b = self.breakdowns[key]
        index, label = self.examples[key]
        old, new = self.state, self.build_state(b, index, label, who)
        new_box = SurroundingRectangle(new["cost_group"], color=style.COST_COLOR, buff=0.12)
        anims = [Transform(old["outputs"].neurons[i], new["outputs"].neurons[i])
                 for i in range(len(b.a))]
        anims += [Transform(old["desired"].neurons[i], new["desired"].neurons[i])
                  for i in range(len(b.y))]
        for part in ("a_decimals", "y_decimals", "terms", "brace", "cost_group", "digit_caption"):
            anims.append(ReplacementTransform(old[part], new[part]))
        anims.append(Transform(self.cost_box, new_box))
        if index != self.current_index:
            anims += [FadeOut(old["digit"]), FadeIn(new["digit"])]
        else:
            new["digit"] = old["digit"]
        self.current_index = index
        self.play(*anims, run_time=2)
        # The columns were transformed in place; keep their values with them.
        new["outputs"], new["desired"] = old["outputs"], old["desired"]
        new["outputs"].values, new["desired"].values = b.a, b.y
        new["headers"] = old["headers"]
        self.state = new
        self.record(key, new)
        self.play(Indicate(new["cost_group"], color=style.COST_COLOR, scale_factor=1.15))
        self.wait(style.PAUSE)


# ========================================================================= AverageCost
class AverageCost(_CostScene):
    """Costs of a few training examples, then the average over the whole training set, for
    the random network and the trained one.

    After ``construct``: ``n_examples`` rows of ``row_indices`` (training-set indices), with
    ``row_costs[key]`` (DecimalNumbers, key ``"random"``/``"trained"``) and the exact
    ``example_costs[key]``; ``averages[key]`` (the real average costs over all
    ``train_count`` training examples), ``average_decimals[key]``, ``count_tex`` (the
    MathTex string of the count), ``bars[key]`` (Rectangles, heights proportional to the
    averages), ``bar_decimals[key]``, ``ratio`` and ``ratio_tex``.
    """

    n_examples = 5
    row_top = 1.75
    row_pitch = 0.78
    places = 3

    col_image = -5.9
    col_random = -3.6
    col_trained = -1.4
    bar_base_y = -2.6
    bar_max_height = 4.2
    bar_x = (2.4, 5.0)

    def construct(self):
        self.load()
        d = self.data
        self.row_indices = list(range(self.n_examples))
        xs = np.asarray(d.train_x[:self.n_examples], dtype=float)
        ys = np.asarray(d.train_labels[:self.n_examples])
        nets = {"random": self.random_network, "trained": self.network}
        self.example_costs = {k: n.example_costs(n.feedforward(xs), one_hot(ys, self.sizes[-1]))
                              for k, n in nets.items()}
        self.train_count = int(len(d.train_x))
        self.averages = {k: n.cost(d.train_x, d.train_labels) for k, n in nets.items()}

        self.beat("One example is not enough: we want the network to do well on all of them.",
                  "examples")
        self.show_examples()

        self.beat(f"So average the cost over every one of the {self.train_count:,} training "
                  "examples.", "average")
        self.show_average()

        self.ratio = self.averages["random"] / self.averages["trained"]
        self.beat(f"Random weights: {self.averages['random']:.2f}. Trained: "
                  f"{self.averages['trained']:.3f}, about {self.ratio:.0f} times smaller.",
                  "compare")
        self.show_bars()

    def show_examples(self):
        d = self.data
        fs = 30
        self.header = VGroup(
            Tex("training example", font_size=26, color=style.DIM_TEXT_COLOR).move_to([self.col_image + 0.2, self.row_top + 0.85, 0]),
            Tex("random", font_size=26, color=style.DIM_TEXT_COLOR).move_to([self.col_random, self.row_top + 0.85, 0]),
            Tex("trained", font_size=26, color=style.DIM_TEXT_COLOR).move_to([self.col_trained, self.row_top + 0.85, 0]),
        )
        self.title = MathTex(r"C = \sum_i (a_i - y_i)^2", font_size=36)
        self.title[0][0].set_color(style.COST_COLOR)
        self.title.move_to([(self.col_random + self.col_trained) / 2, 3.4, 0])
        self.rows = VGroup()
        self.row_costs = {"random": VGroup(), "trained": VGroup()}
        for r, i in enumerate(self.row_indices):
            y = self.row_top - r * self.row_pitch
            img = DigitImage(d.train_images[i], height=0.62).move_to([self.col_image - 0.35, y, 0])
            lab = MathTex(r"\to " + str(int(d.train_labels[i])), font_size=fs,
                          color=style.PALETTE.desired).next_to(img, RIGHT, buff=0.2)
            row = VGroup(img, lab)
            for key, x in (("random", self.col_random), ("trained", self.col_trained)):
                dec = DecimalNumber(float(self.example_costs[key][r]), num_decimal_places=self.places,
                                    font_size=fs, color=style.COST_COLOR).move_to([x, y, 0])
                self.row_costs[key].add(dec)
                row.add(dec)
            self.rows.add(row)
        self.play(Write(self.title), FadeIn(self.header))
        for row in self.rows:
            self.play(FadeIn(row, shift=0.3 * UP), run_time=0.6)
        self.wait(style.PAUSE)

    def show_average(self):
        fs = 30
        last_y = self.row_top - (self.n_examples - 1) * self.row_pitch
        dots = VGroup(*[MathTex(r"\vdots", font_size=fs).move_to([x, last_y - 0.65, 0])
                        for x in (self.col_image, self.col_random, self.col_trained)])
        line_y = last_y - 1.2
        line = Line([self.col_image - 0.9, line_y, 0], [self.col_trained + 0.9, line_y, 0],
                    stroke_width=2, color=style.DIM_TEXT_COLOR)
        avg_y = line_y - 0.55
        self.count_tex = f"\\text{{average of all }} {tex_int(self.train_count)}"
        label = MathTex(self.count_tex, font_size=26).move_to([self.col_image + 0.1, avg_y, 0])
        self.average_decimals = {}
        for key, x in (("random", self.col_random), ("trained", self.col_trained)):
            dec = DecimalNumber(float(self.averages[key]), num_decimal_places=self.places,
                                font_size=fs + 4, color=style.COST_COLOR).move_to([x, avg_y, 0])
            self.average_decimals[key] = dec
        self.average_label = label
        self.play(FadeIn(dots), Create(line))
        self.play(Write(label),
                  *[TransformFromCopy(self.row_costs[k], self.average_decimals[k]) for k in self.row_costs],
                  run_time=2)
        self.play(*[Create(SurroundingRectangle(self.average_decimals[k], color=style.COST_COLOR, buff=0.1))
                    for k in self.row_costs])
        self.wait(style.PAUSE)

    def show_bars(self):
        top = max(self.averages.values())
        self.bars, self.bar_decimals = {}, {}
        group = VGroup()
        for key, x in zip(("random", "trained"), self.bar_x):
            h = self.bar_max_height * self.averages[key] / top
            bar = Rectangle(width=1.3, height=max(h, 1e-3), stroke_width=0,
                            fill_color=style.COST_COLOR, fill_opacity=0.85)
            bar.move_to([x, self.bar_base_y + h / 2, 0])
            bar.cost = self.averages[key]
            dec = self.average_decimals[key].copy()
            dec.generate_target()
            dec.target.next_to(bar, UP, buff=0.15)
            name = Tex(f"{key} network", font_size=28).next_to([x, self.bar_base_y, 0], DOWN, buff=0.2)
            self.bars[key], self.bar_decimals[key] = bar, dec
            group.add(VGroup(bar, dec, name))
        axis = Line([self.bar_x[0] - 1.1, self.bar_base_y, 0], [self.bar_x[1] + 1.1, self.bar_base_y, 0],
                    stroke_width=2)
        self.ratio_tex = f"\\approx {self.ratio:.0f}\\times \\text{{ smaller}}"
        ratio = MathTex(self.ratio_tex, font_size=32, color=style.TEXT_COLOR)
        ratio.move_to([self.bar_x[1], self.bar_base_y + self.bar_max_height * 0.55, 0])
        self.ratio_mobject = ratio
        self.play(Create(axis))
        for key, (bar, dec, name) in zip(("random", "trained"), group):
            self.add(dec)
            self.play(GrowFromEdge(bar, DOWN), MoveToTarget(dec), FadeIn(name), run_time=1.2)
        self.play(Write(ratio))
        self.wait(2 * style.PAUSE)


# ===================================================================== CostIsAFunction
class CostIsAFunction(_CostScene):
    """Two functions: the network (784 numbers in, 10 out, 13,002 parameters) and the cost
    (13,002 numbers in, one out, parameterised by the training data).

    After ``construct``: ``network_box``/``cost_box`` (VGroups), ``texts`` (dict of MathTex
    strings shown: ``"network_in"``, ``"network_out"``, ``"network_params"``, ``"cost_in"``,
    ``"cost_out"``, ``"cost_data"``, ``"cost_value"``), ``parameter_indices`` and
    ``parameter_decimals`` (real entries of ``network.flat_parameters()``), ``output_decimals``
    (the trained network's outputs on the 3), ``cost_decimal`` (the real average cost of the
    trained network over ``train_count`` training examples) and ``average_cost``.
    """

    top_y = 1.9
    bottom_y = -1.6

    def construct(self):
        self.load()
        net = self.network
        d = self.data
        self.train_count = int(len(d.train_x))
        self.average_cost = net.cost(d.train_x, d.train_labels)
        self.outputs = net.feedforward(self.x)
        n_in, n_out, n_par = self.sizes[0], self.sizes[-1], net.num_parameters
        self.texts = {
            "network_in": f"{tex_int(n_in)}" + r"\text{ numbers in}",
            "network_out": f"{tex_int(n_out)}" + r"\text{ numbers out}",
            "network_params": f"{tex_int(n_par)}" + r"\text{ weights and biases}",
            "cost_in": f"{tex_int(n_par)}" + r"\text{ numbers in}",
            "cost_out": r"\text{1 number out}",
            "cost_data": r"\text{parameters: the }" + f"{tex_int(self.train_count)}"
                         + r"\text{ training examples}",
            "cost_value": r"C(\text{trained weights and biases}) = " + fmt(self.average_cost, 3),
        }

        self.beat(f"The network is a function: {n_in} pixel values in, {n_out} numbers out, "
                  f"shaped by {n_par:,} weights and biases.", "network")
        self.show_network_function()

        self.beat(f"The cost is a function too: its input is those {n_par:,} weights and "
                  "biases, its output one number.", "cost")
        self.show_cost_function()

        self.beat(f"And the {self.train_count:,} training examples are baked into it, "
                  "as its parameters.", "data")
        self.show_data()

        self.beat(f"At the trained weights and biases its value is {self.average_cost:.3f}; "
                  "learning means making it small.", "value")
        self.show_value()

    # -------------------------------------------------------------------- building
    @staticmethod
    def function_box(name: str, color, width=3.0, height=1.3):
        box = RoundedRectangle(corner_radius=0.15, width=width, height=height, stroke_color=color,
                               stroke_width=3, fill_color=color, fill_opacity=0.12)
        label = Tex(name, font_size=40, color=color).move_to(box)
        return VGroup(box, label)

    def show_network_function(self):
        y = self.top_y
        self.network_box = self.function_box("Network", style.TEXT_COLOR).move_to([0.3, y, 0])
        self.digit = DigitImage(self.image, height=1.5).move_to([-5.2, y, 0])
        arrow_in = Arrow(self.digit.get_right(), self.network_box.get_left(), buff=0.2,
                         color=style.DIM_TEXT_COLOR)
        self.output_decimals = VGroup(*[
            DecimalNumber(float(v), num_decimal_places=2, font_size=20) for v in self.outputs
        ]).arrange(DOWN, buff=0.05).move_to([4.9, y, 0])
        brackets = MathTex(r"\left[ \vphantom{\rule{1pt}{" + f"{self.output_decimals.height:.2f}" + r"cm}} \right]",
                           font_size=30)
        brackets.stretch_to_fit_height(self.output_decimals.height + 0.15).move_to(self.output_decimals)
        brackets.stretch_to_fit_width(self.output_decimals.width + 0.3)
        self.output_vector = VGroup(brackets, self.output_decimals)
        arrow_out = Arrow(self.network_box.get_right(), self.output_vector.get_left(), buff=0.2,
                          color=style.DIM_TEXT_COLOR)
        in_label = MathTex(self.texts["network_in"], font_size=28).next_to(arrow_in, DOWN, buff=0.15)
        out_label = MathTex(self.texts["network_out"], font_size=28).next_to(arrow_out, DOWN, buff=0.15)
        out_label.shift(0.2 * LEFT)
        params = MathTex(self.texts["network_params"], font_size=28, color=style.DIM_TEXT_COLOR)
        params.next_to(self.network_box, UP, buff=0.2)
        self.network_labels = {"in": in_label, "out": out_label, "params": params}
        self.play(FadeIn(self.network_box), FadeIn(self.digit))
        self.play(Create(arrow_in), Write(in_label))
        self.play(Create(arrow_out), FadeIn(self.output_vector), Write(out_label))
        self.play(Write(params))
        self.network_group = VGroup(self.network_box, arrow_in, arrow_out, in_label, out_label, params,
                                    self.output_vector)
        self.wait(style.PAUSE)

    def show_cost_function(self):
        y = self.bottom_y
        net = self.network
        theta = net.flat_parameters()
        n = theta.size
        self.parameter_indices = [0, 1, 2, 3, n - 2, n - 1]
        self.parameter_decimals = VGroup(*[
            DecimalNumber(float(theta[i]), num_decimal_places=2, font_size=22,
                          color=style.PALETTE.sign_color(theta[i]))
            for i in self.parameter_indices
        ])
        dots = MathTex(r"\vdots", font_size=26)
        column = VGroup(*self.parameter_decimals[:4], dots, *self.parameter_decimals[4:])
        column.arrange(DOWN, buff=0.08).move_to([-5.2, y, 0])
        for dd in self.parameter_decimals:
            dd.align_to(column, RIGHT)
        dots.set_x(column.get_center()[0])
        brackets = VGroup(MathTex("[", font_size=30), MathTex("]", font_size=30))
        for b, side in zip(brackets, (LEFT, RIGHT)):
            b.stretch_to_fit_height(column.height + 0.15)
            b.next_to(column, side, buff=0.08)
        brace = Brace(VGroup(column, brackets), LEFT, buff=0.1)
        brace_label = MathTex(tex_int(n), font_size=26).next_to(brace, LEFT, buff=0.1)
        self.parameter_vector = VGroup(column, brackets, brace, brace_label)
        self.cost_box = self.function_box("Cost function", style.COST_COLOR, width=3.4).move_to([0.3, y, 0])
        arrow_in = Arrow(VGroup(column, brackets).get_right(), self.cost_box.get_left(), buff=0.2,
                         color=style.DIM_TEXT_COLOR)
        in_label = MathTex(self.texts["cost_in"], font_size=28).next_to(arrow_in, DOWN, buff=0.15)
        out_end = [4.6, y, 0]
        arrow_out = Arrow(self.cost_box.get_right(), out_end, buff=0.2, color=style.DIM_TEXT_COLOR)
        out_label = MathTex(self.texts["cost_out"], font_size=28).next_to(arrow_out, DOWN, buff=0.15)
        self.cost_out_arrow = arrow_out
        self.cost_labels = {"in": in_label, "out": out_label}
        self.play(FadeIn(self.cost_box))
        self.play(FadeIn(self.parameter_vector), Create(arrow_in), Write(in_label))
        self.play(Create(arrow_out), Write(out_label))
        self.wait(style.PAUSE)

    def show_data(self):
        d = self.data
        thumbs = VGroup(*[DigitImage(d.train_images[i], height=0.55) for i in range(6)])
        thumbs.arrange(RIGHT, buff=0.1)
        dots = MathTex(r"\cdots", font_size=30).next_to(thumbs, RIGHT, buff=0.15)
        label = MathTex(self.texts["cost_data"], font_size=28, color=style.DIM_TEXT_COLOR)
        group = VGroup(VGroup(thumbs, dots), label).arrange(DOWN, buff=0.15)
        group.next_to(self.cost_box, DOWN, buff=0.55)
        self.data_group = group
        self.play(LaggedStart(*[FadeIn(t) for t in thumbs], lag_ratio=0.15), FadeIn(dots))
        self.play(Write(label))
        self.wait(style.PAUSE)

    def show_value(self):
        y = self.bottom_y
        self.cost_decimal = DecimalNumber(self.average_cost, num_decimal_places=3, font_size=44,
                                          color=style.COST_COLOR)
        self.cost_decimal.next_to(self.cost_out_arrow, RIGHT, buff=0.2)
        self.value_tex = MathTex(self.texts["cost_value"], font_size=36)
        self.value_tex[0][0].set_color(style.COST_COLOR)
        self.value_tex.to_edge(DOWN, buff=0.3)
        self.play(FadeIn(self.cost_decimal, shift=0.2 * RIGHT))
        self.play(Write(self.value_tex))
        self.play(Indicate(self.cost_decimal, color=style.COST_COLOR))
        self.wait(2 * style.PAUSE)
