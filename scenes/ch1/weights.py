"""Chapter 1, what one neuron computes: ``EdgeDetectorNeuron`` (weights as a picture, the
pixel-wise product, the weighted sum) and ``MatrixNotation`` (the whole layer as
a⁽¹⁾ = σ(W a⁽⁰⁾ + b)).

Every number on screen comes from the real trained network (``network.load_trained``) and the
real MNIST test set (``network.load_mnist``). The one exception is labelled on screen as such:
the hand-designed edge detector of ``EdgeDetectorNeuron``, whose weights are built here from
geometry (``designed_edge_weights``) — its weighted sum is still computed for real.

Pixels and neurons are counted from 0, as the network stores them: pixel ``i`` is row
``i // 28``, column ``i % 28``; ``W[j, i]`` is the weight from pixel ``i`` into neuron ``j``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    ORIGIN,
    RIGHT,
    UP,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    FadeTransform,
    Indicate,
    MathTex,
    MobjectMatrix,
    ReplacementTransform,
    Square,
    SurroundingRectangle,
    Tex,
    VGroup,
    Write,
)

from network.model import sigmoid
from scenes import style
from scenes.base import NetworkScene
from scenes.layout import sign_legend
from scenes.mobjects.digit import DigitImage
from scenes.mobjects.weights import WeightGrid
from scenes.own_digit import introduce_own_digit, own_digit_line, test_digit
from scenes.text import color_word, held_out_words


# ------------------------------------------------------------------------ shared helpers
def designed_edge_weights(start=(7.0, 9.0), end=(7.0, 18.0), inner: float = 1.2,
                          outer: float = 3.2, side: int = 28) -> np.ndarray:
    """A hand-made edge detector, NOT learned: +1 on every pixel within ``inner`` pixels of the
    segment ``start``–``end`` (``(row, column)`` points), −1 on the ring of pixels between
    ``inner`` and ``outer`` from it, 0 elsewhere. Returns ``side * side`` weights, row-major."""
    rows, cols = np.mgrid[0:side, 0:side]
    points = np.stack([rows, cols], axis=-1).astype(float)
    p0, p1 = np.asarray(start, float), np.asarray(end, float)
    d = p1 - p0
    t = np.clip(((points - p0) @ d) / (d @ d), 0.0, 1.0)
    dist = np.linalg.norm(points - (p0 + t[..., None] * d), axis=-1)
    w = np.where(dist <= inner, 1.0, np.where(dist <= outer, -1.0, 0.0))
    return w.ravel()


def largest_terms(w, a, count: int) -> list[tuple[int, float]]:
    """The ``count`` terms ``w[i] * a[i]`` of largest magnitude, as ``(i, w[i] * a[i])``, largest
    first (ties broken by the smaller index)."""
    products = np.asarray(w, float) * np.asarray(a, float)
    order = sorted(range(products.size), key=lambda i: (-abs(products[i]), i))
    return [(int(i), float(products[i])) for i in order[:count]]


def term_tex(value: float, first: bool) -> str:
    """A term of a written-out sum, to 2 decimals: ``0.98``, then ``+ 0.95`` or ``- 0.85``."""
    magnitude = f"{abs(value):.2f}"
    if first:
        return magnitude if value >= 0 else "-" + magnitude
    return ("{}+ " if value >= 0 else "{}- ") + magnitude


# =========================================================================== scene 1
class EdgeDetectorNeuron(NetworkScene):
    """One neuron's 784 weights as a picture, multiplied pixel by pixel with a real image, and
    summed: first a real trained first-hidden-layer neuron, then a hand-designed edge detector.

    Choices, all computed in ``choose``:

    * the designed detector is ``designed_edge_weights()``: +1 on a short horizontal stroke
      (row 7, columns 9–18), −1 on the ring around it;
    * the image is the test image on which that detector's weighted sum is largest, so its ink
      passes along the stroke (with ``NN_DIGIT``, the viewer's digit, its sum ranked among
      the test images' in the narration);
    * the real neuron is the first-hidden-layer neuron whose weighted sum ``W[j] · a`` is
      largest for that image.

    After ``construct``: ``image_index``, ``x`` (the image's 784 inputs), ``digit``;
    ``real_neuron``; for each of ``"real"`` and ``"designed"`` in ``panels``: a dict with
    ``weights``, ``grid`` and ``product_grid`` (WeightGrids), ``terms`` ((i, w_i a_i) shown),
    ``term_mobjects``, ``total`` (the DecimalNumber), ``total_value`` (= ``np.dot(w, x)``).
    """

    own_digit = "any"

    n_terms = 4
    grid_height = 3.0
    row_y = 0.9
    column_x = (-4.6, 0.0, 4.6)

    def construct(self):
        self.load_network()
        self.choose()

        lo, hi = float(self.x.min()), float(self.x.max())
        if self.shown.own:  # the photo first, then what the network reads of it
            self.beat(own_digit_line(self.shown), "your digit")
            self.show_image()
        self.beat(f"{self.shown.title}: {self.x.size} pixel "
                  f"brightnesses a_0 to a_{self.x.size - 1}, here from {lo:.3g} to {hi:.3g}.", "image")
        if not self.shown.own:
            self.show_image()

        self.beat(f"Hidden neuron {self.real_neuron} has one trained weight per pixel; "
                  f"drawn in place, {color_word(style.PALETTE.positive)} weights are positive and "
                  f"{color_word(style.PALETTE.negative)} ones negative.", "weights")
        self.show_weights("real")

        inked = int(np.count_nonzero(self.x))
        self.beat(f"Multiply each weight by its pixel: only the {inked} pixels with ink keep any "
                  "of their weight.", "product")
        self.show_product("real")

        self.beat(f"Add all {self.x.size} products; here are the {self.n_terms} biggest, and the "
                  "true total.", "sum")
        self.show_sum("real")

        self.beat(self.designed_narration(), "designed")
        self.swap_to_designed()

        self.beat(self.designed_sum_narration(), "designed sum")
        self.show_product("designed")
        self.show_sum("designed")
        self.wait(style.PAUSE)

    # -------------------------------------------------------------------- narration
    def designed_narration(self) -> str:
        """The designed detector's weights, read off the array: its values and where."""
        w = self.panels["designed"]["weights"]
        hi, lo = float(w.max()), float(w.min())
        return (f"Now a neuron designed by hand, not learned: {hi:+g} on a short stroke of "
                f"{int(np.sum(w == hi))} pixels, {lo:+g} on the {int(np.sum(w == lo))} "
                "around it.")

    def designed_sum_narration(self) -> str:
        """What the designed detector's sum says here, against every other image's."""
        total, n = self.designed_total, len(self.designed_sums)
        start = "Ink along the stroke adds up; ink in the ring around it would subtract. Here the "
        if not self.shown.own:
            return (f"{start}sum is {total:.2f}, the largest of all {n:,} {self.words.images}: "
                    "this edge is here.")
        below = float(np.mean(self.designed_sums < total))
        verdict = "this edge is here" if total > 0 else "no such edge here"
        return (f"{start}sum is {total:.2f}, more than for {100 * below:.0f}% of the {n:,} "
                f"{self.words.images}: {verdict}.")

    # ---------------------------------------------------------------------- choices
    def choose(self):
        self.words = held_out_words(self.data)
        designed = designed_edge_weights()
        test_x = np.asarray(self.data.test_x, dtype=float)
        self.designed_sums = test_x @ designed
        best = int(np.argmax(self.designed_sums))
        self.shown = test_digit(self, best, self.words.image)
        self.image_index = self.shown.index  # None for the viewer's digit
        self.image = self.shown.pixels
        self.x = self.shown.x
        self.designed_total = float(designed @ self.x)
        W = self.network.weights[0]
        self.real_neuron = int(np.argmax(W @ self.x))
        self.panels = {
            "real": {"weights": np.array(W[self.real_neuron], dtype=float),
                     "title": f"trained weights into hidden neuron {self.real_neuron}"},
            "designed": {"weights": designed,
                         "title": "designed by hand, not learned: an edge detector"},
        }

    # ------------------------------------------------------------------------ beats
    def show_image(self):
        left, middle, right = self.column_x
        self.digit = DigitImage(self.image, height=self.grid_height).move_to([middle, self.row_y, 0])
        self.digit_label = MathTex(r"\text{pixels } a_i", font_size=style.LABEL_FONT_SIZE)
        self.digit_label.next_to(self.digit, DOWN, buff=0.2)
        self.digit_caption = Tex(self.shown.name, font_size=style.CAPTION_FONT_SIZE,
                                 color=style.DIM_TEXT_COLOR).next_to(self.digit_label, DOWN, buff=0.15)
        if self.shown.own:
            introduce_own_digit(self, self.shown, self.digit)
            self.play(FadeIn(self.digit_label, shift=0.2 * UP),
                      FadeIn(self.digit_caption, shift=0.2 * UP))
        else:
            self.play(FadeIn(self.digit), FadeIn(self.digit_label, shift=0.2 * UP),
                      FadeIn(self.digit_caption, shift=0.2 * UP))
        self.wait(style.PAUSE)

    def make_title(self, text: str) -> Tex:
        title = Tex(text, font_size=style.LABEL_FONT_SIZE + 4)
        return title.to_edge(UP, buff=0.4)

    def show_weights(self, which: str):
        left = self.column_x[0]
        panel = self.panels[which]
        panel["grid"] = WeightGrid(panel["weights"], height=self.grid_height).move_to([left, self.row_y, 0])
        self.weight_label = MathTex(r"\text{weights } w_i", font_size=style.LABEL_FONT_SIZE)
        self.weight_label.next_to(panel["grid"], DOWN, buff=0.2)
        self.times_sign = MathTex(r"\times", font_size=style.TITLE_FONT_SIZE).move_to(
            [(self.column_x[0] + self.column_x[1]) / 2, self.row_y, 0])
        self.title = self.make_title(panel["title"])
        self.legend = sign_legend("w_i").next_to(self.weight_label, DOWN, buff=0.15)
        self.play(FadeIn(panel["grid"], shift=0.3 * RIGHT), FadeIn(self.weight_label),
                  FadeIn(self.legend), Write(self.title))
        self.play(FadeIn(self.times_sign))
        self.wait(style.PAUSE)

    def show_product(self, which: str):
        right = self.column_x[2]
        panel = self.panels[which]
        grid = panel["grid"]
        product = np.asarray(panel["weights"]) * self.x
        # Same scale as the weights: a product is as bright as its weight where the pixel is 1.
        panel["product_grid"] = WeightGrid(product, height=self.grid_height, scale=grid.weight_scale)
        panel["product_grid"].move_to([right, self.row_y, 0])
        if which == "real":
            self.equals = MathTex("=", font_size=style.TITLE_FONT_SIZE).move_to(
                [(self.column_x[1] + self.column_x[2]) / 2, self.row_y, 0])
            self.product_label = MathTex(r"\text{products } w_i a_i", font_size=style.LABEL_FONT_SIZE)
            self.product_label.next_to(panel["product_grid"], DOWN, buff=0.2)
            self.play(FadeIn(self.equals), FadeIn(self.product_label))
        # The weights and the pixels both flow into their product.
        self.play(ReplacementTransform(grid.copy(), panel["product_grid"]),
                  FadeOut(self.digit.copy(), target_position=panel["product_grid"]),
                  run_time=1.5)
        self.wait(style.PAUSE)

    def show_sum(self, which: str):
        panel = self.panels[which]
        w = np.asarray(panel["weights"], dtype=float)
        n = w.size
        panel["terms"] = largest_terms(w, self.x, self.n_terms)
        panel["total_value"] = float(np.dot(w, self.x))

        symbolic = MathTex(r"w_0 a_0 + w_1 a_1 + \cdots + w_{%d} a_{%d}" % (n - 1, n - 1),
                           font_size=style.LABEL_FONT_SIZE + 4)
        fs = style.LABEL_FONT_SIZE + 4
        pieces = [MathTex("=", font_size=fs)]
        term_mobs, index_labels = [], []
        for k, (i, value) in enumerate(panel["terms"]):
            tex = term_tex(value, first=(k == 0))
            term = MathTex(tex, font_size=fs, color=style.PALETTE.sign_color(value))
            term.tex = tex
            term.index = i
            term_mobs.append(term)
            pieces.append(term)
        rest = MathTex(r"+ \cdots", font_size=fs)
        total = DecimalNumber(panel["total_value"], num_decimal_places=2, font_size=fs,
                              color=style.HIGHLIGHT_COLOR)
        pieces += [rest, MathTex("=", font_size=fs), total]
        numeric = VGroup(*pieces).arrange(RIGHT, buff=0.3)
        line = VGroup(symbolic, numeric).arrange(RIGHT, buff=0.22)
        line.move_to([0, -2.2, 0])
        for term in term_mobs:
            label = MathTex(f"i={term.index}", font_size=style.CAPTION_FONT_SIZE - 4,
                            color=style.DIM_TEXT_COLOR).next_to(term, DOWN, buff=0.15)
            label.shift((term[0][-4:].get_center()[0] - label.get_center()[0]) * RIGHT)
            index_labels.append(label)
        n_rest = n - len(term_mobs)
        rest_label = Tex(f"{n_rest} more", font_size=style.CAPTION_FONT_SIZE - 4,
                         color=style.DIM_TEXT_COLOR).next_to(rest, DOWN, buff=0.15)
        if line.width > 13.4:
            VGroup(line, *index_labels, rest_label).scale_to_fit_width(13.4)
        panel["term_mobjects"] = term_mobs
        panel["total"] = total
        panel["index_labels"] = index_labels
        self.sum_group = VGroup(line, *index_labels, rest_label)

        self.play(Write(symbolic), Write(pieces[0]))
        product_grid = panel["product_grid"]
        for term, label in zip(term_mobs, index_labels):
            outline = Square(side_length=product_grid.pixel_size * 1.6, stroke_color=style.HIGHLIGHT_COLOR,
                             stroke_width=3).move_to(product_grid.pixel_center(term.index))
            self.play(Create(outline), run_time=0.4)
            self.play(FadeIn(term, target_position=outline, scale=0.4), FadeIn(label),
                      FadeOut(outline), run_time=0.7)
        self.play(Write(rest), FadeIn(rest_label))
        self.play(Write(pieces[-2]), FadeIn(total, scale=1.3))
        self.play(Indicate(total, color=style.HIGHLIGHT_COLOR))
        self.wait(style.PAUSE)

    def swap_to_designed(self):
        real, designed = self.panels["real"], self.panels["designed"]
        designed["grid"] = WeightGrid(designed["weights"], height=self.grid_height).move_to(real["grid"])
        new_title = self.make_title(designed["title"])
        self.play(FadeOut(self.sum_group), FadeOut(real["grid"]), FadeIn(designed["grid"]),
                  FadeOut(real["product_grid"]),
                  FadeTransform(self.title, new_title), run_time=1.5)
        self.title = new_title
        self.wait(style.PAUSE)


# =========================================================================== scene 2
class MatrixNotation(NetworkScene):
    """The first hidden layer at once: a⁽¹⁾ = σ(W a⁽⁰⁾ + b), first in symbols, then with a real
    slice of the trained ``W = weights[0]``, ``b = biases[0]`` and a real input ``a⁽⁰⁾`` (test
    image ``image_index``).

    Shown: rows ``0, 1, ⋮, k`` of W and b (k = sizes[1] − 1), and three inked pixels as the
    columns of W and rows of a⁽⁰⁾ (``columns``): two neighbouring ink pixels and a later one,
    with ``⋯`` for all the others. Indices count from 0 as the network stores them.

    After ``construct`` (for tests): ``W``, ``b``, ``x``, ``z``, ``a1``, ``k``, ``n``,
    ``rows`` (shown row indices, ``None`` for an ellipsis), ``columns``;
    ``symbolic_entries`` / ``numeric_entries``: lists of dicts with ``matrix`` ("W", "a", "b",
    "a1"), ``position`` ((row, col) in the drawn matrix), ``index`` ((i, j) for W, (i,) for
    vectors), ``mobject``, ``center`` (where it was laid out) and ``tex`` (symbolic) or
    ``value`` (numeric); ``symbolic`` and ``numeric`` (the equations: σ, parentheses, W, a, +,
    b); ``row_labels``, ``column_labels``, ``a_labels`` (lists of (index, mobject)) and
    ``label_centers``; for the highlighted row: ``row_sum`` (over all inputs), ``row_z``,
    ``row_activation`` with their shown strings ``row_*_tex`` and ``row_lines`` (MathTex);
    ``result`` (the a⁽¹⁾ matrix) and ``result_entries``.
    """

    image_index = 0
    highlighted_row = 0
    font_size = 30
    row_decimals = 3     # the highlighted neuron's sum, z and activation

    def construct(self):
        self.load_network()
        self.load_example()

        self.beat("Every first-layer neuron does the same thing; written for all at once, the "
                  "layer is one line.", "compact")
        self.show_compact()

        self.beat(f"Row i of the matrix W holds neuron i's {self.n + 1} weights: rows 0 to "
                  f"{self.k}, columns 0 to {self.n}.", "symbols")
        self.show_symbolic()

        cols = ", ".join(str(c) for c in self.columns)
        shown_rows = [str(r) for r in self.rows if r is not None]
        rows = ", ".join(shown_rows[:-1]) + " and " + shown_rows[-1]
        self.beat(f"The real numbers, for {self.words.image} {self.image_index}: rows {rows}, and "
                  f"the columns of inked pixels {cols}.", "numbers")
        self.show_numeric()

        self.beat(f"One row times the column of pixels is one neuron's weighted sum, over all "
                  f"{self.n + 1} pixels; add its bias and squash it.", "one row")
        self.show_row()

        self.beat("Sigma acts on each entry separately: the result is the next layer's "
                  "activations.", "sigma")
        self.apply_sigma()

    # -------------------------------------------------------------------------- data
    def load_example(self):
        self.words = held_out_words(self.data)
        self.W = np.asarray(self.network.weights[0], dtype=float)
        self.b = np.asarray(self.network.biases[0], dtype=float)
        self.x = np.asarray(self.data.test_x[self.image_index], dtype=float)
        self.image = np.asarray(self.data.test_images[self.image_index])
        self.k = self.W.shape[0] - 1   # = sizes[1] - 1
        self.n = self.W.shape[1] - 1   # = sizes[0] - 1
        self.z = self.W @ self.x + self.b
        _, activations = self.network.forward(self.x)
        self.a1 = np.asarray(activations[1], dtype=float)
        self.rows = [0, 1, None, self.k]
        self.columns = self.choose_columns()

    def choose_columns(self) -> list[int]:
        """Three inked pixels: the first inked pixel whose right neighbour is inked too, that
        neighbour, and the inked pixel halfway through the rest of the ink."""
        inked = np.flatnonzero(self.x > 0)
        if inked.size < 3:
            inked = np.arange(self.x.size)
        first = next((int(i) for i in inked if i + 1 in set(inked.tolist()) and (i + 1) % 28 != 0),
                     int(inked[0]))
        later = inked[inked > first + 1]
        third = int(later[len(later) // 2]) if later.size else int(inked[-1])
        return [first, first + 1, third]

    # ---------------------------------------------------------------------- builders
    def morph(self, source, target):
        """Transform a stand-in copy of ``source`` into ``target``: the transform reshapes the
        mobject it moves, and ``source`` stays as it was drawn (tests read it back)."""
        stand_in = source.copy()
        self.remove(*source.submobjects)  # the pieces may sit inside a larger group on screen
        self.remove(source)
        self.add(stand_in)
        return ReplacementTransform(stand_in, target)

    def matrix(self, cells, **kwargs) -> MobjectMatrix:
        kwargs.setdefault("h_buff", 1.25)
        kwargs.setdefault("v_buff", 0.7)
        return MobjectMatrix(cells, element_alignment_corner=ORIGIN, **kwargs)

    def dots(self, kind: str) -> MathTex:
        return MathTex({"h": r"\cdots", "v": r"\vdots", "d": r"\ddots"}[kind], font_size=self.font_size)

    def equation(self, W_cells, a_cells, b_cells, **kw):
        """``a^(1) = σ( W a + b )`` with the three given matrices, arranged in a row."""
        fs = self.font_size + 4
        W = self.matrix(W_cells, **kw.get("W", {}))
        a = self.matrix(a_cells, **kw.get("a", {}))
        b = self.matrix(b_cells, **kw.get("b", {}))
        lhs = MathTex(r"a^{(1)}", "=", r"\sigma", font_size=fs)
        lhs[2].set_color(style.HIGHLIGHT_COLOR)
        h = W.height
        lpar = MathTex("(", font_size=fs).stretch_to_fit_height(h).stretch_to_fit_width(0.18)
        rpar = MathTex(")", font_size=fs).stretch_to_fit_height(h).stretch_to_fit_width(0.18)
        plus = MathTex("+", font_size=fs)
        parts = VGroup(lhs, lpar, W, a, plus, b, rpar).arrange(RIGHT, buff=0.15)
        return parts

    def symbolic_cells(self):
        entries = []
        fs = self.font_size
        W_cells = []
        for r, i in enumerate(["0", "1", None, "k"]):
            row = []
            for c, j in enumerate(["0", "1", None, "n"]):
                if i is None:
                    row.append(self.dots("d" if j is None else "v"))
                elif j is None:
                    row.append(self.dots("h"))
                else:
                    tex = f"w_{{{i},{j}}}"
                    m = MathTex(tex, font_size=fs)
                    entries.append({"matrix": "W", "position": (r, c), "index": (i, j), "tex": tex, "mobject": m})
                    row.append(m)
            W_cells.append(row)
        a_cells, b_cells = [], []
        for r, (j, i) in enumerate(zip(["0", "1", None, "n"], ["0", "1", None, "k"])):
            for name, idx, cells in (("a", j, a_cells), ("b", i, b_cells)):
                if idx is None:
                    cells.append([self.dots("v")])
                    continue
                tex = f"{name}_{{{idx}}}"
                m = MathTex(tex, font_size=fs, color=style.BIAS_COLOR if name == "b" else style.TEXT_COLOR)
                entries.append({"matrix": name, "position": (r, 0), "index": (idx,), "tex": tex, "mobject": m})
                cells.append([m])
        return W_cells, a_cells, b_cells, entries

    def number(self, value: float, color=None) -> DecimalNumber:
        return DecimalNumber(value, num_decimal_places=2, font_size=self.font_size,
                             color=color or style.TEXT_COLOR)

    def numeric_cells(self):
        entries = []
        cols = [self.columns[0], self.columns[1], None, self.columns[2]]
        W_cells = []
        for r, i in enumerate(self.rows):
            row = []
            for c, j in enumerate(cols):
                if i is None:
                    row.append(self.dots("d" if j is None else "v"))
                elif j is None:
                    row.append(self.dots("h"))
                else:
                    m = self.number(self.W[i, j])
                    entries.append({"matrix": "W", "position": (r, c), "index": (i, j),
                                    "value": float(self.W[i, j]), "mobject": m})
                    row.append(m)
            W_cells.append(row)
        a_cells, b_cells = [], []
        for r, (j, i) in enumerate(zip(cols, self.rows)):
            if j is None:
                a_cells.append([self.dots("v")])
                b_cells.append([self.dots("v")])
                continue
            am, bm = self.number(self.x[j]), self.number(self.b[i], style.BIAS_COLOR)
            entries.append({"matrix": "a", "position": (r, 0), "index": (j,), "value": float(self.x[j]), "mobject": am})
            entries.append({"matrix": "b", "position": (r, 0), "index": (i,), "value": float(self.b[i]), "mobject": bm})
            a_cells.append([am])
            b_cells.append([bm])
        return W_cells, a_cells, b_cells, entries

    # ------------------------------------------------------------------------ beats
    def show_compact(self):
        fs = style.TITLE_FONT_SIZE
        self.compact = MathTex(r"a^{(1)}", "=", r"\sigma", r"\big(", "W", r"a^{(0)}", "+", "b", r"\big)",
                               font_size=fs)
        self.compact[2].set_color(style.HIGHLIGHT_COLOR)
        self.compact[7].set_color(style.BIAS_COLOR)
        self.compact.to_edge(UP, buff=0.45)
        self.play(Write(self.compact))
        self.wait(style.PAUSE)

    def show_symbolic(self):
        W_cells, a_cells, b_cells, self.symbolic_entries = self.symbolic_cells()
        self.symbolic = self.equation(W_cells, a_cells, b_cells)
        self.symbolic.move_to([0, 0.3, 0])
        self.symbolic_note = MathTex(
            rf"k = {self.k}\ \ ({self.k + 1}\text{{ neurons}}),\qquad "
            rf"n = {self.n}\ \ ({self.n + 1}\text{{ pixels}}),\qquad \text{{counting from }}0",
            font_size=style.CAPTION_FONT_SIZE + 2, color=style.DIM_TEXT_COLOR)
        self.symbolic_note.next_to(self.symbolic, DOWN, buff=0.5)
        self.play(ReplacementTransform(self.compact.copy(), self.symbolic), run_time=1.8)
        self.play(FadeIn(self.symbolic_note, shift=0.2 * UP))
        self.wait(style.PAUSE)

    def show_numeric(self):
        W_cells, a_cells, b_cells, self.numeric_entries = self.numeric_cells()
        self.numeric = self.equation(W_cells, a_cells, b_cells)
        W, a, plus, b, rpar = self.numeric[2:7]
        fs = style.CAPTION_FONT_SIZE
        # a's entries get their subscripts (the pixel index); make room before the plus.
        self.a_labels = []
        for e in self.numeric_entries:
            if e["matrix"] == "a":
                j = e["index"][0]
                label = MathTex(f"a_{{{j}}}", font_size=fs, color=style.DIM_TEXT_COLOR)
                label.next_to(a, RIGHT, buff=0.12).set_y(e["mobject"].get_y())
                self.a_labels.append((j, label))
        shift = (max(m.get_right()[0] for _, m in self.a_labels) + 0.2) - plus.get_left()[0]
        if shift > 0:
            VGroup(plus, b, rpar).shift(shift * RIGHT)
        # Column indices above W, neuron (row) indices right of the closing parenthesis.
        self.column_labels, self.row_labels = [], []
        for c, j in zip((0, 1, 3), self.columns):
            label = MathTex(f"j={j}", font_size=fs, color=style.DIM_TEXT_COLOR)
            label.move_to([W.get_columns()[c].get_center()[0], W.get_top()[1] + 0.25, 0])
            self.column_labels.append((j, label))
        W_rows = W.get_rows()
        for r, i in enumerate(self.rows):
            if i is None:
                continue
            label = MathTex(f"i={i}", font_size=fs, color=style.DIM_TEXT_COLOR)
            label.next_to(rpar, RIGHT, buff=0.2).set_y(W_rows[r].get_y())
            self.row_labels.append((i, label))
        labels = VGroup(*[m for _, m in self.column_labels + self.row_labels + self.a_labels])
        self.numeric_labels = labels
        whole = VGroup(self.numeric, labels)
        if whole.width > 13.6:
            whole.scale_to_fit_width(13.6)
        whole.move_to([0, 0.1, 0])
        # Where everything was laid out (a later transform moves these mobjects).
        for e in self.numeric_entries:
            e["center"] = e["mobject"].get_center().copy()
        for e in self.symbolic_entries:
            e["center"] = e["mobject"].get_center().copy()
        self.label_centers = {("j", j): m.get_center().copy() for j, m in self.column_labels}
        self.label_centers |= {("i", i): m.get_center().copy() for i, m in self.row_labels}
        self.label_centers |= {("a", j): m.get_center().copy() for j, m in self.a_labels}
        self.numeric_note = Tex(
            rf"{self.words.image} {self.image_index}; columns: the inked pixels {self.columns[0]}, "
            rf"{self.columns[1]} and {self.columns[2]} of {self.n + 1}",
            font_size=style.CAPTION_FONT_SIZE, color=style.DIM_TEXT_COLOR)
        self.numeric_note.next_to(whole, DOWN, buff=0.35)
        self.play(FadeOut(self.symbolic_note))
        self.play(self.morph(self.symbolic, self.numeric), run_time=1.8)
        self.play(FadeIn(labels), FadeIn(self.numeric_note))
        self.wait(style.PAUSE)

    def show_row(self):
        r = self.rows.index(self.highlighted_row)
        i = self.highlighted_row
        W, a = self.numeric[2], self.numeric[3]
        row_box = SurroundingRectangle(W.get_rows()[r], color=style.HIGHLIGHT_COLOR, buff=0.08)
        col_box = SurroundingRectangle(a.get_entries(), color=style.HIGHLIGHT_COLOR, buff=0.08)
        fs = self.font_size + 2
        n = self.n
        # The real numbers of neuron i: over ALL n + 1 inputs, not just the columns drawn.
        self.row_sum = float(self.W[i] @ self.x)
        self.row_z = float(self.z[i])
        self.row_activation = float(sigmoid(self.z[i]))
        self.row_sum_tex, self.row_z_tex, self.row_activation_tex = (
            f"{v:.{self.row_decimals}f}" for v in (self.row_sum, self.row_z, self.row_activation))
        line1 = MathTex(rf"w_{{{i},0}}a_0 + w_{{{i},1}}a_1 + \cdots + w_{{{i},{n}}}a_{{{n}}}", "=",
                        self.row_sum_tex, font_size=fs)
        line1[2].set_color(style.Z_COLOR)
        line2 = MathTex(rf"a^{{(1)}}_{{{i}}} = \sigma(", self.row_sum_tex, rf"+ b_{{{i}}}) = \sigma(",
                        self.row_z_tex, ") =", self.row_activation_tex, font_size=fs)
        line2[1].set_color(style.Z_COLOR)
        line2[3].set_color(style.Z_COLOR)
        self.row_lines = VGroup(line1, line2).arrange(DOWN, buff=0.3)
        self.row_lines.next_to(self.numeric_note, DOWN, buff=0.3).set_x(0)
        self.play(FadeOut(self.numeric_note), Create(row_box), Create(col_box))
        self.play(Write(line1[:2]))
        self.play(FadeIn(line1[2], scale=1.3))
        self.play(Write(line2), run_time=1.5)
        self.wait(style.PAUSE)
        self.row_boxes = VGroup(row_box, col_box)

    def apply_sigma(self):
        # The result: a⁽¹⁾ with the real activations of neurons 0, 1, ⋮, k.
        cells, self.result_entries = [], []
        for r, i in enumerate(self.rows):
            if i is None:
                cells.append([self.dots("v")])
                continue
            m = self.number(float(self.a1[i]))
            self.result_entries.append({"matrix": "a1", "position": (r, 0), "index": (i,),
                                        "value": float(self.a1[i]), "mobject": m})
            cells.append([m])
        self.result = self.matrix(cells)
        lhs = VGroup(*self.numeric[0][:2])
        rhs = VGroup(*self.numeric[0][2:], *self.numeric[1:])
        final = VGroup(lhs.copy(), self.result).arrange(RIGHT, buff=0.25)
        final.move_to([0, self.numeric[2].get_y(), 0])
        self.result.match_y(self.numeric[2])
        moves = [lhs.animate.move_to(final[0]),
                 self.row_lines[1].animate.move_to(self.row_lines[0]).set_x(0)]
        for r, (i, label) in zip([0, 1, 3], self.row_labels):
            moves.append(label.animate.next_to(self.result, RIGHT, buff=0.3).set_y(
                self.result.get_rows()[r].get_y()))
        other_labels = VGroup(*[m for _, m in self.column_labels + self.a_labels])
        self.play(FadeOut(self.row_boxes), FadeOut(other_labels), FadeOut(self.row_lines[0]))
        self.play(self.morph(rhs, self.result), *moves, run_time=2.0)
        self.play(Indicate(self.result.get_entries()[0], color=style.HIGHLIGHT_COLOR))
        self.wait(2 * style.PAUSE)
