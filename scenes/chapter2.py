"""Chapter 2, "Gradient descent, how neural networks learn": its finished scenes in story order.

Render one from the repository root, e.g. ``manim render -ql scenes/chapter2.py LearningCurve``.
Each scene's story lives in a small module under ``scenes/ch2/``; the classes here name them
in this file so manim finds them. Every number on screen comes from the real network.

Still in progress, not listed yet (their modules hold drafts): AverageCost, CostIsAFunction,
TwoVariableGradient, CostSurfaceDescent.
"""

from scenes.ch2 import cost, descent, learned, learning


class RandomNetworkIsTrash(cost.RandomNetworkIsTrash):
    """A freshly initialised network on a real 3: its outputs are a mess."""


class LearningCurve(learning.LearningCurve):
    """The real training record: cost falling per step, test accuracy rising per epoch."""


class TestAccuracy(learning.TestAccuracy):
    """Test images stream through; a counter ends at the measured accuracy; the mistakes."""


class CostOfOneExample(cost.CostOfOneExample):
    """Each (aᵢ − yᵢ)² with its real numbers, shown so the squares match the values shown."""


class SingleVariableDescent(descent.SingleVariableDescent):
    """Balls on a three-valley cost take real gradient-descent steps into different minima."""


class GradientAsNudges(learning.GradientAsNudges):
    """−∇C from real backprop as a column of nudges; the edges recoloured by their entries."""


class WhatHiddenNeuronsLookFor(learned.WhatHiddenNeuronsLookFor):
    """The first hidden layer's real weights as images: loose blobs, not tidy edges."""


class ConfidentNonsense(learned.ConfidentNonsense):
    """Random noise in, a confident digit out: the network's real answer."""


class RandomLabels(learned.RandomLabels):
    """The same network trained for real on true and on shuffled labels: both curves."""


SCENES = (
    RandomNetworkIsTrash,
    CostOfOneExample,
    SingleVariableDescent,
    GradientAsNudges,
    LearningCurve,
    TestAccuracy,
    WhatHiddenNeuronsLookFor,
    ConfidentNonsense,
    RandomLabels,
)
