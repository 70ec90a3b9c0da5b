"""``BeatScene``: a scene told in narrative beats.

Each call to :meth:`BeatScene.beat` starts a beat: a new slide when manim-slides is installed
(else a new manim section) and one line of narration, written to the ``.srt`` subtitle file
manim puts beside the video. A narration line is shown from the start of its beat until the
next beat starts (or the scene ends), so the subtitles follow the picture exactly.

``ThreeDBeatScene`` tells a 3-D scene the same way (``ThreeDSlide`` / ``ThreeDScene``);
``NetworkScene`` and ``ThreeDNetworkScene`` add the real data and trained network.

Set ``NN_SLIDES=0`` to render with a plain ``manim.Scene`` base even when manim-slides is
installed (no ``slides/`` folder is written then).

Importing this module also makes LaTeX jobs of parallel renders take turns
(``scenes.texlock``), so renders may share one media folder, and installs the render
speed-ups of ``scenes.speedups`` (the same frames, made for less).
"""

from __future__ import annotations

from manim import Scene, ThreeDScene, config
from manim.constants import RendererType
from manim.renderer.cairo_renderer import CairoRenderer

from . import speedups, style, texlock
from .camera import camera_class
from .settings import slides_from_env

texlock.install()
speedups.install()


def _slides_wanted() -> bool:
    return slides_from_env()


try:
    if not _slides_wanted():
        raise ImportError("slides disabled by NN_SLIDES")
    from manim_slides import Slide as _Base
    from manim_slides import ThreeDSlide as _Base3D

    HAS_SLIDES = True
except ImportError:
    _Base = Scene
    _Base3D = ThreeDScene
    HAS_SLIDES = False


class Beats:
    """The beat and subtitle machinery, mixed into a ``Slide``/``Scene`` (``BeatScene``) or a
    ``ThreeDSlide``/``ThreeDScene`` (``ThreeDBeatScene``).

    Subclasses write ``construct`` as a list of beats::

        self.beat("A real digit from the test set.", "digit")
        self.play(FadeIn(digit))

    ``narrations`` records ``(name, narration)`` for each beat, in order.
    """

    # A beat lasts at least as long as its narration takes to read: about 15 characters a
    # second, the pace of comfortable subtitles. 0 turns this off.
    reading_chars_per_second = 15.0

    # Presenting slides backwards needs reversed copies of every slide; they take a while to
    # make and a lecture rarely needs them, so they are off unless a scene asks.
    skip_reversing = True

    def __init__(self, *args, **kwargs) -> None:
        # manim's frames made for less (scenes.speedups): our camera, our file writer
        speedups.install()
        camera = kwargs.setdefault("camera_class", camera_class(three_d=isinstance(self, ThreeDScene)))
        if config.renderer == RendererType.CAIRO and not args and kwargs.get("renderer") is None:
            kwargs["renderer"] = CairoRenderer(file_writer_class=speedups.FileWriter,
                                               camera_class=camera,
                                               skip_animations=kwargs.get("skip_animations", False))
        super().__init__(*args, **kwargs)
        if config.dry_run:
            # manim-slides' Slide.__init__ turns write_to_movie back on (the OpenGL renderer
            # needs it for slides), undoing --dry_run; manim would then open a partial movie
            # for the first play with no file path planned (IndexError). A dry run writes nothing.
            config.write_to_movie = False

    def setup(self) -> None:
        super().setup()
        self.camera.background_color = style.BACKGROUND_COLOR
        self.narrations: list[tuple[str, str]] = []
        self._open_caption: tuple[str, float] | None = None

    def beat(self, narration: str, name: str | None = None) -> None:
        """Start a narrative beat called ``name`` with one line of ``narration``."""
        name = name or f"beat {len(self.narrations) + 1}"
        self._close_caption()
        if HAS_SLIDES:
            self.next_slide(name=name, notes=narration)
        else:
            self.next_section(name)
        self.narrations.append((name, narration))
        self._open_caption = (narration, self.time)

    def reading_time(self, narration: str) -> float:
        """Seconds a viewer needs to read ``narration``."""
        if self.reading_chars_per_second <= 0:
            return 0.0
        return 0.5 + len(narration) / self.reading_chars_per_second

    def _close_caption(self) -> None:
        """Write the open narration line as a subtitle lasting from its beat's start to now,
        first waiting until it has been on screen long enough to read."""
        if self._open_caption is None:
            return
        text, start = self._open_caption
        self._open_caption = None
        remaining = self.reading_time(text) - (self.time - start)
        if remaining > 1.0 / config.frame_rate:
            self.wait(remaining)
        if config.save_last_frame or config.dry_run:
            return  # a still has no subtitles (manim would drop the .srt in the working folder)
        duration = max(self.time - start, 1.0 / config.frame_rate)
        self.add_subcaption(text, duration=duration, offset=start - self.time)

    def tear_down(self) -> None:
        self._close_caption()
        super().tear_down()

    if HAS_SLIDES:
        def _save_slides(self, *args, **kwargs) -> None:
            # A still (-s) or dry run writes no animation files: there is nothing to cut into
            # slides, and manim-slides would fail trying.
            if not self._partial_movie_files:
                return
            super()._save_slides(*args, **kwargs)


class BeatScene(Beats, _Base):
    """Base of every scene: a manim-slides ``Slide`` when available, else a ``Scene``, told in
    beats (see ``Beats``)."""


class ThreeDBeatScene(Beats, _Base3D):
    """A 3-D scene told in beats: a ``ThreeDSlide`` when manim-slides is available, else a
    ``ThreeDScene``. Titles, formulas and readouts go in with ``add_fixed_in_frame_mobjects``
    so they stay flat and readable whatever the camera does."""


class NetworkLoading:
    """``load_network()`` sets ``data`` (``load_mnist()``), ``model`` (``load_trained()``: the
    configured network, trained once and cached), ``network`` and ``sizes``. Tests override
    ``load_data`` / ``load_model`` to swap in a quicker-trained model."""

    def load_data(self):
        from network import load_mnist
        return load_mnist()

    def load_model(self, data):
        from network import load_trained
        return load_trained(data=data)

    def load_network(self) -> None:
        self.data = self.load_data()
        self.model = self.load_model(self.data)
        self.network = self.model.network
        self.sizes = tuple(int(s) for s in self.network.sizes)


class NetworkScene(NetworkLoading, BeatScene):
    """A scene drawn from the real data and the trained network (see ``NetworkLoading``)."""


class ThreeDNetworkScene(NetworkLoading, ThreeDBeatScene):
    """A 3-D scene drawn from the real data and the trained network."""
