"""Draw the example "photo" of a handwritten digit that the README's own-digit still uses.

This machine has no camera, so the example is drawn: a 7 as two pen strokes of a felt pen
(wobbling a little, as a hand does) in blue-black ink on cream paper, lit unevenly, with
sensor noise, saved as a JPEG as a phone would. Seeded, so the file is the same each run::

    .venv/bin/python scripts/draw_digit.py docs/gallery/own-digit/seven_7.jpg
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZE = (1200, 900)  # width, height: a phone photo, scaled down
STROKES = (  # the 7: the top bar, then the long diagonal, in page fractions
    [(0.36, 0.30), (0.50, 0.285), (0.63, 0.29)],
    [(0.63, 0.29), (0.57, 0.45), (0.51, 0.60), (0.47, 0.74)],
)


def wobbly(points, rng, steps: int = 40, wobble: float = 2.5):
    """The polyline through ``points`` (pixels), resampled, each point nudged a little."""
    points = np.asarray(points, dtype=float)
    t = np.linspace(0, len(points) - 1, steps * (len(points) - 1))
    xs = np.interp(t, np.arange(len(points)), points[:, 0])
    ys = np.interp(t, np.arange(len(points)), points[:, 1])
    drift = np.cumsum(rng.normal(0, wobble / 4, (len(t), 2)), axis=0)
    drift -= np.linspace(0, 1, len(t))[:, None] * drift[-1]  # start and end where meant
    return [(float(x + dx), float(y + dy)) for x, y, (dx, dy) in zip(xs, ys, drift)]


def draw(seed: int = 7) -> Image.Image:
    rng = np.random.default_rng(seed)
    w, h = SIZE
    ink = Image.new("L", SIZE, 0)
    pen = ImageDraw.Draw(ink)
    for stroke in STROKES:
        pixels = [(x * w, y * h) for x, y in stroke]
        pen.line(wobbly(pixels, rng), fill=255, width=26, joint="curve")
    ink = np.asarray(ink.filter(ImageFilter.GaussianBlur(2.0)), dtype=float) / 255
    yy, xx = np.mgrid[0:h, 0:w]
    light = 0.78 + 0.2 * (xx / w) - 0.1 * ((yy / h) - 0.5) ** 2  # a window to the right
    paper = np.array([0.98, 0.95, 0.86])
    ink_colour = np.array([0.12, 0.14, 0.30])
    rgb = (paper * (1 - ink[..., None]) + ink_colour * ink[..., None]) * light[..., None]
    rgb += rng.normal(0, 0.015, rgb.shape)
    return Image.fromarray(np.round(255 * np.clip(rgb, 0, 1)).astype(np.uint8))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    draw().save(args.output, quality=88)
    print(args.output)


if __name__ == "__main__":
    main()
