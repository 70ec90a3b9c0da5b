"""Chapter 3, stochastic gradient descent in practice: minibatches and one real training step.

Both scenes start from chapter 3's partly trained network (``Chapter3Scene``) and share one
seeded shuffle of the whole training set (``shuffled_order``, seed ``SHUFFLE_SEED``): minibatch
``k`` is shuffled positions ``B k .. B k + B - 1`` for minibatches of ``B = BATCH_SIZE``
images. ``MiniBatches`` runs a real epoch of
minibatch steps from it; ``OneTrainingStep`` zooms in on the first of those steps, on
minibatch 1, so its "before" network and its update are exactly step 1 of that run.

Every step is plain gradient descent on the chapter's cost, ``θ ← θ − η ∇C`` (``sgd_step``
with no weight decay), at the learning rate the network was trained with (``config.eta``).

* ``MiniBatches``: training images as thumbnails; shuffled; split into minibatches; one step
  per minibatch; the cost after each step, from the real run.
* ``OneTrainingStep``: the network and minibatch 1; backprop gives −∇C; the change −η∇C
  drawn on the edges; the edges become the real new weights; the batch's cost before and after.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    SurroundingRectangle,
    Tex,
    Transform,
    VGroup,
    VMobject,
    Write,
)

from network.model import one_hot
from network.train import sgd_step
from scenes import style
from scenes.ch3.story import Chapter3Scene
from scenes.layout import caption, keep_in_frame, sign_legend
from scenes.mobjects import DigitImage, NetworkMobject, choose_input_indices
from scenes.text import decimal_places, tex_int

SHUFFLE_SEED = 0
BATCH_SIZE = 100


# ---------------------------------------------------------------------------- helpers
def shuffled_order(n: int, seed: int = SHUFFLE_SEED) -> np.ndarray:
    """The seeded shuffle of ``n`` training images: ``shuffled_order(n)[i]`` is the training
    index at shuffled position ``i``. The same permutation ``network.train.sgd`` draws for its
    first epoch with ``config.seed == seed``."""
    if n < 1:
        raise ValueError(f"there are no training images to shuffle (n = {n})")
    return np.random.default_rng(seed).permutation(n)


def minibatch_indices(order: np.ndarray, k: int, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Training indices of minibatch ``k`` (0-based) of the shuffled ``order``."""
    count = -(-len(order) // batch_size)
    if not 0 <= k < count:
        raise IndexError(f"minibatch {k} does not exist: {len(order):,} images make {count} "
                         f"minibatches of {batch_size}")
    return order[k * batch_size:(k + 1) * batch_size]


def plain_step(network, x, labels, eta: float):
    """One gradient-descent step ``θ ← θ − η ∇C`` on the minibatch ``x, labels``, on a copy of
    ``network``. Returns ``(new network, cost before, cost after)``, both costs measured on
    that minibatch."""
    new = network.copy()
    before = sgd_step(new, x, one_hot(labels, network.sizes[-1]), eta, 0.0, len(x))
    return new, float(before), new.cost(x, labels)


def minibatch_run(network, x, labels, order, eta: float, steps: int, probe_x, probe_labels,
                  batch_size: int = BATCH_SIZE, l2: float = 0.0):
    """``steps`` gradient-descent steps (see ``plain_step``; with weight decay ``l2``, none by
    default) from a copy of ``network``, step ``k`` on minibatch ``k`` of ``order``. Only
    the minibatches of ``x`` are converted to float64, not the whole training set.

    Returns ``(batch_costs, probe_costs, final network)``: ``batch_costs[k]`` is minibatch
    ``k``'s cost as step ``k`` is taken (before it, as ``network.train.History.step_cost``
    records it); ``probe_costs[k]`` is the mean cost on ``probe_x, probe_labels`` after ``k``
    steps (``probe_costs[0]``: before any)."""
    count = -(-len(order) // batch_size)
    if not 1 <= steps <= count:
        raise ValueError(f"{len(order):,} images make {count} minibatches of {batch_size}; "
                         f"cannot take {steps} steps")
    net = network.copy()
    y = one_hot(labels, network.sizes[-1])
    n = len(order)
    batch_costs = np.zeros(steps)
    probe_costs = np.zeros(steps + 1)
    probe_costs[0] = net.cost(probe_x, probe_labels)
    for k in range(steps):
        b = minibatch_indices(order, k, batch_size)
        batch_costs[k] = sgd_step(net, np.asarray(x[b], dtype=float), y[b], eta, l2, n)
        probe_costs[k + 1] = net.cost(probe_x, probe_labels)
    return batch_costs, probe_costs, net


def cost_trend(costs) -> str:
    """How a cost moved over a run, in words, from the numbers: where it started and ended
    and how much of its fall came in the first half of the steps ("falls from 0.402 to 0.124,
    82% of that in the first half of the steps: it is levelling out")."""
    c = np.asarray(costs, dtype=float)
    if len(c) < 3:
        raise ValueError(f"a trend needs at least 3 costs, got {len(c)}")
    first, last, middle = c[0], c[-1], c[(len(c) - 1) // 2]
    places = max(3, decimal_places(first - last, digits=2, least=3, most=6))
    start, end = f"{first:.{places}f}", f"{last:.{places}f}"
    if last >= first:
        return f"does not fall: {start} before the run, {end} after it"
    share = (first - middle) / (first - last)
    if share > 1:
        return (f"falls from {start} to {end}, but was lower halfway ({middle:.{places}f}): "
                f"it rose again in the second half of the steps")
    if share >= 0.6:
        return (f"falls from {start} to {end}, {100 * share:.0f}% of that in the first half of "
                f"the steps: it is levelling out")
    if share <= 0.4:
        return (f"falls from {start} to {end}, only {100 * share:.0f}% of that in the first half "
                f"of the steps: it is still falling")
    return f"falls from {start} to {end}, about evenly over the steps"


def nice_step(span: float, target: int = 5) -> float:
    """A round tick spacing (1, 2 or 5 times a power of ten) giving about ``target`` ticks."""
    raw = span / target
    p = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * p >= raw:
            return m * p
    return 10 * p


def thumbnail_block(images, indices, size: float, buff: float, cols: int = 10) -> Group:
    """Thumbnails of ``images[indices]`` in rows of ``cols``, reading order; each thumbnail
    carries ``train_index``."""
    thumbs = Group()
    for i in indices:
        t = DigitImage(images[int(i)], height=size, frame=False)
        t.train_index = int(i)
        thumbs.add(t)
    for j, t in enumerate(thumbs):
        r, c = divmod(j, cols)
        t.move_to([c * (size + buff), -r * (size + buff), 0])
    return thumbs


def polyline(axes, points) -> VMobject:
    m = VMobject()
    m.set_points_as_corners([axes.c2p(x, y) for x, y in points])
    return m


# ========================================================================= MiniBatches
class MiniBatches(Chapter3Scene):
    """The training set shuffled and cut into minibatches of ``batch_size``, then a real epoch
    of steps.

    First the first ``shown_batches * batch_size`` training images in order, as thumbnails
    (batch block ``b`` holds the ``b``-th ``batch_size`` of them in reading order); then the
    same number of images from the front of the seeded shuffle (``shuffled_order(n,
    shuffle_seed)``), which split apart into minibatches 1, 2, 3, ... . The settings adapt to
    the data (a minibatch at most half of it, as many blocks shown as it fills).

    Then, from chapter 3's partly trained network, ``steps`` plain gradient-descent steps
    (``minibatch_run``; η = ``model.config.eta``), step ``k`` on minibatch ``k``; ``steps`` is one
    epoch (every minibatch once) unless ``max_steps`` caps it. Two curves on the axes: the
    cost of each step's own minibatch as that step is taken (faint, jumpy), and the mean cost
    on the first ``probe_size`` test images after every step (bold), which the minibatches
    never include.

    Exposes: ``order`` (the shuffle), ``eta``, ``steps``, ``ordered_thumbs`` and
    ``thumbs`` (Groups of DigitImages with ``train_index``; ``thumbs`` are shuffled positions
    0, 1, ...), ``batch_groups`` (``batch_groups[b]``: the thumbnails of minibatch ``b + 1``),
    ``batch_costs``, ``probe_costs``, ``batch_points`` / ``probe_points`` ((step, cost) in
    data units), ``axes``, ``batch_curve``, ``probe_curve``, ``step_dots`` (the first
    minibatches' points, each with ``.step``), ``start_number`` / ``end_number``
    (DecimalNumbers: the probe cost before and after the run), ``batch_jump`` /
    ``probe_jump`` (the mean step-to-step change of either cost, which the narration quotes).
    """

    shuffle_seed = SHUFFLE_SEED
    batch_size = BATCH_SIZE
    shown_batches = 3
    max_steps = 0          # 0: one full epoch
    probe_size = 1000
    thumb_size = 0.3
    thumb_buff = 0.03

    def construct(self):
        self.load()

        self.beat(f"Backprop on every one of the {self.n_train:,} training images for each "
                  f"single step: each step would cost as much as {self.batch_count:,} steps on "
                  f"minibatches of {self.batch_size}.", "data")
        self.show_data()

        self.beat(f"So shuffle the training data (here with seed {self.shuffle_seed})...", "shuffle")
        self.shuffle()

        self.beat(f"...and cut it into minibatches of {self.batch_size}: {self.batch_count:,} "
                  "of them.", "split")
        self.split()

        self.beat(f"Each minibatch gives one downhill step, computed from its own "
                  f"{self.batch_size} images only.", "steps")
        self.first_steps()

        self.beat(f"A real run of {self.steps:,} such steps from the partly trained network: "
                  f"each minibatch's own cost {self.batch_jump_phrase()}, while the cost on "
                  f"{self.probe_size:,} test images {cost_trend(self.probe_costs)}.", "run")
        self.show_run()

        self.beat(f"Cost on {self.probe_size:,} test images: {self.probe_costs[0]:.3f} before, "
                  f"{self.probe_costs[-1]:.3f} after {self.run_coverage()}.", "result")
        self.show_result()

    def run_coverage(self) -> str:
        """How much of the training data the run went through, from ``steps`` and the data:
        "one pass through the 8,000 training images", "120 of the 600 minibatches"."""
        if self.steps == self.batch_count:
            return f"one pass through the {self.n_train:,} training images"
        return f"{self.steps:,} of the {self.batch_count:,} minibatches"

    def batch_jump_phrase(self) -> str:
        """How jumpy the minibatch costs are, measured against the test-image cost: the mean
        change from one step to the next of each."""
        batch = float(np.mean(np.abs(np.diff(self.batch_costs)))) if self.steps > 1 else 0.0
        probe = float(np.mean(np.abs(np.diff(self.probe_costs))))
        self.batch_jump, self.probe_jump = batch, probe
        places = decimal_places(min(batch, probe) or max(batch, probe), digits=1, least=3, most=6)
        if batch > 2 * probe:
            return (f"jumps about, by {batch:.{places}f} a step on average against "
                    f"{probe:.{places}f} for the test cost")
        return f"changes by {batch:.{places}f} a step on average, the test cost by {probe:.{places}f}"

    # ---------------------------------------------------------------- data loading
    def load(self):
        self.load_story()
        d = self.data
        self.n_train = len(d.train_x)
        # The settings adapt to the data: a minibatch holds at most half of it, and as many
        # whole minibatches are shown as there are (at least one).
        self.batch_size = int(min(max(1, self.batch_size), max(1, self.n_train // 2)))
        self.order = shuffled_order(self.n_train, self.shuffle_seed)
        self.batch_count = -(-self.n_train // self.batch_size)
        self.steps = self.batch_count if not self.max_steps else min(self.max_steps, self.batch_count)
        self.eta = float(self.model.config.eta)
        self.shown_batches = int(min(max(1, self.shown_batches), self.n_train // self.batch_size))
        self.probe_size = int(min(max(1, self.probe_size), len(d.test_x)))
        probe_x = np.asarray(d.test_x[:self.probe_size], dtype=float)
        probe_labels = np.asarray(d.test_labels[:self.probe_size]).astype(int)
        self.batch_costs, self.probe_costs, self.final_network = minibatch_run(
            self.network, d.train_x, np.asarray(d.train_labels).astype(int),
            self.order, self.eta, self.steps, probe_x, probe_labels, self.batch_size)
        self.batch_points = [(k + 1, float(c)) for k, c in enumerate(self.batch_costs)]
        self.probe_points = [(k, float(c)) for k, c in enumerate(self.probe_costs)]

    # ---------------------------------------------------------------------- layout
    def block_origin(self, b: int, gap: float) -> np.ndarray:
        """Upper-left thumbnail centre of batch block ``b`` when blocks are ``gap`` apart."""
        pitch = self.thumb_size + self.thumb_buff
        block_w = 10 * pitch
        total = self.shown_batches * block_w + (self.shown_batches - 1) * gap
        return np.array([-total / 2 + pitch / 2 + b * (block_w + gap), 4.5 * pitch + 0.05, 0])

    def make_blocks(self, indices, gap: float = 0.0) -> Group:
        blocks = Group()
        per = self.batch_size
        for b in range(self.shown_batches):
            block = thumbnail_block(self.data.train_x, indices[b * per:(b + 1) * per],
                                    self.thumb_size, self.thumb_buff)
            block.shift(self.block_origin(b, gap) - block[0].get_center())
            blocks.add(block)
        return blocks

    # ----------------------------------------------------------------------- beats
    def show_data(self):
        shown = self.shown_batches * self.batch_size
        self.ordered_blocks = self.make_blocks(np.arange(shown))
        self.ordered_thumbs = Group(*[t for block in self.ordered_blocks for t in block])
        self.caption = caption(f"training images 0 to {shown - 1} of {self.n_train:,}, in order")
        self.caption.to_edge(UP, buff=0.3)
        self.play(LaggedStart(*[FadeIn(t) for t in self.ordered_thumbs], lag_ratio=0.004),
                  FadeIn(self.caption), run_time=2)
        self.wait(style.PAUSE)

    def shuffle(self):
        shown = self.shown_batches * self.batch_size
        self.blocks = self.make_blocks(self.order[:shown])
        self.thumbs = Group(*[t for block in self.blocks for t in block])
        jitter = np.random.default_rng(1)  # only where thumbnails fly, not which images
        outs = [FadeOut(t, shift=np.append(jitter.normal(0, 1.2, 2), 0)) for t in self.ordered_thumbs]
        ins = [FadeIn(t, shift=np.append(jitter.normal(0, 1.2, 2), 0)) for t in self.thumbs]
        new_caption = caption(f"shuffled with seed {self.shuffle_seed}: the first {shown} of the "
                              f"new order (training images {self.order[0]:,}, {self.order[1]:,}, "
                              f"{self.order[2]:,}, ...)").to_edge(UP, buff=0.3)
        self.play(LaggedStart(*outs, lag_ratio=0.002), run_time=1.2)
        self.play(LaggedStart(*ins, lag_ratio=0.002), Transform(self.caption, new_caption), run_time=1.5)
        self.wait(style.PAUSE)

    def split(self):
        gap = 0.55
        anims, self.batch_boxes, self.batch_labels = [], VGroup(), VGroup()
        for b, block in enumerate(self.blocks):
            anims.append(block.animate.shift(self.block_origin(b, gap) - block[0].get_center()))
        self.play(*anims, run_time=1.2)
        for b, block in enumerate(self.blocks):
            box = SurroundingRectangle(block, buff=0.06, color=style.PALETTE.accent, stroke_width=2)
            label = Tex(f"minibatch {b + 1}", font_size=style.LABEL_FONT_SIZE - 4,
                        color=style.PALETTE.accent).next_to(box, DOWN, buff=0.15)
            self.batch_boxes.add(box)
            self.batch_labels.add(label)
        self.dots = MathTex(r"\cdots", font_size=60).next_to(self.batch_boxes, RIGHT, buff=0.25)
        self.count_label = MathTex(r"\times\," + tex_int(self.batch_count), font_size=40,
                                   color=style.PALETTE.accent).next_to(self.dots, DOWN, buff=0.25)
        self.batch_groups = [block for block in self.blocks]
        self.play(LaggedStart(*[Create(b) for b in self.batch_boxes], lag_ratio=0.3),
                  LaggedStart(*[FadeIn(l) for l in self.batch_labels], lag_ratio=0.3),
                  FadeIn(self.dots), FadeIn(self.count_label), run_time=1.5)
        self.wait(style.PAUSE)

    def make_axes(self):
        top = max(float(self.batch_costs.max()), float(self.probe_costs.max()))
        y_step = nice_step(top, 4)
        y_top = math.ceil(top * 1.02 / y_step) * y_step
        x_step = nice_step(self.steps, 6)
        x_top = math.ceil(self.steps / x_step) * x_step
        axis_config = {"font_size": 22, "include_tip": False, "stroke_width": 2}
        self.axes = Axes(
            x_range=[0, x_top, x_step], y_range=[0, y_top, y_step], x_length=10.0, y_length=3.6,
            axis_config=axis_config,
            x_axis_config={"numbers_to_include": np.arange(0, x_top + 1e-9, x_step)},
            y_axis_config={"numbers_to_include": np.arange(0, y_top + 1e-9, y_step),
                           "decimal_number_config": {"num_decimal_places": 2 if y_step < 0.1 else 1}},
        ).move_to([0.3, -1.45, 0])
        fs = style.LABEL_FONT_SIZE - 6
        self.axis_labels = VGroup(
            Tex("step", font_size=fs).next_to(self.axes.x_axis, RIGHT, buff=0.15).shift(0.25 * DOWN),
            Tex("cost", font_size=fs, color=style.COST_COLOR).next_to(self.axes.y_axis, UP, buff=0.12),
        )

    def first_steps(self):
        # The minibatches move up into a row above the axes, in step order.
        target = Group(*[Group(block, box) for block, box in zip(self.blocks, self.batch_boxes)],
                       self.dots).copy().scale(0.5).to_edge(UP, buff=0.2)
        new_labels = VGroup(*[
            Tex(f"minibatch {b + 1}", font_size=22, color=style.PALETTE.accent)
            .next_to(target[b], DOWN, buff=0.08) for b in range(len(self.blocks))])
        self.play(FadeOut(self.count_label), FadeOut(self.caption),
                  Group(*[Group(block, box) for block, box in zip(self.blocks, self.batch_boxes)],
                        self.dots).animate.scale(0.5).to_edge(UP, buff=0.2),
                  *[Transform(old, new) for old, new in zip(self.batch_labels, new_labels)],
                  run_time=1.2)
        self.make_axes()
        run_caption = Tex(r"from the partly trained network, one step $\theta \leftarrow \theta - "
                          r"\eta\,\nabla C$ per minibatch, $\eta = " + f"{self.eta:g}$",
                          font_size=style.CAPTION_FONT_SIZE - 2, color=style.DIM_TEXT_COLOR)
        self.eta_caption = run_caption
        run_caption.next_to(self.axes, UP, buff=0.2).align_to(self.axes, RIGHT)
        self.play(Create(self.axes), FadeIn(self.axis_labels), FadeIn(run_caption), run_time=1.2)
        self.step_dots = VGroup()
        highlight = None
        for k in range(min(self.shown_batches, self.steps)):
            x, y = self.batch_points[k]
            dot = Dot(self.axes.c2p(x, y), radius=0.05, color=style.DIM_TEXT_COLOR)
            dot.step = x
            self.step_dots.add(dot)
            box = SurroundingRectangle(self.batch_boxes[k], buff=0.04, color=style.HIGHLIGHT_COLOR)
            arrow = Arrow(self.batch_labels[k].get_bottom(), dot.get_center(), buff=0.12,
                          stroke_width=3, color=style.HIGHLIGHT_COLOR, tip_length=0.15)
            if highlight is None:
                self.play(Create(box), Create(arrow), FadeIn(dot, scale=2), run_time=0.8)
            else:
                self.play(ReplacementTransform(highlight[0], box), ReplacementTransform(highlight[1], arrow),
                          FadeIn(dot, scale=2), run_time=0.8)
            highlight = (box, arrow)
        self.play(*[FadeOut(m) for m in highlight], run_time=0.5)
        self.wait(style.PAUSE)

    def show_run(self):
        self.batch_curve = polyline(self.axes, self.batch_points)
        self.batch_curve.set_stroke(style.DIM_TEXT_COLOR, width=0.8, opacity=0.6)
        self.probe_curve = polyline(self.axes, self.probe_points)
        self.probe_curve.set_stroke(style.COST_COLOR, width=4)
        fs = style.CAPTION_FONT_SIZE - 4
        self.legend = VGroup(
            VGroup(VMobject().set_points_as_corners([LEFT * 0.2, RIGHT * 0.2]).set_stroke(style.DIM_TEXT_COLOR, 2),
                   Tex("each step's own minibatch", font_size=fs, color=style.DIM_TEXT_COLOR)).arrange(RIGHT, buff=0.15),
            VGroup(VMobject().set_points_as_corners([LEFT * 0.2, RIGHT * 0.2]).set_stroke(style.COST_COLOR, 4),
                   Tex(f"first {self.probe_size:,} test images, after each step", font_size=fs,
                       color=style.COST_COLOR)).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        y_top = self.axes.y_range[1]
        self.legend.next_to(self.axes.c2p(self.axes.x_range[1], y_top), DOWN + LEFT, buff=0.0)
        self.legend.shift(0.05 * DOWN)
        self.play(FadeOut(self.step_dots), Create(self.batch_curve), Create(self.probe_curve),
                  FadeIn(self.legend), run_time=4)
        self.wait(style.PAUSE)

    def show_result(self):
        fs = style.LABEL_FONT_SIZE
        start, end = float(self.probe_costs[0]), float(self.probe_costs[-1])
        self.start_number = DecimalNumber(start, num_decimal_places=3, font_size=fs, color=style.COST_COLOR)
        self.end_number = DecimalNumber(end, num_decimal_places=3, font_size=fs, color=style.COST_COLOR)
        arrow = MathTex(r"\rightarrow", font_size=fs)
        label = Tex("test cost:", font_size=fs - 4, color=style.COST_COLOR)
        readout = VGroup(label, self.start_number, arrow, self.end_number).arrange(RIGHT, buff=0.2)
        readout.next_to(self.legend, DOWN, buff=0.3).align_to(self.legend, RIGHT)
        start_dot = Dot(self.axes.c2p(*self.probe_points[0]), radius=0.07, color=style.HIGHLIGHT_COLOR)
        end_dot = Dot(self.axes.c2p(*self.probe_points[-1]), radius=0.07, color=style.HIGHLIGHT_COLOR)
        self.play(FadeIn(start_dot, scale=2), FadeIn(end_dot, scale=2), Write(readout))
        self.play(Indicate(self.end_number, color=style.HIGHLIGHT_COLOR))
        self.wait(2 * style.PAUSE)


# ===================================================================== OneTrainingStep
class OneTrainingStep(Chapter3Scene):
    """One real step of gradient descent on minibatch 1 of the seeded shuffle (the batch
    ``MiniBatches`` steps on first), from chapter 3's partly trained network.

    Backprop on the batch's ``batch_size`` images gives ∇C (the average over them); the step is
    ``θ ← θ − η ∇C`` with η = ``model.config.eta`` (``plain_step``). The edges first show the
    change ``−η ∇C`` (a copy of the network whose weights are the change: colour its sign,
    width its size relative to the largest drawn change of that layer pair), then the real
    new weights. The drawn edge with the largest change is singled out with its weight
    before and after. The batch's cost is measured before and after the step.

    Exposes: ``batch`` (training indices), ``batch_x``, ``batch_labels``, ``eta``,
    ``new_network``, ``change`` (per layer, −η∇C for the weights), ``cost_before`` /
    ``cost_after`` (measured), ``before_mobject`` / ``change_mobject`` / ``after_mobject``
    (NetworkMobjects of the old weights, the change, the new weights; the scene ends showing
    ``after_mobject.edge_groups``), ``thumbs`` (the batch's thumbnails, ``train_index``),
    ``before_number`` / ``after_number`` / ``drop_number`` (DecimalNumbers),
    ``focus_edge`` ((layer, source, target)), ``focus_numbers`` (DecimalNumbers: w before, after).
    """

    shuffle_seed = SHUFFLE_SEED
    batch_size = BATCH_SIZE
    network_left = -2.3
    network_right = 5.2
    network_height = 5.5
    network_y = -0.35

    def construct(self):
        self.load()

        self.beat(f"One step of training, for real: minibatch 1 of the shuffle, "
                  f"{len(self.batch)} images, and the network's cost on them.", "batch")
        self.show_batch()

        self.beat("Backprop on each image, averaged over the batch, gives minus the gradient: "
                  f"the change to make, times the learning rate {self.eta:g}.", "gradient")
        self.show_change()

        self.beat(f"Add that change to every weight and bias: none moves by more than "
                  f"{self.largest_change:.{decimal_places(self.largest_change)}f}, each in the "
                  "direction that lowers this batch's cost.", "update")
        self.show_update()

        verb = ("fell" if self.cost_after < self.cost_before
                else "rose" if self.cost_after > self.cost_before else "stayed")
        self.beat(f"Measured again, the batch's cost {verb} from {self.cost_before:.3f} to "
                  f"{self.cost_after:.3f}.", "cost")
        self.show_costs()

    # ---------------------------------------------------------------- data loading
    def load(self):
        self.load_story()
        d = self.data
        order = shuffled_order(len(d.train_x), self.shuffle_seed)
        self.batch_size = int(min(max(1, self.batch_size), len(order)))  # what the data allows
        self.batch = minibatch_indices(order, 0, self.batch_size)
        self.batch_x = np.asarray(d.train_x[self.batch], dtype=float)
        self.batch_labels = np.asarray(d.train_labels[self.batch]).astype(int)
        self.eta = float(self.model.config.eta)
        self.new_network, self.cost_before, self.cost_after = plain_step(
            self.network, self.batch_x, self.batch_labels, self.eta)
        self.change = [new - old for new, old in zip(self.new_network.weights, self.network.weights)]
        self.largest_change = float(np.max(np.abs(
            self.new_network.flat_parameters() - self.network.flat_parameters())))

    def network_mobject(self, network) -> NetworkMobject:
        """``network`` drawn in the scene's one layout (the same for all three pictures)."""
        spacing = (self.network_right - self.network_left) / (len(self.sizes) - 1)
        nm = NetworkMobject(network, input_indices=self.input_indices, layer_spacing=spacing)
        if nm.height > self.network_height:
            nm.scale_to_fit_height(self.network_height)
        first = nm.layers[0].neurons
        nm.shift((self.network_left - first.get_center()[0]) * RIGHT
                 + (self.network_y - first.get_center()[1]) * UP)
        return nm

    # ----------------------------------------------------------------------- beats
    def show_batch(self):
        self.input_indices = choose_input_indices(self.batch_x.mean(axis=0))
        self.before_mobject = self.network_mobject(self.network)
        change_net = self.network.copy()
        change_net.weights = [c.copy() for c in self.change]
        self.change_mobject = self.network_mobject(change_net)
        self.after_mobject = self.network_mobject(self.new_network)

        self.thumbs = thumbnail_block(self.data.train_x, self.batch, 0.2, 0.02)
        self.thumbs.move_to([-5.35, self.network_y + 0.2, 0])
        box = SurroundingRectangle(self.thumbs, buff=0.06, color=style.PALETTE.accent, stroke_width=2)
        label = Tex("minibatch 1", font_size=style.LABEL_FONT_SIZE - 4,
                    color=style.PALETTE.accent).next_to(box, UP, buff=0.15)
        self.batch_group = Group(self.thumbs, box, label)
        self.caption = caption(f"partly trained network; minibatch 1 of the training set "
                               f"shuffled with seed {self.shuffle_seed}").to_edge(UP, buff=0.3)

        fs = style.LABEL_FONT_SIZE
        self.before_number = DecimalNumber(self.cost_before, num_decimal_places=3, font_size=fs,
                                           color=style.COST_COLOR)
        c_label = MathTex(r"C =", font_size=fs)
        c_label[0][0].set_color(style.COST_COLOR)
        self.before_readout = VGroup(c_label, self.before_number).arrange(RIGHT, buff=0.15)
        self.before_readout.next_to(box, DOWN, buff=0.3)
        self.play(FadeIn(self.caption), FadeIn(self.batch_group), FadeIn(self.before_mobject), run_time=1.5)
        self.play(Write(self.before_readout))
        self.wait(style.PAUSE)

    def show_change(self):
        eta = f"{self.eta:g}"
        self.rule = MathTex(r"\Delta w = -\eta\, \nabla C", r",\quad \eta = " + eta, font_size=36)
        self.rule.next_to(self.caption, DOWN, buff=0.2).set_x(1.45)
        self.legend = sign_legend(r"\Delta w", font_size=style.CAPTION_FONT_SIZE - 2)
        self.legend.to_edge(DOWN, buff=0.25).set_x(1.45)
        self.play(Write(self.rule))
        edges = self.before_mobject.edge_groups
        self.play(Transform(edges, self.change_mobject.edge_groups), FadeIn(self.legend), run_time=2)
        self.swap_edges(edges, self.change_mobject)
        self.wait(style.PAUSE)

    def swap_edges(self, old: VGroup, mobject: NetworkMobject):
        """Show ``mobject``'s own edges (with their real ``.weight``) in place of ``old``."""
        self.remove(old)
        self.add(mobject.edge_groups)
        self.bring_to_back(mobject.edge_groups)
        self.shown_edges = mobject.edge_groups

    def focus(self):
        """The drawn edge whose weight changes most: (layer, source, target)."""
        best = None
        for l, group in enumerate(self.change_mobject.edge_groups):
            for e in group:
                if best is None or abs(e.weight) > best[0]:
                    best = (abs(e.weight), l, e.source, e.target)
        return best[1:]

    def show_update(self):
        l, s, t = self.focus_edge = self.focus()
        old_w = float(self.network.weights[l][t, s])
        new_w = float(self.new_network.weights[l][t, s])
        fs = style.LABEL_FONT_SIZE - 4
        self.focus_numbers = (DecimalNumber(old_w, num_decimal_places=3, include_sign=True, font_size=fs),
                              DecimalNumber(new_w, num_decimal_places=3, include_sign=True, font_size=fs))
        arrow = MathTex(r"\rightarrow", font_size=fs)
        w_label = MathTex(r"\text{largest change drawn: } w:", font_size=fs)
        readout = VGroup(w_label, self.focus_numbers[0], arrow, self.focus_numbers[1]).arrange(RIGHT, buff=0.12)
        edge = next(e for e in self.after_mobject.edge_groups[l] if e.source == s and e.target == t)
        glow = edge.copy().set_stroke(style.HIGHLIGHT_COLOR, width=5, opacity=1)
        readout.set_color(style.HIGHLIGHT_COLOR)
        readout.next_to(self.rule, DOWN, buff=0.2)
        self.play(Transform(self.shown_edges, self.after_mobject.edge_groups),
                  FadeOut(self.legend), run_time=2.5)
        self.swap_edges(self.shown_edges, self.after_mobject)
        self.legend = sign_legend("w", font_size=style.CAPTION_FONT_SIZE - 2)
        self.legend.to_edge(DOWN, buff=0.25).set_x(1.45)
        self.play(Create(glow), FadeIn(readout), FadeIn(self.legend))
        self.focus_glow, self.focus_readout = glow, readout
        self.wait(style.PAUSE)

    def show_costs(self):
        fs = style.LABEL_FONT_SIZE
        self.after_number = DecimalNumber(self.cost_after, num_decimal_places=3, font_size=fs,
                                          color=style.COST_COLOR)
        arrow = MathTex(r"\rightarrow", font_size=fs)
        arrow.next_to(self.before_number, RIGHT, buff=0.15)
        self.after_number.next_to(arrow, RIGHT, buff=0.15)
        row = VGroup(self.before_readout, arrow, self.after_number)
        shift = keep_in_frame(row.copy(), 0.25).get_center() - row.get_center()
        drop = self.cost_before - self.cost_after
        self.drop_number = DecimalNumber(-drop, num_decimal_places=3, include_sign=True,
                                         font_size=fs - 4, color=style.PALETTE.sign_color(-drop))
        self.play(self.before_readout.animate.shift(shift), FadeOut(self.focus_glow))
        arrow.shift(shift)
        self.after_number.shift(shift)
        self.drop_number.next_to(VGroup(arrow, self.after_number), DOWN, buff=0.2)
        self.play(Write(arrow), FadeIn(self.after_number, shift=0.2 * RIGHT))
        self.play(FadeIn(self.drop_number), Indicate(self.after_number, color=style.HIGHLIGHT_COLOR))
        self.wait(2 * style.PAUSE)
