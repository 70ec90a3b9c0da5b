"""Where manim 0.21 spends time it need not, and the same frames made for less.

Measured with cProfile on the slowest scenes (the README's "Render speed" section has the
figures); each change below keeps every frame's content:

* **Images** (``scenes.camera``): manim composites every ``ImageMobject`` over a transparent
  copy of the whole frame; ours composites it over its own box.
* **Readouts** (``install``): ``DecimalNumber.set_value`` rebuilds its digits (deep copies of
  glyph mobjects) on every call, and a readout following an animation is set on every frame,
  even when the shown text does not change. Ours keeps the digits when the text is the same
  (the value is still stored), so the mobject is exactly what a rebuild would have made.
* **Encoding** (``FileWriter``): manim encodes the partial movies with x264's ``medium``
  preset; ``veryfast`` encodes several times faster at the same constant rate factor. The
  picture is the same content, compressed a little differently (a test bounds the difference).

``NN_STOCK_MANIM=1`` turns all of them off (manim's own cameras, readouts and encoder
settings), to compare frames against, or should a manim upgrade disagree with them.
"""

from __future__ import annotations

import functools

from manim import DecimalNumber
from manim.scene.scene_file_writer import SceneFileWriter

from .settings import stock_manim_from_env

X264_PRESET = "veryfast"


def stock_manim_wanted() -> bool:
    """Whether ``NN_STOCK_MANIM`` asks for manim's own code paths (a value that is neither yes
    nor no was refused at start-up, ``scenes.settings``; here it counts as no)."""
    try:
        return stock_manim_from_env()
    except ValueError:
        return False


def _same_text_keeps_digits(set_value):
    @functools.wraps(set_value)
    def set_value_if_changed(self, number):
        shown = getattr(self, "number", None)
        if (not stock_manim_wanted() and shown is not None and self.submobjects
                and not isinstance(number, complex) and not isinstance(shown, complex)
                and self._get_num_string(number) == self._get_num_string(shown)):
            self.number = number
            return self
        return set_value(self, number)

    set_value_if_changed.nn_explained_speedup = True
    return set_value_if_changed


def install() -> None:
    """Make ``DecimalNumber.set_value`` keep its digits when the shown text does not change.
    Safe to call again."""
    if not getattr(DecimalNumber.set_value, "nn_explained_speedup", False):
        DecimalNumber.set_value = _same_text_keeps_digits(DecimalNumber.set_value)


class FileWriter(SceneFileWriter):
    """manim's ``SceneFileWriter``, encoding partial movies with x264's ``veryfast`` preset."""

    def open_partial_movie_stream(self, file_path=None) -> None:
        super().open_partial_movie_stream(file_path)
        job = getattr(self, "_current_encode_job", None)
        if job is None or stock_manim_wanted():
            return
        context = job.stream.codec_context
        if context.name == "libx264":
            context.options = {**context.options, "preset": X264_PRESET}
