"""Chapter 3, "What is backpropagation really doing?": its finished scenes in story order.

Render one from the repository root, e.g. ``manim render -ql scenes/chapter3.py ThreeAvenues``.
Each scene's story lives in a small module under ``scenes/ch3/``; the classes here name them in
this file so manim finds them. Every scene uses the same partly trained network and the same
training "2" (``scenes/ch3/story.py``); every nudge on screen is the real backprop's.
"""

from scenes.ch3 import desires, steps, summary, walkers, wants


class GradientSensitivity(wants.GradientSensitivity):
    """Two real weights and their gradient components: how many times more one matters."""


class OneExampleWants(wants.OneExampleWants):
    """The story's training example: its outputs, and how far each wants to move (yᵢ − aᵢ)."""


class ThreeAvenues(wants.ThreeAvenues):
    """The 2-neuron's three levers: its bias, its weights, the previous activations."""


class FireTogetherWireTogether(wants.FireTogetherWireTogether):
    """The largest weight increases, and which neurons they join: Hebb's echo, as measured."""

    chapter_mark = "Fire together, wire together"


class SumOfDesires(desires.SumOfDesires):
    """Every output neuron's wishes for the layer before, added: backprop's real ∂C/∂a."""


class AverageOverExamples(desires.AverageOverExamples):
    """Each example's nudge to each parameter; a row's average is its entry of −∇C."""


class MiniBatches(steps.MiniBatches):
    """The training set shuffled into minibatches; one real step each; the costs they give."""

    chapter_mark = "Minibatches"


class StochasticDescent(walkers.StochasticDescent):
    """On a real cost slice: the careful walker (full gradient) and the drunk one (minibatches)."""


class OneTrainingStep(steps.OneTrainingStep):
    """One real step on one minibatch: the edges change as the weights do; the cost, measured."""


class BackpropSummary(summary.BackpropSummary):
    """Backprop, averaging over a minibatch, repeating: each line beside its real picture."""


TITLE = "What is backpropagation really doing?"

SCENES = (
    GradientSensitivity,
    OneExampleWants,
    ThreeAvenues,
    FireTogetherWireTogether,
    SumOfDesires,
    AverageOverExamples,
    MiniBatches,
    StochasticDescent,
    OneTrainingStep,
    BackpropSummary,
)
