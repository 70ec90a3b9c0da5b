"""Chapter 2, gradient descent: downhill on a curve.

* ``SingleVariableDescent``: a cost of one input with three valleys (``network.descent.valleys``);
  the slope says which way is down; balls take real gradient-descent steps
  ``w_{k+1} = w_k - eta C'(w_k)`` and settle in different valleys.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Arrow,
    Axes,
    Circle,
    Create,
    DashedLine,
    DecimalNumber,
    FadeIn,
    FadeOut,
    GrowArrow,
    Line,
    MathTex,
    Tex,
    Transform,
    ValueTracker,
    UpdateFromFunc,
    VGroup,
    Write,
)

from network.descent import descent_1d, valleys
from scenes import style
from scenes.base import BeatScene
from scenes.text import decimal_places

BALL_COLOR = style.PALETTE.highlight
CURVE_COLOR = style.PALETTE.accent
STEP_COLOR = style.PALETTE.highlight
TANGENT_COLOR = style.PALETTE.text
BALL_RADIUS = 0.12


def ball(color=BALL_COLOR, radius: float = BALL_RADIUS) -> VGroup:
    """A small filled ball with a shadow: a dark disc offset down-right behind a shaded disc.

    ``ball[1]`` is the ball itself; its centre is the ball's position."""
    shadow = Circle(radius=radius * 1.05, stroke_width=0, fill_color=style.DIM_TEXT_COLOR,
                    fill_opacity=0.35).shift(0.35 * radius * (RIGHT + DOWN))
    body = Circle(radius=radius, stroke_color=style.PALETTE.background, stroke_width=1,
                  fill_color=color, fill_opacity=1)
    body.set_sheen(-0.45, DR_DIRECTION)
    group = VGroup(shadow, body)
    group.body = body
    return group


DR_DIRECTION = RIGHT + DOWN


def number_text(value: float, digits: int = 2) -> str:
    """``value`` with ``digits`` significant digits (at least two decimals): 0.31, 0.0001."""
    return f"{value:.{decimal_places(value, digits, most=6)}f}"


# A ball whose last iterate lies within this distance of a minimum has settled in it.
SETTLED_WITHIN = 0.01


def nearest_minimum(minima, w: float) -> int:
    """The index of the minimum in ``minima`` nearest to ``w``."""
    return int(np.argmin([abs(float(w) - m) for m in minima]))


def place_ball(b: VGroup, point) -> VGroup:
    """Move ``b`` so the ball's own centre (not the shadow's) is at ``point``."""
    return b.shift(np.asarray(point) - b.body.get_center())


# =================================================================== SingleVariableDescent
class SingleVariableDescent(BeatScene):
    """Balls roll into the valleys of a one-input cost by real gradient-descent steps.

    Exposes after ``construct``: ``curve_function`` (the ``Valleys`` drawn), ``axes``,
    ``graph``; ``eta``; ``lead_path`` (the first ball's iterates), ``lead_ball``,
    ``tangents`` (list of (w, Line)) and ``step_arrows`` (list of (w_k, w_{k+1}, Arrow));
    ``slope_number``, ``w_number``, ``step_number`` (DecimalNumbers: C'(w), w, -eta C'(w)); ``rule``, ``rule_eta``; ``paths`` (start -> iterates for
    every ball) and ``balls`` (start -> ball mobject, at its last iterate); ``minimum_marks``.
    """

    eta = 0.2
    lead_start = 1.2
    lead_steps = 5          # steps shown one at a time, with tangent and step arrow
    starts = (-4.1, -2.2, -1.3, 2.2, 3.8)
    steps = 10
    axes_width = 11.0
    axes_height = 5.0
    y_max = 4.0

    def construct(self):
        self.curve_function = valleys()

        self.beat("Picture a cost that depends on a single input w: one number in, one "
                  "cost out.", "curve")
        self.show_curve()

        self.lead_path = descent_1d(self.curve_function.derivative, self.lead_start, self.eta,
                                    self.steps)
        self.paths = {self.lead_start: self.lead_path}
        for w0 in self.starts:
            self.paths[w0] = descent_1d(self.curve_function.derivative, w0, self.eta, self.steps)

        self.beat(self.slope_narration(), "slope")
        self.show_slope()

        self.beat(self.steps_narration(), "steps")
        self.take_steps()

        self.beat(self.valleys_narration(), "valleys")
        self.many_balls()

    # ---------------------------------------------------------------- narration
    def slope_narration(self) -> str:
        """Which way the slope at the lead ball's start tilts, and so which way is down."""
        slope = float(self.curve_function.derivative(self.lead_start))
        if slope > 0:
            how = "tilted up to the right, so step left"
        elif slope < 0:
            how = "tilted up to the left, so step right"
        else:
            how = "flat: no step at all"
        return ("Which way should w move to lower the cost? The slope says: "
                f"C'({self.lead_start:g}) = {slope:.2f}, {how}.")

    def step_sizes(self) -> np.ndarray:
        """|w_{k+1} - w_k| for the lead ball's steps."""
        return np.abs(np.diff(np.asarray(self.lead_path, dtype=float)))

    def steps_narration(self) -> str:
        """How the lead ball's step sizes really go: growing while the slope steepens, then
        shrinking (every step smaller than the one before) as the ball nears the bottom (its
        last iterate within ``SETTLED_WITHIN`` of a minimum)."""
        steps = self.step_sizes()
        minima = self.curve_function.minima
        k = int(np.argmax(steps))
        text = f"Step by minus the slope times the rate η = {self.eta:g}: steep means a big step"
        if k > 0:
            text += f"; the steps grow from {number_text(steps[0])} to {number_text(steps[k])}"
            then = ", then"
        else:
            text += f"; the first step, {number_text(steps[0])}, is the biggest"
            then = "; then they"
        shrinking = k < len(steps) - 1 and bool(np.all(np.diff(steps[k:]) < 0))
        end = float(self.lead_path[-1])
        settled = abs(end - minima[nearest_minimum(minima, end)]) < SETTLED_WITHIN
        if shrinking:
            text += f"{then} shrink to {number_text(steps[-1], 1)}"
            text += " near the bottom." if settled else "."
        else:
            text += f"; the last one is {number_text(steps[-1], 1)}."
        return text

    def valleys_narration(self) -> str:
        """Where the other balls end, counted: how many different valleys they reach, whether
        each settles in a minimum, and how many end in the lowest one."""
        f = self.curve_function
        minima = f.minima
        lowest = int(np.argmin([float(f(m)) for m in minima]))
        lead = nearest_minimum(minima, self.lead_path[-1])
        ends = [float(self.paths[w0][-1]) for w0 in self.starts]
        reached = [nearest_minimum(minima, w) for w in ends]
        n = len(self.starts)
        elsewhere = sum(r != lead for r in reached)
        settled = all(abs(w - minima[r]) < SETTLED_WITHIN for w, r in zip(ends, reached))
        in_lowest = sum(r == lowest for r in reached)
        valleys = len(set(reached) | {lead})
        text = (f"{n} more balls, dropped elsewhere: {elsewhere} of them roll into valleys "
                f"other than the first ball's; {valleys} valleys in all.")
        if settled:
            text += " Each settles in a local minimum"
            if in_lowest == n:
                text += ", and all of them in the lowest."
            else:
                some = "none" if in_lowest == 0 else f"only {in_lowest}"
                text += (f", and {some} of the {n} in the lowest: a local minimum is not "
                         "necessarily the lowest.")
        else:
            text += f" After {self.steps} steps, not all of them have settled yet."
        return text

    # ------------------------------------------------------------------ geometry
    def c2p(self, w: float):
        """The point of the graph above input ``w``."""
        return self.axes.c2p(w, float(self.curve_function(w)))

    def tangent_line(self, w: float, length: float = 2.4) -> Line:
        """The tangent at ``w``, ``length`` scene units long on screen, centred on the graph."""
        t = self.curve_function.tangent(w)
        a, b = np.array(self.c2p(w)), np.array(self.axes.c2p(w + 1.0, float(t(w + 1.0))))
        u = (b - a) / np.linalg.norm(b - a)
        line = Line(a - 0.5 * length * u, a + 0.5 * length * u, color=TANGENT_COLOR, stroke_width=3)
        line.w = w
        return line

    # --------------------------------------------------------------------- beats
    def show_curve(self):
        lo, hi = self.curve_function.domain
        self.axes = Axes(x_range=[lo - 0.2, hi + 0.2, 1], y_range=[0, self.y_max, 1],
                         x_length=self.axes_width, y_length=self.axes_height, tips=False,
                         axis_config={"include_ticks": False, "stroke_color": style.DIM_TEXT_COLOR})
        self.axes.move_to(0.55 * DOWN)
        w_label = MathTex("w", font_size=40).next_to(self.axes.x_axis, RIGHT, buff=0.15)
        c_label = MathTex("C", "(w)", font_size=40).next_to(self.axes.y_axis, UP, buff=0.1)
        c_label[0].set_color(style.COST_COLOR)
        self.axis_labels = VGroup(w_label, c_label)
        self.graph = self.axes.plot(lambda w: float(self.curve_function(w)), x_range=[lo, hi, 0.02],
                                    color=CURVE_COLOR, stroke_width=4)
        self.play(Create(self.axes), FadeIn(self.axis_labels), run_time=1.0)
        self.play(Create(self.graph), run_time=2.0)
        self.wait(style.PAUSE)

    def show_slope(self):
        w0 = self.lead_start
        self.w_tracker = ValueTracker(w0)
        self.lead_ball = ball()
        place_ball(self.lead_ball, self.c2p(w0))
        self.lead_ball.add_updater(lambda b: place_ball(b, self.c2p(self.w_tracker.get_value())))
        self.play(FadeIn(self.lead_ball, scale=0.5))

        tangent = self.tangent_line(w0)
        self.tangents = [(w0, tangent.copy())]  # (the drawn line later turns into the next ones)
        slope_label = MathTex(r"C'(w) =", font_size=36)
        self.slope_number = DecimalNumber(float(self.curve_function.derivative(w0)),
                                          num_decimal_places=2, include_sign=True, font_size=36)
        self.slope_number.next_to(slope_label, RIGHT, buff=0.15)
        w_label = MathTex("w =", font_size=36)
        self.w_number = DecimalNumber(w0, num_decimal_places=2, font_size=36)
        self.w_number.next_to(w_label, RIGHT, buff=0.15)
        step_label = MathTex(r"-\eta\, C'(w) =", font_size=36, color=STEP_COLOR)
        self.step_number = DecimalNumber(-self.eta * float(self.curve_function.derivative(w0)),
                                         num_decimal_places=2, include_sign=True, font_size=36,
                                         color=STEP_COLOR)
        self.step_number.next_to(step_label, RIGHT, buff=0.15)
        self.step_row = VGroup(step_label, self.step_number)
        readout = VGroup(VGroup(w_label, self.w_number), VGroup(slope_label, self.slope_number),
                         self.step_row)
        readout.arrange(DOWN, aligned_edge=LEFT, buff=0.2).to_corner(UR, buff=0.45)
        self.readout = readout
        self.play(Create(tangent), FadeIn(readout[:2]))

        direction = -np.sign(float(self.curve_function.derivative(w0)))
        hint = Arrow(self.lead_ball.body.get_center() + 0.45 * UP,
                     self.lead_ball.body.get_center() + 0.45 * UP + 1.1 * direction * RIGHT,
                     buff=0, color=STEP_COLOR, stroke_width=5, max_tip_length_to_length_ratio=0.3)
        downhill = Tex("downhill", font_size=30, color=STEP_COLOR).next_to(hint, UP, buff=0.1)
        self.play(Create(hint), FadeIn(downhill))
        self.wait(style.PAUSE)
        self.play(FadeOut(hint), FadeOut(downhill))
        self.tangent = tangent

    def take_steps(self):
        rule = MathTex(r"w_{k+1} = w_k - \eta\, C'(w_k)", font_size=40)
        eta_text = MathTex(r"\eta = " + f"{self.eta:g}", font_size=36, color=style.DIM_TEXT_COLOR)
        rule_group = VGroup(rule, eta_text).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        rule_group.to_corner(UL, buff=0.45)
        self.rule = rule
        self.rule_eta = eta_text
        self.play(Write(rule), FadeIn(eta_text), FadeIn(self.step_row))

        self.step_arrows = []
        y_arrow = self.axes.c2p(0, 0)[1] + 0.25
        for k in range(self.lead_steps):
            w, w_next = float(self.lead_path[k]), float(self.lead_path[k + 1])
            arrow = Arrow([self.axes.c2p(w, 0)[0], y_arrow, 0], [self.axes.c2p(w_next, 0)[0], y_arrow, 0],
                          buff=0, color=STEP_COLOR, stroke_width=5, tip_length=0.14,
                          max_tip_length_to_length_ratio=0.5, max_stroke_width_to_length_ratio=40)
            drop = DashedLine(self.c2p(w), [self.c2p(w)[0], y_arrow, 0], stroke_width=1.5,
                              color=style.DIM_TEXT_COLOR)
            self.step_arrows.append((w, w_next, arrow))
            self.play(Create(drop), GrowArrow(arrow), run_time=0.7)
            new_tangent = self.tangent_line(w_next)
            self.play(self.w_tracker.animate.set_value(w_next), self.readouts_follow_ball(),
                      Transform(self.tangent, new_tangent), run_time=1.0)
            self.tangents.append((w_next, new_tangent))
            self.tangent.w = w_next
            self.play(FadeOut(drop), arrow.animate.set_opacity(0.35), run_time=0.3)
        # the rest of the way, steps only
        rest = self.lead_path[self.lead_steps:]
        for w_next in rest[1:]:
            self.play(self.w_tracker.animate.set_value(float(w_next)), self.readouts_follow_ball(),
                      FadeOut(self.tangent), run_time=0.3)
        self.remove(self.tangent)
        self.wait(style.PAUSE)

    def minimum_label(self, text: str, m: float) -> Tex:
        """``text`` under the w axis, at the foot of the dashed mark of the minimum at ``m``:
        clear of the curve, whose valley walls rise steeply on both sides of a minimum."""
        label = Tex(text, font_size=30, color=style.DIM_TEXT_COLOR)
        return label.next_to(self.axes.c2p(m, 0), DOWN, buff=0.2)

    def readouts_follow_ball(self) -> UpdateFromFunc:
        """Keeps w, C'(w) and −η C'(w) at the ball's current w on every frame, so the numbers
        shown while it rolls are the function's own, never a blend of two readings."""
        f = self.curve_function

        def update(_):
            w = float(self.w_tracker.get_value())
            self.w_number.set_value(w)
            self.slope_number.set_value(float(f.derivative(w)))
            self.step_number.set_value(-self.eta * float(f.derivative(w)))

        return UpdateFromFunc(VGroup(self.w_number, self.slope_number, self.step_number), update)

    def many_balls(self):
        f = self.curve_function
        self.balls = {self.lead_start: self.lead_ball}
        trackers = {}
        colors = [style.PALETTE.highlight, style.PALETTE.bias, style.PALETTE.accent,
                  style.PALETTE.weighted_sum, style.PALETTE.text]
        new_balls = []
        for i, w0 in enumerate(self.starts):
            tracker = ValueTracker(w0)
            b = ball(color=colors[i % len(colors)])
            place_ball(b, self.c2p(w0))
            b.add_updater(lambda m, t=tracker: place_ball(m, self.c2p(t.get_value())))
            trackers[w0] = tracker
            self.balls[w0] = b
            new_balls.append(b)
        arrows = VGroup(*[a for _, _, a in self.step_arrows])
        self.play(FadeOut(arrows), FadeOut(self.readout),
                  *[FadeIn(b, shift=0.3 * DOWN) for b in new_balls])
        for k in range(1, self.steps + 1):
            self.play(*[t.animate.set_value(float(self.paths[w0][k])) for w0, t in trackers.items()],
                      run_time=0.45 if k < 6 else 0.25)
        for b in self.balls.values():
            b.clear_updaters()
        self.minimum_marks = VGroup()
        for m in f.minima:
            mark = DashedLine(self.axes.c2p(m, 0), self.c2p(m), stroke_width=2, color=style.DIM_TEXT_COLOR)
            self.minimum_marks.add(mark)
        lowest = min(f.minima, key=lambda m: float(f(m)))
        self.lowest_label = self.minimum_label("lowest", lowest)
        local_labels = VGroup(*[self.minimum_label("local minimum", m)
                                for m in f.minima if m != lowest])
        self.local_labels = local_labels
        self.play(Create(self.minimum_marks), FadeIn(self.lowest_label), FadeIn(local_labels))
        self.wait(2 * style.PAUSE)
