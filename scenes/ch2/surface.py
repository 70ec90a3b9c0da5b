"""Chapter 2, gradient descent in two dimensions: a cost surface over an input plane.

* ``TwoVariableGradient``: C(x, y) = 3/2 x² + 1/2 y² as a surface over the (x, y) plane; ∇C
  points up the steepest slope, −∇C downhill; ∇C(1, 1) = (3, 1), so x matters three times as
  much as y there; a ball takes real gradient-descent steps to the bottom.
* ``CostSurfaceDescent``: the real network's cost on a plane through its trained weights,
  C(θ* + α d₁ + β d₂) with two random filter-normalised directions (``network.landscape``),
  and balls taking real gradient-descent steps on that slice.

Formulas and readouts are fixed in the frame (flat and readable); the surfaces, arrows, paths
and balls live in the 3-D axes, so tests read them back with ``axes.p2c``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from manim import (
    BLUE_D,
    BLUE_E,
    DEGREES,
    DL,
    DOWN,
    LEFT,
    OUT,
    PI,
    RIGHT,
    UL,
    UP,
    UR,
    Arrow,
    Create,
    DashedLine,
    DecimalNumber,
    Dot3D,
    FadeIn,
    FadeOut,
    GrowArrow,
    Line,
    MathTex,
    Surface,
    Tex,
    ThreeDAxes,
    VGroup,
    Write,
)

from network.descent import BOWL_COEFFICIENTS, bowl, bowl_gradient, gradient_descent
from scenes import style
from scenes.base import ThreeDBeatScene, ThreeDNetworkScene
from scenes.text import decimal_places, tex_int

BALL_COLOR = style.PALETTE.highlight
STEP_COLOR = style.PALETTE.highlight        # -∇C and the steps, as on the curve
GRADIENT_COLOR = style.PALETTE.positive      # ∇C, the uphill direction
SURFACE_COLORS = (BLUE_E, "#1E4A5C")        # the original's blue checkerboard, a shade darker
                                             # (the 3-D camera's light brightens it)
PATH_COLOR = style.PALETTE.highlight
BALL_RADIUS = 0.1


# ------------------------------------------------------------------ helpers
def tex_number(value: float, places: int = 3) -> str:
    """``value`` for MathTex: an integer when it is one, else ``places`` decimals."""
    value = float(value)
    if abs(value - round(value)) < 1e-12:
        return str(int(round(value)))
    return f"{value:.{places}f}"


def tex_fraction(value: float) -> str:
    r"""A coefficient as a small fraction: 1.5 -> ``\tfrac{3}{2}``, 2 -> ``2``."""
    f = Fraction(value).limit_denominator(12)
    return str(f.numerator) if f.denominator == 1 else rf"\tfrac{{{f.numerator}}}{{{f.denominator}}}"


def ball3d(axes: ThreeDAxes, x: float, y: float, z: float, color=BALL_COLOR,
           radius: float = BALL_RADIUS) -> Dot3D:
    """A ball resting on the surface point (x, y, z): its centre is lifted by its radius
    along the z axis so it sits on the surface rather than half inside it."""
    b = Dot3D(radius=radius, color=color, resolution=(8, 8))
    # Unshaded, so the 3-D camera draws it after the surface: a ball in a valley stays in
    # sight instead of being dimmed by the see-through wall in front of it.
    for part in b.get_family():
        part.shade_in_3d = False
    b.lift = radius
    return rest_ball(b, axes, x, y, z)


def rest_ball(b: Dot3D, axes: ThreeDAxes, x: float, y: float, z: float) -> Dot3D:
    return b.move_to(axes.c2p(x, y, z) + b.lift * OUT)


def path_on_surface(axes: ThreeDAxes, points, color=PATH_COLOR, width: float = 3) -> VGroup:
    """The polyline through ``points`` = rows (x, y, z), one Line per step so the 3-D camera
    sorts each step against the surface faces on its own. ``.points3d`` keeps the rows."""
    corners = [axes.c2p(*p) for p in points]
    path = VGroup(*[Line(a, b, color=color, stroke_width=width) for a, b in zip(corners, corners[1:])])
    path.points3d = np.asarray(points, dtype=float)
    return path


def input_plane(axes: ThreeDAxes, x_range, y_range, step: float = 0.5) -> VGroup:
    """Faint grid lines of the input plane z = 0 over ``x_range`` x ``y_range``."""
    (x0, x1), (y0, y1) = x_range, y_range
    lines = [Line(axes.c2p(x, y0, 0), axes.c2p(x, y1, 0)) for x in np.arange(x0, x1 + 1e-9, step)]
    lines += [Line(axes.c2p(x0, y, 0), axes.c2p(x1, y, 0)) for y in np.arange(y0, y1 + 1e-9, step)]
    return VGroup(*lines).set_stroke(style.DIM_TEXT_COLOR, width=1, opacity=0.35)


def upright_label(tex: str, point, theta: float, font_size: float = 36, **kwargs) -> MathTex:
    """A MathTex standing up in 3-D at ``point``, turned to face a camera at azimuth ``theta``."""
    label = MathTex(tex, font_size=font_size, **kwargs)
    label.rotate(PI / 2, RIGHT).rotate(theta + PI / 2, OUT)
    return label.move_to(point)


class SurfaceScene:
    """What both scenes share: a camera, fixed-in-frame text, a ball moved along a path."""

    phi = 62 * DEGREES
    theta = -58 * DEGREES
    zoom = 1.0      # (zoom would scale the fixed-in-frame text too)

    def fixed(self, *mobjects):
        """Register ``mobjects`` as flat screen text but leave them off the scene, so they can
        be written or faded in."""
        self.add_fixed_in_frame_mobjects(*mobjects)
        self.remove(*mobjects)
        self.fixed_texts = getattr(self, "fixed_texts", []) + list(mobjects)
        return mobjects[0] if len(mobjects) == 1 else mobjects

    def place_on_screen(self, mob, point, screen_xy):
        """Shift the 3-D ``mob`` so its scene ``point`` appears at ``screen_xy`` (the camera's
        frame_center would move the fixed-in-frame text too, so the picture moves instead)."""
        rotation = self.renderer.camera.generate_rotation_matrix()
        seen = rotation @ np.asarray(point, dtype=float)
        target = np.array([screen_xy[0], screen_xy[1], seen[2]])
        return mob.shift(rotation.T @ (target - seen))


# =================================================================== TwoVariableGradient
class TwoVariableGradient(SurfaceScene, ThreeDBeatScene):
    """C(x, y) = 3/2 x² + 1/2 y² over the input plane; ∇C and −∇C at (1, 1); a ball descends.

    Exposes after ``construct``: ``axes``, ``surface`` (faces sampled from ``bowl``),
    ``point`` = (1, 1); ``gradient`` (∇C there, from ``bowl_gradient``), ``gradient_arrow``
    and ``downhill_arrow`` (in the plane z = 0, from ``point`` along ±``arrow_scale`` ∇C);
    ``formula``, ``gradient_tex``, ``partials_tex`` (MathTex); ``eta``, ``path`` (rows x, y of
    the iterates), ``path_line`` (drawn on the surface, ``.points3d``), ``shadow_line`` (its
    shadow in the plane), ``ball`` (at the last iterate, lifted by ``ball.lift``);
    ``fixed_texts`` (everything fixed in the frame).
    """

    point = (1.0, 1.0)
    eta = 0.2
    steps = 14
    extent = 1.5                # the surface covers [-extent, extent]²
    resolution = 24
    arrow_scale = 0.4           # arrows are drawn as ±arrow_scale ∇C, to fit the plane
    candidate_directions = 12   # the fan of steps one could take
    picture_center = (1.4, -0.1)   # where the bowl's middle lands on screen: right of the text

    def construct(self):
        self.set_camera_orientation(phi=self.phi, theta=self.theta, zoom=self.zoom)
        self.gradient = bowl_gradient(*self.point)

        self.beat("Now a cost with two inputs, x and y: above each point of the input plane, "
                  "the surface's height is the cost there.", "surface")
        self.show_surface()

        px, py = (tex_number(v) for v in self.point)
        self.beat(f"Stand at the point ({px}, {py}). Of all the ways to step in the plane, which "
                  "one makes the cost climb fastest?", "directions")
        self.show_directions()

        self.beat("That direction of steepest ascent is the gradient, written ∇C. Its "
                  "length says how steep the climb is.", "gradient")
        self.show_gradient()

        self.beat("Its opposite, minus the gradient, points straight downhill: the step that "
                  "lowers the cost fastest.", "downhill")
        self.show_downhill()

        self.beat(self.components_narration(), "components")
        self.show_components()

        self.path = gradient_descent(lambda p: bowl_gradient(*p), self.point, self.eta, self.steps)
        self.beat(self.descent_narration(), "descent")
        self.roll_down()

    # ---------------------------------------------------------------- narration
    # The ball has reached the bottom when its cost is below this share of where it started.
    bottom_share = 0.01

    def components_narration(self) -> str:
        """∇C at the point, and which input matters more there, by how much."""
        g = self.gradient
        px, py = (tex_number(v) for v in self.point)
        text = f"Here ∇C({px}, {py}) = ({tex_number(g[0])}, {tex_number(g[1])})"
        big, small = (("x", "y"), ("y", "x"))[int(abs(g[1]) > abs(g[0]))]
        ratio = max(abs(g[0]), abs(g[1])) / max(min(abs(g[0]), abs(g[1])), 1e-300)
        if min(abs(g[0]), abs(g[1])) == 0:
            return text + f": only nudging {big} changes the cost at all."
        if ratio == 1:
            return text + ": nudging x or y changes the cost equally."
        return text + (f": nudging {big} changes the cost {ratio:.3g} times as much as "
                       f"nudging {small}.")

    def descent_narration(self) -> str:
        """Where the real iterates take the cost: from the start to the last step."""
        start, end = (float(bowl(*self.path[k])) for k in (0, -1))
        text = (f"Step by minus the gradient, recompute it, step again: in {self.steps} steps the "
                f"cost goes from {tex_number(start, 2)} to {end:.{decimal_places(end, 2, most=8)}f}")
        if end < self.bottom_share * start:
            return text + ", the bottom of the bowl."
        return text + ", on its way down the bowl." if end < start else text + "."

    # ------------------------------------------------------------------ geometry
    def c2p(self, x: float, y: float, z: float | None = None):
        """The point above (x, y) on the surface, or at height ``z``."""
        return self.axes.c2p(x, y, float(bowl(x, y)) if z is None else z)

    def plane_arrow(self, vector, color) -> Arrow:
        """An arrow in the input plane from ``point`` along ``arrow_scale * vector``."""
        x, y = self.point
        end = (x + self.arrow_scale * vector[0], y + self.arrow_scale * vector[1])
        return Arrow(self.c2p(x, y, 0), self.c2p(*end, 0), buff=0, color=color, stroke_width=6,
                     max_tip_length_to_length_ratio=0.25)

    # --------------------------------------------------------------------- beats
    def show_surface(self):
        e = self.extent
        top = float(bowl(e, e))
        self.axes = ThreeDAxes(x_range=[-2, 2, 1], y_range=[-2, 2, 1], z_range=[0, np.ceil(top), 1],
                               x_length=6, y_length=6, z_length=3.2, tips=False,
                               axis_config={"stroke_color": style.DIM_TEXT_COLOR, "include_ticks": False})
        self.place_on_screen(self.axes, self.axes.c2p(0, 0, 0.4 * top), self.picture_center)
        labels = VGroup(
            upright_label("x", self.axes.c2p(2.25, 0, 0), self.theta),
            upright_label("y", self.axes.c2p(0, 2.3, 0), self.theta),
            upright_label("C", self.axes.c2p(0, 0, np.ceil(top) + 0.4), self.theta,
                          color=style.COST_COLOR))
        self.surface = Surface(lambda u, v: self.c2p(u, v), u_range=[-e, e], v_range=[-e, e],
                               resolution=(self.resolution, self.resolution),
                               checkerboard_colors=list(SURFACE_COLORS), fill_opacity=0.6,
                               stroke_color=BLUE_D, stroke_width=0.3)
        a, b = BOWL_COEFFICIENTS
        self.formula = self.fixed(MathTex(r"C(x, y) = ", tex_fraction(a), "x^2", "+",
                                          tex_fraction(b), "y^2", font_size=40)
                                  .to_corner(UL, buff=0.4))
        self.formula[0][0].set_color(style.COST_COLOR)
        self.plane = input_plane(self.axes, (-2, 2), (-2, 2))
        self.play(Create(self.axes), Create(self.plane), FadeIn(labels), run_time=1.2)
        self.play(Write(self.formula), Create(self.surface), run_time=2.0)
        self.move_camera(theta=self.theta + 20 * DEGREES, run_time=2.0)
        self.move_camera(theta=self.theta, run_time=1.5)
        self.axis_labels = labels

    def show_directions(self):
        x, y = self.point
        self.base_dot = Dot3D(self.c2p(x, y, 0), radius=0.07, color=style.TEXT_COLOR)
        self.drop = DashedLine(self.c2p(x, y, 0), self.c2p(x, y), color=style.DIM_TEXT_COLOR,
                               stroke_width=2)
        self.point_tex = self.fixed(MathTex(r"(x, y) = (", tex_number(x), ",", tex_number(y), ")",
                                            font_size=34).to_corner(UR, buff=0.4))
        self.play(FadeIn(self.base_dot), Create(self.drop), FadeIn(self.point_tex))
        # a fan of equally long steps; the gradient's length is sqrt(10), so these are as long
        angles = np.linspace(0, 2 * PI, self.candidate_directions, endpoint=False)
        length = float(np.linalg.norm(bowl_gradient(x, y)))
        self.fan = VGroup(*[self.plane_arrow(length * np.array([np.cos(t), np.sin(t)]),
                                             style.DIM_TEXT_COLOR) for t in angles])
        for arrow in self.fan:
            arrow.set_stroke(width=3).set_opacity(0.7)
        self.play(*[GrowArrow(a) for a in self.fan], run_time=1.2)
        self.wait(style.PAUSE)

    def show_gradient(self):
        self.gradient_arrow = self.plane_arrow(self.gradient, GRADIENT_COLOR)
        label = MathTex(r"\nabla C", font_size=40, color=GRADIENT_COLOR)
        self.gradient_label = self.fixed(label)
        tip = self.renderer.camera.project_point(self.gradient_arrow.get_end())
        label.next_to(tip, RIGHT, buff=0.15)
        self.play(FadeOut(self.fan), GrowArrow(self.gradient_arrow), FadeIn(label))
        self.wait(style.PAUSE)

    def show_downhill(self):
        self.downhill_arrow = self.plane_arrow(-self.gradient, STEP_COLOR)
        label = MathTex(r"-\nabla C", font_size=40, color=STEP_COLOR)
        self.downhill_label = self.fixed(label)
        middle = self.renderer.camera.project_point(self.downhill_arrow.get_center())
        label.next_to(middle, DOWN, buff=0.45)  # clear of the arrow, which slopes in view
        self.play(GrowArrow(self.downhill_arrow), FadeIn(label))
        self.wait(style.PAUSE)

    def show_components(self):
        g = self.gradient
        x, y = self.point
        colors = [style.PALETTE.sign_color(v) for v in g]
        self.gradient_tex = MathTex(r"\nabla C(", tex_number(x), ",", tex_number(y), r") = (",
                                    tex_number(g[0]), ",", tex_number(g[1]), ")", font_size=40)
        self.gradient_tex[5].set_color(colors[0])
        self.gradient_tex[7].set_color(colors[1])
        self.partials_tex = MathTex(r"\frac{\partial C}{\partial x} = ", tex_number(g[0]),
                                    r"\qquad \frac{\partial C}{\partial y} = ", tex_number(g[1]),
                                    font_size=36)
        self.partials_tex[1].set_color(colors[0])
        self.partials_tex[3].set_color(colors[1])
        group = VGroup(self.gradient_tex, self.partials_tex).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        group.next_to(self.formula, DOWN, aligned_edge=LEFT, buff=0.35)
        self.fixed(self.gradient_tex, self.partials_tex)
        self.play(Write(self.gradient_tex))
        self.play(FadeIn(self.partials_tex, shift=0.2 * DOWN))
        self.wait(style.PAUSE)

    def roll_down(self):
        heights = bowl(self.path[:, 0], self.path[:, 1])
        self.path_line = path_on_surface(self.axes, np.column_stack([self.path, heights]))
        self.shadow_line = path_on_surface(self.axes, np.column_stack([self.path, 0 * heights]),
                                           color=style.DIM_TEXT_COLOR, width=2)
        rule = MathTex(r"p_{k+1} = p_k - \eta\, \nabla C(p_k)", font_size=36)
        eta = MathTex(r"\eta = " + f"{self.eta:g}", font_size=34, color=style.DIM_TEXT_COLOR)
        self.rule = VGroup(rule, eta).arrange(DOWN, aligned_edge=RIGHT, buff=0.2).to_corner(UR, buff=0.4)
        self.rule_eta = eta
        self.fixed(self.rule)
        x0, y0 = self.path[0]
        self.ball = ball3d(self.axes, x0, y0, heights[0])
        self.play(FadeOut(self.point_tex), FadeOut(self.gradient_label), FadeOut(self.downhill_label),
                  FadeOut(self.gradient_arrow), FadeOut(self.drop), FadeIn(self.rule),
                  FadeIn(self.ball))
        for k in range(self.steps):
            (x, y), z = self.path[k + 1], heights[k + 1]
            moves = [Create(self.path_line[k]), Create(self.shadow_line[k]),
                     self.ball.animate.move_to(self.c2p(x, y, z) + self.ball.lift * OUT)]
            if k == 0:
                moves.append(FadeOut(self.downhill_arrow))
            self.play(*moves, run_time=0.6 if k < 4 else 0.3)
        self.wait(style.PAUSE)


# =================================================================== CostSurfaceDescent
class CostSurfaceDescent(SurfaceScene, ThreeDNetworkScene):
    """The real network's cost on a plane through its trained weights θ*, and balls taking
    real gradient-descent steps on it.

    The plane is C(θ* + α d₁ + β d₂), d₁ and d₂ random filter-normalised directions
    (``CostSlice.around(network, first image_count training images, seed=direction_seed)``),
    α, β in [-extent, extent]; the surface's vertices are the costs of a ``grid_size`` ×
    ``grid_size`` grid, flat faces between them.

    Exposes after ``construct``: ``slice`` (the ``CostSlice``), ``alphas`` (grid coordinates,
    for α and β alike), ``costs`` (``costs[i, j] = C(alphas[j], alphas[i])``), ``axes``
    (x = α, y = β, z = C), ``surface``; ``eta``, ``paths`` (start -> rows (α, β, C) of
    ``slice.descent``), ``path_lines`` (start -> the drawn path, ``.points3d``), ``balls``
    (start -> ball at its last iterate, lifted by ``ball.lift``); ``center_cost``
    (C at θ*) and ``center_dot``; ``parameter_count``; readouts ``alpha_number``,
    ``beta_number``, ``cost_number`` (the lead ball's last iterate), ``center_number``;
    ``formula``, ``count_tex``, ``images_tex`` (MathTex); ``fixed_texts``.
    """

    grid_size = 25           # grid points per side; the surface has (grid_size - 1)² faces
    image_count = 1000       # training images the cost is averaged over
    extent = 1.0
    direction_seed = 0
    eta = 0.05
    steps = 40
    starts = ((0.85, -0.8), (-0.8, 0.8))   # the first is the lead ball, with the readouts
    phi = 60 * DEGREES
    theta = -60 * DEGREES
    picture_center = (1.2, 0.3)

    def construct(self):
        self.set_camera_orientation(phi=self.phi, theta=self.theta, zoom=self.zoom)
        self.load_network()
        self.build_slice()
        n, count = self.parameter_count, len(self.slice.x)

        self.beat(f"This network has {n:,} weights and biases, so its cost is a function of "
                  f"{n:,} numbers: far too many dimensions to draw.", "dimensions")
        self.show_dimensions()

        self.beat("So take a slice: start at the trained weights θ*, pick two random "
                  "directions, and move only along those two, by α and β.", "slice")
        self.show_slice()

        self.beat(f"Every height here is the real cost, averaged over {count:,} training "
                  "images, at that mix of the two directions.", "surface")
        self.show_surface()

        self.beat(f"Drop balls on it and let them follow minus the gradient along the slice: "
                  f"real gradient-descent steps, η = {self.eta:g}.", "descent")
        self.roll_down()

        self.beat(self.ending_narration(), "ending")
        self.compare_with_center()

    # ----------------------------------------------------------------- the numbers
    def build_slice(self):
        if not (isinstance(self.grid_size, int) and self.grid_size >= 2):
            raise ValueError(f"grid_size must be a whole number >= 2, not {self.grid_size!r}")
        available = len(self.data.train_x)
        if not 1 <= self.image_count <= available:
            raise ValueError(f"image_count must be between 1 and the {available:,} training "
                             f"images, not {self.image_count!r}")
        from network.landscape import CostSlice

        count = self.image_count
        self.slice = CostSlice.around(self.network, self.data.train_x[:count],
                                      self.data.train_labels[:count], seed=self.direction_seed)
        self.parameter_count = int(self.slice.center.size)
        self.alphas = np.linspace(-self.extent, self.extent, self.grid_size)
        self.costs = self.slice.grid(self.alphas, self.alphas)
        self.center_cost = self.slice.cost(0.0, 0.0)
        self.paths = {tuple(s): self.slice.descent(s, self.eta, self.steps) for s in self.starts}
        self.cost_places = self.places_to_tell_apart(self.paths[tuple(self.starts[0])][-1, 2],
                                                     self.center_cost)

    @staticmethod
    def places_to_tell_apart(a: float, b: float, least: int = 4, most: int = 8) -> int:
        """Decimals (``least`` to ``most``) at which ``a`` and ``b`` are shown differently, so
        that a cost said to be lower also reads lower."""
        return next((k for k in range(least, most + 1) if f"{a:.{k}f}" != f"{b:.{k}f}"), most)

    # The lead ball has settled when its last step moves it less than this share of the
    # slice's half-width; it is close to θ* within ``near_share`` of the half-width; a cost
    # below C(θ*) by less than ``slight_share`` of C(θ*) is "slightly" below.
    settled_share = 0.01
    near_share = 0.25
    slight_share = 0.1

    def ending_narration(self) -> str:
        """Where the lead ball ends and what its cost says about θ*, from the real numbers."""
        path = self.paths[tuple(self.starts[0])]
        (a, b, c), c0 = path[-1], self.center_cost
        last_step = float(np.hypot(*(path[-1, :2] - path[-2, :2])))
        distance = float(np.hypot(a, b))
        where = "settles" if last_step < self.settled_share * self.extent else "is still rolling"
        text = f"The ball {where} at α = {a:+.3f}, β = {b:+.3f}"
        text += (", close to the trained weights θ*" if distance < self.near_share * self.extent
                 else f", {distance:.2f} from the trained weights θ*")
        k = self.cost_places
        if c < c0:
            how = "slightly " if c0 - c < self.slight_share * c0 else ""
            return (text + f", with C = {c:.{k}f} against {c0:.{k}f} at θ*: on this slice the "
                    f"lowest point is {how}off centre.")
        return text + f", with C = {c:.{k}f}, no lower than the {c0:.{k}f} at θ*."

    def grid_height(self, u: float, v: float) -> float:
        """The cost at the grid point (u, v) = (α, β): the surface's vertices are grid points."""
        step = 2 * self.extent / (self.grid_size - 1)
        j = int(round((u + self.extent) / step))
        i = int(round((v + self.extent) / step))
        return float(self.costs[i, j])

    # --------------------------------------------------------------------- beats
    def show_dimensions(self):
        n = tex_int(self.parameter_count)
        self.count_tex = MathTex(r"C(w_1, w_2, \dots, w_{" + n + "})", font_size=48)
        self.count_tex[0][0].set_color(style.COST_COLOR)
        words = Tex(n + " weights and biases", font_size=34, color=style.DIM_TEXT_COLOR)
        group = VGroup(self.count_tex, words).arrange(DOWN, buff=0.35)
        self.fixed(self.count_tex, words)
        self.play(Write(self.count_tex), FadeIn(words, shift=0.2 * UP))
        self.wait(style.PAUSE)
        self.play(FadeOut(group))

    def show_slice(self):
        e = self.extent
        top = max(float(np.ceil(self.costs.max() * 2) / 2), 0.5)
        self.axes = ThreeDAxes(x_range=[-e, e, e / 2], y_range=[-e, e, e / 2], z_range=[0, top, top / 4],
                               x_length=6, y_length=6, z_length=3.2, tips=False,
                               axis_config={"stroke_color": style.DIM_TEXT_COLOR, "include_ticks": False})
        self.place_on_screen(self.axes, self.axes.c2p(0, 0, 0.4 * top), self.picture_center)
        self.plane = input_plane(self.axes, (-e, e), (-e, e), step=e / 4)
        labels = VGroup(
            upright_label(r"\alpha", self.axes.c2p(1.15 * e, 0, 0), self.theta),
            upright_label(r"\beta", self.axes.c2p(0, 1.15 * e, 0), self.theta),
            upright_label("C", self.axes.c2p(0, 0, top + 0.25), self.theta, color=style.COST_COLOR))
        self.axis_labels = labels
        self.formula = MathTex("C", r"(\theta^* + \alpha\, d_1 + \beta\, d_2)", font_size=42)
        self.formula[0].set_color(style.COST_COLOR)
        directions = Tex(r"$d_1, d_2$: random directions, filter-normalised", font_size=26,
                         color=style.DIM_TEXT_COLOR)
        VGroup(self.formula, directions).arrange(DOWN, aligned_edge=LEFT, buff=0.2).to_corner(UL, buff=0.4)
        self.fixed(self.formula, directions)
        self.center_dot = Dot3D(self.axes.c2p(0, 0, self.center_cost), radius=0.07,
                                color=style.TEXT_COLOR)
        self.play(Write(self.formula), FadeIn(directions), Create(self.axes), Create(self.plane),
                  FadeIn(labels), run_time=1.5)
        star = MathTex(r"\theta^*", font_size=36)
        self.fixed(star)
        star.next_to(self.renderer.camera.project_point(self.axes.c2p(0, 0, 0)), DOWN + LEFT, buff=0.1)
        self.star_dot = Dot3D(self.axes.c2p(0, 0, 0), radius=0.07, color=style.TEXT_COLOR)
        self.star_label = star
        self.play(FadeIn(self.star_dot), FadeIn(star))
        self.wait(style.PAUSE)

    def show_surface(self):
        e, n = self.extent, self.grid_size
        self.surface = Surface(lambda u, v: self.axes.c2p(u, v, self.grid_height(u, v)),
                               u_range=[-e, e], v_range=[-e, e], resolution=(n - 1, n - 1),
                               checkerboard_colors=list(SURFACE_COLORS), fill_opacity=0.6,
                               stroke_color=BLUE_D, stroke_width=0.3)
        count = Tex(f"cost averaged over {self.image_count:,} training images", font_size=26,
                    color=style.DIM_TEXT_COLOR)
        self.images_tex = self.fixed(count.to_corner(DL, buff=0.4))
        self.center_line = DashedLine(self.axes.c2p(0, 0, 0), self.axes.c2p(0, 0, self.center_cost),
                                      color=style.DIM_TEXT_COLOR, stroke_width=2)
        self.play(Create(self.surface), FadeIn(count), run_time=2.5)
        self.play(FadeIn(self.center_dot), Create(self.center_line))
        self.move_camera(theta=self.theta + 25 * DEGREES, run_time=2.0)
        self.move_camera(theta=self.theta, run_time=1.5)

    def roll_down(self):
        colors = [BALL_COLOR, style.PALETTE.bias, style.PALETTE.accent, style.PALETTE.weighted_sum]
        self.balls, self.path_lines = {}, {}
        for i, start in enumerate(self.starts):
            path = self.paths[tuple(start)]
            self.balls[tuple(start)] = ball3d(self.axes, *path[0], color=colors[i % len(colors)])
            self.path_lines[tuple(start)] = path_on_surface(self.axes, path, color=colors[i % len(colors)])
        lead = self.paths[tuple(self.starts[0])]
        # (label, value, colour, signed); C gets the decimals that tell it from C(θ*)
        rows = [(r"\alpha =", lead[0, 0], style.TEXT_COLOR, True),
                (r"\beta =", lead[0, 1], style.TEXT_COLOR, True),
                ("C =", lead[0, 2], style.COST_COLOR, False)]
        readout = VGroup()
        for tex, value, color, signed in rows:
            label = MathTex(tex, font_size=34, color=color)
            number = DecimalNumber(value, num_decimal_places=3 if signed else self.cost_places,
                                   include_sign=signed, font_size=34)
            readout.add(VGroup(label, number.next_to(label, RIGHT, buff=0.15)))
        # Under the formula, on the left: the surface's far corner reaches the top right.
        readout.arrange(DOWN, aligned_edge=LEFT, buff=0.2).to_corner(UL, buff=0.4).shift(1.4 * DOWN)
        self.alpha_number, self.beta_number, self.cost_number = (row[1] for row in readout)
        self.readout = readout
        self.fixed(readout)
        self.play(*[FadeIn(b, scale=0.5) for b in self.balls.values()], FadeIn(readout))
        for k in range(self.steps):
            moves = []
            for start, path in self.paths.items():
                moves.append(Create(self.path_lines[start][k]))
                moves.append(self.balls[start].animate.move_to(
                    self.axes.c2p(*path[k + 1]) + self.balls[start].lift * OUT))
            self.play(*moves, run_time=0.5 if k < 3 else 0.15)
            # set_value rebuilds a number's digits: register them as fixed in the frame again
            for number, value in zip((self.alpha_number, self.beta_number, self.cost_number),
                                     lead[k + 1]):
                number.set_value(value)
            self.add_fixed_in_frame_mobjects(self.readout)
        self.wait(style.PAUSE)

    def compare_with_center(self):
        label = MathTex(r"C(\theta^*) =", font_size=34)
        self.center_number = DecimalNumber(self.center_cost, num_decimal_places=self.cost_places,
                                           font_size=34)
        self.center_number.next_to(label, RIGHT, buff=0.15)
        row = VGroup(label, self.center_number)
        row.next_to(self.readout, DOWN, aligned_edge=LEFT, buff=0.35)
        self.fixed(row)
        self.play(FadeIn(row), self.center_dot.animate.set_color(style.PALETTE.highlight))
        self.wait(2 * style.PAUSE)
