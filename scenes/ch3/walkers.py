"""Chapter 3, stochastic gradient descent: the careful walker and the drunk one.

* ``StochasticDescent``: chapter 2's cost surface (``CostSurfaceDescent``: the trained
  network's real cost on a plane through its weights, C(θ + α d₁ + β d₂), two seeded
  filter-normalised directions, ``network.landscape.CostSlice``), seen from above as a heat map
  with contour lines. Two walkers start where chapter 2's second ball did: the careful one
  steps along the true gradient on all the slice's images (``CostSlice.descent``), the drunk
  one along a gradient estimated from a minibatch (``CostSlice.stochastic_descent``). For the
  work of one careful step the drunk walker takes many; the narration says, from the costs,
  how each path went and where each walker then is (``compare_phrase``).
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    ImageMobject,
    LaggedStart,
    MathTex,
    Rectangle,
    Tex,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    Write,
    interpolate_color,
    linear,
)
from manim.utils.color import ManimColor

from network.landscape import CostSlice
from scenes import style
from scenes.ch2.surface import CostSurfaceDescent
from scenes.ch3.story import Chapter3Scene
from scenes.layout import caption

CAREFUL_COLOR = style.PALETTE.accent        # the full-batch walker
DRUNK_COLOR = style.PALETTE.highlight       # the minibatch walker
CONTOUR_COLOR = style.PALETTE.text
# Heat-map ramp, low cost to high: near-black navy, violet, wine, the cost's red.
HEAT_STOPS = ("#0A0F24", "#2B2156", "#732D55", "#D9544F")


# ------------------------------------------------------------------ pure helpers
def heat_color(value: float, low: float, high: float) -> ManimColor:
    """The heat-map colour of a cost ``value`` on the scale ``low`` (darkest) to ``high``."""
    t = 0.0 if high <= low else float(np.clip((value - low) / (high - low), 0.0, 1.0))
    stops = [ManimColor(c) for c in HEAT_STOPS]
    x = t * (len(stops) - 1)
    i = min(int(x), len(stops) - 2)
    return interpolate_color(stops[i], stops[i + 1], x - i)


def heat_rgb(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """``values`` (rows, cols) as a uint8 RGB image, one pixel per value."""
    flat = [heat_color(v, low, high).to_rgb() for v in np.ravel(values)]
    return np.round(255 * np.array(flat)).astype(np.uint8).reshape(*np.shape(values), 3)


def contour_segments(values: np.ndarray, xs, ys, level: float) -> list[tuple[tuple, tuple]]:
    """Marching squares: the segments of the level set ``values == level`` of the grid
    ``values[i, j]`` at ``(xs[j], ys[i])``, linearly interpolated along each cell edge.
    Returns a list of ((x0, y0), (x1, y1))."""
    v = np.asarray(values, dtype=float)
    segments = []
    for i in range(v.shape[0] - 1):
        for j in range(v.shape[1] - 1):
            # corners counter-clockwise from bottom-left, as (x, y, value)
            corners = [(xs[j], ys[i], v[i, j]), (xs[j + 1], ys[i], v[i, j + 1]),
                       (xs[j + 1], ys[i + 1], v[i + 1, j + 1]), (xs[j], ys[i + 1], v[i + 1, j])]
            points = []
            for (xa, ya, va), (xb, yb, vb) in zip(corners, corners[1:] + corners[:1]):
                if (va >= level) != (vb >= level):
                    t = (level - va) / (vb - va)
                    points.append((xa + t * (xb - xa), ya + t * (yb - ya)))
            # two crossings: one segment; four (a saddle cell): pair them in order
            segments += [(points[k], points[k + 1]) for k in range(0, len(points) - 1, 2)]
    return segments


def cell_centers(extent: float, resolution: int) -> np.ndarray:
    """``resolution`` sample points, the centres of equal cells covering [-extent, extent]."""
    h = 2 * extent / resolution
    return -extent + h * (np.arange(resolution) + 0.5)


def count_downhill(costs) -> tuple[int, int]:
    """``(steps that lowered the cost, steps)`` along a path's costs, start included."""
    c = np.asarray(costs, dtype=float)
    return int(np.sum(np.diff(c) < 0)), len(c) - 1


def height_phrase(cost: float, height: float, low: float) -> str:
    """Where a cost lies on the heat map, in words from the numbers: ``height`` is its place
    between the map's lowest (0) and highest (1) sampled cost ``low``. Both costs are shown to
    3 decimals, or as many more (up to 6) as it takes to tell them apart."""
    p = next((p for p in range(3, 7) if f"{cost:.{p}f}" != f"{low:.{p}f}"), 6)
    c, m = f"{cost:.{p}f}", f"{low:.{p}f}"
    share = f"{100 * height:.0f}%" if 100 * height >= 1 else f"{100 * height:.1g}%"
    if height < 0:
        return f"at the bottom: C = {c}, below even the map's lowest sampled point ({m})"
    if height == 0:
        return f"at the bottom: C = {c}, the map's lowest sampled cost"
    if height <= 0.1:
        return (f"near the bottom: C = {c}, {share} of the map's range above "
                f"its lowest point ({m})")
    return f"at C = {c}, {share} of the map's range above its lowest point ({m})"


def follow_steps(step_number, cost_number, costs) -> UpdateFromAlphaFunc:
    """An animation that keeps a walker's readouts on its real iterates: at progress α the
    step count is k = ⌊α n⌋ and the cost is ``costs[k]`` (never a value in between)."""
    n = len(costs) - 1

    def update(_, alpha):
        k = min(int(alpha * n), n)
        step_number.set_value(k)
        cost_number.set_value(float(costs[k]))

    return UpdateFromAlphaFunc(VGroup(step_number, cost_number), update, rate_func=linear)


# =================================================================== StochasticDescent
class StochasticDescent(Chapter3Scene):
    """The careful (full-batch) and the drunk (minibatch) walker on a real slice of the cost.

    The slice is chapter 2's (``CostSurfaceDescent``): the trained network (``slice_model``,
    from ``load_slice_model``), its first ``image_count`` training images, directions seeded
    ``direction_seed``, the same square; the walkers start where its second ball did.

    Exposes after ``construct``: ``cost_slice`` (the ``CostSlice`` drawn: ``slice_model``'s
    network, the first ``n_images`` training images, directions seeded ``slice_seed``);
    ``axes`` (α across, β up); ``alphas``, ``betas`` (sample points, increasing) and
    ``heat_values`` (``heat_values[i, j]`` = C(alphas[j], betas[i])); ``heat_low``, ``heat_high``
    (the colour scale's ends = the grid's min and max); ``heat_map`` (an ``ImageMobject`` whose
    pixel row r, column c shows ``heat_values[-1 - r, c]``, covering the sampled square);
    ``contour_levels`` and ``contours`` (one ``VMobject`` per level); ``scale_low``,
    ``scale_high`` (the colour bar's ``DecimalNumber`` ends); ``careful_path`` and
    ``drunk_path`` (rows α, β, C of the iterates, start included), ``careful_line`` /
    ``drunk_line`` (polylines through them) and ``careful_dots`` / ``drunk_dots`` (one ``Dot``
    per iterate); ``careful_cost`` / ``drunk_cost`` (``DecimalNumber`` readouts of the last
    iterate's C) and ``careful_steps`` / ``drunk_steps`` (``Integer``-valued
    ``DecimalNumber`` step counts); ``same_work`` (examples' gradients per careful step =
    ``n_images``), ``same_work_steps`` (drunk steps for that work), ``same_work_costs``
    (``DecimalNumber`` pair: careful C after one step, drunk C after ``same_work_steps``).
    """

    n_images = CostSurfaceDescent.image_count     # the first n training images define the cost
    slice_seed = CostSurfaceDescent.direction_seed  # seeds the two directions
    extent = CostSurfaceDescent.extent            # the slice covers [-extent, extent]² in (α, β)
    resolution = 40         # heat-map samples per side
    contour_count = 7
    start = CostSurfaceDescent.starts[1]  # on a gentle slope, where a minibatch's noise shows
    eta = CostSurfaceDescent.eta          # both walkers' learning rate
    careful_steps_count = 20
    batch_size = 10
    shuffle_seed = 0
    axes_size = 6.3

    def load_slice_model(self, data):
        """Chapter 2's trained network, whose cost surface this is."""
        from network import load_trained
        from network.store import config_from_env

        return load_trained(config_from_env(), data)

    def construct(self):
        self.load_story()
        self.slice_model = self.load_slice_model(self.data)
        self.check_settings()
        self.beat(f"Chapter 2's cost surface, seen from above: the trained network's real cost "
                  f"on the first {self.n_images:,} training images, over a flat slice through "
                  f"its weights. Dark is low, bright is high.", "slice")
        self.show_slice()
        self.compute_walks()

        self.beat(f"The careful walker computes the true gradient on all {self.n_images:,} "
                  f"images before every step: {self.careful_phrase()}, but every step is "
                  f"expensive.", "careful")
        self.walk_carefully()

        self.beat(f"The drunk walker estimates the gradient from a minibatch of just "
                  f"{self.batch_size} images per step: {self.drunk_phrase()}, but its steps are "
                  f"{self.n_images // self.batch_size} times cheaper.", "drunk")
        self.walk_drunk()

        self.compare_facts()
        self.beat(f"For the same work, {self.n_images:,} example gradients, the careful walker "
                  f"has taken one step; {self.compare_phrase()}.", "compare")
        self.compare()

    # ------------------------------------------------------------------ words
    def compute_walks(self):
        """Both walkers' real iterates on the slice (rows α, β, C, start included)."""
        s = self.cost_slice
        self.careful_path = s.descent(self.start, self.eta, self.careful_steps_count)
        self.drunk_path = s.stochastic_descent(self.start, self.eta, self.drunk_steps_count,
                                               self.batch_size, seed=self.shuffle_seed)

    def careful_phrase(self) -> str:
        """How the careful path went, from its costs."""
        downhill, steps = count_downhill(self.careful_path[:, 2])
        if downhill == steps:
            return f"a path downhill, every one of its {steps} steps lowering the cost"
        return f"a path on which {downhill} of its {steps} steps lower the cost"

    def drunk_phrase(self) -> str:
        """How the drunk path went, from its costs."""
        downhill, steps = count_downhill(self.drunk_path[:, 2])
        if downhill == steps:
            return f"every one of its {steps} steps still lowers the cost"
        return f"it stumbles, {steps - downhill} of its {steps} steps going uphill"

    def compare_facts(self):
        """Where each walker is after the same work: its cost and how far that is above the
        lowest cost of the heat map, as a share of the map's range (``careful_height``,
        ``drunk_height``: 0 at the map's lowest sample, 1 at its highest)."""
        self.same_work = self.n_images
        self.same_work_steps = self.drunk_steps_count
        self.careful_same_work = float(self.careful_path[1, 2])
        self.drunk_same_work = float(self.drunk_path[self.same_work_steps, 2])
        span = self.heat_high - self.heat_low
        self.careful_height, self.drunk_height = (
            (c - self.heat_low) / span if span > 0 else 0.0
            for c in (self.careful_same_work, self.drunk_same_work))

    def compare_phrase(self) -> str:
        """Where the drunk walker is for the same work, in words from ``compare_facts``."""
        drunk, careful = self.drunk_same_work, self.careful_same_work
        where = height_phrase(drunk, self.drunk_height, self.heat_low)
        if drunk < careful:
            return f"the drunk one has taken {self.same_work_steps} steps and is {where}"
        return (f"the drunk one has taken {self.same_work_steps} steps, yet is no lower: it is {where}, "
                f"the careful one at C = {careful:.3f}")

    # ------------------------------------------------------------------ checks
    def check_settings(self):
        """Adapt to the data (the slice's images are at most the training set, a whole number
        of minibatches); refuse only settings that contradict each other."""
        n = len(self.data.train_x)
        if self.n_images < 1:
            raise ValueError(f"n_images must be at least 1, got {self.n_images}")
        if self.n_images > n:
            self.batch_size = min(self.batch_size, n)
            self.n_images = n // self.batch_size * self.batch_size
        if not 1 <= self.batch_size <= self.n_images or self.n_images % self.batch_size:
            raise ValueError(f"batch_size must divide n_images ({self.n_images}), "
                             f"got {self.batch_size}")
        if self.resolution < 2 or self.careful_steps_count < 1:
            raise ValueError("resolution must be at least 2 and careful_steps_count at least 1")

    # ------------------------------------------------------------------ geometry
    def c2p(self, alpha: float, beta: float):
        return self.axes.c2p(alpha, beta)

    @property
    def drunk_steps_count(self) -> int:
        """As many minibatch steps as make one pass over the images: one careful step's work."""
        return self.n_images // self.batch_size

    def walker_drawing(self, path: np.ndarray, color, dot_radius: float):
        line = VMobject(stroke_color=color, stroke_width=3)
        line.set_points_as_corners([self.c2p(a, b) for a, b, _ in path])
        dots = VGroup(*[Dot(self.c2p(a, b), radius=dot_radius, color=color) for a, b, _ in path])
        return line, dots

    def readout(self, label: str, color, steps: int, cost: float):
        """``label`` over a line "steps: k   C = c"; returns (group, step number, cost number)."""
        title = Tex(label, font_size=28, color=color)
        steps_label = Tex("steps:", font_size=28)
        steps_number = DecimalNumber(steps, num_decimal_places=0, font_size=30)
        c_label = MathTex("C =", font_size=30)
        c_label[0][0].set_color(style.COST_COLOR)
        cost_number = DecimalNumber(cost, num_decimal_places=3, font_size=30)
        row = VGroup(steps_label, steps_number, c_label, cost_number).arrange(RIGHT, buff=0.15)
        c_label.shift(0.35 * RIGHT)
        cost_number.next_to(c_label, RIGHT, buff=0.15)
        group = VGroup(title, row).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        return group, steps_number, cost_number

    # --------------------------------------------------------------------- beats
    def show_slice(self):
        d = self.data
        x = np.asarray(d.train_x[:self.n_images], dtype=float)
        self.cost_slice = CostSlice.around(self.slice_model.network, x, d.train_labels[:self.n_images],
                                           seed=self.slice_seed)
        e = self.extent
        self.alphas = cell_centers(e, self.resolution)
        self.betas = cell_centers(e, self.resolution)
        self.heat_values = self.cost_slice.grid(self.alphas, self.betas)
        self.heat_low, self.heat_high = float(self.heat_values.min()), float(self.heat_values.max())

        self.axes = Axes(x_range=[-e, e, 0.5], y_range=[-e, e, 0.5], x_length=self.axes_size,
                         y_length=self.axes_size, tips=False,
                         axis_config={"stroke_color": style.DIM_TEXT_COLOR, "stroke_width": 1.5,
                                      "include_ticks": False})
        self.axes.to_edge(LEFT, buff=0.55).to_edge(DOWN, buff=0.45)
        # the image: row 0 is the top (largest β)
        self.heat_map = ImageMobject(heat_rgb(self.heat_values[::-1], self.heat_low, self.heat_high))
        self.heat_map.set_resampling_algorithm(2)  # bilinear: a smooth picture of the samples
        corner_low, corner_high = self.c2p(-e, -e), self.c2p(e, e)
        self.heat_map.stretch_to_fit_width(corner_high[0] - corner_low[0])
        self.heat_map.stretch_to_fit_height(corner_high[1] - corner_low[1])
        self.heat_map.move_to((corner_low + corner_high) / 2)
        frame = Rectangle(width=corner_high[0] - corner_low[0], height=corner_high[1] - corner_low[1],
                          stroke_color=style.DIM_TEXT_COLOR, stroke_width=1.5).move_to(self.heat_map)

        self.contour_levels = list(np.linspace(self.heat_low, self.heat_high,
                                               self.contour_count + 2)[1:-1])
        self.contours = VGroup()
        for level in self.contour_levels:
            curve = VMobject(stroke_color=CONTOUR_COLOR, stroke_width=1, stroke_opacity=0.45)
            for (a0, b0), (a1, b1) in contour_segments(self.heat_values, self.alphas, self.betas, level):
                curve.start_new_path(self.c2p(a0, b0))
                curve.add_line_to(self.c2p(a1, b1))
            curve.level = level
            self.contours.add(curve)

        alpha_label = MathTex(r"\alpha", font_size=34).next_to(frame, DOWN, buff=0.12)
        beta_label = MathTex(r"\beta", font_size=34).next_to(frame, LEFT, buff=0.12)
        self.caption = caption(
            f"chapter 2's slice: trained network ({100 * self.slice_model.test_accuracy:.1f}% right), "
            f"first {self.n_images:,} training images, seed {self.slice_seed}").to_edge(UP, buff=0.25)
        formula = MathTex(r"C(\theta + \alpha\, \vec d_1 + \beta\, \vec d_2)", font_size=38)
        formula[0][0].set_color(style.COST_COLOR)
        self.formula = formula
        self.color_bar = self.make_color_bar()
        right = VGroup(formula, self.color_bar).arrange(RIGHT, buff=0.6)
        right.next_to(frame, RIGHT, buff=0.6).align_to(frame, UP)
        self.frame_box = frame
        self.play(FadeIn(self.caption), FadeIn(self.heat_map), Create(frame),
                  FadeIn(alpha_label), FadeIn(beta_label), run_time=1.5)
        self.play(Create(self.contours), Write(formula), FadeIn(self.color_bar), run_time=1.5)
        self.wait(style.PAUSE)

    def make_color_bar(self) -> VGroup:
        n = 24
        height, width = 1.6, 0.22
        cells = VGroup(*[
            Rectangle(width=width, height=height / n, stroke_width=0, fill_opacity=1,
                      fill_color=heat_color(self.heat_low + (k + 0.5) / n * (self.heat_high - self.heat_low),
                                            self.heat_low, self.heat_high))
            for k in range(n)]).arrange(UP, buff=0)
        self.scale_low = DecimalNumber(self.heat_low, num_decimal_places=2, font_size=26)
        self.scale_high = DecimalNumber(self.heat_high, num_decimal_places=2, font_size=26)
        self.scale_low.next_to(cells, RIGHT, buff=0.12).align_to(cells, DOWN)
        self.scale_high.next_to(cells, RIGHT, buff=0.12).align_to(cells, UP)
        c = MathTex("C", font_size=30, color=style.COST_COLOR).next_to(cells, UP, buff=0.12)
        return VGroup(cells, self.scale_low, self.scale_high, c)

    def walk_carefully(self):
        self.careful_line, self.careful_dots = self.walker_drawing(self.careful_path, CAREFUL_COLOR, 0.06)
        # Drawn above the drunk walker, who starts at the same place and would hide it.
        self.careful_line.set_z_index(2)
        self.careful_dots.set_z_index(3)
        group, self.careful_steps, self.careful_cost = self.readout(
            f"careful: all {self.n_images:,} images per step", CAREFUL_COLOR, 0,
            self.careful_path[0, 2])
        group.next_to(self.frame_box, RIGHT, buff=0.6).shift(0.3 * DOWN).align_to(self.formula, LEFT)
        group.shift(0.3 * UP)
        self.careful_readout = group
        self.play(FadeIn(group), FadeIn(self.careful_dots[0], scale=2))
        steps = len(self.careful_path) - 1
        self.play(Create(self.careful_line, rate_func=linear),
                  LaggedStart(*[FadeIn(d, scale=2) for d in self.careful_dots[1:]], lag_ratio=1.0),
                  follow_steps(self.careful_steps, self.careful_cost, self.careful_path[:, 2]),
                  run_time=0.45 * steps)
        self.wait(style.PAUSE)

    def walk_drunk(self):
        steps = self.drunk_steps_count
        self.drunk_line, self.drunk_dots = self.walker_drawing(self.drunk_path, DRUNK_COLOR, 0.04)
        group, self.drunk_steps, self.drunk_cost = self.readout(
            f"drunk: minibatch of {self.batch_size} per step (shuffle seed {self.shuffle_seed})",
            DRUNK_COLOR, 0, self.drunk_path[0, 2])
        group.next_to(self.careful_readout, DOWN, buff=0.45, aligned_edge=LEFT)
        self.drunk_readout = group
        self.play(FadeIn(group))
        self.play(Create(self.drunk_line, rate_func=linear),
                  LaggedStart(*[FadeIn(d) for d in self.drunk_dots[1:]], lag_ratio=1.0),
                  follow_steps(self.drunk_steps, self.drunk_cost, self.drunk_path[:, 2]),
                  run_time=min(0.12 * steps, 8.0))
        self.wait(style.PAUSE)

    def compare(self):
        careful_c, drunk_c = self.careful_same_work, self.drunk_same_work
        rings = VGroup(
            Circle(radius=0.16, stroke_color=CAREFUL_COLOR, stroke_width=3)
            .move_to(self.careful_dots[1]),
            Circle(radius=0.16, stroke_color=DRUNK_COLOR, stroke_width=3)
            .move_to(self.drunk_dots[self.same_work_steps]))
        head = Tex(f"same work: {self.n_images:,} example gradients", font_size=28)
        careful_n = DecimalNumber(careful_c, num_decimal_places=3, font_size=30, color=CAREFUL_COLOR)
        drunk_n = DecimalNumber(drunk_c, num_decimal_places=3, font_size=30, color=DRUNK_COLOR)
        rows = VGroup(
            VGroup(Tex("careful, 1 step:", font_size=28, color=CAREFUL_COLOR),
                   MathTex("C =", font_size=30), careful_n).arrange(RIGHT, buff=0.15),
            VGroup(Tex(f"drunk, {self.same_work_steps} steps:", font_size=28, color=DRUNK_COLOR),
                   MathTex("C =", font_size=30), drunk_n).arrange(RIGHT, buff=0.15))
        for row in rows:
            row[1][0][0].set_color(style.COST_COLOR)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        box = VGroup(head, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        box.next_to(self.drunk_readout, DOWN, buff=0.5, aligned_edge=LEFT)
        self.same_work_costs = (careful_n, drunk_n)
        self.same_work_box = box
        self.play(Create(rings), FadeIn(box))
        self.wait(2 * style.PAUSE)
