"""Chapter 1, pixels and neurons: what the network gets to see, and what we hope it finds.

* ``ThreesAreThrees``: real handwritten 3s differ pixel by pixel, yet all read as 3.
* ``NeuronHoldsANumber``: a neuron holds a number; a digit's 784 pixels become 784 input
  neurons, the input layer of the real network.
* ``HopedForComponents``: the *hope* that digits break into loops and lines, drawn over real
  digits where their ink really is.

Everything shown comes from the real MNIST test set (``network.load_mnist``) and, where a
network answers, the real trained network (``network.load_trained``). Images are picked by
documented rules (the first images of a class in the test set), never by hand.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    PI,
    RIGHT,
    UP,
    Arrow,
    BLACK,
    Brace,
    Circle,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Group,
    Integer,
    LaggedStart,
    Line,
    MathTex,
    ReplacementTransform,
    Square,
    Tex,
    Transform,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    Write,
    config,
    smooth,
)

from scenes import style
from scenes.base import NetworkScene
from scenes.mobjects import DigitImage, NetworkMobject, PixelGrid, choose_input_indices
from scenes.own_digit import own_digit_beat, test_digit
from scenes.text import held_out_words


# ----------------------------------------------------------------------------- data rules
def first_of_class(labels, digit: int, count: int = 1) -> list[int]:
    """The indices of the first ``count`` images labelled ``digit`` (in data-set order)."""
    found = [int(i) for i in np.flatnonzero(np.asarray(labels) == digit)[:count]]
    if len(found) < count:
        raise ValueError(f"only {len(found)} images labelled {digit}")
    return found


def differing_pixels(a, b, threshold: float) -> np.ndarray:
    """Flat indices of the pixels whose brightness (in [0, 1]) differs by more than
    ``threshold`` between images ``a`` and ``b`` (uint8 0–255 or floats in [0, 1])."""
    va = _unit(a).ravel()
    vb = _unit(b).ravel()
    return np.flatnonzero(np.abs(va - vb) > threshold)


def _unit(image) -> np.ndarray:
    a = np.asarray(image)
    return a.astype(float) / 255.0 if a.dtype == np.uint8 else a.astype(float)


def grey_pixels(image) -> list[int]:
    """Three real in-between brightnesses: of the m distinct values strictly between 0 and 1
    in the image, sorted, those at ranks 3m/4, m/2 and m/4 (a light, a middle and a dark
    grey), each at the first pixel (reading order) holding it. Returned as flat pixel indices,
    lightest first."""
    v = _unit(image).ravel()
    distinct = np.unique(v[(v > 0) & (v < 1)])
    m = len(distinct)
    ranks = sorted({(3 * m) // 4, m // 2, m // 4}, reverse=True) if m > 3 else range(m - 1, -1, -1)
    return [int(np.flatnonzero(v == distinct[r])[0]) for r in ranks]


# ------------------------------------------------------------- pieces fitted to the ink
# A piece is fitted to the ink pixels of a region, each pixel weighted by its brightness, in
# pixel coordinates (row, column) of the 28×28 image; ``(r, c)`` is the pixel's centre.

def ink_points(image, mask=None):
    """Pixel coordinates (rows, cols) and weights (brightness) of the ink inside ``mask``."""
    v = _unit(image)
    if mask is not None:
        v = np.where(mask, v, 0.0)
    r, c = np.nonzero(v > 0)
    return np.stack([r, c], axis=1).astype(float), v[r, c]


def fit_loop(image, mask) -> dict:
    """A loop through the ink in ``mask``: an ellipse centred on the ink's weighted centroid,
    along the principal axes of the ink's weighted covariance, with semi-axes √2 × the ink's
    standard deviation along each axis (a ring of radius R has standard deviation R/√2).
    Returns ``center`` (row, col), ``axes`` (2×2, columns are unit directions in (row, col))
    and ``radii`` (along those axes, in pixels)."""
    pts, w = ink_points(image, mask)
    center = np.average(pts, axis=0, weights=w)
    d = pts - center
    cov = (d * w[:, None]).T @ d / w.sum()
    evals, evecs = np.linalg.eigh(cov)
    return {"kind": "loop", "center": center, "axes": evecs,
            "radii": np.sqrt(2.0 * np.clip(evals, 0, None))}


def loop_point(piece: dict, angle: float) -> np.ndarray:
    """The point of a fitted loop at parameter ``angle``, in pixel coordinates (row, col)."""
    a, b = piece["radii"]
    return (piece["center"] + a * np.cos(angle) * piece["axes"][:, 0]
            + b * np.sin(angle) * piece["axes"][:, 1])


def fit_line(image, mask) -> dict:
    """A line through the ink in ``mask``: the weighted principal axis through the ink's
    centroid, from the smallest to the largest projection of an ink pixel on it. Returns
    ``start``/``end`` (row, col), ``start`` the upper end."""
    pts, w = ink_points(image, mask)
    center = np.average(pts, axis=0, weights=w)
    d = pts - center
    cov = (d * w[:, None]).T @ d / w.sum()
    evals, evecs = np.linalg.eigh(cov)
    axis = evecs[:, np.argmax(evals)]
    t = d @ axis
    a, b = center + t.min() * axis, center + t.max() * axis
    start, end = (a, b) if a[0] <= b[0] else (b, a)
    return {"kind": "line", "start": start, "end": end}


def _ink_box(image):
    v = _unit(image)
    rows = np.flatnonzero(v.max(axis=1) > 0)
    cols = np.flatnonzero(v.max(axis=0) > 0)
    return rows[0], rows[-1], cols[0], cols[-1]


def components_of_nine(image) -> list[dict]:
    """9 = upper loop + right line. Loop: the ink in the upper half of the ink's bounding box.
    Line: the ink below the loop's centre, fitted as a line, then run up to the loop's centre
    row along the same direction, so it joins the loop the way a 9's stem does."""
    r0, r1, _, _ = _ink_box(image)
    rows = np.arange(28)[:, None] * np.ones((1, 28))
    loop = fit_loop(image, rows <= (r0 + r1) / 2)
    line = fit_line(image, rows > loop["center"][0])
    (sr, sc), (er, ec) = line["start"], line["end"]
    if er != sr:  # extend the upper end to the loop's centre row
        k = (loop["center"][0] - sr) / (er - sr)
        line["start"] = np.array([loop["center"][0], sc + k * (ec - sc)])
    return [loop, line]


def waist_row(image) -> int:
    """The row of the middle half of the ink's bounding box with the least ink: where an 8's
    two loops meet."""
    v = _unit(image)
    r0, r1, _, _ = _ink_box(image)
    h = r1 - r0
    lo, hi = int(np.ceil(r0 + h / 4)), int(np.floor(r1 - h / 4))
    ink = v.sum(axis=1)
    return lo + int(np.argmin(ink[lo:hi + 1]))


def components_of_eight(image) -> list[dict]:
    """8 = two loops: the ink above and below the waist row (see ``waist_row``)."""
    w = waist_row(image)
    rows = np.arange(28)[:, None] * np.ones((1, 28))
    return [fit_loop(image, rows < w), fit_loop(image, rows > w)]


def components_of_four(image) -> list[dict]:
    """4 = three lines. Bar: the ink of the row with the most ink (and the rows next to it),
    fitted as a line. Left stroke: the ink above the bar in the left half of the ink's
    bounding box. Right stroke: the ink in the right half of the ink's bounding box that is
    not in the bar's rows."""
    v = _unit(image)
    r0, r1, c0, c1 = _ink_box(image)
    bar_row = int(np.argmax(v.sum(axis=1)))
    rows = np.arange(28)[:, None] * np.ones((1, 28))
    cols = np.ones((28, 1)) * np.arange(28)[None, :]
    in_bar = np.abs(rows - bar_row) <= 1
    mid_c = (c0 + c1) / 2
    left = fit_line(image, (rows < bar_row - 1) & (cols < mid_c))
    right = fit_line(image, (cols > mid_c) & ~in_bar)
    bar = fit_line(image, in_bar)
    return [left, bar, right]


COMPONENT_RULES = {9: components_of_nine, 8: components_of_eight, 4: components_of_four}


def pixel_point(digit, rc) -> np.ndarray:
    """Scene point of fractional pixel coordinates ``(row, col)`` on a digit mobject
    (``(r, c)`` integer is the centre of pixel ``r * w + c``)."""
    box = digit._box()
    h, w = digit.shape
    ul = box.get_corner(UP + LEFT)
    return ul + RIGHT * (rc[1] + 0.5) * box.width / w + DOWN * (rc[0] + 0.5) * box.height / h


def piece_mobject(piece: dict, digit, color, n_loop: int = 12, n_line: int = 4,
                  gap: float = 0.18, width: float = 6.0) -> VGroup:
    """A fitted piece drawn on ``digit`` as little edges: a loop as ``n_loop`` short chords
    around its ellipse, a line as ``n_line`` short segments, each with a small gap."""
    edges = VGroup()
    if piece["kind"] == "loop":
        for k in range(n_loop):
            t0 = 2 * PI * (k + gap / 2) / n_loop
            t1 = 2 * PI * (k + 1 - gap / 2) / n_loop
            edges.add(Line(pixel_point(digit, loop_point(piece, t0)),
                           pixel_point(digit, loop_point(piece, t1))))
    else:
        a = pixel_point(digit, piece["start"])
        b = pixel_point(digit, piece["end"])
        for k in range(n_line):
            s0 = (k + gap / 2) / n_line
            s1 = (k + 1 - gap / 2) / n_line
            edges.add(Line(a + s0 * (b - a), a + s1 * (b - a)))
    edges.set_stroke(color, width=width)
    edges.piece = piece
    return edges


# ---------------------------------------------------------------------------- base scene
class _PixelScene(NetworkScene):
    """Loading common to the three scenes; tests may override ``load_data``/``load_model``."""

    def answer_of(self, index: int) -> int:
        x = np.asarray(self.data.test_x[index], dtype=float)
        return int(np.argmax(self.network.feedforward(x)))


# ------------------------------------------------------------------------ ThreesAreThrees
class ThreesAreThrees(_PixelScene):
    """Real 3s differ pixel by pixel, yet all read as 3.

    Rule: the first ``n_threes`` 3s of the test set; the pair compared is the first two of
    them; the other digits are the first test image of each class in ``other_digits``.
    After ``construct``: ``digits`` (list of ``(index, DigitImage)`` for the 3s),
    ``others`` (the same for the other digits), ``pair`` (the two indices compared),
    ``difference_count`` and ``difference_indices`` (pixels of the pair differing by more
    than ``threshold``), ``difference_squares``, ``count_number`` (the Integer shown),
    ``answers`` (index → the network's answer) and ``answer_labels`` (index → MathTex).
    """

    n_threes = 4
    other_digits = (0, 1, 5, 7)
    threshold = 0.5
    row_height = 2.2
    spacing = 3.25

    def construct(self):
        self.load()
        self.beat(f"{self.words.image.capitalize()} {self.three_indices[0]}: a 3, written by "
                  f"hand, {self.size} by {self.size} pixels.", "one three")
        self.show_first_three()

        self.beat(self.threes_narration(), "threes")
        self.show_threes()

        a, b = self.pair
        self.beat(f"Images {a} and {b}: {self.difference_count} of their "
                  f"{self.size * self.size} pixels differ by more than {self.threshold:g} in brightness.",
                  "difference")
        self.show_difference()

        self.beat(self.answers_narration(), "all threes")
        self.show_answers(self.digits)

        self.beat("Other digits, picked the same way: their pixels tell a different story.",
                  "others")
        self.show_others()

    def threes_narration(self) -> str:
        """The first 3s, and how many of them differ from each other (pixel arrays compared)."""
        n = len(self.three_indices)
        distinct = len({self.data.test_images[i].tobytes() for i in self.three_indices})
        how = ("every one different" if distinct == n else
               f"{distinct} different images among them")
        return f"The first {n} threes of the {self.words.set}: {how}."

    def answers_narration(self) -> str:
        n = len(self.three_indices)
        read = sum(self.answers[i] == 3 for i in self.three_indices)
        if read == n:
            return f"Yet we read every one as a 3, and so does the trained network: all {n}."
        return (f"Yet we read every one as a 3; the trained network reads {read} of the {n} "
                "as a 3.")

    def load(self):
        self.load_network()
        self.words = held_out_words(self.data)
        labels = self.data.test_labels
        self.size = int(self.data.test_images.shape[1])
        self.three_indices = first_of_class(labels, 3, self.n_threes)
        self.other_indices = [first_of_class(labels, d)[0] for d in self.other_digits]
        self.pair = tuple(self.three_indices[:2])
        self.difference_indices = differing_pixels(self.data.test_images[self.pair[0]],
                                                   self.data.test_images[self.pair[1]],
                                                   self.threshold)
        self.difference_count = int(self.difference_indices.size)
        self.answers = {i: self.answer_of(i) for i in self.three_indices + self.other_indices}
        self.answer_labels = {}

    def row_x(self, k: int) -> float:
        return (k - (self.n_threes - 1) / 2) * self.spacing

    def index_caption(self, index: int, digit) -> Tex:
        cap = Tex(f"\\#{index}", font_size=style.LABEL_FONT_SIZE - 4, color=style.DIM_TEXT_COLOR)
        return cap.next_to(digit, UP, buff=0.15)

    def show_first_three(self):
        first = self.three_indices[0]
        digit = DigitImage(self.data.test_images[first], height=4.6).move_to(0.2 * DOWN)
        braces = VGroup(Brace(digit.frame, LEFT, buff=0.1), Brace(digit.frame, UP, buff=0.1))
        self.size_labels = VGroup()
        for brace, n in zip(braces, digit.shape):
            label = MathTex(f"{n}", r"\text{ px}", font_size=style.LABEL_FONT_SIZE + 4)
            brace.put_at_tip(label)
            self.size_labels.add(label)
        self.play(FadeIn(digit))
        self.play(*[FadeIn(b) for b in braces], *[Write(t) for t in self.size_labels])
        self.wait(style.PAUSE)
        self.play(FadeOut(braces), FadeOut(self.size_labels))
        self.first_digit = digit

    def show_threes(self):
        self.digits = []
        self.captions = {}
        y = 0.9
        anims = []
        for k, index in enumerate(self.three_indices):
            target = DigitImage(self.data.test_images[index], height=self.row_height)
            target.move_to([self.row_x(k), y, 0])
            cap = self.index_caption(index, target)
            self.captions[index] = cap
            if k == 0:
                self.play(self.first_digit.animate.scale_to_fit_height(self.row_height).move_to(target))
                target = self.first_digit
                anims.append(FadeIn(cap))
            else:
                anims.append(FadeIn(target, shift=0.3 * LEFT))
                anims.append(FadeIn(cap))
            self.digits.append((index, target))
        self.play(LaggedStart(*anims, lag_ratio=0.15, run_time=1.8))
        self.wait(style.PAUSE)

    def show_difference(self):
        """The pair, enlarged side by side, and their difference |a - b| as a third image, the
        pixels differing by more than ``threshold`` marked, with their count."""
        (ia, da), (ib, db) = self.digits[0], self.digits[1]
        rest = Group(*[Group(d, self.captions[i]) for i, d in self.digits[2:]])
        home = [(d, d.get_center().copy()) for _, d in self.digits[:2]]
        h = 3.0
        y = 0.3
        color = style.HIGHLIGHT_COLOR
        a = self.data.test_images[ia].astype(int)
        b = self.data.test_images[ib].astype(int)
        self.difference_image = np.abs(a - b).astype(np.uint8)
        diff = DigitImage(self.difference_image, height=h).move_to([3.7, y, 0])
        minus = MathTex("-", font_size=72).move_to([-2.75, y, 0])
        equals = MathTex("=", font_size=72).move_to([1.35, y, 0])
        self.play(FadeOut(rest),
                  da.animate.scale_to_fit_height(h).move_to([-4.7, y, 0]),
                  db.animate.scale_to_fit_height(h).move_to([-0.8, y, 0]),
                  FadeOut(self.captions[ia]), FadeOut(self.captions[ib]))
        caps = VGroup(self.index_caption(ia, da), self.index_caption(ib, db))
        diff_cap = MathTex(r"|\#" + str(ia) + r" - \#" + str(ib) + "|",
                           font_size=style.LABEL_FONT_SIZE, color=style.DIM_TEXT_COLOR)
        diff_cap.next_to(diff, UP, buff=0.15)
        self.play(FadeIn(caps), Write(minus))
        self.play(Write(equals), FadeIn(diff), FadeIn(diff_cap))
        self.difference_squares = VGroup(*[
            Square(side_length=diff.pixel_size, stroke_width=0, fill_color=color,
                   fill_opacity=0.85).move_to(diff.pixel_center(int(i)))
            for i in self.difference_indices
        ])
        n = self.size * self.size
        self.count_number = Integer(self.difference_count, font_size=style.LABEL_FONT_SIZE + 8,
                                    color=color)
        self.count_total = MathTex(f"\\text{{of }} {n} \\text{{ pixels}}", font_size=style.LABEL_FONT_SIZE)
        self.threshold_tex = MathTex(r"\text{differ by more than }", f"{self.threshold:g}",
                                     font_size=style.LABEL_FONT_SIZE)
        line1 = VGroup(self.count_number, self.count_total).arrange(RIGHT, buff=0.15,
                                                                    aligned_edge=DOWN)
        self.count_line = VGroup(line1, self.threshold_tex).arrange(DOWN, buff=0.15)
        self.count_line.next_to(diff, DOWN, buff=0.3)
        self.play(LaggedStart(*[FadeIn(sq) for sq in self.difference_squares], lag_ratio=0.01,
                              run_time=1.5))
        self.play(Write(self.count_line))
        self.wait(2 * style.PAUSE)
        self.play(FadeOut(VGroup(minus, equals, diff_cap, caps, self.count_line,
                                 self.difference_squares)), FadeOut(diff))
        self.play(*[d.animate.scale_to_fit_height(self.row_height).move_to(c) for d, c in home])
        self.play(FadeIn(rest), FadeIn(self.captions[ia]), FadeIn(self.captions[ib]))

    def show_answers(self, digits, y_offset=0.0):
        labels = VGroup()
        for index, digit in digits:
            ans = self.answers[index]
            lab = MathTex(r"\text{network: }", f"{ans}", font_size=style.LABEL_FONT_SIZE)
            lab[1].set_color(style.HIGHLIGHT_COLOR)
            lab.next_to(digit, DOWN, buff=0.2)
            self.answer_labels[index] = lab
            labels.add(lab)
        self.play(LaggedStart(*[FadeIn(l, shift=0.2 * UP) for l in labels], lag_ratio=0.2))
        self.wait(style.PAUSE)

    def show_others(self):
        shift = 1.3 * UP
        threes = Group()
        for index, d in self.digits:
            threes.add(d, self.captions[index], self.answer_labels[index])
        self.play(threes.animate.shift(shift))
        self.others = []
        group = []
        for k, index in enumerate(self.other_indices):
            d = DigitImage(self.data.test_images[index], height=self.row_height)
            d.move_to([self.row_x(k), -1.75, 0])
            cap = self.index_caption(index, d)
            self.captions[index] = cap
            self.others.append((index, d))
            group.append(FadeIn(d, shift=0.3 * UP))
            group.append(FadeIn(cap))
        self.play(LaggedStart(*group, lag_ratio=0.1, run_time=1.6))
        self.show_answers(self.others)
        self.wait(style.PAUSE)


# ---------------------------------------------------------------------- NeuronHoldsANumber
class NeuronHoldsANumber(_PixelScene):
    """A neuron holds a number; a real digit's pixels become the network's input neurons.

    Rule: the digit is test image ``image_index`` (0, as in ForwardPass), or the viewer's own
    with ``NN_DIGIT`` (``shown``; its photo shown first). The neuron runs
    through 0, 1 and then three real in-between brightnesses of that digit (``grey_pixels``,
    each outlined on a small copy of the digit). After ``construct``: ``neuron`` (circle),
    ``neuron_number`` (DecimalNumber), ``neuron_values`` (the values it ran through),
    ``grey_indices``/``greys`` (their pixels and values), ``grey_marks`` (pixel, outline
    centre, image corner, pixel side), ``neuron_samples`` ((fill, number) at every frame),
    ``rendered_neuron`` ((value, brightness read from the rendered frame inside the circle)
    after each change), ``grid`` (PixelGrid), ``pixel_circles`` (784 circles,
    ``pixel_circles[i]`` is pixel i) with ``circle_fills``, ``column_positions`` and
    ``column_centers`` (where the circles sat once unrolled), ``column_step``, ``count_tex``,
    ``network_mobject`` and ``input_layer`` (its layer 0, filled with the real pixels),
    ``drawn_indices``, ``small_digit`` and ``drawn_outlines`` (the drawn pixels on it).
    """

    own_digit = "any"

    image_index = 0
    grid_height = 5.6
    column_x = 0.0
    layer_scale = 0.88

    def construct(self):
        self.load()
        if self.shown.own:
            own_digit_beat(self, self.shown)
        self.beat("A neuron, for now, is a thing that holds a number between 0 and 1.",
                  "neuron")
        self.show_neuron()

        self.beat("0 is black, 1 is white; shades of grey in between, like these "
                  f"{'pixels of your digit' if self.shown.own else 'real pixels'}.", "activation")
        self.run_neuron()

        n = self.x.size
        self.beat(f"{self.shown.title}: {self.side} by {self.side} pixels, each one a "
                  "brightness.", "pixels")
        self.show_grid()

        self.beat(f"Make every pixel a neuron holding its brightness: {n} neurons.", "circles")
        self.pixels_to_circles()

        self.beat(f"Unroll the {self.side} rows into one long column of {n}.", "column")
        self.unroll()

        self.beat(f"That column is the network's first layer; we draw {len(self.drawn_indices)} "
                  f"of its {n} neurons, sampled across the digit.", "input layer")
        self.collapse()

    def load(self):
        self.load_network()
        self.words = held_out_words(self.data)
        self.shown = test_digit(self, self.image_index, self.words.image)
        self.image = self.shown.pixels
        self.x = self.shown.x
        self.side = int(self.image.shape[0])
        self.grey_indices = grey_pixels(self.image)
        self.greys = [float(self.x[i]) for i in self.grey_indices]
        self.neuron_values = [0.0, 1.0] + self.greys
        self.drawn_indices = choose_input_indices(self.x)

    # ---- the single neuron
    def show_neuron(self):
        self.tracker = ValueTracker(0.0)
        self.neuron = Circle(radius=1.3, stroke_color=style.NEURON_STROKE_COLOR,
                             stroke_width=4, fill_color=style.NEURON_FILL_COLOR, fill_opacity=0)
        self.neuron_number = DecimalNumber(0, num_decimal_places=2, font_size=64)
        self.neuron_samples = []
        self.rendered_neuron = []

        def update(group):
            # Fill and number from the same value; both are redrawn every frame (an updater
            # on the group marks the circle as moving too).
            v = self.tracker.get_value()
            self.neuron.set_fill(opacity=v)
            self.neuron_number.set_value(v)
            self.neuron_number.move_to(self.neuron)
            self.neuron_number.set_color(BLACK if v > 0.5 else style.TEXT_COLOR)
            self.neuron_samples.append((self.neuron.get_fill_opacity(),
                                        self.neuron_number.get_value()))

        self.neuron_group = VGroup(self.neuron, self.neuron_number)
        self.neuron_group.add_updater(update)
        self.add(self.neuron_group)
        self.play(Create(self.neuron), FadeIn(self.neuron_number))
        self.wait(style.PAUSE)

    def rendered_brightness(self, point) -> float:
        """Brightness in [0, 1] of the last rendered frame at scene ``point``."""
        frame = self.renderer.get_frame()
        h, w = frame.shape[:2]
        col = int((point[0] / config.frame_width + 0.5) * w)
        row = int((0.5 - point[1] / config.frame_height) * h)
        return float(frame[row, col, :3].mean()) / 255.0

    def run_neuron(self):
        probe = self.neuron.get_center() + 0.95 * DOWN   # inside the circle, below the number
        self.play(self.tracker.animate.set_value(1.0), run_time=2.0)
        self.rendered_neuron.append((1.0, self.rendered_brightness(probe)))
        self.wait(0.6)
        # The greys are real pixels of the digit: each one outlined on a small copy of it.
        self.grey_digit = DigitImage(self.image, height=3.0).move_to([4.4, 0, 0])
        self.play(self.neuron_group.animate.shift(1.5 * LEFT), FadeIn(self.grey_digit))
        probe = self.neuron.get_center() + 0.95 * DOWN
        self.grey_outlines = VGroup()
        self.grey_marks = []   # (pixel, outline centre, image's top-left corner, pixel side)
        marker = None
        for i, v in zip(self.grey_indices, self.greys):
            box = Square(side_length=2 * self.grey_digit.pixel_size,
                         stroke_color=style.HIGHLIGHT_COLOR, stroke_width=3, fill_opacity=0).move_to(self.grey_digit.pixel_center(i))
            self.grey_outlines.add(box)
            self.grey_marks.append((i, box.get_center().copy(),
                                    self.grey_digit.image.get_corner(UP + LEFT).copy(),
                                    self.grey_digit.pixel_size))
            move = Create(box) if marker is None else ReplacementTransform(marker, box)
            self.play(move, self.tracker.animate.set_value(v), run_time=1.0)
            marker = box
            self.rendered_neuron.append((self.tracker.get_value(),
                                         self.rendered_brightness(probe)))
            self.wait(0.4)
        self.wait(0.5)
        self.neuron_group.clear_updaters()
        self.grey_marker = marker

    # ---- the digit
    def show_grid(self):
        self.grid = PixelGrid(self.image, height=self.grid_height).move_to(ORIGIN + 0.2 * DOWN)
        braces = VGroup(Brace(self.grid.frame, LEFT, buff=0.1), Brace(self.grid.frame, UP, buff=0.1))
        self.size_labels = VGroup()
        for brace, n in zip(braces, self.image.shape):
            label = MathTex(str(n), font_size=style.LABEL_FONT_SIZE + 4)
            brace.put_at_tip(label)
            self.size_labels.add(label)
        # The small copy grows into the pixel grid (the same pixels, one square each).
        self.play(FadeOut(self.neuron_group, scale=0.3), FadeOut(self.grey_marker))
        self.play(self.grey_digit.animate.scale_to_fit_height(self.grid_height)
                  .move_to(self.grid))
        self.remove(self.grey_digit)
        self.add(self.grid)
        self.play(*[FadeIn(b) for b in braces], *[Write(t) for t in self.size_labels])
        self.braces = braces
        h, w = self.image.shape
        self.count_tex = MathTex(f"{h}", r"\times", f"{w}", "=", f"{h * w}",
                                 font_size=style.LABEL_FONT_SIZE + 8)
        self.count_tex.next_to(self.grid, RIGHT, buff=0.8)
        self.play(Write(self.count_tex))
        self.wait(style.PAUSE)

    def pixels_to_circles(self):
        side = self.grid.pixel_size
        self.circle_radius = 0.4 * side
        self.pixel_circles = VGroup()
        for i, sq in enumerate(self.grid.squares):
            c = Circle(radius=self.circle_radius, stroke_color=style.DIM_TEXT_COLOR,
                       stroke_width=0.8, fill_color=style.NEURON_FILL_COLOR,
                       fill_opacity=float(self.x[i]))
            c.move_to(sq)
            self.pixel_circles.add(c)
        self.circle_fills = np.array([c.get_fill_opacity() for c in self.pixel_circles])
        self.play(FadeOut(self.braces), FadeOut(self.size_labels), FadeOut(self.grid.frame))
        self.play(ReplacementTransform(self.grid.squares, self.pixel_circles), run_time=2.0)
        self.wait(style.PAUSE)

    def unroll(self):
        """Each row swings a quarter turn and takes its place in one column: pixel i at
        ``column_positions[i]``, the column centred on the frame, running off both ends."""
        h, w = self.image.shape
        step = 2 * self.circle_radius + 0.06
        n = h * w
        self.column_step = step
        self.column_positions = np.array([
            [self.column_x, ((n - 1) / 2 - i) * step, 0.0] for i in range(n)
        ])
        self.play(self.count_tex.animate.to_edge(RIGHT, buff=0.8))
        rows = [VGroup(*self.pixel_circles[r * w:(r + 1) * w]) for r in range(h)]
        anims = []
        for r, row in enumerate(rows):
            target = row.copy()
            for k, c in enumerate(target):
                c.move_to(self.column_positions[r * w + k])
            anims.append(Transform(row, target, path_arc=-PI / 2))
        # Middle rows (still on screen at the end) first, so the swing is seen.
        self.play(LaggedStart(*anims, lag_ratio=0.06, run_time=4.0))
        self.column_centers = np.array([c.get_center() for c in self.pixel_circles])
        # The column runs on: scroll a little to show it is longer than the frame.
        self.play(self.pixel_circles.animate.shift(3 * step * w * UP), run_time=1.5,
                  rate_func=smooth)
        self.wait(style.PAUSE)

    def collapse(self):
        nm = NetworkMobject(self.network, example=self.x)
        nm.set_layer_activation(0, self.x)
        layer = nm.layers[0]
        layer.scale(self.layer_scale)
        layer.shift(self.column_x * RIGHT - layer.neurons.get_center()[0] * RIGHT
                    - layer.neurons.get_center()[1] * UP)
        self.network_mobject = nm
        self.input_layer = layer
        assert nm.drawn_indices(0) == self.drawn_indices

        keep = set(self.drawn_indices)
        movers = []
        for neuron in layer.neurons:
            movers.append(ReplacementTransform(self.pixel_circles[neuron.neuron_index], neuron))
        dots_at = layer.dots.get_center()
        fading = []
        for i, c in enumerate(self.pixel_circles):
            if i in keep:
                continue
            y = c.get_center()[1]
            if abs(y) < config.frame_height / 2 + 1:
                fading.append(c.animate.scale(0.2).move_to(dots_at).set_opacity(0))
            else:
                fading.append(FadeOut(c))
        rest = VGroup(*[c for i, c in enumerate(self.pixel_circles) if i not in keep])
        self.play(*movers, *fading, run_time=2.5)
        self.remove(rest)
        self.layer_caption = Tex("input layer", font_size=style.LABEL_FONT_SIZE,
                                 color=style.DIM_TEXT_COLOR)
        self.layer_caption.next_to(layer.neurons, UP, buff=0.2)
        self.play(FadeIn(layer.dots), FadeIn(layer.brace), Write(layer.brace_label),
                  FadeIn(self.layer_caption))
        # The image again, the pixels the drawn neurons stand for outlined on it.
        self.small_digit = DigitImage(self.image, height=3.0)
        self.small_digit.move_to([-4.3, layer.neurons.get_center()[1], 0])
        self.drawn_outlines = VGroup(*[
            Square(side_length=self.small_digit.pixel_size, stroke_color=style.HIGHLIGHT_COLOR,
                   stroke_width=2.0, fill_opacity=0).move_to(self.small_digit.pixel_center(i))
            for i in self.drawn_indices
        ])
        self.play(FadeIn(self.small_digit),
                  self.count_tex.animate.next_to(layer, RIGHT, buff=1.4))
        self.play(Create(self.drawn_outlines, lag_ratio=0.1), run_time=1.2)
        self.wait(2 * style.PAUSE)


# ---------------------------------------------------------------------- HopedForComponents
class HopedForComponents(_PixelScene):
    """The hope (not a fact about this network): digits are built from loops and lines.

    Rule: the first test image of each of 9, 8 and 4; each piece is fitted to the ink
    where it really is (see ``components_of_nine``/``_eight``/``_four``). After
    ``construct``: ``digits`` (list of ``(digit, index, DigitImage)``), ``pieces``
    (digit → list of fitted piece dicts), ``piece_mobjects`` (digit → VGroups drawn on the
    image), ``equations`` (digit → the row "9 = ◯ + |"), ``hope_label``.
    """

    hoped_digits = (9, 8, 4)
    row_height = 1.85
    digit_x = -2.4
    equation_scale = 1.5     # the pieces in the equation, enlarged from their size on the digit
    dim_image = 0.55         # the image's opacity while its pieces are drawn over it

    def construct(self):
        self.load()
        self.beat("What we might hope the middle layers do, not what we know they do.", "hope")
        self.show_hope()
        for d in self.hoped_digits:
            self.beat(self.narration_for(d), f"digit {d}")
            self.show_digit(d)
        self.beat("And a loop or a line is itself a handful of little edges.", "edges")
        self.show_edges()
        self.beat("Whether this trained network learned anything like this, we will look "
                  "at later.", "later")
        self.note = Tex("a hope, not a finding about the trained network",
                        font_size=style.CAPTION_FONT_SIZE, color=style.DIM_TEXT_COLOR)
        self.note.to_corner(UP + RIGHT, buff=0.45)
        self.play(FadeIn(self.note, shift=0.2 * DOWN))
        self.wait(style.PAUSE)

    def narration_for(self, d: int) -> str:
        where = f"{held_out_words(self.data).image} {self.indices[d]}"
        return {
            9: f"Maybe a 9 is an upper loop and a line on the right, as in {where}.",
            8: f"Maybe an 8 is two loops, one on top of the other, as in {where}.",
            4: f"Maybe a 4 is three lines, as in {where}.",
        }[d]

    def load(self):
        self.data = self.load_data()
        self.indices = {d: first_of_class(self.data.test_labels, d)[0] for d in self.hoped_digits}
        self.pieces = {d: COMPONENT_RULES[d](self.data.test_images[self.indices[d]])
                       for d in self.hoped_digits}
        self.digits = []
        self.piece_mobjects = {}
        self.equations = {}
        self.equation_pieces = {}

    def piece_color(self, piece):
        return style.PALETTE.accent if piece["kind"] == "loop" else style.HIGHLIGHT_COLOR

    def row_y(self, k: int) -> float:
        return -0.2 + 2.15 * (1 - k)

    def show_hope(self):
        self.hope_label = Tex("hope:", font_size=style.TITLE_FONT_SIZE, color=style.HIGHLIGHT_COLOR)
        sub = Tex("(maybe...?)", font_size=style.LABEL_FONT_SIZE, color=style.DIM_TEXT_COLOR)
        self.hope_title = VGroup(self.hope_label, sub).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        self.hope_title.to_corner(UP + LEFT, buff=0.45)
        self.play(Write(self.hope_label), FadeIn(sub))
        self.wait(0.5)

    def show_digit(self, d: int):
        k = self.hoped_digits.index(d)
        index = self.indices[d]
        digit = DigitImage(self.data.test_images[index], height=self.row_height)
        digit.move_to([self.digit_x, self.row_y(k), 0])
        cap = Tex(f"\\#{index}", font_size=style.LABEL_FONT_SIZE - 6, color=style.DIM_TEXT_COLOR)
        cap.next_to(digit, LEFT, buff=0.2)
        self.digits.append((d, index, digit))
        pieces = [piece_mobject(p, digit, self.piece_color(p)) for p in self.pieces[d]]
        self.piece_mobjects[d] = pieces
        self.play(FadeIn(digit), FadeIn(cap))
        self.play(digit.image.animate.set_opacity(self.dim_image), run_time=0.5)
        for p in pieces:
            self.play(Create(p, lag_ratio=0.5), run_time=1.0)

        # The equation: d = piece + piece (+ piece), the pieces moved out side by side.
        sym = MathTex(str(d), "=", font_size=56)
        pluses = [MathTex("+", font_size=56) for _ in pieces[1:]]
        targets = [p.copy().scale(self.equation_scale) for p in pieces]
        seq = [sym]
        for j, t in enumerate(targets):
            if j:
                seq.append(pluses[j - 1])
            seq.append(t)
        equation = VGroup(*seq).arrange(RIGHT, buff=0.5)
        if equation.height > self.row_height:
            equation.scale_to_fit_height(self.row_height)
        equation.next_to(digit, RIGHT, buff=1.1)
        arrow = Arrow(digit.get_right(), equation.get_left(), buff=0.15,
                      color=style.DIM_TEXT_COLOR, stroke_width=3,
                      max_tip_length_to_length_ratio=0.3)
        self.play(Create(arrow), Write(sym))
        for j, (p, t) in enumerate(zip(pieces, targets)):
            anims = [TransformFromCopy(p, t)]
            if j:
                anims.append(Write(pluses[j - 1]))
            self.play(*anims, run_time=1.0)
        self.equations[d] = equation
        self.equation_pieces[d] = targets
        self.wait(style.PAUSE)

    def show_edges(self):
        """The little edges of every piece in the equations move apart a little, about the
        piece's centre (the pieces on the images stay where the ink is)."""
        anims = []
        for d in self.hoped_digits:
            for piece in self.equation_pieces[d]:
                c = piece.get_center()
                for e in piece:
                    anims.append(e.animate.shift(0.3 * (e.get_center() - c)))
        self.play(*anims, run_time=1.5)
        self.wait(style.PAUSE)
