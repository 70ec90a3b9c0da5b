"""Chapter 2, the cost function: how bad is a network, in one number?

Two scenes, every number computed from the real networks and the real MNIST data (the
average cost and the cost as a function of the parameters follow in ``average.py``):

* ``RandomNetworkIsTrash``: a freshly initialised network (same sizes as the trained one,
  seeded) fed the first 3 of the test set: its outputs are a mess; the trained network is not.
* ``CostOfOneExample``: that network's cost on the 3, term by term, C = Σ (aᵢ − yᵢ)²; then the
  trained network on the same 3 (small cost), and on its first misclassified test image.

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
    Brace,
    Circle,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    SurroundingRectangle,
    Tex,
    Transform,
    TransformFromCopy,
    VGroup,
    Write,
)

from network import Network, one_hot
from network.model import quadratic_costs
from scenes import style
from scenes.base import NetworkScene
from scenes.layout import caption
from scenes.ch1.pixels import first_of_class
from scenes.ch1.structure import place_network
from scenes.mobjects import DigitImage
from scenes.own_digit import ShownDigit, mnist_digit, own_digit_beat, test_digit
from scenes.text import held_out_words


# An output at or above this activation is called confident; every other output below
# DARK_BELOW is called dark. Narration says so only when the numbers show it.
CONFIDENT_AT = 0.8
DARK_BELOW = 0.1


# ============================================================================ helpers
def fmt(value: float, places: int) -> str:
    """``value`` as a ``DecimalNumber`` with ``places`` decimals shows it."""
    return f"{float(value):.{int(places)}f}"


def first_misclassified(network, x, labels) -> int | None:
    """Index of the first example the network gets wrong (None if it gets all right)."""
    wrong = np.flatnonzero(network.predict(x) != np.asarray(labels))
    return int(wrong[0]) if wrong.size else None


def verdict_words(outputs, label: int, confident_at: float = CONFIDENT_AT) -> str:
    """What ``outputs`` say about an example labelled ``label``, in words computed from them:
    right or wrong (the brightest output is the answer), and confident or not (its activation
    at or above ``confident_at``). E.g. "right and confident (3 at 0.97)"."""
    out = np.asarray(outputs, dtype=float)
    k = int(np.argmax(out))
    a = float(out[k])
    if k == int(label):
        how = "right and confident" if a >= confident_at else "right, but not confident"
        return f"{how} ({k} at {a:.2f})"
    how = "wrong and confident" if a >= confident_at else "wrong"
    return f"{how} (it says {k} at {a:.2f}; {int(label)} gets {out[int(label)]:.2f})"


def zero_output_cost(n_outputs: int, label: int) -> float:
    """The cost of answering nothing, every output 0: exactly 1 (the desired 1 missed)."""
    return float(quadratic_costs(np.zeros(n_outputs), one_hot(int(label), n_outputs)[0]))


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
    (aᵢ − yᵢ)², ``cost`` their sum (the quadratic cost, ``network.model.quadratic_costs``). ``a_places``,
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
    cost = float(quadratic_costs(a, y))  # the cost drawn, whatever the network trained with
    places = next((p for p in PRECISIONS if consistent(a, y, p)), PRECISIONS[-1])
    return CostBreakdown(a, y, squares, cost, *places)


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
        self.words = held_out_words(self.data)
        self.random_network = random_network(self.network, self.fresh_seed)
        config = getattr(self.model, "config", None)
        self.random_is_start = bool(config is not None and getattr(config, "seed", None) == self.fresh_seed
                                    and tuple(config.sizes) == self.sizes)
        self.image_index = first_of_class(self.data.test_labels, self.digit)[0]
        self.image = np.asarray(self.data.test_images[self.image_index])
        self.x = np.asarray(self.data.test_x[self.image_index], dtype=float)
        self.true_label = int(self.data.test_labels[self.image_index])

    def note_cost_shown(self):
        """If the network was trained with another cost, say on screen that what is drawn is
        the video's quadratic cost of its outputs. Sets ``cost_note`` (None if no note)."""
        self.cost_note = None
        if self.network.cost_name != "quadratic":
            self.cost_note = caption(f"this network was trained with the {self.network.cost_name} "
                                     "cost; shown is the video's quadratic cost of its outputs")
            self.cost_note.to_edge(DOWN, buff=0.15)
            self.add(self.cost_note)


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

        self.beat(f"Feed it a real {self.true_label}: {self.words.image} {self.image_index}, "
                  "which it has never seen.", "forward")
        self.run_forward()

        self.beat(self.mess_narration(), "mess")
        self.show_outputs()

        self.beat(self.trained_narration(), "trained")
        self.show_trained()

    # Outputs within this of the brightest are called "nearly as bright".
    close_within = 0.1

    def mess_narration(self) -> str:
        """The random network's answer, from its outputs: which is brightest, what the true
        digit gets, which others are within ``close_within`` of the brightest."""
        out = self.random_activations[-1]
        order = np.argsort(out)[::-1]
        k = int(order[0])
        close = [int(i) for i in order[1:] if out[k] - out[i] < self.close_within]
        if k == self.true_label:
            verdict = f"{k} is brightest, at {out[k]:.2f}"
            verdict += ", but only barely" if close else ", right by luck"
        else:
            verdict = (f"{k} is brightest, at {out[k]:.2f}, while {self.true_label} gets "
                       f"{out[self.true_label]:.2f}")
        if close:
            names = ", ".join(str(i) for i in close)
            verdict += f"; {names} {'is' if len(close) == 1 else 'are'} nearly as bright"
        judgement = "Its answer is trash" if (k != self.true_label or close) else "Its answer"
        return f"{judgement}: {verdict}."

    def trained_narration(self) -> str:
        """The trained network on the same image: its verdict (``verdict_words``), then either
        every other output dark (below ``DARK_BELOW``) or the brightest of the others."""
        out = np.asarray(self.trained_activations[-1], dtype=float)
        k = int(np.argmax(out))
        others = np.delete(out, k)
        if others.max() < DARK_BELOW:
            rest = f"every other output dark, below {DARK_BELOW:g}"
        else:
            j = int(np.delete(np.arange(out.size), k)[np.argmax(others)])
            rest = f"the next brightest is {j}, at {out[j]:.2f}"
        return f"The trained network, same image: {verdict_words(out, self.true_label)}; {rest}."

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
        self.digit_label = Tex(f"{self.words.image} \\#{self.image_index}", font_size=style.LABEL_FONT_SIZE,
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
                              f"of {self.words.images} right")
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
    :class:`CostBreakdown`; ``examples`` maps the same keys to ``(image index, label)`` (index
    None for the viewer's own digit: with ``NN_DIGIT`` the first example is theirs, and its
    true label is needed) and ``digits`` to their ``ShownDigit``.
    The last state drawn is the misclassified example; what each state showed is kept in
    ``shown[key]``: ``a_decimals``, ``y_decimals`` (DecimalNumbers), ``terms`` (MathTex rows,
    parts as in ``CostBreakdown.term_tex``), ``cost_decimal``, ``output_fills`` and
    ``desired_fills`` (fill opacities of the two columns). ``formula`` is the cost formula.
    """

    own_digit = "labelled"

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
        self.note_cost_shown()
        net, d = self.network, self.data
        own = self.use_own_digit()
        self.breakdowns = {"random": cost_breakdown(self.random_network, self.x, self.true_label),
                           "trained": cost_breakdown(net, self.x, self.true_label)}
        self.examples = {"random": (self.image_index, self.true_label),
                         "trained": (self.image_index, self.true_label)}
        self.digits = {"random": own, "trained": own}
        wrong = first_misclassified(net, d.test_x, d.test_labels)
        if wrong is not None:
            self.breakdowns["wrong"] = cost_breakdown(net, d.test_x[wrong],
                                                      int(d.test_labels[wrong]))
            self.examples["wrong"] = (wrong, int(d.test_labels[wrong]))
            self.digits["wrong"] = mnist_digit(d.test_images, d.test_x, d.test_labels, wrong,
                                               self.words.image)
        self.shown = {}

        if own.own:
            own_digit_beat(self, own)
        r = self.breakdowns["random"]
        n_out, d = len(r.a), self.true_label
        self.beat(f"The random network's {n_out} outputs on the {d}, beside what we wanted: "
                  f"1 for the {d}, 0 for every other digit.", "desired")
        self.show_columns(r)

        self.beat("Cost of this one example: add up the squares of the differences.", "terms")
        self.show_terms(r)

        self.beat(self.sum_narration(r), "sum")
        self.show_sum(r)

        self.beat(self.trained_narration(), "trained")
        self.switch_to("trained", "trained network")

        if "wrong" in self.breakdowns:
            self.beat(self.wrong_narration(), "wrong")
            self.switch_to("wrong", "trained network")
        self.wait(style.PAUSE)

    def use_own_digit(self):
        """The example: the first test image of ``digit``, or the viewer's (``NN_DIGIT``,
        which needs its true label here); sets ``image_index`` (None for the viewer's),
        ``image``, ``x`` and ``true_label`` to it and returns its ``ShownDigit``."""
        digit = test_digit(self, self.image_index, self.words.image, need_label=True)
        self.image_index, self.image, self.x = digit.index, digit.pixels, digit.x
        self.true_label = digit.label
        return digit

    # -------------------------------------------------------------------- narration
    def sum_narration(self, b: CostBreakdown) -> str:
        """The random network's cost against the cost of answering nothing (every output 0),
        which is exactly 1: a yardstick computed, not assumed."""
        zero = zero_output_cost(len(b.a), self.true_label)
        if b.cost > zero:
            how = (f"more than the {zero:g} that all-zero outputs would cost: the network is "
                   "far from right")
        else:
            how = f"no more than the {zero:g} that all-zero outputs would cost"
        return f"Their sum is {b.cost_text()}, {how}."

    def trained_narration(self) -> str:
        t, r = self.breakdowns["trained"], self.breakdowns["random"]
        size = "only " if t.cost < r.cost else ""
        return (f"The trained network on the same {self.true_label}: "
                f"{verdict_words(t.a, self.true_label)}, a cost of {size}{t.cost_text()}.")

    def wrong_narration(self) -> str:
        w, t = self.breakdowns["wrong"], self.breakdowns["trained"]
        index, label = self.examples["wrong"]
        guess = int(np.argmax(w.a))
        change = "jumps to" if w.cost > t.cost else "is"
        return (f"{self.words.image.capitalize()} {index} is a {label}; the trained network "
                f"says {guess}, and the cost {change} {w.cost_text()}.")

    # --------------------------------------------------------------------- building
    def row_y(self, i: int) -> float:
        return self.rows_top - i * self.row_pitch

    def build_state(self, b: CostBreakdown, digit: ShownDigit, who: str) -> dict:
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
        shown = digit
        digit = DigitImage(shown.pixels, height=1.6)
        digit.move_to([self.digit_x, 1.4, 0])
        digit_caption = VGroup(
            Tex(shown.tex_name, font_size=24, color=style.DIM_TEXT_COLOR),
            Tex(f"label {shown.label}", font_size=24, color=style.PALETTE.desired),
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
        s = self.state = self.build_state(b, self.digits["random"], "random network")
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
        old, new = self.state, self.build_state(b, self.digits[key], who)
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
