"""Title cards: one short scene per chapter (``Chapter1Title``, ``Chapter2Title``, ...) that
opens the chapter's film and is the title slide of its deck.

The cards are made from the chapter modules themselves (``scenes/chapter<N>.py`` and its
``TITLE``), so a new chapter gets its card without an edit here. Render one with
``manim render -ql scenes/titles.py Chapter1Title``.
"""

from __future__ import annotations

import importlib

from manim import DOWN, LEFT, RIGHT, UP, FadeIn, GrowFromCenter, Line, Tex, VGroup, Write, config

from scenes import style
from scenes.base import BeatScene
from scenes.listing import chapter_files, chapter_number
from scenes.text import tex_escape

SERIES = "Neural networks"


class ChapterTitle(BeatScene):
    """The title card of chapter ``number``: "Chapter N" above its title, a rule between."""

    number: int = 0
    chapter_title: str = ""

    def construct(self) -> None:
        self.beat(f"Chapter {self.number}: {self.chapter_title}", "title")
        series = Tex(f"{SERIES} \\textperiodcentered{{}} Chapter {self.number}",
                     font_size=style.CAPTION_FONT_SIZE + 6, color=style.PALETTE.dim_text)
        title = Tex(tex_escape(self.chapter_title), font_size=style.TITLE_FONT_SIZE + 12,
                    color=style.PALETTE.text)
        title.scale_to_fit_width(min(title.width, config.frame_width - 1.5))
        rule = Line(LEFT, RIGHT,
                    color=style.PALETTE.accent, stroke_width=2)
        rule.set_width(max(title.width, series.width) + 0.6)
        card = VGroup(series, rule, title).arrange(DOWN, buff=0.35)
        card.move_to(0.2 * UP)
        self.play(FadeIn(series, shift=0.2 * DOWN), GrowFromCenter(rule), run_time=0.8)
        self.play(Write(title), run_time=1.6)
        self.wait(style.PAUSE)


def _make_cards() -> dict[str, type]:
    cards = {}
    for path in chapter_files():
        number = chapter_number(path)
        module = importlib.import_module(f"scenes.{path.stem}")
        name = f"Chapter{number}Title"
        cards[name] = type(name, (ChapterTitle,), {
            "number": number, "chapter_title": module.TITLE, "__module__": __name__,
            "__doc__": f"Title card of chapter {number}, \"{module.TITLE}\"."})
    return cards


globals().update(_make_cards())
