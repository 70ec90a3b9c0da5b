"""Chapter 2, "Gradient descent, how neural networks learn": its finished scenes in story order.

Render one from the repository root, e.g. ``manim render -ql scenes/chapter2.py LearningCurve``.
Each scene's story lives in a small module under ``scenes/ch2/``; the classes here name them
in this file so manim finds them. Every number on screen comes from the real network.
"""

from scenes.ch2 import average, cost, descent, learned, learning, surface


class RandomNetworkIsTrash(cost.RandomNetworkIsTrash):
    """A freshly initialised network on a real 3: its outputs are a mess."""


class LearningCurve(learning.LearningCurve):
    """The real training record: cost per step, test accuracy per epoch."""


class TestAccuracy(learning.TestAccuracy):
    """Test (or held-out) images stream through; a counter ends at the measured accuracy."""


class CostOfOneExample(cost.CostOfOneExample):
    """Each (aᵢ − yᵢ)² with its real numbers, shown so the squares match the values shown."""


class AverageCost(average.AverageCost):
    """Costs of a few examples, then the real average over every training example."""


class CostIsAFunction(average.CostIsAFunction):
    """The network: 784 numbers in, 10 out. The cost: 13,002 numbers in, one out."""


class SingleVariableDescent(descent.SingleVariableDescent):
    """Balls on a three-valley cost take real gradient-descent steps into different minima."""


class TwoVariableGradient(surface.TwoVariableGradient):
    """C(x, y) = 3/2 x² + 1/2 y² over its input plane: ∇C(1, 1) = (3, 1), −∇C downhill."""


class CostSurfaceDescent(surface.CostSurfaceDescent):
    """A real 2-D slice of the network's cost; balls take real gradient-descent steps on it."""


class GradientAsNudges(learning.GradientAsNudges):
    """−∇C from real backprop as a column of nudges; the edges recoloured by their entries."""


class WhatHiddenNeuronsLookFor(learned.WhatHiddenNeuronsLookFor):
    """The first hidden layer's real weights as images, measured against short edges."""


class ConfidentNonsense(learned.ConfidentNonsense):
    """Random noise in, a digit out: the network's real answer and its activation."""


class RandomLabels(learned.RandomLabels):
    """The same network trained for real on true and on shuffled labels: both curves."""


TITLE = "Gradient descent, how neural networks learn"

SCENES = (
    RandomNetworkIsTrash,
    CostOfOneExample,
    AverageCost,
    CostIsAFunction,
    SingleVariableDescent,
    TwoVariableGradient,
    CostSurfaceDescent,
    GradientAsNudges,
    LearningCurve,
    TestAccuracy,
    WhatHiddenNeuronsLookFor,
    ConfidentNonsense,
    RandomLabels,
)
