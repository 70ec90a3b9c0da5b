"""Words on screen and in narration, derived from the network: captions, layer descriptions,
LaTeX escaping. Shared by every chapter."""

from __future__ import annotations

import math

def tex_int(n: int) -> str:
    """``n`` with a thousands separator, for MathTex: 13002 -> ``13{,}002``."""
    return f"{int(n):,}".replace(",", "{,}")


def decimal_places(value: float, digits: int = 2, least: int = 2, most: int = 5) -> int:
    """Decimal places that show ``value`` with ``digits`` significant digits, kept between
    ``least`` and ``most`` (``least`` for 0)."""
    v = abs(float(value))
    if v == 0:
        return least
    return int(min(most, max(least, math.ceil(-math.log10(v)) + digits - 1)))


def parameter_name(network, k: int) -> str:
    """The MathTex name of entry ``k`` of ``Network.flat_parameters()``: every weight first
    (layer by layer, row by row) as ``w_{k}``, then every bias as ``b_{k - number of
    weights}``, thousands separated: ``w_{12{,}959}``, ``b_{41}``."""
    n_weights = sum(w.size for w in network.weights)
    if not 0 <= k < network.num_parameters:
        raise IndexError(f"parameter {k} out of range 0..{network.num_parameters - 1}")
    return f"w_{{{tex_int(k)}}}" if k < n_weights else f"b_{{{tex_int(k - n_weights)}}}"


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def tex_escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped, for ``Tex``."""
    out = []
    for ch in text:
        if ch in "#$%&_{}":
            out.append("\\" + ch)
        elif ch == "~":
            out.append(r"\textasciitilde{}")
        elif ch == "^":
            out.append(r"\textasciicircum{}")
        elif ch == "\\":
            out.append(r"\textbackslash{}")
        else:
            out.append(ch)
    return "".join(out)


def data_caption(model) -> str:
    """One honest line about the network and its data, from the trained model's record."""
    layers = "-".join(str(s) for s in model.network.sizes)
    if model.data_source == "sample":
        kind = "images of a bundled MNIST sample"
    elif model.data_description.startswith("official MNIST"):
        kind = "MNIST images"
    else:
        kind = "MNIST-format images"
    return (f"{layers} network, trained on {model.train_size:,} {kind}, "
            f"{100 * model.test_accuracy:.1f}% right on {model.test_size:,} test images")


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six")


def describe_layers(sizes) -> str:
    hidden = list(sizes[1:-1])
    if not hidden:
        middle = "no hidden layer"
    elif len(set(hidden)) == 1:
        count = NUMBER_WORDS[len(hidden)] if len(hidden) < len(NUMBER_WORDS) else str(len(hidden))
        middle = (f"{count} hidden layers of {hidden[0]} neurons" if len(hidden) > 1
                  else f"one hidden layer of {hidden[0]} neurons")
    else:
        middle = "hidden layers of " + ", ".join(str(h) for h in hidden) + " neurons"
    return f"{sizes[0]} inputs, {middle}, and {sizes[-1]} outputs"


def _color_words() -> list[tuple[tuple[float, float, float], str]]:
    """Every colour manim names (``BLUE``, ``GREY_B``, ``PURE_RED``, ...) as ``(rgb, word)``:
    the word is the name without its shade letter or ``PURE_``, in lower case ("grey b" and
    "gray" both become "grey")."""
    import re

    from manim import ManimColor
    from manim.utils.color import manim_colors

    words = []
    for name in sorted(dir(manim_colors)):
        value = getattr(manim_colors, name)
        if not name.isupper() or not isinstance(value, ManimColor) or name.startswith("LOGO_"):
            continue
        word = re.sub(r"_[A-E]$", "", name).removeprefix("PURE_")
        word = word.replace("GRAY", "GREY").replace("DARKER_", "DARK_").replace("LIGHTER_", "LIGHT_")
        words.append((tuple(float(c) for c in value.to_rgb()), word.replace("_", " ").lower()))
    return words


def color_word(color) -> str:
    """The everyday word for a colour, for narration that names one ("blue to grow, red to
    shrink"): the word of the manim colour it is (``BLUE`` and ``BLUE_C`` are "blue",
    ``ORANGE`` "orange", ``GREY_B`` "grey", ``MAROON_B`` "maroon"), else of the nearest
    one. ``color`` is anything ``ManimColor`` takes (a ``ManimColor``, "#FC6255", ...)."""
    from manim import ManimColor

    rgb = tuple(float(c) for c in ManimColor(color).to_rgb())
    return min(_color_words(), key=lambda item: sum((a - b) ** 2 for a, b in zip(item[0], rgb)))[1]


class HeldOutWords:
    """How a scene names the images the network is tested on, from where the data came.

    The official MNIST has a test set of its own; the bundled offline sample (``source`` ==
    "sample") holds out some of the official *training* images as its test set, so its images
    are "held-out images", never "test images" (MNIST's test image 0 is another image).
    ``kind`` ("test" / "held-out"), ``image`` ("test image" / "held-out image"), ``images``
    (plural), ``set`` ("test set" / "held-out set") and ``accuracy`` ("test accuracy" /
    "held-out accuracy")."""

    def __init__(self, sample: bool):
        self.sample = bool(sample)
        self.kind = kind = "held-out" if self.sample else "test"
        self.image, self.images = f"{kind} image", f"{kind} images"
        self.set, self.accuracy = f"{kind} set", f"{kind} accuracy"

    def __repr__(self) -> str:
        return f"HeldOutWords(sample={self.sample})"


def held_out_words(data) -> HeldOutWords:
    """The words for ``data``'s test images (see ``HeldOutWords``): held-out images for the
    bundled sample, test images otherwise. ``data`` is an ``MNIST`` (or anything with a
    ``source``) or a trained model (``data_source``)."""
    source = getattr(data, "source", None) or getattr(data, "data_source", None)
    return HeldOutWords(source == "sample")


def model_caption(model) -> str:
    """``data_caption`` with the test images named as ``held_out_words`` names them."""
    text = data_caption(model)
    words = held_out_words(model)
    return text if not words.sample else text.replace(" test images", f" {words.images}")
