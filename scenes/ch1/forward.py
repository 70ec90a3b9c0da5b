"""Chapter 1, ForwardPass: what a trained network does with one digit.

Everything on screen comes from the real trained network (``network.load_trained``) and the
real MNIST test set (``network.load_mnist``).
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Brace,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    LaggedStart,
    MathTex,
    MoveToTarget,
    Square,
    Tex,
    Transform,
    TransformFromCopy,
    VGroup,
    Write,
    config,
)

from scenes import style
from scenes.base import NetworkScene
from scenes.layout import caption
from scenes.mobjects import DigitImage, NetworkMobject
from scenes.own_digit import introduce_own_digit, own_digit_line, test_digit
from scenes.text import ORDINALS, describe_layers, held_out_words, model_caption

class ForwardPass(NetworkScene):
    """One real test image goes through the trained network, layer by layer.

    ``image_index`` picks the image: index 0 of the MNIST test set, which the network never
    saw in training; with ``NN_DIGIT`` set, the viewer's own digit (``scenes.own_digit``),
    shown once beside its photo. Whatever the network answers is shown, right or wrong.

    ``load_data`` and ``load_model`` fetch the real data (``load_mnist()``) and the trained
    network (``load_trained()``); a test may swap in a quicker-trained model. After
    ``construct`` the scene exposes what it drew: ``network_mobject``, ``digit``, ``answer``
    (the DecimalNumber), ``answer_digit``, ``label_text``, ``caption``, and the numbers behind
    them (``x``, ``activations``, ``prediction``, ``true_label``, ``narrations``).
    """

    own_digit = "any"

    image_index = 0

    # Layout, in scene units.
    digit_height = 2.6
    digit_x = -5.3
    network_left = -2.4      # x of the input column
    network_right = 3.6      # x of the output column
    network_max_height = 6.5
    content_y = -0.3

    # ------------------------------------------------------------------ the story
    def construct(self):
        self.load()

        if self.shown.own:
            self.beat(own_digit_line(self.shown), "digit")
        else:
            self.beat(f"Image {self.image_index} of the {self.words.set}: a handwritten digit the "
                      "network never saw in training.", "digit")
        self.show_digit()

        self.beat(f"{self.image.shape[0]} by {self.image.shape[1]} pixels: {self.x.size} numbers, "
                  "each a brightness from 0 (black) to 1 (white).", "pixels")
        self.measure_digit()

        self.beat(f"The trained network: {describe_layers(self.sizes)}.", "network")
        self.show_network()

        self.beat(f"Each input neuron holds one pixel's brightness; {self.n_drawn_inputs} of the "
                  f"{self.sizes[0]} are drawn, sampled across the digit.", "inputs")
        self.feed_pixels()

        for layer in range(1, len(self.sizes)):
            self.beat(self.layer_narration(layer), f"layer {layer}")
            self.light_layer(layer)

        self.beat(self.answer_narration(), "answer")
        self.show_answer()

    # ---------------------------------------------------------------- data loading
    def load(self):
        """The real image, the real network and its real forward pass."""
        self.load_network()
        data = self.data
        self.words = held_out_words(data)
        self.shown = test_digit(self, self.image_index, self.words.image)
        self.image = self.shown.pixels
        self.true_label = self.shown.label  # None for a viewer's digit of unknown label
        self.x = self.shown.x  # = image / 255
        _, self.activations = self.network.forward(self.x)
        self.prediction = int(np.argmax(self.activations[-1]))

    # -------------------------------------------------------------------- narration
    def layer_narration(self, layer: int) -> str:
        n_prev = self.sizes[layer - 1]
        if layer == len(self.sizes) - 1:
            each = "each digit" if self.sizes[-1] == 10 else f"each of its {self.sizes[-1]} outputs"
            return f"The output layer does it once more: one neuron for {each}."
        if layer == 1:
            squash = "a sigmoid" if self.network.activation == "sigmoid" else "a ReLU"
            return (f"Each first-layer neuron weighs all {n_prev} pixels, adds its bias, and "
                    f"squashes the sum with {squash}.")
        which = ORDINALS[layer - 1] if layer - 1 < len(ORDINALS) else f"number {layer}"
        return f"The {which} hidden layer does the same with those {n_prev} activations."

    def answer_narration(self) -> str:
        a = self.activations[-1][self.prediction]
        answer = f"The brightest output is the answer: {self.prediction}, at {a:.2f}."
        if self.true_label is None:
            return f"{answer} You know what you wrote: is it right?"
        verdict = "right" if self.prediction == self.true_label else "wrong, this time"
        said = "You wrote" if self.shown.own else "The label says"
        return f"{answer} {said} {self.true_label}: {verdict}."

    # ----------------------------------------------------------------------- beats
    def show_digit(self):
        self.digit = DigitImage(self.image, height=4.2).move_to(0.2 * DOWN)
        self.image_caption = Tex(self.shown.tex_name,
                                 font_size=style.LABEL_FONT_SIZE, color=style.DIM_TEXT_COLOR)
        self.image_caption.next_to(self.digit, UP, buff=0.3)
        if self.shown.own:
            introduce_own_digit(self, self.shown, self.digit)
            self.play(FadeIn(self.image_caption, shift=0.2 * DOWN))
        else:
            self.play(FadeIn(self.digit), FadeIn(self.image_caption, shift=0.2 * DOWN))
        self.wait(style.PAUSE)

    def measure_digit(self):
        h, w = self.image.shape
        braces = VGroup(Brace(self.digit.frame, LEFT, buff=0.1), Brace(self.digit.frame, DOWN, buff=0.1))
        labels = VGroup(*[MathTex(str(n), font_size=style.LABEL_FONT_SIZE + 4) for n in (h, w)])
        for brace, label in zip(braces, labels):
            brace.put_at_tip(label)
        total = MathTex(f"{h} \\times {w} = {h * w}", font_size=style.LABEL_FONT_SIZE + 4)
        total.next_to(self.digit, RIGHT, buff=0.6)
        self.play(*[FadeIn(b) for b in braces], *[Write(t) for t in labels])
        self.play(Write(total))
        self.wait(style.PAUSE)
        self.play(FadeOut(VGroup(braces, labels, total)))

    def show_network(self):
        L = len(self.sizes)
        spacing = (self.network_right - self.network_left) / (L - 1)
        nm = NetworkMobject(self.network, example=self.x, layer_spacing=spacing)
        if nm.height > self.network_max_height:
            nm.scale_to_fit_height(self.network_max_height)
        first = nm.layers[0].neurons
        nm.shift((self.network_left - first.get_center()[0]) * RIGHT
                 + (self.content_y - first.get_center()[1]) * UP)
        self.network_mobject = nm
        self.n_drawn_inputs = len(nm.drawn_indices(0))

        self.caption = caption(model_caption(self.model))
        if self.caption.width > 13:
            self.caption.scale_to_fit_width(13)
        self.caption.to_edge(UP, buff=0.3)

        digit_target = self.digit.copy().scale_to_fit_height(self.digit_height)
        digit_target.move_to([self.digit_x, self.content_y, 0])
        self.image_caption.generate_target()
        self.image_caption.target.scale(0.85).next_to(digit_target, DOWN, buff=0.25)
        self.play(self.digit.animate.scale_to_fit_height(self.digit_height).move_to(digit_target),
                  MoveToTarget(self.image_caption))
        self.play(
            LaggedStart(*[FadeIn(layer) for layer in nm.layers], lag_ratio=0.3),
            Create(nm.edge_groups, lag_ratio=0.002),
            FadeIn(nm.output_labels),
            run_time=2.5,
        )
        self.play(FadeIn(self.caption, shift=0.2 * DOWN))
        self.wait(style.PAUSE)

    def feed_pixels(self):
        """The drawn input pixels, outlined on the image, fly into their input neurons."""
        nm = self.network_mobject
        indices = nm.drawn_indices(0)
        outlines = VGroup(*[
            Square(side_length=self.digit.pixel_size, stroke_color=style.HIGHLIGHT_COLOR,
                   stroke_width=2.0, fill_opacity=0).move_to(self.digit.pixel_center(i))
            for i in indices
        ])
        squares = VGroup(*[self.digit.pixel_square(i) for i in indices])
        targets = [n.copy().set_fill(opacity=v)
                   for n, v in zip(nm.layers[0].neurons, nm.targets(0, self.x))]
        self.play(Create(outlines, lag_ratio=0.1), run_time=1.2)
        self.play(LaggedStart(*[Transform(s, t) for s, t in zip(squares, targets)],
                              lag_ratio=0.08, run_time=2.0))
        nm.set_layer_activation(0, self.x)
        self.remove(squares)
        self.play(FadeOut(outlines))
        self.wait(style.PAUSE)

    def light_layer(self, layer: int):
        nm = self.network_mobject
        self.play(nm.layer_animation(layer, self.activations[layer], run_time=style.LAYER_RUN_TIME))
        self.wait(style.PAUSE)

    def show_answer(self):
        nm = self.network_mobject
        box = nm.highlight_output(self.prediction)
        value = float(self.activations[-1][self.prediction])

        self.answer_digit = MathTex(str(self.prediction), font_size=style.BIG_NUMBER_FONT_SIZE,
                                    color=style.HIGHLIGHT_COLOR)
        header = Tex("answer", font_size=style.LABEL_FONT_SIZE, color=style.DIM_TEXT_COLOR)
        self.answer = DecimalNumber(value, num_decimal_places=2, font_size=style.LABEL_FONT_SIZE)
        word = Tex("activation", font_size=style.LABEL_FONT_SIZE)
        self.answer.next_to(word, RIGHT, buff=0.2, aligned_edge=DOWN)
        activation_row = VGroup(word, self.answer)
        label = "?" if self.true_label is None else self.true_label
        self.label_text = Tex(f"{'you wrote' if self.shown.own else 'label'}: {label}",
                              font_size=style.LABEL_FONT_SIZE)
        self.answer_panel = VGroup(header, self.answer_digit, activation_row, self.label_text)
        self.answer_panel.arrange(DOWN, buff=0.3)
        self.answer_panel.next_to(nm.output_labels, RIGHT, buff=0.8)
        self.answer_panel.set_y(self.content_y)
        overflow = self.answer_panel.get_right()[0] - (config.frame_width / 2 - 0.3)
        if overflow > 0:
            self.answer_panel.shift(overflow * LEFT)

        self.play(Create(box), nm.output_label(self.prediction).animate.set_color(style.HIGHLIGHT_COLOR))
        self.play(FadeIn(header), TransformFromCopy(nm.output_label(self.prediction), self.answer_digit))
        self.play(FadeIn(activation_row, shift=0.2 * UP))
        self.wait(0.5)
        self.play(Write(self.label_text))
        self.wait(2 * style.PAUSE)
