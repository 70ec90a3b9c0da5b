"""Small layout pieces the scenes share: a plain-text caption, the sign legend, a vertical
nudge arrow and a nudge that keeps a mobject on the frame."""

from __future__ import annotations

import numpy as np
from manim import RIGHT, UP, Arrow, MathTex, Square, Tex, VGroup, config

from . import style
from .text import tex_escape


def caption(text: str, font_size: float = style.CAPTION_FONT_SIZE,
            color=style.DIM_TEXT_COLOR) -> Tex:
    """``text`` as one line of dim caption type, set as plain text (LaTeX specials escaped)."""
    return Tex(r"\mbox{" + tex_escape(text) + "}", font_size=font_size, color=color)


def sign_legend(variable: str = "w", font_size: float = style.CAPTION_FONT_SIZE,
                note: str | None = None) -> VGroup:
    """Which colour is which sign, from the palette (``variable > 0``, ``variable < 0``), and
    an optional ``note`` (Tex) after them."""
    parts = []
    for color, relation in ((style.PALETTE.positive, ">"), (style.PALETTE.negative, "<")):
        swatch = Square(side_length=0.18, stroke_width=0, fill_color=color, fill_opacity=1)
        label = MathTex(f"{variable} {relation} 0", font_size=font_size, color=style.DIM_TEXT_COLOR)
        parts.append(VGroup(swatch, label).arrange(RIGHT, buff=0.1))
    if note:
        parts.append(Tex(note, font_size=font_size, color=style.DIM_TEXT_COLOR))
    return VGroup(*parts).arrange(RIGHT, buff=0.4 if note else 0.35)


def vertical_arrow(center, length: float, color=None, stroke_width: float = 5.0,
                   tip_ratio: float = 0.45, width_ratio: float = 25.0, **kwargs) -> Arrow:
    """An arrow centred on ``center``, |``length``| long, pointing up for a positive ``length``
    and down for a negative one: a nudge. Coloured by the sign unless ``color`` is given;
    ``tip_ratio`` and ``width_ratio`` cap the tip and the stroke for short arrows.
    ``signed_length`` keeps ``length``."""
    half = 0.5 * float(length) * UP
    c = np.asarray(center, dtype=float)
    arrow = Arrow(c - half, c + half, buff=0,
                  color=style.PALETTE.sign_color(length) if color is None else color,
                  stroke_width=stroke_width, max_tip_length_to_length_ratio=tip_ratio,
                  max_stroke_width_to_length_ratio=width_ratio, **kwargs)
    arrow.signed_length = float(length)
    return arrow


def keep_in_frame(mob, margin: float = 0.2):
    """Shift ``mob`` just enough to lie inside the frame, ``margin`` from its edges."""
    half_w, half_h = config.frame_width / 2 - margin, config.frame_height / 2 - margin
    dx = max(0.0, -half_w - mob.get_left()[0]) - max(0.0, mob.get_right()[0] - half_w)
    dy = max(0.0, -half_h - mob.get_bottom()[1]) - max(0.0, mob.get_top()[1] - half_h)
    return mob.shift(dx * RIGHT + dy * UP)


def fit_between(mob, left: float, right: float):
    """Keep ``mob`` horizontally between ``left`` and ``right`` (scene x): shrink it about its
    centre if it is wider than the gap, then shift it just enough to lie inside. For a layout
    whose width depends on the numbers it shows."""
    if right <= left:
        raise ValueError(f"fit_between needs left < right, got {left} and {right}")
    if mob.width > right - left:
        mob.scale((right - left) / mob.width)
    dx = max(0.0, left - mob.get_left()[0]) - max(0.0, mob.get_right()[0] - right)
    return mob.shift(dx * RIGHT)
