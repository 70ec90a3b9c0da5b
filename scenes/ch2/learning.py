"""Chapter 2, learning: what the gradient says, how the real training went, how well it did.

Everything on screen comes from the real trained network (``network.load_trained``), its real
training record (``model.history``) and the real MNIST data (``network.load_mnist``).

Scenes: ``GradientAsNudges``, ``LearningCurve``, ``TestAccuracy``.
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
    Dot,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    Integer,
    LaggedStart,
    Line,
    MathTex,
    SurroundingRectangle,
    Tex,
    Transform,
    TransformFromCopy,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    Write,
    config,
)

from scenes import style
from scenes.base import NetworkScene
from scenes.layout import caption, vertical_arrow
from scenes.mobjects import DigitImage, NetworkMobject, choose_input_indices
from scenes.text import decimal_places, held_out_words, parameter_name, tex_int


# ---------------------------------------------------------------------------- helpers
def parameter_location(network, k: int) -> tuple[str, int, tuple[int, ...]]:
    """Where entry ``k`` of the flat parameters lives: ``("weights"|"biases", layer, index)``."""
    i = int(k)
    for kind in ("weights", "biases"):
        for l, p in enumerate(getattr(network, kind)):
            if i < p.size:
                return kind, l, tuple(int(v) for v in np.unravel_index(i, p.shape))
            i -= p.size
    raise IndexError(f"parameter {k} out of range")


def bracket(group, side, height_pad: float = 0.15, arm: float = 0.12, **kwargs) -> VMobject:
    """A square bracket beside ``group`` on ``side`` (LEFT or RIGHT)."""
    top = group.get_top()[1] + height_pad
    bottom = group.get_bottom()[1] - height_pad
    x = (group.get_left()[0] - 0.12) if side is LEFT else (group.get_right()[0] + 0.12)
    inward = arm if side is LEFT else -arm
    b = VMobject(**kwargs)
    b.set_points_as_corners([[x + inward, top, 0], [x, top, 0], [x, bottom, 0], [x + inward, bottom, 0]])
    b.set_stroke(style.TEXT_COLOR, width=2.5)
    return b


def moving_average(values, window: int) -> np.ndarray:
    """The trailing mean over ``window`` values: entry ``i`` is the mean of values
    ``i - window + 1 .. i`` (defined from ``i = window - 1`` on)."""
    v = np.asarray(values, dtype=float)
    c = np.concatenate([[0.0], np.cumsum(v)])
    return (c[window:] - c[:-window]) / window


# ===================================================================== GradientAsNudges
class GradientAsNudges(NetworkScene):
    """The negative gradient of the cost, a column of 13,002 real numbers, read as nudges.

    The gradient is computed by backprop on a real minibatch: training images
    ``batch_start .. batch_start + batch_size - 1`` with their labels, at the *trained*
    network's parameters (``-network.backprop(x, labels).flat()``; the cost alone, without the
    weight decay training also used). Entries are in ``Network.flat_parameters()`` order:
    every weight layer by layer (row by row of ``weights[l]``), then every bias.

    Shown rows: the first two weights, the largest-|entry| weight with its two neighbours, and
    the last two biases; ``⋮`` between the blocks. An arrow beside each entry points up
    (``PALETTE.positive``) for a positive entry, down (``PALETTE.negative``) for a negative one,
    its length ``arrow_max_length * |entry| / largest shown |entry|``.

    Then the network is drawn from a copy whose weights are replaced by the weight entries of
    ``-∇C``: each edge's colour is the sign of its entry, its width the size (NetworkMobject's
    rule, scaled per layer pair). The drawn input pixels follow the batch's mean image.

    Exposes: ``gradient`` (full ``-∇C``), ``cost``, ``shown_indices`` (flat indices, ``None``
    for a ``⋮`` row), ``shown_names``, ``shown_entries``, ``label_mobjects``,
    ``value_mobjects`` (DecimalNumbers), ``arrows``, ``arrow_lengths`` (signed: + up),
    ``arrow_colors``, ``gradient_network``, ``network_mobject``, ``largest_index``.
    """

    batch_start = 0
    batch_size = 100
    arrow_max_length = 0.5
    row_height = 0.52
    column_y = -0.35
    network_left = 1.0
    network_right = 6.0
    network_height = 5.6

    def construct(self):
        self.load()

        self.beat(f"Learning means tuning all {self.network.num_parameters:,} weights and biases: "
                  "one long column of numbers.", "parameters")
        self.show_parameters()

        self.beat(f"Backprop on {self.batch_size} real training images gives minus the gradient "
                  "of the cost: one number for each parameter.", "gradient")
        self.show_gradient()

        self.beat("Its sign says which way to nudge: up for positive, down for negative.", "sign")
        self.show_arrows()

        self.beat(self.size_narration(), "size")
        self.show_largest()

        self.beat("On the network: each edge coloured by its weight's entry, "
                  "thicker where a nudge matters more.", "edges")
        self.show_edges()

    # ---------------------------------------------------------------- data loading
    def load(self):
        self.load_network()
        net = self.network
        lo, hi = self.batch_start, self.batch_start + self.batch_size
        self.batch_x = np.asarray(self.data.train_x[lo:hi], dtype=float)
        self.batch_labels = np.asarray(self.data.train_labels[lo:hi]).astype(int)
        grad = net.backprop(self.batch_x, self.batch_labels)
        self.cost = grad.cost
        self.gradient = -grad.flat()
        self.weight_gradient = [-g for g in grad.weights]
        self.n_weights = sum(w.size for w in net.weights)
        n = net.num_parameters
        k = int(np.argmax(np.abs(self.gradient[:self.n_weights])))
        k = min(max(k, 3), self.n_weights - 2)  # room for its neighbours and the blocks above
        self.largest_index = int(np.argmax(np.abs(self.gradient[:self.n_weights])))
        blocks = [[0, 1], [k - 1, k, k + 1], [n - 2, n - 1]]
        self.shown_indices = []
        for b, block in enumerate(blocks):
            if b:
                self.shown_indices.append(None)
            self.shown_indices.extend(block)
        shown = [i for i in self.shown_indices if i is not None]
        self.shown_names = [parameter_name(net, i) for i in shown]
        self.shown_entries = [float(self.gradient[i]) + 0.0 for i in shown]
        self.largest_shown = max(abs(v) for v in self.shown_entries) or 1.0
        self.decimals = decimal_places(self.largest_shown)
        self.arrow_lengths = [self.arrow_max_length * v / self.largest_shown for v in self.shown_entries]
        self.arrow_colors = [None if v == 0 else style.PALETTE.sign_color(v) for v in self.shown_entries]

    def size_narration(self) -> str:
        k = self.largest_index
        name = f"w{k}"  # the largest entry is looked for among the weights
        return (f"Its size says how much the nudge matters: {name} has the largest entry of all "
                f"the weights, so the cost is most sensitive to it.")

    # ----------------------------------------------------------------------- beats
    def row_y(self, r: int) -> float:
        rows = len(self.shown_indices)
        return self.column_y + ((rows - 1) / 2 - r) * self.row_height

    def show_parameters(self):
        fs = style.LABEL_FONT_SIZE
        self.label_mobjects = VGroup()
        dots_w = VGroup()
        x_w = -5.3
        j = 0
        for r, idx in enumerate(self.shown_indices):
            if idx is None:
                d = MathTex(r"\vdots", font_size=fs).move_to([x_w, self.row_y(r), 0])
                dots_w.add(d)
                continue
            m = MathTex(self.shown_names[j], font_size=fs).move_to([x_w, self.row_y(r), 0])
            self.label_mobjects.add(m)
            j += 1
        col_w = VGroup(self.label_mobjects, dots_w)
        self.w_brackets = VGroup(bracket(col_w, LEFT), bracket(col_w, RIGHT))
        self.w_title = MathTex(r"\vec{W}", font_size=fs + 8).next_to(self.w_brackets, UP, buff=0.25)
        self.w_column = VGroup(col_w, self.w_brackets)
        n = self.network.num_parameters
        self.count_brace_label = MathTex(tex_int(n), font_size=fs - 4, color=style.DIM_TEXT_COLOR)
        self.count_brace_label.next_to(self.w_brackets[0], LEFT, buff=0.15)
        n_b = n - self.n_weights
        self.order_caption = caption(
            f"entries 0 to {n - 1:,}: the {self.n_weights:,} weights layer by layer, then the "
            f"{n_b} biases (the order of flat_parameters)")
        self.order_caption.to_edge(UP, buff=0.3)
        if self.order_caption.width > 13.4:
            self.order_caption.scale_to_fit_width(13.4)
        self.play(FadeIn(self.w_title), Create(self.w_brackets),
                  LaggedStart(*[Write(m) for m in col_w.family_members_with_points()], lag_ratio=0.05),
                  run_time=2)
        self.play(FadeIn(self.count_brace_label), FadeIn(self.order_caption, shift=0.2 * DOWN))
        self.wait(style.PAUSE)

    def show_gradient(self):
        fs = style.LABEL_FONT_SIZE
        x_g = -2.7
        self.value_mobjects = VGroup()
        dots_g = VGroup()
        j = 0
        for r, idx in enumerate(self.shown_indices):
            if idx is None:
                dots_g.add(MathTex(r"\vdots", font_size=fs).move_to([x_g, self.row_y(r), 0]))
                continue
            v = self.shown_entries[j]
            d = DecimalNumber(v, num_decimal_places=self.decimals, include_sign=v != 0, font_size=fs)
            d.move_to([x_g, self.row_y(r), 0])
            self.value_mobjects.add(d)
            j += 1
        col_g = VGroup(self.value_mobjects, dots_g)
        self.g_brackets = VGroup(bracket(col_g, LEFT), bracket(col_g, RIGHT))
        self.g_title = MathTex(r"-\nabla C(\vec{W})", font_size=fs + 8)
        self.g_title[0][2].set_color(style.COST_COLOR)
        self.g_title.next_to(self.g_brackets, UP, buff=0.25)
        self.g_title.align_to(self.w_title, DOWN)
        self.g_column = VGroup(col_g, self.g_brackets)
        lo = self.batch_start
        self.batch_caption = VGroup(*[
            caption(line)
            for line in (f"at the trained network's parameters, on training images {lo}-{lo + self.batch_size - 1}",
                         f"(their mean cost: {self.cost:.4f})")
        ]).arrange(DOWN, buff=0.12)
        self.batch_caption.next_to(VGroup(self.w_column, self.g_column), DOWN, buff=0.35)
        overflow = -(config.frame_width / 2 - 0.3) - self.batch_caption.get_left()[0]
        if overflow > 0:
            self.batch_caption.shift(overflow * RIGHT)
        self.play(FadeIn(self.g_title), Create(self.g_brackets),
                  LaggedStart(*[TransformFromCopy(a, b) for a, b in
                                zip(self.label_mobjects, self.value_mobjects)], lag_ratio=0.1),
                  FadeIn(dots_g), run_time=2)
        self.play(FadeIn(self.batch_caption))
        self.wait(style.PAUSE)

    def show_arrows(self):
        x_a = self.g_brackets.get_right()[0] + 0.45
        self.arrows = VGroup()
        j = 0
        for r, idx in enumerate(self.shown_indices):
            if idx is None:
                continue
            length = self.arrow_lengths[j]
            y = self.row_y(r)
            if length == 0:
                a = Dot([x_a, y, 0], radius=0.03, color=style.DIM_TEXT_COLOR)
            else:
                a = vertical_arrow([x_a, y, 0], length, color=self.arrow_colors[j], tip_ratio=0.4,
                                   width_ratio=20)
            a.entry_index = idx
            self.arrows.add(a)
            j += 1
        self.play(LaggedStart(*[FadeIn(a, shift=0.15 * (UP if l >= 0 else DOWN))
                                for a, l in zip(self.arrows, self.arrow_lengths)], lag_ratio=0.15),
                  *[d.animate.set_color(c) for d, c in zip(self.value_mobjects, self.arrow_colors)
                    if c is not None], run_time=2)
        self.wait(style.PAUSE)

    def show_largest(self):
        j = [i for i in self.shown_indices if i is not None].index(self.largest_index)
        r = self.shown_indices.index(self.largest_index)
        row = VGroup(self.label_mobjects[j], self.value_mobjects[j], self.arrows[j])
        self.largest_box = SurroundingRectangle(row, color=style.HIGHLIGHT_COLOR, buff=0.1)
        self.play(Create(self.largest_box))
        self.wait(style.PAUSE)
        self.largest_row = r

    def show_edges(self):
        net = self.network
        self.gradient_network = net.copy()
        self.gradient_network.weights = [g.copy() for g in self.weight_gradient]
        L = len(self.sizes)
        spacing = (self.network_right - self.network_left) / (L - 1)
        example = self.batch_x.mean(axis=0)
        nm = NetworkMobject(self.gradient_network, example=example, layer_spacing=spacing)
        if nm.height > self.network_height:
            nm.scale_to_fit_height(self.network_height)
        first = nm.layers[0].neurons
        nm.shift((self.network_left - first.get_center()[0]) * RIGHT
                 + (self.column_y - first.get_center()[1]) * UP)
        self.network_mobject = nm
        grey = nm.edge_groups.copy()
        for edge in grey.family_members_with_points():
            edge.set_stroke(style.EDGE_NEUTRAL_COLOR, width=style.EDGE_NEUTRAL_WIDTH, opacity=0.35)
        self.play(FadeIn(nm.layers), FadeIn(nm.output_labels), FadeIn(grey), run_time=1.5)
        self.wait(0.5)
        self.play(Transform(grey, nm.edge_groups), run_time=2.5)
        self.remove(grey)
        self.add(nm.edge_groups)
        self.bring_to_back(nm.edge_groups)
        # The largest entry is one edge when both its ends are drawn.
        kind, l, (t, s) = parameter_location(net, self.largest_index)
        self.largest_edge = None
        for edge in nm.edge_groups[l]:
            if edge.source == s and edge.target == t:
                self.largest_edge = edge
        if self.largest_edge is not None:
            glow = self.largest_edge.copy().set_stroke(style.HIGHLIGHT_COLOR, width=6, opacity=1)
            self.play(Create(glow))
            self.largest_glow = glow
        self.wait(2 * style.PAUSE)


# ======================================================================== LearningCurve
class LearningCurve(NetworkScene):
    """The real training record of the trained model (``model.history``).

    Left: the cost per minibatch step. ``step_cost`` is the cost of each step's own minibatch,
    so it jumps about; it is drawn faintly (every ``raw_every``-th step) and, in the cost
    colour, as a trailing moving average over ``window`` steps, one epoch's worth
    (``len(step_cost) // epochs``, at least ``min_window``). At the end of each epoch that
    average is exactly the epoch's mean cost (``history.epoch_cost``). The x axis counts
    epochs (step / steps per epoch).

    Right: the test accuracy after each epoch (``history.epoch_accuracy``), in percent. The
    last point is highlighted with ``model.test_accuracy`` (= test_correct / test_size), which
    equals the last epoch's accuracy (the network is measured once more after training).

    Exposes: ``window``, ``steps_per_epoch``, ``smooth_points`` / ``raw_points`` ((x, y) in
    data units), ``accuracy_points``, ``cost_axes``, ``accuracy_axes``, ``smooth_curve``,
    ``raw_curve``, ``accuracy_dots``, ``final_value`` (DecimalNumber, percent),
    ``final_accuracy``.
    """

    raw_every = 0          # 0: about 1,500 raw points whatever the length
    min_window = 10
    points_per_epoch = 4

    def construct(self):
        self.load()

        batch = self.model.config.batch_size
        self.beat(f"The real training run: {self.epochs} epochs, {self.steps_per_epoch:,} "
                  f"gradient steps each, every step on its own batch of {batch} images.", "axes")
        self.show_axes()

        self.beat(self.raw_narration(), "raw")
        self.show_raw()

        self.beat(self.smooth_narration(), "smooth")
        self.show_smooth()

        self.beat("After every epoch the network takes the test: accuracy on images it never "
                  "trained on.", "accuracy")
        self.show_accuracy()

        self.beat(f"At the end, {self.model.test_correct:,} of {self.model.test_size:,} {self.words.images} "
                  f"right: {100 * self.final_accuracy:.2f}%.", "final")
        self.show_final()

    # -------------------------------------------------------------------- narration
    # The raw cost "jumps about" when, over the last epoch's steps, its range is at least
    # half its mean; the smoothed cost falls "steadily" when it is lower at the end of every
    # window than at the end of the one before, "over most windows" when in at least
    # ``most_share`` of them.
    jumpy_spread = 0.5
    most_share = 0.75

    def raw_narration(self) -> str:
        """How much the cost of single steps varies, over the last epoch's worth of steps."""
        last = self.step_cost[-self.window:]
        lo, hi, mean = float(last.min()), float(last.max()), float(last.mean())
        span = (f"over the last {len(last):,} steps alone, from "
                f"{lo:.{decimal_places(lo, 2, most=6)}f} to {hi:.{decimal_places(hi, 2, most=6)}f}")
        head = f"Each step's cost is measured on its own {self.model.config.batch_size} images"
        if hi - lo >= self.jumpy_spread * mean:
            return f"{head}, so it jumps about: {span}."
        return f"{head}, so it varies a little: {span}."

    def window_ends(self) -> np.ndarray:
        """The moving average at the end of every window, counted back from the last step
        (for one-epoch windows: each epoch's mean cost), first window first."""
        ma = moving_average(self.step_cost, self.window)
        return ma[::-1][::self.window][::-1]

    def smooth_narration(self) -> str:
        """How the smoothed cost goes, from window to window, in words from the numbers."""
        ends = self.window_ends()
        first, last = float(ends[0]), float(ends[-1])
        span = (f"from {first:.{decimal_places(first, 2, most=6)}f} to "
                f"{last:.{decimal_places(last, 2, most=6)}f}")
        head = f"Averaged over the last {self.window:,} steps, the cost"
        n = len(ends) - 1
        drops = int(np.sum(np.diff(ends) < 0))
        unit = "epoch" if self.window == self.steps_per_epoch else f"{self.window:,} steps"
        if n == 0:  # one window: no earlier one to compare with
            return f"{head} is {last:.{decimal_places(last, 2, most=6)}f}."
        if drops == n:
            return f"{head} falls steadily, lower after every {unit}: {span}."
        if drops >= self.most_share * n and last < first:
            return f"{head} falls, lower after {drops} of {n} {unit}s: {span}."
        if last < first:
            return f"{head} ends lower, but falls after only {drops} of {n} {unit}s: {span}."
        return f"{head} does not fall: {span}."

    # ---------------------------------------------------------------- data loading
    def load(self):
        self.load_network()
        self.words = held_out_words(self.data)
        h = self.model.history
        self.step_cost = np.asarray(h.step_cost, dtype=float)
        self.epoch_accuracy = np.asarray(h.epoch_accuracy, dtype=float)
        self.epoch_cost = np.asarray(h.epoch_cost, dtype=float)
        self.epochs = len(self.epoch_accuracy)
        n = len(self.step_cost)
        self.steps_per_epoch = n // self.epochs
        self.window = min(n, max(self.min_window, self.steps_per_epoch))
        ma = moving_average(self.step_cost, self.window)        # ma[i] ends at step window-1+i
        ends = np.arange(self.window - 1, n)
        stride = max(1, self.steps_per_epoch // self.points_per_epoch)
        keep = np.unique(np.concatenate([np.arange(0, len(ma), stride), [len(ma) - 1]]))
        self.smooth_steps = ends[keep]
        self.smooth_points = [((s + 1) / self.steps_per_epoch, float(ma[i])) for s, i in zip(self.smooth_steps, keep)]
        every = self.raw_every or max(1, n // 1500)
        raw_steps = np.arange(0, n, every)
        self.raw_points = [((s + 1) / self.steps_per_epoch, float(self.step_cost[s])) for s in raw_steps]
        self.accuracy_points = [(e + 1, 100 * float(a)) for e, a in enumerate(self.epoch_accuracy)]
        # What the scene highlights is the model's own measurement.
        self.final_accuracy = float(self.model.test_accuracy)

    # ----------------------------------------------------------------------- axes
    @staticmethod
    def nice_step(span: float, target: int = 5) -> float:
        raw = span / target
        p = 10 ** math.floor(math.log10(raw))
        for m in (1, 2, 5, 10):
            if m * p >= raw:
                return m * p
        return 10 * p

    def show_axes(self):
        E = self.epochs
        x_step = self.nice_step(E, 4)
        top = float(np.percentile(self.step_cost, 99.5))
        smooth_max = max(y for _, y in self.smooth_points)
        y_top = max(top, smooth_max) * 1.05
        y_step = self.nice_step(y_top, 4)
        y_top = math.ceil(y_top / y_step) * y_step
        self.cost_y_top = y_top
        axis_config = {"font_size": 24, "include_tip": False, "stroke_width": 2}
        self.cost_axes = Axes(
            x_range=[0, E, x_step], y_range=[0, y_top, y_step], x_length=5.4, y_length=4.2,
            axis_config=axis_config, x_axis_config={"numbers_to_include": np.arange(0, E + 1e-9, x_step)},
            y_axis_config={"numbers_to_include": np.arange(0, y_top + 1e-9, y_step),
                           "decimal_number_config": {"num_decimal_places": decimal_places(y_step, 1)}},
        ).move_to([-3.55, -0.45, 0])
        lo = 100 * float(min(self.epoch_accuracy.min(), self.final_accuracy))
        a_step = self.nice_step(100 - lo, 4) if lo < 99 else 0.2
        a_lo = math.floor((lo - 0.3 * a_step) / a_step) * a_step
        self.acc_range = (a_lo, 100.0)
        self.accuracy_axes = Axes(
            x_range=[0, E, x_step], y_range=[a_lo, 100, a_step], x_length=5.4, y_length=4.2,
            axis_config=axis_config, x_axis_config={"numbers_to_include": np.arange(0, E + 1e-9, x_step)},
            y_axis_config={"numbers_to_include": np.arange(a_lo, 100 + 1e-9, a_step),
                           "decimal_number_config": {"num_decimal_places": 0 if a_step >= 1 else 1}},
        ).move_to([3.55, -0.45, 0])
        fs = style.LABEL_FONT_SIZE - 4
        self.cost_labels = VGroup(
            Tex("epoch", font_size=fs).next_to(self.cost_axes.x_axis, DOWN, buff=0.2),
            Tex("cost", font_size=fs, color=style.COST_COLOR).next_to(self.cost_axes.y_axis, UP, buff=0.15),
        )
        self.accuracy_labels = VGroup(
            Tex("epoch", font_size=fs).next_to(self.accuracy_axes.x_axis, DOWN, buff=0.2),
            Tex(self.words.accuracy + r" (\%)", font_size=fs).next_to(self.accuracy_axes.y_axis, UP, buff=0.15),
        )
        self.accuracy_labels[1].align_to(self.accuracy_axes.y_axis, LEFT).shift(0.3 * LEFT)
        self.cost_labels[1].align_to(self.cost_axes.y_axis, LEFT).shift(0.3 * LEFT)
        cfg = self.model.config
        self.caption = caption(
            f"{'-'.join(map(str, self.sizes))} network, {self.model.train_size:,} training images, "
            f"minibatches of {cfg.batch_size}, {self.epochs} epochs").to_edge(UP, buff=0.3)
        self.play(Create(self.cost_axes), FadeIn(self.cost_labels), FadeIn(self.caption), run_time=1.5)
        self.wait(style.PAUSE)

    def polyline(self, axes, points) -> VMobject:
        m = VMobject()
        m.set_points_as_corners([axes.c2p(x, y) for x, y in points])
        return m

    def show_raw(self):
        pts = [(x, min(y, self.cost_y_top)) for x, y in self.raw_points]
        self.raw_curve = self.polyline(self.cost_axes, pts)
        self.raw_curve.set_stroke(style.DIM_TEXT_COLOR, width=0.6, opacity=0.3)
        self.play(Create(self.raw_curve), run_time=2.5)
        self.wait(style.PAUSE)

    def show_smooth(self):
        self.smooth_curve = self.polyline(self.cost_axes, self.smooth_points)
        self.smooth_curve.set_stroke(style.COST_COLOR, width=4)
        self.smooth_label = Tex(f"mean of the last {self.window:,} steps", font_size=24,
                                color=style.COST_COLOR)
        self.smooth_label.next_to(self.cost_axes.c2p(self.epochs, self.cost_y_top), DOWN + LEFT, buff=0.1)
        self.play(Create(self.smooth_curve), run_time=2.5)
        self.play(FadeIn(self.smooth_label))
        self.wait(style.PAUSE)

    def show_accuracy(self):
        ax = self.accuracy_axes
        self.accuracy_dots = VGroup(*[Dot(ax.c2p(x, y), radius=0.04 if self.epochs > 20 else 0.06,
                                          color=style.PALETTE.accent) for x, y in self.accuracy_points])
        self.accuracy_line = self.polyline(ax, self.accuracy_points).set_stroke(style.PALETTE.accent, width=2)
        self.play(Create(ax), FadeIn(self.accuracy_labels), run_time=1.2)
        self.play(Create(self.accuracy_line), LaggedStart(*[FadeIn(d) for d in self.accuracy_dots],
                                                          lag_ratio=0.5 / max(1, self.epochs)),
                  run_time=2.5)
        self.wait(style.PAUSE)

    def show_final(self):
        ax = self.accuracy_axes
        point = ax.c2p(self.epochs, 100 * self.final_accuracy)
        self.final_dot = Dot(point, radius=0.09, color=style.HIGHLIGHT_COLOR)
        self.final_value = DecimalNumber(100 * self.final_accuracy, num_decimal_places=2, unit=r"\%",
                                         font_size=style.LABEL_FONT_SIZE + 4, color=style.HIGHLIGHT_COLOR)
        self.final_count = MathTex(tex_int(self.model.test_correct) + r"\,/\," + tex_int(self.model.test_size),
                                   font_size=style.LABEL_FONT_SIZE - 4, color=style.DIM_TEXT_COLOR)
        panel = VGroup(self.final_value, self.final_count).arrange(DOWN, buff=0.15)
        a_lo, a_hi = self.acc_range
        panel.move_to(ax.c2p(0.68 * self.epochs, a_lo + 0.3 * (a_hi - a_lo)))
        self.final_box = SurroundingRectangle(panel, buff=0.12, color=style.HIGHLIGHT_COLOR)
        self.final_pointer = Line(self.final_box.get_top(), point, buff=0.12,
                                  stroke_width=2, color=style.HIGHLIGHT_COLOR)
        self.play(FadeIn(self.final_dot, scale=2), Create(self.final_pointer))
        self.play(Write(self.final_value), FadeIn(self.final_count), Create(self.final_box))
        self.wait(2 * style.PAUSE)


# ======================================================================== TestAccuracy
class TestAccuracy(NetworkScene):
    """Test images stream through the trained network; a counter keeps score.

    The first ``n_streamed`` test images go through in order (the first ``n_slow`` slowly),
    each lighting the network with its real forward pass; the answer (brightest output) is
    marked right or wrong, and the ``correct`` / ``total`` Integers count. Then the counter
    jumps to the whole test set: ``network.evaluate(test_x, test_labels)`` of ``test_size``.
    Last, a gallery of the first ``gallery_size`` misclassified test images, each with the
    network's answer and the true label.

    Exposes: ``streamed_indices``, ``streamed_predictions``, ``streamed_correct`` (bools),
    ``counter_history`` ((correct, total) after each image, then the final pair),
    ``correct_number`` / ``total_number`` (Integers), ``final_correct``, ``final_total``,
    ``accuracy_number`` (DecimalNumber, percent), ``predictions`` (all test images),
    ``gallery_indices``, ``gallery_answers``, ``gallery_labels``, ``gallery`` (DigitImages),
    ``gallery_texts`` (MathTex per image), ``network_mobject``.
    """

    __test__ = False  # not a pytest test class, despite its name

    n_streamed = 30
    n_slow = 2
    gallery_size = 12
    gallery_cols = 6

    def construct(self):
        self.load()

        self.beat(f"Now the test: the {self.data.test_size:,} {self.words.images}, which the "
                  "network never saw in training. Here come the first few.", "stream")
        self.stream()

        self.beat(f"The same for every one of the {self.data.test_size:,} {self.words.images}: "
                  f"{self.final_correct:,} right, {100 * self.final_correct / self.final_total:.2f}%.",
                  "all")
        self.count_all()

        self.beat(f"And the first {len(self.gallery_indices)} it got wrong, with its answer "
                  "and the true label.", "mistakes")
        self.show_gallery()

    # ---------------------------------------------------------------- data loading
    def load(self):
        self.load_network()
        self.words = held_out_words(self.data)
        net, d = self.network, self.data
        test_x = np.asarray(d.test_x)
        self.test_labels = np.asarray(d.test_labels).astype(int)
        self.outputs = net.feedforward(test_x)
        self.predictions = np.argmax(self.outputs, axis=1)
        n = min(self.n_streamed, len(test_x))
        self.streamed_indices = list(range(n))
        self.streamed_predictions = [int(self.predictions[i]) for i in self.streamed_indices]
        self.streamed_correct = [p == int(self.test_labels[i])
                                 for i, p in zip(self.streamed_indices, self.streamed_predictions)]
        self.final_correct = int(net.evaluate(test_x, self.test_labels))
        self.final_total = int(len(test_x))
        wrong = np.flatnonzero(self.predictions != self.test_labels)
        self.gallery_indices = [int(i) for i in wrong[:self.gallery_size]]
        self.gallery_answers = [int(self.predictions[i]) for i in self.gallery_indices]
        self.gallery_labels = [int(self.test_labels[i]) for i in self.gallery_indices]

    # ----------------------------------------------------------------------- beats
    counter_right = 6.6     # x of the counter's right edge
    network_x = -0.9

    def stream(self):
        net = self.network
        mean_image = np.asarray(self.data.test_x[:max(1, len(self.streamed_indices))], float).mean(axis=0)
        L = len(self.sizes)
        nm = NetworkMobject(net, input_indices=choose_input_indices(mean_image),
                            layer_spacing=4.2 / (L - 1))
        nm.scale_to_fit_height(min(nm.height, 5.0))
        nm.move_to([self.network_x, -0.4, 0])
        for edge in nm.edge_groups.family_members_with_points():
            edge.set_stroke(opacity=edge.get_stroke_opacity() * 0.6)
        self.network_mobject = nm

        fs = style.LABEL_FONT_SIZE + 8
        self.correct_number = Integer(0, font_size=fs, color=style.CORRECT_COLOR)
        self.total_number = Integer(0, font_size=fs)
        slash = MathTex("/", font_size=fs)
        self.counter = VGroup(self.correct_number, slash, self.total_number)
        right, top = self.counter_right, 2.9

        def keep_laid_out(group):
            group.arrange(RIGHT, buff=0.15)
            group.move_to([right - group.width / 2, top, 0])

        keep_laid_out(self.counter)
        self.keep_laid_out = keep_laid_out
        words = Tex("correct / tested", font_size=style.LABEL_FONT_SIZE, color=style.DIM_TEXT_COLOR)
        words.move_to([right - words.width / 2, top - 0.6, 0])
        self.counter_words = words
        self.counter_group = VGroup(self.counter, words)
        self.counter_history = []

        self.play(FadeIn(nm.layers), FadeIn(nm.edge_groups), FadeIn(nm.output_labels),
                  FadeIn(self.counter_group), run_time=1.5)

        in_x = nm.layers[0].get_left()[0] - 1.5
        out_x = nm.output_labels.get_right()[0] + 0.8
        correct = total = 0
        previous = None
        for k, i in enumerate(self.streamed_indices):
            slow = k < self.n_slow
            _, acts = net.forward(np.asarray(self.data.test_x[i], float))
            digit = DigitImage(self.data.test_images[i], height=1.4).move_to([in_x, -0.4, 0])
            pred = self.streamed_predictions[k]
            ok = self.streamed_correct[k]
            mark_color = style.CORRECT_COLOR if ok else style.PALETTE.negative
            answer = MathTex(str(pred), font_size=72, color=mark_color).move_to([out_x, -0.4, 0])
            verdict = Tex("right" if ok else "wrong", font_size=style.LABEL_FONT_SIZE, color=mark_color)
            verdict.next_to(answer, DOWN, buff=0.2)
            total += 1
            correct += int(ok)
            self.counter_history.append((correct, total))
            box = nm.highlight_output(pred).set_color(mark_color)
            if previous is not None:
                self.remove(*previous)
            if slow:
                self.play(FadeIn(digit, shift=0.5 * RIGHT), run_time=0.6)
                self.play(nm.forward_pass_animation(acts, run_time_per_layer=0.5))
                self.play(Create(box), FadeIn(answer, shift=0.3 * RIGHT), FadeIn(verdict), run_time=0.5)
                self.correct_number.set_value(correct)
                self.total_number.set_value(total)
                keep_laid_out(self.counter)
                self.play(Indicate(self.counter, scale_factor=1.1), run_time=0.5)
            else:
                # A quick pass: the network's fills jump to this image's real activations.
                nm.set_activations(acts)
                self.add(box, answer, verdict)
                self.correct_number.set_value(correct)
                self.total_number.set_value(total)
                keep_laid_out(self.counter)
                self.play(FadeIn(digit, shift=0.3 * RIGHT), run_time=0.2)
                self.wait(0.1 if ok else 1.0)
            previous = Group(digit, box, answer, verdict)
        self.last_streamed = previous
        self.wait(style.PAUSE)

    def count_onwards(self) -> UpdateFromAlphaFunc:
        """The counter runs on through the rest of the test set: at every frame it shows the
        real running count (correct answers among the first k images, and k), never a blend."""
        running = np.concatenate([[0], np.cumsum(self.predictions == self.test_labels)])
        start = len(self.streamed_indices)  # where the image-by-image count stopped

        def update(_, alpha):
            k = start + int(round(alpha * (self.final_total - start)))
            self.correct_number.set_value(int(running[k]))
            self.total_number.set_value(k)

        return UpdateFromAlphaFunc(VGroup(self.correct_number, self.total_number), update)

    def count_all(self):
        nm = self.network_mobject
        self.play(*[FadeOut(m) for m in self.last_streamed], *[layer.neurons.animate.set_fill(opacity=0)
                                                 for layer in nm.layers], run_time=0.8)
        nm.clear_activations()
        self.all_label = Tex(r"\dots all " + f"{self.final_total:,}", font_size=style.LABEL_FONT_SIZE,
                             color=style.DIM_TEXT_COLOR)
        self.all_label.next_to(self.counter_words, DOWN, buff=0.3).align_to(self.counter_words, RIGHT)
        self.play(FadeIn(self.all_label))
        self.counter.add_updater(self.keep_laid_out)
        self.play(self.count_onwards(), run_time=2.5)
        self.counter.clear_updaters()
        self.counter_history.append((self.final_correct, self.final_total))
        self.accuracy_number = DecimalNumber(100 * self.final_correct / self.final_total,
                                             num_decimal_places=2, unit=r"\%", font_size=64,
                                             color=style.HIGHLIGHT_COLOR)
        self.accuracy_number.next_to(self.all_label, DOWN, buff=0.6)
        self.accuracy_number.set_x(self.counter_right - self.accuracy_number.width / 2)
        self.accuracy_box = SurroundingRectangle(self.accuracy_number, color=style.HIGHLIGHT_COLOR, buff=0.15)
        self.play(Write(self.accuracy_number))
        self.play(Create(self.accuracy_box))
        self.wait(style.PAUSE)

    def show_gallery(self):
        nm = self.network_mobject
        self.gallery = Group()
        self.gallery_texts = VGroup()
        cells = Group()
        for i, a, t in zip(self.gallery_indices, self.gallery_answers, self.gallery_labels):
            d = DigitImage(self.data.test_images[i], height=1.35)
            text = MathTex(r"\text{says }", str(a), r"\text{, is }", str(t), font_size=26)
            text[1].set_color(style.PALETTE.negative)
            text[3].set_color(style.CORRECT_COLOR)
            text.next_to(d, DOWN, buff=0.12)
            d.test_index = i
            self.gallery.add(d)
            self.gallery_texts.add(text)
            cells.add(Group(d, text))
        if len(cells):
            cells.arrange_in_grid(cols=min(self.gallery_cols, len(cells)), buff=(0.45, 0.35))
            cells.move_to([0, -0.75, 0])
        self.gallery_title = Tex(f"the first {len(self.gallery_indices)} mistakes "
                                 f"(of {self.final_total - self.final_correct:,})",
                                 font_size=style.LABEL_FONT_SIZE)
        self.gallery_title.next_to(cells, UP, buff=0.35) if len(cells) else self.gallery_title.to_edge(UP)
        summary = Group(self.counter_group, self.all_label, self.accuracy_number, self.accuracy_box)
        self.play(FadeOut(nm), FadeOut(summary, shift=0.3 * UP), run_time=0.8)
        self.play(FadeIn(self.gallery_title))
        self.play(LaggedStart(*[FadeIn(c, shift=0.2 * UP) for c in cells], lag_ratio=0.12), run_time=2.5)
        self.wait(2 * style.PAUSE)
