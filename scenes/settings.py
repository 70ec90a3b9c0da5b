"""The environment variables the scenes read, checked once, before anything is drawn.

``check_environment()`` runs when the ``scenes`` package is imported (so by every
``manim render scenes/chapter*.py ...`` and by ``python -m scenes``). A bad value ends the
program with one line on stderr, ``error: NN_X='value' ...`` naming the allowed values, and
exit code 2, instead of a manim traceback (or, for the layer sizes, a traceback after the data
has been loaded). The variables:

* ``NN_PRESET``, ``NN_LAYERS``, ``NN_ACTIVATION``, ``NN_COST``: the network
  (``network.store.config_from_env``);
* ``NN_PALETTE``: the colours (``palette_name_from_env``; ``scenes.style`` holds the palettes);
* ``NN_SLIDES``: manim-slides on or off (``slides_from_env``);
* ``NN_STOCK_MANIM``: render with manim's own code paths instead of ``scenes.speedups``
  (``stock_manim_from_env``, off by default);
* ``NN_VOICE``: the narration's voice, ``none`` (default), ``tts`` or ``recorded``
  (``voice_from_env``; ``scenes.narration`` speaks it);
* ``NN_DIGIT`` (a photo or drawing of one handwritten digit, shown instead of a scene's MNIST
  example: ``scenes.own_digit``) and ``NN_DIGIT_LABEL`` (its true digit, 0-9; else read from
  the file's name, as in ``seven_7.png``): ``digit_from_env``. Only that the file exists is
  checked here; reading it as a digit happens when a scene first needs it;
* ``NN_EXPLAINED_CACHE`` and ``MNIST_DIR``: folders, when set (their contents are checked
  where they are read).

``problem(environ)`` returns that one line's message (or ``None``) without exiting. This module
imports neither manim nor the scenes (only ``network``, which needs NumPy), so the check is quick.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SLIDES_ENV = "NN_SLIDES"
SLIDES_ON = ("1", "true", "yes", "on")
SLIDES_OFF = ("0", "false", "no", "off")

NETWORK_ENV = ("NN_PRESET", "NN_LAYERS", "NN_ACTIVATION", "NN_COST")  # the order config_from_env reads them
FOLDER_ENV = ("NN_EXPLAINED_CACHE", "MNIST_DIR")

STOCK_ENV = "NN_STOCK_MANIM"

PALETTE_ENV = "NN_PALETTE"
PALETTE_NAMES = ("default", "colorblind")  # the keys of scenes.style.PALETTES

VOICE_ENV = "NN_VOICE"
VOICE_MODES = ("none", "tts", "recorded")  # production.voice speaks the last two

DIGIT_ENV = "NN_DIGIT"
DIGIT_LABEL_ENV = "NN_DIGIT_LABEL"

EXIT_CODE = 2  # a usage error, as argparse exits with


def _switch(name: str, default: bool, on: str, off: str, environ=None) -> bool:
    """A yes/no variable: ``default`` when unset or empty; ``on`` and ``off`` say what each
    means in the error for any other value."""
    environ = os.environ if environ is None else environ
    value = environ.get(name, "")
    word = value.strip().lower()
    if word == "":
        return default
    if word in SLIDES_ON:
        return True
    if word in SLIDES_OFF:
        return False
    raise ValueError(f"{name}={value!r}: choose one of {', '.join(SLIDES_ON)} ({on}) or "
                     f"{', '.join(SLIDES_OFF)} ({off})")


def slides_from_env(environ=None) -> bool:
    """Whether ``$NN_SLIDES`` asks for manim-slides (the default, when unset or empty)."""
    return _switch(SLIDES_ENV, True, "slides", "a plain manim Scene", environ)


def stock_manim_from_env(environ=None) -> bool:
    """Whether ``$NN_STOCK_MANIM`` asks for manim's own drawing and encoding (default: no)."""
    return _switch(STOCK_ENV, False, "manim's own code paths", "the project's faster ones", environ)


def _choice(name: str, choices: tuple[str, ...], environ=None) -> str:
    """The value of variable ``name``, lower case, one of ``choices`` (the first when unset or
    empty)."""
    environ = os.environ if environ is None else environ
    value = environ.get(name) or choices[0]
    word = value.strip().lower()
    if word not in choices:
        raise ValueError(f"{name}={value!r}: choose one of {', '.join(choices)}")
    return word


def palette_name_from_env(environ=None) -> str:
    """The palette ``$NN_PALETTE`` names (``default`` when unset or empty), lower case."""
    return _choice(PALETTE_ENV, PALETTE_NAMES, environ)


def voice_from_env(environ=None) -> str:
    """The voice ``$NN_VOICE`` asks for: ``none`` (when unset or empty), ``tts`` or ``recorded``."""
    return _choice(VOICE_ENV, VOICE_MODES, environ)


def digit_from_env(environ=None) -> tuple[Path, int | None] | None:
    """``(photo, true digit or None)`` that ``$NN_DIGIT`` and ``$NN_DIGIT_LABEL`` ask for, or
    None when ``NN_DIGIT`` is unset or empty. The label is ``NN_DIGIT_LABEL`` when set, else the
    one the file's name gives (``network.handwriting.label_from_name``). ValueError naming the
    variable for a missing file or a label that is not a digit 0-9."""
    environ = os.environ if environ is None else environ
    value = environ.get(DIGIT_ENV, "").strip()
    label_text = environ.get(DIGIT_LABEL_ENV, "").strip()
    if not value:
        if label_text:
            raise ValueError(f"{DIGIT_LABEL_ENV}={label_text!r} is set but {DIGIT_ENV} is not: "
                             f"set {DIGIT_ENV} to the photo of your digit, or unset "
                             f"{DIGIT_LABEL_ENV}")
        return None
    path = Path(value).expanduser()
    if not path.exists():
        raise ValueError(f"{DIGIT_ENV}={value!r}: no such file; set it to a PNG or JPEG of one "
                         "handwritten digit, or unset it")
    if path.is_dir():
        raise ValueError(f"{DIGIT_ENV}={value!r}: a folder, not an image; set it to a PNG or "
                         "JPEG of one handwritten digit")
    from network.handwriting import label_from_name, parse_label

    if not label_text:
        return path, label_from_name(path)
    try:
        return path, parse_label(label_text)
    except ValueError:
        raise ValueError(f"{DIGIT_LABEL_ENV}={label_text!r}: the true digit must be one of "
                         "0-9") from None


def _network_problem(environ) -> str | None:
    from network.store import config_from_env

    try:
        config_from_env(environ)
        return None
    except ValueError as e:
        message = str(e)
    # Name the variable and its value if the message does not already: the first variable
    # that, added to the ones before it, makes the configuration fail.
    for i, name in enumerate(NETWORK_ENV):
        subset = {k: environ[k] for k in NETWORK_ENV[:i + 1] if k in environ}
        try:
            config_from_env(subset)
        except ValueError:
            if name not in message:
                message = f"{name}={environ.get(name)!r}: {message}"
            break
    return message


def _folder_problem(environ) -> str | None:
    for name in FOLDER_ENV:
        value = environ.get(name)
        if not value:
            continue
        path = Path(value).expanduser()
        if name == "MNIST_DIR" and not path.is_dir():
            return f"{name}={value!r}: not a folder; set it to the folder of the four MNIST files, or unset it"
        if path.exists() and not path.is_dir():
            return f"{name}={value!r}: not a folder; set it to a folder (made if missing), or unset it"
    return None


def problem(environ=None) -> str | None:
    """The first thing wrong with the scenes' environment variables, as one line, or ``None``."""
    environ = os.environ if environ is None else environ
    for check in (slides_from_env, stock_manim_from_env, palette_name_from_env, voice_from_env,
                  digit_from_env):
        try:
            check(environ)
        except ValueError as e:
            return str(e)
    return _network_problem(environ) or _folder_problem(environ)


def check_environment(environ=None) -> None:
    """Exit with one ``error:`` line on stderr (code 2) if an environment variable is bad."""
    message = problem(environ)
    if message is None:
        return
    print(f"error: {' '.join(message.split())}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_CODE)
