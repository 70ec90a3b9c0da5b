"""Where manim 0.21 spends time it need not, and the same frames made for less.

Measured with cProfile on the slowest scenes (the README's "Render speed" section has the
figures); each change below keeps every frame's content:

* **Images** (``scenes.camera``): manim composites every ``ImageMobject`` over a transparent
  copy of the whole frame; ours composites it over its own box.
* **Readouts** (``install``): ``DecimalNumber.set_value`` rebuilds its digits (deep copies of
  glyph mobjects) on every call, and a readout following an animation is set on every frame,
  even when the shown text does not change. Ours keeps the digits when the text is the same
  (the value is still stored), so the mobject is exactly what a rebuild would have made.
* **Families** (``install``): manim asks every mobject drawn for its family on every frame
  (the camera's display list, each ``Transform``'s zipped families), and ``get_family`` builds
  a deduplicated list even for a mobject with no submobjects. Ours answers ``[self]`` for those
  at once: the list a rebuild would make.
* **Encoding** (``FileWriter``): manim encodes the partial movies with x264's ``medium``
  preset; ``veryfast`` encodes several times faster at the same constant rate factor. The
  picture is the same content, compressed a little differently (a test bounds the difference).
  A held frame (a ``wait``: a third to a half of a scene's frames) is handed to the encoder
  once per frame it lasts, and manim converts it from RGBA to the video's YUV every time
  (7-9 ms at 1080p); ours converts it once and hands the encoder copies of the converted
  frame: the same bytes come out.

``NN_STOCK_MANIM=1`` turns all of them off (manim's own cameras, readouts and encoder
settings), to compare frames against, or should a manim upgrade disagree with them.
"""

from __future__ import annotations

import functools
from pathlib import Path

import av
from manim import DecimalNumber, Mobject
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


# Whether the patched methods take their shortcuts: set by ``install`` from NN_STOCK_MANIM
# (read once per scene: ``get_family`` runs millions of times a scene).
_shortcuts = {"on": True}


def _leaf_family_at_once(get_family):
    @functools.wraps(get_family)
    def family(self, recurse: bool = True):
        if not self.submobjects and _shortcuts["on"]:
            return [self]
        return get_family(self, recurse)

    family.nn_explained_speedup = True
    return family


def install() -> None:
    """Make ``DecimalNumber.set_value`` keep its digits when the shown text does not change and
    ``Mobject.get_family`` answer at once for a mobject without submobjects; both off with
    ``NN_STOCK_MANIM=1``. Safe to call again: each scene calls it, to read the switch."""
    _shortcuts["on"] = not stock_manim_wanted()
    if not getattr(DecimalNumber.set_value, "nn_explained_speedup", False):
        DecimalNumber.set_value = _same_text_keeps_digits(DecimalNumber.set_value)
    if not getattr(Mobject.get_family, "nn_explained_speedup", False):
        Mobject.get_family = _leaf_family_at_once(Mobject.get_family)


class FileWriter(SceneFileWriter):
    """manim's ``SceneFileWriter``, encoding partial movies with x264's ``veryfast`` preset,
    and giving the scene's movie the beats' speech (``speech_clips``: ``(start seconds, wav
    file)``, see ``scenes.narration``) as a sound track exactly as long as its picture."""

    def __init__(self, *args, **kwargs) -> None:
        self.speech_clips: list[tuple[float, str]] = []
        super().__init__(*args, **kwargs)

    def combine_to_movie(self) -> None:
        super().combine_to_movie()
        movie = Path(self.movie_file_path)
        if self.speech_clips and movie.suffix == ".mp4" and movie.is_file():
            from .narration import add_soundtrack
            add_soundtrack(movie, self.speech_clips)

    def open_partial_movie_stream(self, file_path=None) -> None:
        super().open_partial_movie_stream(file_path)
        job = getattr(self, "_current_encode_job", None)
        if job is None or stock_manim_wanted():
            return
        context = job.stream.codec_context
        if context.name == "libx264":
            context.options = {**context.options, "preset": X264_PRESET}
        if job.stream.pix_fmt in CONVERT_ONCE:
            job._encode_and_write_frame = functools.partial(write_held_frame, job.stream, job.container)


CONVERT_ONCE = ("yuv420p",)   # the pixel format of manim's mp4 partial movies


def write_held_frame(stream, container, frame, num_frames: int) -> None:
    """Encode ``frame`` ``num_frames`` times into ``stream``, as manim's encoder thread does,
    converting it to the stream's pixel format once (what the encoder would do to each copy:
    the same conversion, so the same bytes). Each copy is a new frame: the encoder keeps the
    ones it is given."""
    picture = av.VideoFrame.from_ndarray(frame, format="rgba")
    if num_frames > 1:
        converted = picture.reformat(format=stream.pix_fmt).to_ndarray()
    for k in range(num_frames):
        if k:
            picture = av.VideoFrame.from_ndarray(converted, format=stream.pix_fmt)
        for packet in stream.encode(picture):
            container.mux(packet)
