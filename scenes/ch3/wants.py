"""Chapter 3, what one example wants: the story's training "2" run through the partly trained
network, what its outputs wish for, the three ways the "2" neuron can get brighter, and which
weights this example most wants to grow.

Every number on screen comes from ``network.forward`` and ``network.backprop`` on the story
example (``Chapter3Scene.load_story``) with the network's own cost (the video's quadratic
C = Σ (aᵢ − yᵢ)², or cross-entropy, e.g. ``NN_PRESET=tweaked``): nothing drawn here depends on
which, since every nudge is backprop's. A previous layer of more than 16 neurons is drawn in
part, always including the neurons a scene talks about (``indices_including``).

Scenes: ``GradientSensitivity``, ``OneExampleWants``, ``ThreeAvenues``,
``FireTogetherWireTogether``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    FadeTransform,
    GrowArrow,
    Indicate,
    LaggedStart,
    Line,
    MathTex,
    SurroundingRectangle,
    TransformFromCopy,
    VGroup,
    Write,
)

from network.model import Network
from scenes import style
from scenes.layout import caption, vertical_arrow
from scenes.ch3.story import Chapter3Scene
from scenes.mobjects import DigitImage, NetworkMobject, indices_including
from scenes.own_digit import own_digit_beat
from scenes.text import color_word, decimal_places


PAL = style.PALETTE


# ---------------------------------------------------------------------------- pure helpers
def story_backprop(network, x, label: int):
    """``(activations, gradient)`` of one example: the forward pass and backprop's output."""
    _, activations = network.forward(x)
    return activations, network.backprop(x, int(label))


def last_layer_network(network, weights=None) -> Network:
    """A two-layer ``Network`` holding only ``network``'s last weight matrix (or ``weights`` of
    that shape in its place), so ``NetworkMobject`` can draw the last two layers."""
    w = np.asarray(network.weights[-1] if weights is None else weights, dtype=float)
    if w.shape != network.weights[-1].shape:
        raise ValueError(f"expected weights of shape {network.weights[-1].shape}, got {w.shape}")
    sub = network.sub_network(network.num_layers - 2, network.num_layers - 1)
    sub.weights = [w.copy()]
    return sub


def nudge_stroke(value: float, largest: float, min_width: float = 0.6, max_width: float = 6.0):
    """Stroke of an edge standing for a nudge ``value``: sign colour, width and opacity linear
    in |value| / ``largest`` (linear, so twice the nudge is twice as wide)."""
    r = min(abs(value) / largest, 1.0) if largest > 0 else 0.0
    return {"color": PAL.sign_color(value), "width": min_width + (max_width - min_width) * r,
            "opacity": 0.25 + 0.75 * r}


def place_network(nm: NetworkMobject, height: float, center) -> NetworkMobject:
    if nm.height > height:
        nm.scale_to_fit_height(height)
    return nm.move_to(center)


def source_labels(nm: NetworkMobject, font_size: float = 20) -> VGroup:
    """Each drawn neuron of ``nm``'s first layer labelled with its real index, on its left."""
    return VGroup(*[MathTex(str(c.neuron_index), font_size=font_size, color=PAL.dim_text)
                    .next_to(c, LEFT, buff=0.12) for c in nm.layers[0].neurons])


def shown_note(nm: NetworkMobject, font_size: float = 20) -> VGroup:
    """Under ``nm``'s first layer, "k of n shown" when it is drawn in part (else empty)."""
    k, n = len(nm.layers[0].neurons), nm.sizes[0]
    if k == n:
        return VGroup()
    return caption(f"{k} of {n} shown", font_size=font_size).next_to(nm.layers[0], DOWN, buff=0.12)


class StoryScene(Chapter3Scene):
    """Loads the story: ``activations`` (the forward pass of the story example) and
    ``gradient`` (``network.backprop`` of it against its label)."""

    own_digit = "labelled"

    def load(self):
        self.load_story()
        self.activations, self.gradient = story_backprop(self.network, self.example_x,
                                                         self.example_label)
        self.outputs = np.asarray(self.activations[-1], dtype=float)

    def story_caption(self, extra: str = "") -> VGroup:
        text = (f"{self.example_name} (a {self.example_label}), "
                f"partly trained network ({100 * self.model.test_accuracy:.0f}% right on test)")
        cap = caption(text + extra).to_edge(UP, buff=0.25)
        if cap.width > 13.4:
            cap.scale_to_fit_width(13.4)
        return cap


# ===================================================================== OneExampleWants
class OneExampleWants(StoryScene):
    """One real training "2" through the partly trained network, and what it wants.

    The output column on the right is the network's output layer enlarged: circle ``i`` is
    filled with opacity ``aᵢ``; beside it ``aᵢ`` and the wish ``yᵢ − aᵢ`` (target y: 1 for the
    label, 0 elsewhere), and an arrow, up (positive colour) when ``yᵢ − aᵢ > 0`` else down,
    ``arrow_max_length · |yᵢ − aᵢ| / maxⱼ |yⱼ − aⱼ|`` long.

    Exposes: ``outputs`` (a), ``targets`` (y), ``wishes`` (y − a), ``network_mobject``,
    ``digit``, ``output_circles``, ``value_mobjects`` (DecimalNumbers aᵢ), ``wish_mobjects``
    (DecimalNumbers yᵢ − aᵢ), ``arrows`` (``arrows[i].signed_length``, + up), ``answer``
    (the network's guess).
    """

    row_spacing = 0.64
    arrow_max_length = 0.58
    panel_x = 3.2

    def construct(self):
        self.load()
        if self.story_digit.own:
            own_digit_beat(self, self.story_digit)
            self.beat(f"Take your {self.example_label} and run it through the partly trained "
                      "network.", "forward")
        else:
            self.beat(f"Take one training image, a {self.example_label}, and run it through the "
                      "partly trained network.", "forward")
        self.show_forward_pass()

        self.beat(self.answer_phrase(), "outputs")
        self.show_outputs()

        self.beat(f"This example wants {self.wish_phrase()}.", "wishes")
        self.show_arrows()

        self.beat("Each wish is sized by how far that output is from its target: "
                  "the farther, the bigger the nudge.", "sizes")
        self.show_sizes()

    # ------------------------------------------------------------------------- data
    def load(self):
        super().load()
        n = self.sizes[-1]
        self.targets = np.zeros(n)
        self.targets[self.example_label] = 1.0
        self.wishes = self.targets - self.outputs
        self.answer = int(np.argmax(self.outputs))
        self.largest_wish = float(np.max(np.abs(self.wishes))) or 1.0

    def row_y(self, i: int) -> float:
        return (len(self.outputs) - 1) / 2 * self.row_spacing - i * self.row_spacing - 0.3

    def answer_phrase(self) -> str:
        """The network's answer and its output for the label, measured."""
        label, a = self.example_label, self.outputs[self.example_label]
        if self.answer != label:
            return (f"It answers {self.answer} ({self.outputs[self.answer]:.2f}): its output for "
                    f"{label} is {a:.2f}, not the brightest.")
        return f"It answers {label}, rightly: its output for {label} is {a:.2f}, the brightest."

    def wish_phrase(self) -> str:
        """Which outputs the example wants brighter and which dimmer, from the wishes' signs."""
        up = [i for i, w in enumerate(self.wishes) if w > 0]
        down = [i for i, w in enumerate(self.wishes) if w < 0]
        if up == [self.example_label] and len(down) == len(self.wishes) - 1:
            return f"the {self.example_label} brighter and every other output dimmer"
        names = lambda ks: ", ".join(str(k) for k in ks) or "none"
        return f"brighter: {names(up)}; dimmer: {names(down)}"

    # ------------------------------------------------------------------------ beats
    def show_forward_pass(self):
        self.caption = self.story_caption()
        self.digit = DigitImage(self.example_x.reshape(28, 28), height=2.2).move_to([-5.7, 0.2, 0])
        nm = NetworkMobject(self.network, example=self.example_x, layer_spacing=1.7)
        self.network_mobject = place_network(nm, 5.8, [-1.2, -0.3, 0])
        self.play(FadeIn(self.caption, shift=0.2 * DOWN), FadeIn(self.digit),
                  FadeIn(nm, lag_ratio=0.02), run_time=1.5)
        self.play(nm.forward_pass_animation(self.activations, run_time_per_layer=1.0))
        self.box = nm.highlight_output(self.answer)
        self.play(Create(self.box))

    def show_outputs(self):
        fs = 28
        nm = self.network_mobject
        self.output_circles = VGroup()
        self.digit_labels = VGroup()
        self.value_mobjects = VGroup()
        for i, a in enumerate(self.outputs):
            y = self.row_y(i)
            c = Circle(radius=0.22, stroke_color=style.NEURON_STROKE_COLOR,
                       stroke_width=style.NEURON_STROKE_WIDTH, fill_color=style.NEURON_FILL_COLOR,
                       fill_opacity=float(np.clip(a, 0, 1))).move_to([self.panel_x, y, 0])
            label = MathTex(str(i), font_size=fs).next_to(c, LEFT, buff=0.15)
            value = DecimalNumber(float(a), num_decimal_places=2, font_size=fs)
            value.next_to(c, RIGHT, buff=0.25)
            self.output_circles.add(c)
            self.digit_labels.add(label)
            self.value_mobjects.add(value)
        self.a_header = MathTex("a_i", font_size=fs + 2).next_to(self.value_mobjects[0], UP, buff=0.22)
        sources = nm.layers[-1].neurons
        self.play(LaggedStart(*[TransformFromCopy(s, c) for s, c in zip(sources, self.output_circles)],
                              lag_ratio=0.05),
                  FadeIn(self.digit_labels), run_time=1.5)
        self.play(FadeIn(self.a_header), LaggedStart(*[FadeIn(v) for v in self.value_mobjects],
                                                    lag_ratio=0.05))
        self.label_box = SurroundingRectangle(
            VGroup(self.digit_labels[self.example_label], self.value_mobjects[self.example_label]),
            color=PAL.desired, buff=0.08)
        self.play(Create(self.label_box))

    def show_arrows(self):
        x = self.value_mobjects.get_right()[0] + 0.45
        self.arrows = VGroup(*[
            vertical_arrow([x, self.row_y(i), 0], self.arrow_max_length * w / self.largest_wish)
            for i, w in enumerate(self.wishes)])
        self.play(FadeOut(self.label_box), LaggedStart(*[
            FadeIn(a, shift=0.15 * (UP if a.signed_length > 0 else DOWN)) for a in self.arrows],
            lag_ratio=0.08), run_time=2)

    def show_sizes(self):
        fs = 28
        self.wish_mobjects = VGroup()
        x = self.arrows.get_right()[0] + 0.2
        for i, w in enumerate(self.wishes):
            d = DecimalNumber(float(w), num_decimal_places=3, include_sign=True, font_size=fs,
                              color=PAL.sign_color(w))
            d.move_to([x, self.row_y(i), 0], aligned_edge=LEFT)
            self.wish_mobjects.add(d)
        self.wish_header = MathTex("y_i - a_i", font_size=30).next_to(self.wish_mobjects[0], UP, buff=0.22)
        self.wish_header.set_color_by_tex("y", PAL.desired)
        big = sorted(range(len(self.wishes)), key=lambda i: -abs(self.wishes[i]))[:2]
        self.play(FadeIn(self.wish_header),
                  LaggedStart(*[FadeIn(d) for d in self.wish_mobjects], lag_ratio=0.05))
        self.play(*[Indicate(VGroup(self.arrows[i], self.wish_mobjects[i])) for i in big], run_time=1.5)


# ======================================================================== ThreeAvenues
class ThreeAvenues(StoryScene):
    """The "2" output neuron, a = σ(Σⱼ w₂ⱼ aⱼ + b₂), and the three ways to raise it, sized by
    the real gradient of the story example's cost.

    Left: the previous layer's neurons (real activations aⱼ, index labels), an edge from each to
    the "2" neuron (colour by the sign of w₂ⱼ, width/opacity as ``NetworkMobject``'s rule).
    With δ = ∂C/∂z₂ (backprop's ``biases[-1][2]``):

    1. bias: −∂C/∂b₂ = −δ, an arrow beside the neuron;
    2. weights: −∂C/∂w₂ⱼ = −δ aⱼ; the edges are redrawn with ``nudge_stroke`` of that value
       (linear width), and the ``top_k`` largest are boxed with their aⱼ;
    3. activations: this neuron's share of −∂C/∂aⱼ, −δ w₂ⱼ; an arrow beside each previous
       neuron, ``arrow_max_length · |δ w₂ⱼ| / maxₖ |δ w₂ₖ|`` long, up when positive.

    A previous layer of more than ``max_shown`` neurons is drawn in part: ``shown_sources``
    (:func:`indices_including` of the ``top_sources`` and the ``activation_source``), a ⋮
    wherever drawn indices skip neurons, and a note "k of n shown"; edges, boxes and arrows
    exist only for drawn neurons (``prev_circles[r]``, ``edges[..].source``,
    ``activation_arrows[r].source`` all follow ``shown_sources``).

    Exposes: ``target`` (2), ``prev_activations``, ``row_weights`` (w₂ⱼ), ``bias``, ``z``,
    ``delta``, ``bias_nudge`` (−δ), ``weight_nudges`` (−δ aⱼ), ``activation_nudges`` (−δ w₂ⱼ),
    ``z_number``/``a_number``/``b_number`` and ``bias_nudge_number``, ``weight_number``,
    ``activation_number`` (DecimalNumbers), ``edges`` (``edges[j].source``),
    ``nudge_edges``, ``bias_arrow``, ``activation_arrows`` (``.signed_length``), ``top_sources``.
    """

    top_k = 3
    arrow_max_length = 0.36
    prev_x = -5.0
    neuron_x = -1.9
    center_y = -0.35
    prev_spacing = 0.39       # at most; a long column is squeezed into column_height
    column_height = 5.85
    gap_rows = 0.6            # a ⋮ between drawn neurons takes this many rows
    max_shown = style.MAX_SHOWN_NEURONS

    def construct(self):
        self.load()
        self.beat(f"Focus on the output for {self.target}: a squished weighted sum of the "
                  f"previous layer, now {self.a_value:.2f} where it should be 1.", "neuron")
        self.show_neuron()

        up = self.bias_nudge > 0          # the cost wants this neuron brighter
        self.beat(f"Three ways to make it {'brighter' if up else 'dimmer'}. One: "
                  f"{'raise' if up else 'lower'} its bias.", "bias")
        self.show_bias()

        self.beat(f"Two: {'raise' if up else 'lower'} its weights, each in proportion to the "
                  "activation it multiplies; the brightest neurons' edges matter most.", "weights")
        self.show_weights()

        more, less = ("brighter", "dimmer") if up else ("dimmer", "brighter")
        self.beat("Three: change the previous activations in proportion to their weights, "
                  f"{more} where the weight is positive, {less} where negative.", "activations")
        self.show_activations()

    # ------------------------------------------------------------------------- data
    def load(self):
        super().load()
        self.target = self.example_label
        t = self.target
        self.prev_activations = np.asarray(self.activations[-2], dtype=float)
        self.row_weights = np.asarray(self.network.weights[-1][t], dtype=float)
        self.bias = float(self.network.biases[-1][t])
        self.z = float(self.row_weights @ self.prev_activations + self.bias)
        self.a_value = float(self.outputs[t])
        self.delta = float(self.gradient.biases[-1][t])
        self.bias_nudge = -self.delta
        self.weight_nudges = -np.asarray(self.gradient.weights[-1][t], dtype=float)
        self.activation_nudges = -self.delta * self.row_weights
        self.top_sources = [int(j) for j in np.argsort(-np.abs(self.weight_nudges))[:self.top_k]]
        self.activation_source = int(np.argmax(np.abs(self.activation_nudges)))
        self.shown_sources = indices_including(len(self.prev_activations),
                                               self.top_sources + [self.activation_source],
                                               self.max_shown)
        self.layout_rows()

    def layout_rows(self):
        """``source_y`` (drawn neuron → y) and ``gap_ys`` (where a ⋮ stands for skipped ones)."""
        shown = self.shown_sources
        units = [0.0]
        for a, b in zip(shown, shown[1:]):
            units.append(units[-1] + 1 + (self.gap_rows if b != a + 1 else 0))
        spacing = min(self.prev_spacing, self.column_height / units[-1]) if units[-1] else 0
        top = self.center_y + units[-1] * spacing / 2
        self.row_spacing = spacing
        self.source_y = {j: top - u * spacing for j, u in zip(shown, units)}
        self.gap_ys = [(self.source_y[a] + self.source_y[b]) / 2
                       for a, b in zip(shown, shown[1:]) if b != a + 1]

    def prev_y(self, j: int) -> float:
        return self.source_y[j]

    # ------------------------------------------------------------------------ beats
    def show_neuron(self):
        self.caption = self.story_caption()
        self.prev_circles = VGroup()
        self.index_labels = VGroup()
        self.circle_of, self.label_of = {}, {}
        for j in self.shown_sources:
            a = self.prev_activations[j]
            c = Circle(radius=0.13, stroke_color=style.NEURON_STROKE_COLOR,
                       stroke_width=style.NEURON_STROKE_WIDTH, fill_color=style.NEURON_FILL_COLOR,
                       fill_opacity=float(np.clip(a, 0, 1))).move_to([self.prev_x, self.prev_y(j), 0])
            c.neuron_index = j
            label = MathTex(str(j), font_size=20, color=PAL.dim_text).move_to(
                [self.prev_x - 1.15, self.prev_y(j), 0])
            self.prev_circles.add(c)
            self.index_labels.add(label)
            self.circle_of[j], self.label_of[j] = c, label
        self.gap_dots = VGroup(*[MathTex(r"\vdots", color=style.NEURON_STROKE_COLOR)
                                 .scale_to_fit_height(0.5 * self.gap_rows * self.row_spacing)
                                 .move_to([self.prev_x, y, 0]) for y in self.gap_ys])
        n = len(self.prev_activations)
        self.shown_note = VGroup()
        if len(self.shown_sources) < n:
            self.shown_note = caption(f"{len(self.shown_sources)} of {n} shown", font_size=20)
            self.shown_note.move_to([self.prev_x - 0.6, self.center_y - self.column_height / 2 - 0.42, 0])
        self.neuron = Circle(radius=0.42, stroke_color=style.NEURON_STROKE_COLOR,
                             stroke_width=3, fill_color=style.NEURON_FILL_COLOR,
                             fill_opacity=self.a_value).move_to([self.neuron_x, self.center_y, 0])
        self.neuron_label = MathTex(str(self.target), font_size=40).next_to(self.neuron, DOWN, buff=0.15)
        largest = float(np.max(np.abs(self.row_weights))) or 1.0
        self.edges = VGroup()
        for j in sorted(self.shown_sources, key=lambda k: abs(self.row_weights[k])):  # strongest on top
            w = float(self.row_weights[j])
            r = (abs(w) / largest) ** style.EDGE_POWER
            p, q = self.circle_of[j].get_center(), self.neuron.get_center()
            u = (q - p) / np.linalg.norm(q - p)
            e = Line(p + 0.13 * u, q - 0.42 * u)
            e.set_stroke(PAL.sign_color(w), width=style.EDGE_MIN_WIDTH + (style.EDGE_MAX_WIDTH - style.EDGE_MIN_WIDTH) * r,
                         opacity=style.EDGE_MIN_OPACITY + (style.EDGE_MAX_OPACITY - style.EDGE_MIN_OPACITY) * r)
            e.source = int(j)
            self.edges.add(e)

        fs = 34
        t = self.target
        self.formula = MathTex(rf"a_{{{t}}}", "=", r"\sigma", "(", rf"w_{{{t},0}}a_0 + w_{{{t},1}}a_1 + \cdots + w_{{{t},{n - 1}}}a_{{{n - 1}}}",
                               "+", rf"b_{{{t}}}", ")", font_size=fs)
        self.formula[2].set_color(PAL.highlight)
        self.formula[6].set_color(PAL.bias)
        self.formula.move_to([2.55, 2.85, 0])
        self.z_label = MathTex(rf"z_{{{t}}} =", font_size=fs, color=PAL.weighted_sum)
        self.z_number = DecimalNumber(self.z, num_decimal_places=2, include_sign=True, font_size=fs,
                                      color=PAL.weighted_sum)
        self.a_label = MathTex(rf"\quad a_{{{t}}} = \sigma(z_{{{t}}}) =", font_size=fs)
        self.a_number = DecimalNumber(self.a_value, num_decimal_places=2, font_size=fs)
        self.z_line = VGroup(self.z_label, self.z_number, self.a_label, self.a_number).arrange(RIGHT, buff=0.15)
        self.z_line.next_to(self.formula, DOWN, buff=0.3)
        self.play(FadeIn(self.caption, shift=0.2 * DOWN), FadeIn(self.prev_circles), FadeIn(self.index_labels),
                  FadeIn(self.gap_dots), FadeIn(self.shown_note), FadeIn(self.neuron), FadeIn(self.neuron_label), run_time=1.2)
        self.play(LaggedStart(*[Create(e) for e in self.edges], lag_ratio=0.04), Write(self.formula),
                  run_time=2)
        self.play(FadeIn(self.z_line, shift=0.2 * UP))

    def avenue_line(self, number: int, tex: str, value: float, y: float):
        head = MathTex(rf"\text{{{number}.}}\ ", tex, "=", font_size=32)
        d = DecimalNumber(value, num_decimal_places=3, include_sign=True, font_size=32,
                          color=PAL.sign_color(value))
        line = VGroup(head, d).arrange(RIGHT, buff=0.15)
        line.move_to([-0.4, y, 0], aligned_edge=LEFT)
        return line, d

    def show_bias(self):
        t = self.target
        line, self.bias_nudge_number = self.avenue_line(1, rf"-\frac{{\partial C}}{{\partial b_{{{t}}}}}",
                                                        self.bias_nudge, 1.15)
        line[0][1].set_color(PAL.bias)
        self.bias_line = line
        self.b_number = DecimalNumber(self.bias, num_decimal_places=2, include_sign=True, font_size=28,
                                      color=PAL.bias)
        b_label = MathTex(rf"b_{{{t}}} =", font_size=28, color=PAL.bias)
        self.b_readout = VGroup(b_label, self.b_number).arrange(RIGHT, buff=0.1)
        self.b_readout.next_to(self.neuron, UP, buff=0.55)
        self.bias_arrow = vertical_arrow([self.neuron.get_right()[0] + 0.3, self.center_y + 0.05, 0],
                                         0.7 * np.sign(self.bias_nudge), stroke_width=6)
        self.play(FadeIn(self.b_readout), Indicate(self.formula[6], color=PAL.bias))
        self.play(GrowArrow(self.bias_arrow), Write(line), run_time=1.5)

    def show_weights(self):
        t = self.target
        j = self.top_sources[0]
        line, self.weight_number = self.avenue_line(
            2, rf"-\frac{{\partial C}}{{\partial w_{{{t},{j}}}}} = -\delta\, a_{{{j}}}",
            float(self.weight_nudges[j]), -0.4)
        self.weight_line = line
        delta_note = VGroup(MathTex(rf"\delta = \frac{{\partial C}}{{\partial z_{{{t}}}}} =", font_size=26),
                            DecimalNumber(self.delta, num_decimal_places=3, include_sign=True, font_size=26))
        delta_note.arrange(RIGHT, buff=0.1).next_to(line, DOWN, buff=0.2).align_to(line, LEFT).shift(0.5 * RIGHT)
        self.delta_number = delta_note[1]
        self.delta_note = delta_note
        largest = float(np.max(np.abs(self.weight_nudges))) or 1.0
        self.nudge_edges = VGroup()
        for e in self.edges:
            n = e.copy().set_stroke(**nudge_stroke(float(self.weight_nudges[e.source]), largest))
            n.source = e.source
            self.nudge_edges.add(n)
        self.source_boxes = VGroup(*[
            SurroundingRectangle(VGroup(self.circle_of[s], self.label_of[s]), color=PAL.highlight,
                                 buff=0.05) for s in self.top_sources])
        self.play(*[FadeTransform(e, n) for e, n in zip(self.edges, self.nudge_edges)], run_time=1.5)
        self.play(Create(self.source_boxes), Write(line), FadeIn(delta_note), run_time=1.5)

    def show_activations(self):
        t = self.target
        j = self.activation_source
        line, self.activation_number = self.avenue_line(
            3, rf"-\delta\, w_{{{t},{j}}}", float(self.activation_nudges[j]), -2.25)
        self.activation_line = line
        note = MathTex(rf"\text{{neuron {t}'s share of }} -\partial C/\partial a_{{{j}}}"
                       rf"\text{{; }} w_{{{t},{j}}} = {self.row_weights[j]:+.2f}", font_size=24,
                       color=PAL.dim_text)
        note.next_to(line, DOWN, buff=0.15).align_to(line, LEFT).shift(0.5 * RIGHT)
        largest = float(np.max(np.abs(self.activation_nudges))) or 1.0
        x = self.prev_x - 0.5
        self.activation_arrows = VGroup()
        for k in self.shown_sources:
            arrow = vertical_arrow([x, self.prev_y(k), 0],
                                   self.arrow_max_length * self.activation_nudges[k] / largest,
                                   stroke_width=4)
            arrow.source = k
            self.activation_arrows.add(arrow)
        self.arrows_header = MathTex(rf"-\delta\, w_{{{t},j}}", font_size=22).next_to(
            self.activation_arrows, UP, buff=0.15)
        self.play(FadeOut(self.source_boxes), FadeIn(self.arrows_header), LaggedStart(*[
            FadeIn(a, shift=0.1 * (UP if a.signed_length > 0 else DOWN)) for a in self.activation_arrows],
            lag_ratio=0.05), run_time=2)
        self.play(Write(line), FadeIn(note),
                  Indicate(self.activation_arrows[self.shown_sources.index(j)]))
        self.activation_note = note


# ============================================================ FireTogetherWireTogether
class FireTogetherWireTogether(StoryScene):
    """The Hebbian echo, read off the real gradient: the last two layers drawn with each edge
    standing for −∂C/∂w (its nudge) instead of w, and the ``top_k`` largest increases picked
    out. They all run into the label's neuron (the one that should fire more) and leave from
    the most active neurons of the previous layer.

    Exposes: ``nudges`` (−∂C/∂W of the last layer), ``top_edges`` (``(target, source)`` of the
    ``top_k`` largest entries of ``nudges``, largest first), ``top_rows`` (per top edge: the
    source's activation and the nudge, as DecimalNumbers ``(a_number, nudge_number)``),
    ``most_active`` (the ``top_k`` most active previous neurons), ``shown_sources`` (the
    previous neurons drawn: all, or for a large layer :func:`indices_including` the top edges'
    sources and ``most_active``), ``network_mobject`` (real weights), ``nudge_mobject`` (nudges
    as weights), ``glows``.
    """

    top_k = 3

    def construct(self):
        self.load()
        self.beat(f"The last two layers, lit by the same {self.example_label}. Which of these "
                  "weights does the example most want to grow?", "layers")
        self.show_layers()

        self.beat(f"Redraw each edge by its nudge, minus the gradient: "
                  f"{color_word(PAL.positive)} to grow, {color_word(PAL.negative)} to shrink.",
                  "nudges")
        self.show_nudges()

        into = sum(t == self.example_label for t, _ in self.top_edges)
        self.beat(f"The {self.top_k} biggest increases: {self.share_word(into)} run into the "
                  f"{self.example_label}, the neuron that should fire more…", "into")
        self.show_top_edges()

        active = len({s for _, s in self.top_edges} & set(self.most_active))
        echo = ("Neurons that fire together wire together: a loose echo of how brains are "
                "thought to learn." if active == self.top_k else
                "Only a partial echo, here, of how brains are thought to learn: neurons that "
                "fire together wire together.")
        self.beat(f"…and {self.share_word(active)} leave from the {self.top_k} most active "
                  f"neurons. {echo}", "hebb")
        self.show_sources()

    def load(self):
        super().load()
        self.prev_activations = np.asarray(self.activations[-2], dtype=float)
        self.nudges = -np.asarray(self.gradient.weights[-1], dtype=float)
        order = np.argsort(-self.nudges, axis=None)[:self.top_k]
        self.top_edges = [tuple(int(v) for v in np.unravel_index(k, self.nudges.shape)) for k in order]
        self.most_active = [int(j) for j in np.argsort(-self.prev_activations)[:self.top_k]]
        # A large previous layer is drawn in part: always the top edges' sources and the most active.
        self.shown_sources = indices_including(len(self.prev_activations),
                                               [s for _, s in self.top_edges] + self.most_active)

    def share_word(self, k: int) -> str:
        """``k`` of the ``top_k`` top edges in words: "all", "none", "2 of them"."""
        if k == self.top_k:
            return "both" if k == 2 else "all"
        return "none" if k == 0 else f"{k} of them"

    def build(self, weights):
        nm = NetworkMobject(last_layer_network(self.network, weights), layer_spacing=4.2,
                            neuron_radius=0.17, neuron_buff=0.17, input_indices=self.shown_sources,
                            braces=False)
        partial = len(self.shown_sources) < len(self.prev_activations)
        place_network(nm, 6.2 if partial else 6.6, [-2.6, -0.1 if partial else -0.3, 0])
        nm.set_layer_activation(0, self.prev_activations)
        nm.set_layer_activation(1, self.outputs)
        return nm

    def show_layers(self):
        self.caption = self.story_caption()
        self.network_mobject = self.build(None)
        self.source_labels = source_labels(self.network_mobject)
        self.shown_note = shown_note(self.network_mobject)
        self.play(FadeIn(self.caption, shift=0.2 * DOWN), FadeIn(self.network_mobject, lag_ratio=0.01),
                  FadeIn(self.source_labels), FadeIn(self.shown_note), run_time=2)

    def show_nudges(self):
        self.nudge_mobject = self.build(self.nudges)
        self.title = MathTex(r"\text{edges: }-\partial C/\partial w", font_size=34)
        self.title.move_to([4.0, 2.4, 0])
        old, new = self.network_mobject.edge_groups, self.nudge_mobject.edge_groups
        self.play(FadeOut(old), FadeIn(new), FadeIn(self.title), run_time=2)
        self.remove(self.network_mobject)
        self.add(self.nudge_mobject)

    def edge(self, target: int, source: int) -> Line:
        for e in self.nudge_mobject.edge_groups[0]:
            if e.target == target and e.source == source:
                return e
        raise KeyError((target, source))

    def show_top_edges(self):
        nm = self.nudge_mobject
        self.glows = VGroup(*[self.edge(t, s).copy().set_stroke(PAL.highlight, width=6, opacity=1)
                              for t, s in self.top_edges])
        targets = sorted({t for t, _ in self.top_edges})
        self.target_boxes = VGroup(*[nm.highlight_output(t) for t in targets])
        fs = 30
        header = VGroup(MathTex(r"\text{from}", font_size=fs), MathTex(r"a_j", font_size=fs),
                        MathTex(r"\text{to}", font_size=fs),
                        MathTex(r"-\partial C / \partial w", font_size=fs))
        self.top_rows = []
        rows = VGroup()
        for t, s in self.top_edges:
            a = DecimalNumber(float(self.prev_activations[s]), num_decimal_places=2, font_size=fs)
            n = DecimalNumber(float(self.nudges[t, s]), num_decimal_places=3, include_sign=True,
                              font_size=fs, color=PAL.sign_color(self.nudges[t, s]))
            rows.add(VGroup(MathTex(str(s), font_size=fs), a, MathTex(str(t), font_size=fs), n))
            self.top_rows.append((a, n))
        table = VGroup(header, *rows)
        for c in range(4):
            x = 1.9 + 1.4 * c
            for row in table:
                row[c].move_to([x, row[c].get_center()[1], 0])
        for r, row in enumerate(table):
            for m in row:
                m.set_y(1.4 - 0.6 * r)
        self.table = table
        self.hebb = caption(f"the {self.top_k} largest increases in the whole last layer",
                            font_size=24).next_to(table, DOWN, buff=0.35)
        self.play(*[Create(g) for g in self.glows], Create(self.target_boxes), run_time=1.5)
        self.play(FadeIn(header), FadeIn(VGroup(*[VGroup(r[2], r[3]) for r in rows])), FadeIn(self.hebb))

    def show_sources(self):
        nm = self.nudge_mobject
        self.source_boxes = VGroup(*[SurroundingRectangle(nm.neuron(0, s), color=PAL.highlight, buff=0.06)
                                     for s in self.most_active])
        self.play(Create(self.source_boxes),
                  FadeIn(VGroup(*[VGroup(r[0], r[1]) for r in self.table[1:]])), run_time=1.5)
        self.motto = MathTex(r"\text{fire together, wire together}", font_size=40, color=PAL.highlight)
        self.motto.move_to([4.1, -1.9, 0])
        self.play(Write(self.motto))


def small_source(row_gradient, activations, min_share: float) -> int:
    """The source whose weight in this row has the smallest |∂C/∂w|, among the sources at
    least ``min_share`` as active as the brightest one."""
    a = np.asarray(activations, dtype=float)
    candidates = np.flatnonzero(a >= min_share * a.max())
    return int(candidates[np.argmin(np.abs(np.asarray(row_gradient)[candidates]))])


# ================================================================= GradientSensitivity
class GradientSensitivity(StoryScene):
    """How much more the cost cares about one weight than another, on the story example.

    The rule: ``big`` is the last-layer weight with the largest |∂C/∂w|, ``small`` the weight
    of the same row (same output neuron) with the smallest |∂C/∂w| among those whose source
    neuron is at least ``min_activation_share`` as active as the brightest (a neuron that is
    practically off would make the ratio astronomically large and say little). Both are shown with their
    real value, their gradient component and the ratio of the two components. In one row
    ∂C/∂w₍ᵢⱼ₎ = δᵢ aⱼ, so the ratio is the ratio of the two source activations.

    Exposes: ``big``/``small`` (``(target, source)``), ``big_flat``/``small_flat`` (indices in
    ``flat_parameters``), ``components`` (∂C/∂w of big, small), ``ratio``, ``weight_numbers``,
    ``component_numbers`` (DecimalNumbers to ``decimal_places(value, least=4, most=10)`` decimals: 4, or more for a
    tiny component), ``ratio_number`` (DecimalNumber), ``arrows`` (``.signed_length``),
    ``shown_sources`` (the previous neurons drawn; a large layer in part, both sources included),
    ``network_mobject``, ``glows``.
    """

    arrow_max_length = 1.2
    min_activation_share = 0.01

    def construct(self):
        self.load()
        self.beat("Two weights of the last layer, and how this one example's cost responds to each.",
                  "weights")
        self.show_weights()

        self.beat("Their gradient components: the cost's sensitivity to a small change in each.",
                  "components")
        self.show_components()

        times = f"{self.ratio:.0f}" if self.ratio >= 10 else f"{self.ratio:.1f}"
        self.beat(f"One is {times} times the other: nudging that weight moves the cost "
                  f"{times} times as much. Same neuron, so the ratio is that of the "
                  "activations they multiply.", "ratio")
        self.show_ratio()

    def load(self):
        super().load()
        g = np.asarray(self.gradient.weights[-1], dtype=float)
        t, s = np.unravel_index(int(np.argmax(np.abs(g))), g.shape)
        self.big = (int(t), int(s))
        self.small = (int(t), small_source(g[t], self.activations[-2], self.min_activation_share))
        self.components = [float(g[self.big]), float(g[self.small])]
        if self.components[1] == 0:
            raise ValueError("the small weight's gradient component is exactly 0; no ratio")
        self.ratio = abs(self.components[0] / self.components[1])
        offset = sum(w.size for w in self.network.weights[:-1])
        n_in = self.sizes[-2]
        self.big_flat, self.small_flat = (offset + t * n_in + s for t, s in (self.big, self.small))
        self.prev_activations = np.asarray(self.activations[-2], dtype=float)
        # A large previous layer is drawn in part, always including the two weights' sources.
        self.shown_sources = indices_including(self.sizes[-2], [self.big[1], self.small[1]])

    def show_weights(self):
        self.caption = self.story_caption()
        nm = NetworkMobject(last_layer_network(self.network), layer_spacing=3.6, neuron_radius=0.16,
                            neuron_buff=0.16, input_indices=self.shown_sources, braces=False)
        place_network(nm, 6.4, [-3.6, -0.3, 0])
        nm.set_layer_activation(0, self.prev_activations)
        nm.set_layer_activation(1, self.outputs)
        self.network_mobject = nm
        colors = [PAL.highlight, PAL.accent]
        self.glows = VGroup()
        for (t, s), c in zip((self.big, self.small), colors):
            e = next(e for e in nm.edge_groups[0] if e.target == t and e.source == s)
            self.glows.add(e.copy().set_stroke(c, width=5, opacity=1))
        fs = 34
        self.rows = VGroup()
        self.weight_numbers = VGroup()
        self.names = []
        for (t, s), c, k in zip((self.big, self.small), colors, (self.big_flat, self.small_flat)):
            name = MathTex(rf"w_{{{t},{s}}}", "=", font_size=fs)
            name[0].set_color(c)
            v = DecimalNumber(float(self.network.weights[-1][t, s]), num_decimal_places=2,
                              include_sign=True, font_size=fs)
            flat = caption(f"(parameter {k:,})", font_size=22)
            row = VGroup(name, v).arrange(RIGHT, buff=0.15)
            flat.next_to(row, DOWN, buff=0.1, aligned_edge=LEFT)
            self.rows.add(VGroup(row, flat))
            self.weight_numbers.add(v)
            self.names.append(name)
        self.rows.arrange(DOWN, buff=1.3, aligned_edge=LEFT).move_to([0.9, 0.6, 0])
        self.source_labels = source_labels(nm)
        self.shown_note = shown_note(nm)
        self.play(FadeIn(self.caption, shift=0.2 * DOWN), FadeIn(nm, lag_ratio=0.01),
                  FadeIn(self.source_labels), FadeIn(self.shown_note), run_time=1.5)
        self.play(*[Create(g) for g in self.glows], FadeIn(self.rows), run_time=1.5)

    def show_components(self):
        fs = 34
        self.component_numbers = VGroup()
        self.arrows = VGroup()
        largest = max(abs(c) for c in self.components)
        x_arrow = 6.5
        self.component_groups = VGroup()
        for (t, s), comp, row in zip((self.big, self.small), self.components, self.rows):
            label = MathTex(rf"\frac{{\partial C}}{{\partial w_{{{t},{s}}}}}", "=", font_size=fs)
            label[0][2].set_color(PAL.cost)
            d = DecimalNumber(comp, num_decimal_places=decimal_places(comp, least=4, most=10), include_sign=True,
                              font_size=fs, color=PAL.sign_color(comp))
            grp = VGroup(label, d).arrange(RIGHT, buff=0.15)
            grp.move_to([4.3, row[0].get_center()[1], 0])
            self.component_numbers.add(d)
            self.component_groups.add(grp)
            self.arrows.add(vertical_arrow([x_arrow, row[0].get_center()[1], 0],
                                           self.arrow_max_length * comp / largest, stroke_width=6))
        self.play(FadeIn(self.component_groups), run_time=1.2)
        self.play(*[GrowArrow(a) for a in self.arrows], run_time=1.2)

    def show_ratio(self):
        fs = 36
        (t, s1), (_, s2) = self.big, self.small
        self.ratio_number = DecimalNumber(self.ratio, num_decimal_places=1, font_size=fs,
                                          color=PAL.highlight)
        left = MathTex(r"\frac{\partial C / \partial w_{" + f"{t},{s1}" + r"}}{\partial C / \partial w_{"
                       + f"{t},{s2}" + r"}} \approx", font_size=fs)
        self.ratio_line = VGroup(left, self.ratio_number, MathTex(r"\times", font_size=fs))
        self.ratio_line.arrange(RIGHT, buff=0.15).move_to([3.0, -2.5, 0])
        self.play(Write(self.ratio_line))
        self.play(Indicate(self.ratio_number, color=PAL.highlight))
