"""The look of every scene, in one place: palette, sizes, stroke widths, text sizes.

The sign pair (positive / negative weights and gradients) is swappable. ``PALETTE`` is chosen
once, at import, from the environment variable ``NN_PALETTE``:

* ``NN_PALETTE=default`` (or unset): blue for positive, red for negative, as in the original.
* ``NN_PALETTE=colorblind``: blue for positive, orange for negative, a pair that stays apart
  for red-green colour blindness.

Scenes and mobjects read ``PALETTE`` (or the module constants ``POSITIVE_COLOR`` and
``NEGATIVE_COLOR`` derived from it) and never name a sign colour themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import (
    BLACK,
    BLUE,
    GREEN,
    GREY_B,
    MAROON_B,
    ORANGE,
    RED,
    TEAL,
    WHITE,
    YELLOW,
    ManimColor,
)

from .settings import PALETTE_ENV, PALETTE_NAMES, palette_name_from_env


@dataclass(frozen=True)
class Palette:
    """Colours with a meaning. ``positive``/``negative`` colour every signed quantity."""

    name: str
    positive: ManimColor = BLUE        # positive weights, increases, +gradient components
    negative: ManimColor = RED         # negative weights, decreases
    highlight: ManimColor = YELLOW     # the answer, the signal running along edges, σ
    bias: ManimColor = MAROON_B        # b
    weighted_sum: ManimColor = GREEN   # z
    cost: ManimColor = RED             # C
    desired: ManimColor = YELLOW       # y, the desired output
    neuron: ManimColor = WHITE         # neuron outline and activation fill
    text: ManimColor = WHITE
    dim_text: ManimColor = GREY_B      # captions, secondary labels
    accent: ManimColor = TEAL
    background: ManimColor = BLACK

    def sign_color(self, value: float) -> ManimColor:
        """The colour of a signed number: ``positive`` for ``value >= 0``, else ``negative``."""
        return self.positive if value >= 0 else self.negative


PALETTES: dict[str, Palette] = {
    "default": Palette("default"),
    "colorblind": Palette("colorblind", positive=BLUE, negative=ORANGE, cost=ORANGE),
}
# scenes.settings checks $NN_PALETTE without importing manim, so it keeps the names too.
if tuple(PALETTES) != PALETTE_NAMES:
    raise RuntimeError("scenes.settings.PALETTE_NAMES must name the palettes of scenes.style.PALETTES")


def palette_from_env(environ=None) -> Palette:
    """The palette named by ``$NN_PALETTE`` (``default`` when unset); ValueError naming the
    variable, its value and the palettes for any other name."""
    return PALETTES[palette_name_from_env(environ)]


PALETTE: Palette = palette_from_env()
POSITIVE_COLOR: ManimColor = PALETTE.positive
NEGATIVE_COLOR: ManimColor = PALETTE.negative
HIGHLIGHT_COLOR: ManimColor = PALETTE.highlight
BIAS_COLOR: ManimColor = PALETTE.bias
Z_COLOR: ManimColor = PALETTE.weighted_sum
COST_COLOR: ManimColor = PALETTE.cost
TEXT_COLOR: ManimColor = PALETTE.text
DIM_TEXT_COLOR: ManimColor = PALETTE.dim_text
BACKGROUND_COLOR: ManimColor = PALETTE.background
# Colours without a sign meaning, named for use in scenes.
CORRECT_COLOR: ManimColor = GREEN

# ------------------------------------------------------------------ network geometry
NEURON_RADIUS = 0.15
NEURON_STROKE_WIDTH = 2.0
NEURON_STROKE_COLOR: ManimColor = PALETTE.neuron
NEURON_FILL_COLOR: ManimColor = PALETTE.neuron
NEURON_BUFF = 0.1            # gap between two circles of a column
LAYER_SPACING = 2.0          # centre-to-centre distance of two columns
MAX_SHOWN_NEURONS = 16       # a larger layer is drawn as 8, a vertical ellipsis, 8

# Edges: width and opacity grow as (|w| / largest |w|) ** EDGE_POWER between these bounds.
EDGE_POWER = 2.0
EDGE_MIN_WIDTH = 0.5
EDGE_MAX_WIDTH = 3.5
EDGE_MIN_OPACITY = 0.2
EDGE_MAX_OPACITY = 1.0
EDGE_NEUTRAL_COLOR: ManimColor = GREY_B
EDGE_NEUTRAL_WIDTH = 1.0
FLASH_WIDTH = 3.0            # the yellow signal running along edges
FLASH_TIME_WIDTH = 0.4

# ---------------------------------------------------------------------- images
IMAGE_FRAME_COLOR: ManimColor = WHITE
IMAGE_FRAME_WIDTH = 1.5

# ------------------------------------------------------------------------ text
CAPTION_FONT_SIZE = 26       # facts about the data/model, top of the frame
LABEL_FONT_SIZE = 32
TITLE_FONT_SIZE = 44
BIG_NUMBER_FONT_SIZE = 96

# ---------------------------------------------------------------------- timing
LAYER_RUN_TIME = 1.8         # seconds per layer in a forward pass
PAUSE = 1.0                  # the beat left after each idea
