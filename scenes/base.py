"""``BeatScene``: a scene told in narrative beats.

Each call to :meth:`BeatScene.beat` starts a beat: a new slide when manim-slides is installed
(else a new manim section) and one line of narration, written to the ``.srt`` subtitle file
manim puts beside the video. Without a voice (``NN_VOICE=none``, the default of a plain
``manim render``) a narration line is shown from the start of its beat until the next beat
starts, and a beat lasts at least as long as its line takes to read. With a voice (``tts`` or
``recorded``, ``scenes.narration``) the line is spoken from the beat's start, the beat lasts
at least as long as the speech and a short pause, the subtitle spans the speech exactly, and
the speech is mixed into the video's sound track. Either way ``<Scene>.narration.json``
beside the video records every beat: its name, subtitle, spoken form, start, end and speech.

``ThreeDBeatScene`` tells a 3-D scene the same way (``ThreeDSlide`` / ``ThreeDScene``);
``NetworkScene`` and ``ThreeDNetworkScene`` add the real data and trained network.

Set ``NN_SLIDES=0`` to render with a plain ``manim.Scene`` base even when manim-slides is
installed (no ``slides/`` folder is written then).

Importing this module also makes LaTeX jobs of parallel renders take turns
(``scenes.texlock``), so renders may share one media folder, and installs the render
speed-ups of ``scenes.speedups`` (the same frames, made for less).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from manim import Scene, ThreeDScene, config
from manim.constants import RendererType
from manim.renderer.cairo_renderer import CairoRenderer

from . import narration, speedups, style, texlock
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
        self.voice_mode = narration.voice_from_env()
        self.beat_log: list[dict] = []   # what narration.json records, a dict per beat
        self._voice: narration.VoiceClient | None = None
        self._open_caption: tuple[str, float, narration.Speech | None] | None = None

    def beat(self, narration_line: str, name: str | None = None, *,
             spoken: str | None = None) -> None:
        """Start a narrative beat called ``name`` with one line of narration: shown as
        ``narration_line``, said as ``spoken`` (default: the line itself), in words a voice
        can say (``narration.speakable``)."""
        name = name or f"beat {len(self.narrations) + 1}"
        if any(name == done for done, _ in self.narrations):
            raise ValueError(f"{type(self).__name__}: two beats named {name!r}")
        self._close_caption()
        if HAS_SLIDES:
            self.next_slide(name=name, notes=narration_line)
        else:
            self.next_section(name)
        said = narration.speakable(spoken if spoken is not None else narration_line)
        self.narrations.append((name, narration_line))
        speech = self._speak(name, said)
        self.beat_log.append({"name": name, "subtitle": narration_line, "spoken": said,
                              "start": self.time, "speech": speech.duration if speech else None,
                              "source": speech.source if speech else None,
                              "file": speech.file if speech else None})
        self._open_caption = (narration_line, self.time, speech)

    def _speak(self, name: str, said: str) -> narration.Speech | None:
        """The beat's speech, placed on the sound track from now; None without a voice (or in
        a still or dry run, which have no sound)."""
        if self.voice_mode == "none" or config.save_last_frame or config.dry_run:
            return None
        if self._voice is None:
            self._voice = narration.VoiceClient(self.voice_mode)
        speech = self._voice.speak(type(self).__name__, name, said)
        writer = self.renderer.file_writer
        writer.speech_clips.append((self.time, speech.file))
        return speech

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
        text, start, speech = self._open_caption
        self._open_caption = None
        needed = speech.duration + narration.PAUSE if speech else self.reading_time(text)
        remaining = needed - (self.time - start)
        if remaining > 1.0 / config.frame_rate:
            self.wait(remaining)
        self.beat_log[-1]["end"] = self.time
        if config.save_last_frame or config.dry_run:
            return  # a still has no subtitles (manim would drop the .srt in the working folder)
        shown = speech.duration if speech else max(self.time - start, 1.0 / config.frame_rate)
        self.add_subcaption(text, duration=shown, offset=start - self.time)

    def tear_down(self) -> None:
        self._close_caption()
        if self._voice is not None:
            self._voice.close()
        if config.write_to_movie and not config.dry_run and self.beat_log:
            self._write_beat_log()
        super().tear_down()

    def _write_beat_log(self) -> None:
        movie = Path(self.renderer.file_writer.movie_file_path)
        path = movie.with_name(f"{movie.stem}.narration.json")
        record = {"scene": type(self).__name__, "voice": self.voice_mode,
                  "duration": self.time, "beats": self.beat_log}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_text(json.dumps(record, indent=1))
        os.replace(tmp, path)

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
    ``load_data`` / ``load_model`` to swap in a quicker-trained model.

    ``own_digit`` says whether the scene shows the viewer's digit when ``NN_DIGIT`` is set
    (``scenes.own_digit``): None (it does not), ``"any"`` or ``"labelled"`` (it needs the
    digit's true label). The render command reads it from the catalogue."""

    own_digit: str | None = None

    def load_data(self):
        from network import load_mnist
        return load_mnist()

    def load_model(self, data):
        from network import load_trained
        return load_trained(data=data)

    def load_network(self) -> None:
        if self.own_digit:  # a photo that cannot be used stops the scene before the data loads
            from scenes.own_digit import checked_own_digit

            checked_own_digit(type(self).__name__, need_label=self.own_digit == "labelled")
        self.data = self.load_data()
        self.model = self.load_model(self.data)
        self.network = self.model.network
        self.sizes = tuple(int(s) for s in self.network.sizes)


class NetworkScene(NetworkLoading, BeatScene):
    """A scene drawn from the real data and the trained network (see ``NetworkLoading``)."""


class ThreeDNetworkScene(NetworkLoading, ThreeDBeatScene):
    """A 3-D scene drawn from the real data and the trained network."""
