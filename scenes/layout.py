"""Small layout pieces the scenes share: a plain-text caption, the sign legend and a nudge
that keeps a mobject on the frame."""

from __future__ import annotations

from manim import RIGHT, UP, MathTex, Square, Tex, VGroup, config

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


def keep_in_frame(mob, margin: float = 0.2):
    """Shift ``mob`` just enough to lie inside the frame, ``margin`` from its edges."""
    half_w, half_h = config.frame_width / 2 - margin, config.frame_height / 2 - margin
    dx = max(0.0, -half_w - mob.get_left()[0]) - max(0.0, mob.get_right()[0] - half_w)
    dy = max(0.0, -half_h - mob.get_bottom()[1]) - max(0.0, mob.get_top()[1] - half_h)
    return mob.shift(dx * RIGHT + dy * UP)
