"""The viewer's own digit: ``NN_DIGIT=photo.jpg`` puts a photo or drawing of a handwritten digit
where a scene would show its MNIST example.

``shown_digit`` returns what a scene draws and says about its one digit, a ``ShownDigit``:
the 28×28 pixels the network reads, its input ``x``, the true label when known, and the words
for it ("your digit" or "test image 0"). The photo goes through ``network.handwriting`` (MNIST's
own preprocessing), once per process. The label comes from ``NN_DIGIT_LABEL`` or, failing
that, from the file's name (``seven_7.png``); a scene that needs it (a cost needs the desired
output) and has none stops with one line saying so.

``PhotoToPixels`` is the photo beside the 28×28 image the network sees, shown once per scene
by ``introduce_own_digit`` before the 28×28 image moves to where the scene draws its digit.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from manim import (
    DOWN,
    RESAMPLING_ALGORITHMS,
    RIGHT,
    UP,
    Arrow,
    FadeIn,
    FadeOut,
    Group,
    GrowArrow,
    ImageMobject,
    Rectangle,
)

from . import style
from .layout import caption
from .mobjects import DigitImage
from .settings import DIGIT_ENV, DIGIT_LABEL_ENV, EXIT_CODE, digit_from_env

OWN_NAME = "your digit"


@dataclass(frozen=True)
class ShownDigit:
    """The one digit a scene follows: ``pixels`` (28×28 uint8, white ink on black), ``x``
    (``pixels / 255`` as the network's 784 inputs), ``label`` (the true digit, or None when
    unknown), ``photo`` (the viewer's photo as RGB, None for an MNIST image), ``index`` (the
    MNIST image's index, None for the viewer's) and ``name`` (how captions and narration call
    it: "your digit", "test image 0")."""

    pixels: np.ndarray
    x: np.ndarray
    label: int | None
    name: str
    index: int | None = None
    photo: np.ndarray | None = None
    file: str | None = None

    @property
    def own(self) -> bool:
        """Whether this is the viewer's digit rather than an MNIST image."""
        return self.photo is not None

    @property
    def title(self) -> str:
        """``name`` with a capital: the start of a sentence."""
        return self.name[:1].upper() + self.name[1:]

    @property
    def tex_name(self) -> str:
        """``name`` for a Tex caption (the index as "\\#0")."""
        if self.index is None:
            return self.name
        return self.name.replace(f" {self.index}", f" \\#{self.index}")


def stop(message: str) -> None:
    """End the program with one ``error:`` line (a scene that cannot run as asked)."""
    print(f"error: {' '.join(message.split())}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_CODE)


@lru_cache(maxsize=4)
def _prepared(path: str, label: int | None):
    from network.handwriting import DigitError, prepare

    try:
        return prepare(path, label=label)
    except DigitError as e:
        stop(f"{DIGIT_ENV}: {e}")


def own_digit(environ=None):
    """The viewer's digit as ``network.handwriting.prepare`` made it (``PreparedDigit``), or
    None when ``NN_DIGIT`` is unset. A file that cannot be read as one digit ends the program
    with one line naming it."""
    chosen = digit_from_env(environ)
    if chosen is None:
        return None
    path, label = chosen
    return _prepared(str(path), label)


def mnist_digit(images, x, labels, index: int, words_image: str) -> ShownDigit:
    """MNIST image ``index`` of ``images`` (uint8; None: made from ``x``), ``x`` (its inputs)
    and ``labels``, named ``f"{words_image} {index}"`` ("test image 0", "held-out image 0",
    "training image 12")."""
    row = np.asarray(x[index], dtype=float)
    if images is None:
        side = int(np.sqrt(row.size))
        pixels = np.round(255 * row).astype(np.uint8).reshape(side, -1)
    else:
        pixels = np.asarray(images[index])
    return ShownDigit(pixels=pixels, x=row,
                      label=int(labels[index]), name=f"{words_image} {index}", index=int(index))


def checked_own_digit(scene: str, *, need_label: bool = False, environ=None):
    """``own_digit()``, or the end of the program with one line if ``need_label`` (scene
    ``scene`` shows a cost, which needs the true digit) and there is no label."""
    prepared = own_digit(environ)
    if need_label and prepared is not None and prepared.label is None:
        stop(f"{scene} needs the true digit of {prepared.path.name} (it shows the cost against "
             f"the desired output): set {DIGIT_LABEL_ENV}=0..9, or name the file after its "
             "digit, like seven_7.png")
    return prepared


def shown_digit(default: ShownDigit, scene: str, *, need_label: bool = False,
                environ=None) -> ShownDigit:
    """The viewer's digit when ``NN_DIGIT`` is set, else ``default`` (the scene's MNIST image).
    ``need_label``: the scene needs the true digit; without one it stops, saying why."""
    prepared = checked_own_digit(scene, need_label=need_label, environ=environ)
    if prepared is None:
        return default
    return ShownDigit(pixels=np.asarray(prepared.pixels), x=np.asarray(prepared.x, dtype=float),
                      label=prepared.label, name=OWN_NAME, photo=np.asarray(prepared.photo),
                      file=prepared.path.name)


def test_digit(scene, index: int, words_image: str, *, need_label: bool = False) -> ShownDigit:
    """What ``scene`` shows as its one digit: test image ``index`` of ``scene.data`` (named
    ``f"{words_image} {index}"``), or the viewer's when ``NN_DIGIT`` is set (``shown_digit``,
    stopping the scene if ``need_label`` and it has none)."""
    d = scene.data
    return shown_digit(mnist_digit(d.test_images, d.test_x, d.test_labels, index, words_image),
                       type(scene).__name__, need_label=need_label)


def pixels_of(x) -> np.ndarray:
    """A 784-input vector as the 28×28 image it is (for scenes that keep only ``x``)."""
    return np.asarray(x, dtype=float).reshape(28, 28)


class PhotoToPixels(Group):
    """The viewer's photo, an arrow, and the 28×28 image the network reads, side by side,
    ``height`` tall, with a caption under each. ``photo`` (smoothly resampled), ``arrow``,
    ``pixels`` (a ``DigitImage``) and ``captions``."""

    def __init__(self, digit: ShownDigit, height: float = 3.6, gap: float = 1.6, **kwargs):
        super().__init__(**kwargs)
        rgb = np.asarray(digit.photo, dtype=np.uint8)
        rgba = np.concatenate([rgb, np.full((*rgb.shape[:2], 1), 255, np.uint8)], axis=2)
        self.photo = ImageMobject(rgba)
        self.photo.set_resampling_algorithm(RESAMPLING_ALGORITHMS["bilinear"])
        self.photo.height = height
        if self.photo.width > 1.6 * height:
            self.photo.width = 1.6 * height
        self.photo_frame = Rectangle(width=self.photo.width, height=self.photo.height,
                                     stroke_color=style.IMAGE_FRAME_COLOR,
                                     stroke_width=style.IMAGE_FRAME_WIDTH).move_to(self.photo)
        self.pixels = DigitImage(digit.pixels, height=height)
        self.pixels.next_to(self.photo, RIGHT, buff=gap)
        self.arrow = Arrow(self.photo.get_right(), self.pixels.get_left(), buff=0.25,
                           color=style.DIM_TEXT_COLOR)
        side = digit.pixels.shape[0]
        self.captions = Group(
            caption(f"your photo, {digit.file}" if digit.file else "your photo"),
            caption(f"what the network reads: {side} by {digit.pixels.shape[1]} pixels"))
        for cap, over in zip(self.captions, (self.photo, self.pixels)):
            if cap.width > over.width + 1.4:
                cap.scale_to_fit_width(over.width + 1.4)
            cap.next_to(over, DOWN, buff=0.25)
        self.add(self.photo, self.photo_frame, self.arrow, self.pixels, *self.captions)
        self.move_to(0.2 * UP)


def introduce_own_digit(scene, digit: ShownDigit, target=None, run_time: float = 1.5):
    """Show the viewer's photo beside its 28×28 version, then move the 28×28 version onto
    ``target`` (the scene's own picture of the same pixels, where it draws it: a
    ``DigitImage`` or ``PixelGrid``), which is on screen afterwards; without a ``target``
    everything fades out. Returns the ``PhotoToPixels`` shown."""
    intro = PhotoToPixels(digit)
    scene.play(FadeIn(intro.photo), FadeIn(intro.photo_frame), FadeIn(intro.captions[0]))
    scene.play(GrowArrow(intro.arrow), FadeIn(intro.pixels, shift=0.3 * RIGHT),
               FadeIn(intro.captions[1]), run_time=run_time)
    scene.wait(style.PAUSE)
    rest = Group(intro.photo, intro.photo_frame, intro.arrow, *intro.captions)
    if target is None:
        scene.play(FadeOut(rest), FadeOut(intro.pixels), run_time=run_time)
    else:
        # The same pixels, moved and resized onto the scene's picture of them, then swapped for
        # it (an image cannot be morphed into another mobject).
        scene.play(FadeOut(rest), intro.pixels.animate.replace(target, stretch=True),
                   run_time=run_time)
        scene.remove(intro.pixels)
        scene.add(target)
    scene.own_digit_intro = intro
    return intro


def own_digit_beat(scene, digit: ShownDigit):
    """The beat that introduces the viewer's digit ("your digit"), then its photo beside the
    28×28 image (``introduce_own_digit``, everything fading out after); returns the
    ``PhotoToPixels`` shown."""
    scene.beat(own_digit_line(digit), "your digit")
    return introduce_own_digit(scene, digit)


def own_digit_line(digit: ShownDigit) -> str:
    """The beat that introduces the viewer's digit, from what is known about it."""
    known = f"a {digit.label}, " if digit.label is not None else ""
    side = digit.pixels.shape[0]
    return (f"Your digit, {known}photographed and made into {side} by {digit.pixels.shape[1]} "
            "pixels, the way the training images were made.")


__all__ = ["OWN_NAME", "PhotoToPixels", "ShownDigit", "introduce_own_digit", "mnist_digit",
           "checked_own_digit", "own_digit", "own_digit_beat", "own_digit_line", "pixels_of",
           "shown_digit", "stop", "test_digit"]
