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
