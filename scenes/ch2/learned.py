"""Chapter 2, what the network really learned:

* ``WhatHiddenNeuronsLookFor``: every first-hidden-layer neuron's 784 trained weights as an
  image, beside the hand-drawn edge pieces we had hoped for. They are loose blobs.
* ``ConfidentNonsense``: seeded uniform noise goes through the trained network, which still
  names a digit; a few more noise images and their real answers.
* ``RandomLabels``: the research corner. The same kind of network trained for real twice, on
  true labels and on shuffled labels; both real learning curves on one plot.

Every weight, activation and cost on screen comes from a real network trained by
``network.load_trained`` on real MNIST data (``network.load_mnist``). The one exception is
labelled on screen: the hoped-for edge pieces, drawn by hand (``designed_edge_weights``).
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    LaggedStart,
    MathTex,
    Tex,
    TransformFromCopy,
    VGroup,
    VMobject,
    Write,
    linear,
)

from scenes import style
from scenes.base import NetworkScene
from scenes.layout import keep_in_frame, sign_legend
from scenes.ch1.weights import designed_edge_weights
from scenes.ch2.cost import CONFIDENT_AT
from scenes.text import held_out_words
from scenes.mobjects import DigitImage, NetworkMobject, WeightGrid


def grid_layout(n: int, width: float, height: float, buff_ratio: float = 0.1) -> tuple[int, int, float]:
    """``(rows, columns, cell)``: the arrangement of ``n`` square images in a ``width`` by
    ``height`` box with the largest cell side, gaps ``buff_ratio`` of a cell."""
    options = []
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        cell = min(width / (cols + (cols - 1) * buff_ratio), height / (rows + (rows - 1) * buff_ratio))
        options.append((rows, cols, cell))
    largest = max(cell for _, _, cell in options)
    # A full rectangle (16 as 4x4, not 3x6 with two holes) unless it costs over a fifth of the size.
    full = [o for o in options if o[0] * o[1] == n and o[2] >= 0.8 * largest]
    return max(full or options, key=lambda o: o[2])


def edge_bank(length: float = 10.0, centers=range(5, 23), directions: int = 8) -> np.ndarray:
    """Short edges of every position and direction, drawn like the hoped-for ones
    (``designed_edge_weights``): a stroke ``length`` pixels long centred on each (row, column)
    of ``centers`` × ``centers`` (every pixel of the middle: a coarser grid misses edges by
    a pixel), in each of ``directions`` directions 180°/``directions`` apart. One row of 784
    weights per edge; the scene's own hoped-for edges each match one of them with a cosine
    similarity above 0.6 (tested)."""
    rows = []
    for r in centers:
        for c in centers:
            for k in range(directions):
                t = math.pi * k / directions
                d = 0.5 * length * np.array([math.sin(t), math.cos(t)])
                rows.append(designed_edge_weights(start=tuple(np.array([r, c]) - d),
                                                  end=tuple(np.array([r, c]) + d)))
    return np.array(rows)


def edge_similarity(W, bank) -> np.ndarray:
    """For each row of ``W`` (a neuron's weights), its largest |cosine similarity| with a row of
    ``bank``: 1 for the same picture (or its negative), 0 for nothing in common."""
    W = np.asarray(W, dtype=float)
    bank = np.asarray(bank, dtype=float)
    cos = (W @ bank.T) / (np.linalg.norm(W, axis=1)[:, None] * np.linalg.norm(bank, axis=1)[None, :])
    return np.abs(cos).max(axis=1)


def noise_pixels(seed: int, shape=(28, 28)) -> np.ndarray:
    """Uniform random noise: every pixel an independent whole number from 0 to 255, drawn by
    ``numpy.random.default_rng(seed)``. The network reads it as ``pixels / 255``, like MNIST."""
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


# =========================================================================== scene 1
class WhatHiddenNeuronsLookFor(NetworkScene):
    """The trained first hidden layer, neuron by neuron: row ``j`` of ``weights[0]`` drawn as a
    28×28 ``WeightGrid``, each image scaled by its own row's largest ``|w|`` (said on screen),
    next to three hand-drawn edge pieces (labelled as such) we had hoped to find.

    A layer of up to ``max_grids`` neurons is shown whole, laid out to fit (16 → 4×4, 32 → 4×8);
    a larger one shows its first ``max_grids`` neurons and says so.

    After ``construct``: ``W`` (the real first weight matrix), ``shown_neurons`` (indices),
    ``grids`` (one ``WeightGrid`` per shown neuron, same order), ``layout`` ((rows, cols, cell)),
    ``hoped_weights`` / ``hoped_grids``, ``legend``, ``title``, ``accuracy_text``.
    """

    max_grids = 64
    # The hand-drawn hopes: (start, end) of a stroke, in (row, column) pixels.
    hoped_strokes = (((7.0, 8.0), (7.0, 19.0)), ((6.0, 20.0), (19.0, 20.0)), ((20.0, 7.0), (12.0, 17.0)))
    # Where the real grids go: a box right of the hoped-for column.
    area_left, area_right, area_bottom, area_top = -4.2, 6.9, -3.35, 2.95

    def construct(self):
        self.load()

        self.beat("We hoped the first hidden layer would learn little pieces like these: "
                  "short edges.", "hope")
        self.show_hope()

        n = len(self.shown_neurons)
        self.beat(f"Here is what the trained network's {self.layer_phrase()} actually look for: "
                  f"each one's {self.W.shape[1]} weights drawn as an image.", "real")
        self.show_real()

        self.beat(self.blobs_narration(), "blobs")
        self.compare()

        self.beat(f"Yet with these, the network gets {100 * self.model.test_accuracy:.1f}% of "
                  f"{held_out_words(self.data).images} right: it found its own way, not ours.",
                  "accuracy")
        self.show_accuracy()

    # -------------------------------------------------------------------- narration
    # A neuron "looks like an edge" when its weights have a cosine similarity of at least
    # this with one of ``edge_bank()``'s short edges (1 is the same picture).
    edge_match = 0.5

    def blobs_narration(self) -> str:
        """How edge-like the real neurons are, measured against every short edge of
        ``edge_bank`` (``similarities``, one per shown neuron)."""
        bank = edge_bank()
        self.bank_size = len(bank)
        self.similarities = edge_similarity(self.W[self.shown_neurons], bank)
        n, best = len(self.shown_neurons), float(self.similarities.max())
        matches = int(np.sum(self.similarities >= self.edge_match))
        measure = (f"Set beside {self.bank_size:,} short edges drawn the same way, in every "
                   "position and direction")
        if matches == 0:
            return (f"{measure}, none of the {n} matches one closely (a cosine similarity of "
                    f"{self.edge_match:g} or more): the closest reaches only {best:.2f}, where 1 "
                    "would be the same picture. Not the tidy edges we hoped for.")
        if matches == n:
            return (f"{measure}, all {n} match one closely, with cosine similarities of at least "
                    f"{self.edge_match:g} (1 is the same picture): edges after all.")
        return (f"{measure}, {matches} of the {n} match one closely (cosine similarity at least "
                f"{self.edge_match:g}, where 1 is the same picture); the others do not.")

    # -------------------------------------------------------------------------- data
    def load(self):
        self.load_network()
        self.W = np.asarray(self.network.weights[0], dtype=float)
        self.shown_neurons = list(range(min(self.W.shape[0], self.max_grids)))
        self.hoped_weights = [designed_edge_weights(start=s, end=e) for s, e in self.hoped_strokes]

    def layer_phrase(self) -> str:
        k, n = len(self.shown_neurons), self.W.shape[0]
        if k == n:
            return f"{n} first-layer neurons"
        return f"first {k} of {n} first-layer neurons"

    # ------------------------------------------------------------------------ beats
    def show_hope(self):
        self.hoped_grids = Group(*[WeightGrid(w, height=2.2) for w in self.hoped_weights])
        self.hoped_grids.arrange(RIGHT, buff=0.6).move_to(0.2 * DOWN)
        self.hope_title = Tex("hoped for: edges", font_size=style.TITLE_FONT_SIZE)
        self.hope_title.next_to(self.hoped_grids, UP, buff=0.5)
        self.hope_note = Tex("drawn by hand, not learned", font_size=style.CAPTION_FONT_SIZE,
                             color=style.DIM_TEXT_COLOR).next_to(self.hoped_grids, DOWN, buff=0.35)
        self.play(Write(self.hope_title))
        self.play(LaggedStart(*[FadeIn(g, shift=0.2 * UP) for g in self.hoped_grids], lag_ratio=0.3),
                  FadeIn(self.hope_note))
        self.wait(style.PAUSE)

    def place_grids(self) -> Group:
        width = self.area_right - self.area_left
        height = self.area_top - self.area_bottom
        rows, cols, cell = grid_layout(len(self.shown_neurons), width, height)
        self.layout = (rows, cols, cell)
        buff = 0.1 * cell
        self.grids = []
        for k, j in enumerate(self.shown_neurons):
            grid = WeightGrid(self.W[j], height=cell)  # scale: this row's largest |w|
            grid.neuron_index = j
            r, c = divmod(k, cols)
            grid.move_to([c * (cell + buff), -r * (cell + buff), 0])
            self.grids.append(grid)
        group = Group(*self.grids)
        group.move_to([(self.area_left + self.area_right) / 2, (self.area_bottom + self.area_top) / 2, 0])
        return group

    def show_real(self):
        # The hopes move aside into a small column on the left.
        column = Group(*[g.copy() for g in self.hoped_grids])
        for g in column:
            g.scale_to_fit_height(1.3)
        column.arrange(DOWN, buff=0.3).move_to([-5.75, -0.2, 0])
        hope_label = Tex("hoped for", font_size=style.LABEL_FONT_SIZE).next_to(column, UP, buff=0.3)
        hope_note = Tex("(by hand)", font_size=style.CAPTION_FONT_SIZE - 2,
                        color=style.DIM_TEXT_COLOR).next_to(column, DOWN, buff=0.2)
        self.play(*[g.animate.move_to(t).scale_to_fit_height(t.height) for g, t in zip(self.hoped_grids, column)],
                  FadeOut(self.hope_title), FadeOut(self.hope_note),
                  FadeIn(hope_label), FadeIn(hope_note), run_time=1.5)
        self.hope_label = hope_label

        self.real_group = self.place_grids()
        n, total = len(self.shown_neurons), self.W.shape[0]
        title = "trained weights into the first hidden layer"
        if n < total:
            title += f" (neurons 0--{n - 1} of {total})"
        self.title = Tex(title, font_size=style.LABEL_FONT_SIZE + 4)
        self.title.move_to([(self.area_left + self.area_right) / 2, 3.5, 0])
        keep_in_frame(self.title)
        self.legend = sign_legend(note=r"each image scaled by its own largest $|w|$")
        self.legend.move_to([(self.area_left + self.area_right) / 2, -3.7, 0])
        keep_in_frame(self.legend)
        self.play(Write(self.title))
        self.play(LaggedStart(*[FadeIn(g, scale=0.9) for g in self.grids], lag_ratio=0.08), run_time=2.5)
        self.play(FadeIn(self.legend))
        self.wait(style.PAUSE)

    def compare(self):
        # Flash the hopes, then the real images: side by side, the difference speaks.
        self.play(LaggedStart(*[Indicate(g.frame, color=style.HIGHLIGHT_COLOR, scale_factor=1.05)
                                for g in self.hoped_grids], lag_ratio=0.2), run_time=1.2)
        self.play(LaggedStart(*[Indicate(g.frame, color=style.HIGHLIGHT_COLOR, scale_factor=1.05)
                                for g in self.grids], lag_ratio=0.03), run_time=1.8)
        self.wait(style.PAUSE)

    def show_accuracy(self):
        self.accuracy_text = VGroup(
            Tex(held_out_words(self.data).accuracy, font_size=style.CAPTION_FONT_SIZE,
                color=style.HIGHLIGHT_COLOR),
            Tex(f"{100 * self.model.test_accuracy:.1f}\\%", font_size=style.LABEL_FONT_SIZE + 4,
                color=style.HIGHLIGHT_COLOR)).arrange(DOWN, buff=0.12)
        self.accuracy_text.move_to([-5.75, -3.4, 0])
        keep_in_frame(self.accuracy_text)
        self.play(FadeIn(self.accuracy_text, shift=0.2 * UP))
        self.wait(2 * style.PAUSE)


# =========================================================================== scene 2
class ConfidentNonsense(NetworkScene):
    """Seeded uniform noise (``noise_pixels(seed)``, seed ``seed``) through the trained network:
    whatever it answers is shown, with all ten real output activations; then ``more_seeds``
    noise images and their real answers.

    After ``construct``: ``pixels`` (28×28 uint8), ``x`` (= pixels / 255), ``activations``
    (the real forward pass), ``outputs`` (= activations[-1]), ``prediction`` (argmax),
    ``noise`` (the DigitImage), ``network_mobject``, ``output_numbers`` (one DecimalNumber per
    output, in order), ``answer_digit`` (MathTex), ``answer`` (DecimalNumber), ``noise_caption``;
    ``others``: one dict per extra seed with ``seed``, ``pixels``, ``outputs``, ``prediction``,
    ``image`` (DigitImage), ``digit`` (MathTex) and ``value`` (DecimalNumber).
    """

    seed = 0
    more_seeds = (1, 2, 3, 4)
    confident_at = CONFIDENT_AT   # an answer at or above this activation is called confident

    network_left = -2.3
    network_right = 1.9
    content_y = -0.2

    def construct(self):
        self.load()

        self.beat(f"Now something that is not a digit at all: uniform random noise, from seed "
                  f"{self.seed}.", "noise")
        self.show_noise()

        self.beat("It goes through the trained network exactly like a digit would.", "forward")
        self.run_network()

        self.beat(self.answer_narration(), "answer")
        self.show_answer()

        self.beat(self.others_narration(), "more noise")
        self.show_others()

    # -------------------------------------------------------------------------- data
    def answer_for(self, pixels) -> tuple[list[np.ndarray], int]:
        x = pixels.ravel().astype(float) / 255.0
        _, activations = self.network.forward(x)
        return activations, int(np.argmax(activations[-1]))

    def load(self):
        self.load_network()
        self.pixels = noise_pixels(self.seed)
        self.x = self.pixels.ravel().astype(float) / 255.0
        self.activations, self.prediction = self.answer_for(self.pixels)
        self.outputs = np.asarray(self.activations[-1], dtype=float)
        self.others = []
        for seed in self.more_seeds:
            pixels = noise_pixels(seed)
            activations, prediction = self.answer_for(pixels)
            self.others.append({"seed": int(seed), "pixels": pixels,
                                "outputs": np.asarray(activations[-1], dtype=float),
                                "prediction": prediction})

    # -------------------------------------------------------------------- narration
    def answer_narration(self) -> str:
        a = self.outputs[self.prediction]
        runner_up = float(np.sort(self.outputs)[-2])
        if a >= self.confident_at:
            how = f"confidently: {self.prediction}, at {a:.2f}"
        else:
            how = f"{self.prediction}, at {a:.2f}; the next output is only {runner_up:.2f}"
        return f"There is no digit here, yet it answers {how}. It has no way to say 'none'."

    def others_narration(self) -> str:
        answers = [o["prediction"] for o in self.others]
        if len(set(answers + [self.prediction])) == 1:
            return (f"More noise, seeds {self.seed_list()}: every time the same answer, "
                    f"{self.prediction}.")
        return f"More noise, seeds {self.seed_list()}: it names a digit every time."

    def seed_list(self) -> str:
        seeds = [str(o["seed"]) for o in self.others]
        return ", ".join(seeds[:-1]) + " and " + seeds[-1] if len(seeds) > 1 else "".join(seeds)

    # ------------------------------------------------------------------------ beats
    def show_noise(self):
        self.noise = DigitImage(self.pixels, height=3.6).move_to(0.2 * DOWN)
        self.noise_caption = VGroup(
            Tex("uniform random pixels 0--255", font_size=style.CAPTION_FONT_SIZE, color=style.DIM_TEXT_COLOR),
            Tex(f"NumPy seed {self.seed}", font_size=style.CAPTION_FONT_SIZE, color=style.DIM_TEXT_COLOR),
        ).arrange(DOWN, buff=0.12)
        self.noise_caption.next_to(self.noise, DOWN, buff=0.3)
        self.play(FadeIn(self.noise), FadeIn(self.noise_caption, shift=0.2 * UP))
        self.wait(style.PAUSE)

    def run_network(self):
        L = len(self.sizes)
        nm = NetworkMobject(self.network, example=self.x,
                            layer_spacing=(self.network_right - self.network_left) / (L - 1))
        if nm.height > 6.4:
            nm.scale_to_fit_height(6.4)
        first = nm.layers[0].neurons
        nm.shift((self.network_left - first.get_center()[0]) * RIGHT
                 + (self.content_y - first.get_center()[1]) * UP)
        self.network_mobject = nm
        caption = self.noise_caption.copy().scale(0.8)
        target = self.noise.copy().scale_to_fit_height(2.3).move_to([-5.4, self.content_y, 0])
        caption.next_to(target, DOWN, buff=0.2)
        caption.set_x(target.get_x())
        keep_in_frame(caption)
        self.play(self.noise.animate.scale_to_fit_height(2.3).move_to(target),
                  self.noise_caption.animate.become(caption))
        self.play(LaggedStart(*[FadeIn(layer) for layer in nm.layers], lag_ratio=0.3),
                  Create(nm.edge_groups, lag_ratio=0.002), FadeIn(nm.output_labels), run_time=2.0)
        self.play(nm.forward_pass_animation(self.activations, run_time_per_layer=1.2))
        self.wait(style.PAUSE)

    def show_answer(self):
        nm = self.network_mobject
        L = len(self.sizes)
        self.output_numbers = []
        for k, value in enumerate(self.outputs):
            number = DecimalNumber(float(value), num_decimal_places=2, font_size=24,
                                   color=style.DIM_TEXT_COLOR)
            number.next_to(nm.output_label(k), RIGHT, buff=0.25)
            number.set_y(nm.neuron(L - 1, k).get_y())
            self.output_numbers.append(number)
        numbers = VGroup(*self.output_numbers)
        numbers.align_to(numbers, LEFT)
        for number in self.output_numbers:
            number.align_to(self.output_numbers[0], LEFT)
        best = self.output_numbers[self.prediction]
        box = nm.highlight_output(self.prediction)

        self.answer_digit = MathTex(str(self.prediction), font_size=style.BIG_NUMBER_FONT_SIZE,
                                    color=style.HIGHLIGHT_COLOR)
        header = Tex("answer", font_size=style.LABEL_FONT_SIZE, color=style.DIM_TEXT_COLOR)
        word = Tex("activation", font_size=style.LABEL_FONT_SIZE - 4)
        self.answer = DecimalNumber(float(self.outputs[self.prediction]), num_decimal_places=2,
                                    font_size=style.LABEL_FONT_SIZE)
        row = VGroup(word, self.answer).arrange(RIGHT, buff=0.15)
        self.answer.align_to(word, DOWN)
        self.answer_panel = VGroup(header, self.answer_digit, row).arrange(DOWN, buff=0.3)
        self.answer_panel.next_to(numbers, RIGHT, buff=0.6).set_y(self.content_y)
        keep_in_frame(self.answer_panel)

        self.play(LaggedStart(*[FadeIn(n, shift=0.1 * RIGHT) for n in self.output_numbers], lag_ratio=0.08))
        self.play(Create(box), best.animate.set_color(style.HIGHLIGHT_COLOR),
                  nm.output_label(self.prediction).animate.set_color(style.HIGHLIGHT_COLOR))
        self.play(FadeIn(header), TransformFromCopy(nm.output_label(self.prediction), self.answer_digit))
        self.play(FadeIn(row, shift=0.2 * UP))
        self.wait(style.PAUSE)

    def show_others(self):
        nm = self.network_mobject
        keep = Group(self.noise, self.noise_caption)
        images = Group()
        for o in self.others:
            o["image"] = DigitImage(o["pixels"], height=1.9)
            images.add(o["image"])
        first = self.noise.copy().scale_to_fit_height(1.9)
        row = Group(first, *images).arrange(RIGHT, buff=0.55).move_to([0, 0.7, 0])
        self.first_answer = {"image": first}
        labels = VGroup()
        for o, image in [(None, first)] + [(o, o["image"]) for o in self.others]:
            outputs = self.outputs if o is None else o["outputs"]
            prediction = self.prediction if o is None else o["prediction"]
            seed = self.seed if o is None else o["seed"]
            seed_text = Tex(f"seed {seed}", font_size=style.CAPTION_FONT_SIZE, color=style.DIM_TEXT_COLOR)
            digit = MathTex(str(prediction), font_size=60, color=style.HIGHLIGHT_COLOR)
            value = DecimalNumber(float(outputs[prediction]), num_decimal_places=2,
                                  font_size=style.CAPTION_FONT_SIZE + 2)
            block = VGroup(seed_text, digit, value).arrange(DOWN, buff=0.2).next_to(image, DOWN, buff=0.25)
            labels.add(block)
            target = self.first_answer if o is None else o
            target.update({"seed_text": seed_text, "digit": digit, "value": value})
        self.answers_header = Tex("answer and its activation", font_size=style.CAPTION_FONT_SIZE,
                                  color=style.DIM_TEXT_COLOR)
        self.answers_header.next_to(labels, DOWN, buff=0.25)
        header = Tex("uniform noise, NumPy seeds", font_size=style.LABEL_FONT_SIZE)
        header.next_to(row, UP, buff=0.4)
        self.others_header = header
        self.play(FadeOut(VGroup(nm, nm.highlight_box, self.answer_panel, *self.output_numbers)),
                  FadeOut(self.noise_caption))
        self.play(self.noise.animate.scale_to_fit_height(1.9).move_to(first), FadeIn(header))
        self.remove(self.noise)
        self.add(first)
        self.play(LaggedStart(*[FadeIn(im, shift=0.2 * LEFT) for im in images], lag_ratio=0.2))
        self.play(LaggedStart(*[FadeIn(b, shift=0.2 * UP) for b in labels], lag_ratio=0.2),
                  FadeIn(self.answers_header))
        self.wait(2 * style.PAUSE)


# =========================================================================== scene 3
class RandomLabels(NetworkScene):
    """The research corner: one kind of network trained for real twice through
    ``load_trained`` (so both runs are cached), on the true labels (``RANDOM_LABELS``) and on a
    seeded shuffle of them (``RANDOM_LABELS_SHUFFLED``); both real learning curves, the
    training cost per epoch (``history.epoch_cost``), on one plot; then how much of its own
    training set each run fits, and how it does on unseen test images.

    After ``construct``: ``runs`` (dict "true"/"shuffled" → TrainedModel), ``training_sets``
    (name → (x, labels) actually trained on), ``axes``, ``curves`` (name → VMobject through
    the points), ``plotted`` (name → list of (epoch, cost) points drawn; epoch k = 1..epochs),
    ``curve_labels``, ``setup_text``, ``label_table`` (the first ``n_examples`` images with
    ``true_label_mobs`` / ``shuffled_label_mobs``), ``train_accuracy`` (name → fraction of its
    own training set right after training), ``accuracy_numbers`` (name → {"train", "test"}
    DecimalNumbers in percent).
    """

    n_examples = 6
    names = ("true", "shuffled")
    colors = {"true": style.PALETTE.accent, "shuffled": style.PALETTE.cost}
    titles = {"true": "true labels", "shuffled": "shuffled labels"}

    def load_runs(self, data):
        from network import load_trained
        from network.train import RANDOM_LABELS, RANDOM_LABELS_SHUFFLED
        return {"true": load_trained(RANDOM_LABELS, data),
                "shuffled": load_trained(RANDOM_LABELS_SHUFFLED, data)}

    def construct(self):
        self.load()

        self.beat("A research corner: train the same network twice, once on the true labels "
                  "and once on labels shuffled at random.", "setup")
        self.show_setup()

        self.beat(self.true_narration(), "true")
        self.show_curve("true")

        self.beat(self.shuffled_narration(), "shuffled")
        self.show_curve("shuffled")

        self.beat(self.accuracy_narration(), "accuracy")
        self.show_accuracies()

    # -------------------------------------------------------------------- narration
    # A test accuracy within this many percentage points of chance (one right answer in as
    # many as there are outputs, guessing at random) is called "near chance".
    chance_tolerance = 3.0

    def cost_drop(self, name: str) -> tuple[float, float, float]:
        """(first epoch's cost, last epoch's cost, the share of the first that was lost)."""
        cost = np.asarray(self.runs[name].history.epoch_cost, dtype=float)
        first, last = float(cost[0]), float(cost[-1])
        return first, last, 1.0 - last / first

    def true_narration(self) -> str:
        first, last, drop = self.cost_drop("true")
        if last < first:
            return (f"With the true labels the cost falls from {first:.3f} to {last:.3f} in "
                    f"{self.config.epochs} epochs, {100 * drop:.0f}% of it gone: there is "
                    "structure to learn.")
        return f"With the true labels the cost goes from {first:.3f} to {last:.3f}: it does not fall."

    def shuffled_narration(self) -> str:
        first, last, drop = self.cost_drop("shuffled")
        true_drop = self.cost_drop("true")[2]
        head = "With shuffled labels there is nothing to learn, only to memorise: the cost"
        if last >= first:
            return f"{head} does not fall: {first:.3f}, then {last:.3f}."
        if drop < true_drop:
            return (f"{head} falls too, but more slowly: from {first:.3f} to {last:.3f}, only "
                    f"{100 * drop:.0f}% of it gone.")
        return f"{head} falls too, from {first:.3f} to {last:.3f}, {100 * drop:.0f}% of it gone."

    def accuracy_narration(self) -> str:
        t, s = (100 * self.train_accuracy[k] for k in self.names)
        ts, ss = (100 * self.runs[k].test_accuracy for k in self.names)
        chance = 100.0 / self.runs["shuffled"].network.sizes[-1]
        images = held_out_words(self.data).images
        if abs(ss - chance) <= self.chance_tolerance:
            verdict = f"near the {chance:g}% of guessing at random"
        elif ss < chance:
            verdict = f"below even the {chance:g}% of guessing at random"
        else:
            verdict = (f"above the {chance:g}% of guessing at random, yet {ts - ss:.0f} points "
                       "below the true labels")
        return (f"Its own training images: {t:.0f}% versus {s:.0f}% fitted. New {images}: "
                f"{ts:.0f}% versus {ss:.1f}%, {verdict}.")

    # -------------------------------------------------------------------------- data
    def load(self):
        self.data = self.load_data()
        self.runs = self.load_runs(self.data)
        self.training_sets, self.train_accuracy = {}, {}
        for name, run in self.runs.items():
            x, labels = run.config.training_set(self.data.train_x, self.data.train_labels)
            self.training_sets[name] = (x, labels)
            self.train_accuracy[name] = run.network.evaluate(x, labels) / len(x)
        self.config = self.runs["true"].config
        assert self.runs["shuffled"].config == self.config.replace(shuffle_labels=True)

    def setup_lines(self) -> tuple[str, str]:
        """The setup, from the runs' own configuration: what trained, on how much, how long."""
        c = self.config
        decay = "no weight decay" if c.l2 == 0 else f"weight decay {c.l2:g}"
        return (f"{'-'.join(map(str, c.sizes))} network, {c.activation} neurons, {c.cost} cost, "
                f"{decay}",
                f"first {len(self.training_sets['true'][0]):,} training images, {c.epochs} epochs, "
                f"minibatches of {c.batch_size}, $\\eta = {c.eta:g}$")

    # ------------------------------------------------------------------------ beats
    def show_setup(self):
        self.title = Tex("Research corner: memorising noise", font_size=style.TITLE_FONT_SIZE)
        self.title.to_edge(UP, buff=0.35)
        self.setup_text = VGroup(*[Tex(r"\mbox{" + line + "}", font_size=style.CAPTION_FONT_SIZE,
                                       color=style.DIM_TEXT_COLOR) for line in self.setup_lines()])
        self.setup_text.arrange(DOWN, buff=0.12)
        if self.setup_text.width > 13.4:
            self.setup_text.scale_to_fit_width(13.4)
        self.setup_text.next_to(self.title, DOWN, buff=0.2)

        true_labels = self.training_sets["true"][1]
        shuffled_labels = self.training_sets["shuffled"][1]
        fs = style.LABEL_FONT_SIZE
        images = Group(*[DigitImage(self.data.train_images[i], height=1.3) for i in range(self.n_examples)])
        images.arrange(RIGHT, buff=0.35).move_to([0.9, 0.6, 0])
        self.true_label_mobs = VGroup(*[MathTex(str(int(true_labels[i])), font_size=fs + 6,
                                                color=self.colors["true"]) for i in range(self.n_examples)])
        self.shuffled_label_mobs = VGroup(*[MathTex(str(int(shuffled_labels[i])), font_size=fs + 6,
                                                    color=self.colors["shuffled"]) for i in range(self.n_examples)])
        for image, t, s in zip(images, self.true_label_mobs, self.shuffled_label_mobs):
            t.next_to(image, DOWN, buff=0.35)
            s.next_to(t, DOWN, buff=0.4)
        row_t = Tex("true label", font_size=fs, color=self.colors["true"])
        row_s = Tex("shuffled label", font_size=fs, color=self.colors["shuffled"])
        row_t.next_to(images, LEFT, buff=0.5).set_y(self.true_label_mobs[0].get_y())
        row_s.align_to(row_t, RIGHT).set_y(self.shuffled_label_mobs[0].get_y())
        header = Tex(f"training images 0--{self.n_examples - 1}", font_size=fs - 4)
        header.next_to(images, LEFT, buff=0.5)
        self.label_table = Group(images, self.true_label_mobs, self.shuffled_label_mobs, row_t, row_s, header)
        self.label_images = images
        self.label_table.move_to([0, -0.6, 0])
        self.play(Write(self.title), FadeIn(self.setup_text, shift=0.2 * DOWN))
        self.play(LaggedStart(*[FadeIn(im) for im in images], lag_ratio=0.1), FadeIn(header))
        self.play(FadeIn(row_t), LaggedStart(*[FadeIn(m) for m in self.true_label_mobs], lag_ratio=0.1))
        self.play(FadeIn(row_s), LaggedStart(*[TransformFromCopy(t, s) for t, s in
                                               zip(self.true_label_mobs, self.shuffled_label_mobs)],
                                             lag_ratio=0.1))
        self.wait(style.PAUSE)
        self.play(FadeOut(self.label_table))
        self.make_axes()

    def make_axes(self):
        epochs = self.config.epochs
        top = max(float(np.max(run.history.epoch_cost)) for run in self.runs.values())
        y_step = 0.25 if top <= 2 else 1.0
        y_max = y_step * math.ceil(top / y_step)
        x_step = max(1, epochs // 6) if epochs > 10 else 1
        self.axes = Axes(x_range=[0, epochs, x_step], y_range=[0, y_max, y_step], x_length=8.0,
                         y_length=4.3, tips=False,
                         axis_config={"color": style.DIM_TEXT_COLOR, "include_numbers": True,
                                      "font_size": 22})
        self.axes.move_to([-2.0, -0.7, 0])
        x_label = Tex("epoch", font_size=style.CAPTION_FONT_SIZE).next_to(self.axes.x_axis, DOWN, buff=0.45)
        y_label = Tex("training cost", font_size=style.CAPTION_FONT_SIZE, color=style.COST_COLOR)
        y_label.rotate(math.pi / 2).next_to(self.axes.y_axis, LEFT, buff=0.5)
        self.axis_labels = VGroup(x_label, y_label)
        self.play(Create(self.axes), FadeIn(self.axis_labels))

    def show_curve(self, name: str):
        cost = np.asarray(self.runs[name].history.epoch_cost, dtype=float)
        self.plotted = getattr(self, "plotted", {})
        self.curves = getattr(self, "curves", {})
        self.curve_labels = getattr(self, "curve_labels", {})
        points = [(float(k + 1), float(c)) for k, c in enumerate(cost)]
        self.plotted[name] = points
        curve = VMobject(stroke_color=self.colors[name], stroke_width=4)
        curve.set_points_as_corners([self.axes.c2p(x, y) for x, y in points])
        dot_end = self.axes.c2p(*points[-1])
        label = Tex(self.titles[name], font_size=style.LABEL_FONT_SIZE - 2, color=self.colors[name])
        label.next_to(dot_end, RIGHT, buff=0.2)
        self.curves[name] = curve
        self.curve_labels[name] = label
        if len(self.curve_labels) == 2:
            a, b = self.curve_labels["true"], self.curve_labels["shuffled"]
            if abs(a.get_y() - b.get_y()) < 0.45:
                b.set_y(a.get_y() + 0.45)
        self.play(Create(curve), run_time=3.0, rate_func=linear)
        self.play(FadeIn(label, shift=0.1 * RIGHT))
        self.wait(style.PAUSE)

    def show_accuracies(self):
        """A small table in the plot's empty upper right: rows the two runs, columns the share
        of its own training images and of unseen test images each gets right."""
        self.accuracy_numbers = {}
        fs = style.CAPTION_FONT_SIZE + 2
        col_heads = [VGroup(*[Tex(t, font_size=fs - 2, color=style.DIM_TEXT_COLOR) for t in lines])
                     .arrange(DOWN, buff=0.08)
                     for lines in (("own training", "images"),
                                   (f"unseen {held_out_words(self.data).kind}", "images"))]
        rows = []
        for name in self.names:
            head = Tex(self.titles[name], font_size=fs, color=self.colors[name])
            numbers = {key: DecimalNumber(100 * value, num_decimal_places=1, unit=r"\%", font_size=fs)
                       for key, value in (("train", self.train_accuracy[name]),
                                          ("test", self.runs[name].test_accuracy))}
            self.accuracy_numbers[name] = numbers
            rows.append((head, numbers["train"], numbers["test"]))
        col_x = (0.0, 2.8, 4.9)
        for c, head in zip(col_x[1:], col_heads):
            head.move_to([c, 0, 0])
        for r, row in enumerate(rows):
            y = -0.55 * r - 0.65
            row[0].move_to([col_x[0], y, 0])
            for c, mob in zip(col_x[1:], row[1:]):
                mob.move_to([c, y, 0])
        for head, *_ in rows[1:]:
            head.align_to(rows[0][0], LEFT)
        table = VGroup(*col_heads, *[m for row in rows for m in row])
        table.to_edge(RIGHT, buff=0.35).set_y(1.45)
        self.accuracy_panel = table
        self.citation = Tex("after Zhang et al.\\ (2017) and Arpit et al.\\ (2017)",
                            font_size=style.CAPTION_FONT_SIZE - 4, color=style.DIM_TEXT_COLOR)
        self.citation.to_corner(DOWN + RIGHT, buff=0.25)
        self.play(FadeIn(VGroup(*col_heads)))
        self.play(LaggedStart(*[FadeIn(VGroup(*row), shift=0.2 * LEFT) for row in rows], lag_ratio=0.5),
                  run_time=1.6)
        self.play(FadeIn(self.citation))
        self.wait(2 * style.PAUSE)
