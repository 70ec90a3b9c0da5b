"""Chapter 4, "Backpropagation calculus": its scenes in story order.

Render one from the repository root, e.g. ``manim render -ql scenes/chapter4.py ChainRule``.
Each scene's story lives in a small module under ``scenes/ch4/``; the classes here name them in
this file so manim finds them. Two real networks carry the chapter (``scenes/ch4/story.py``):
a chain of one neuron per layer, trained here on one sentence's task, and chapter 3's partly
trained 784-16-16-10 network with its story example. Every factor of the chain rule on screen
is computed (``network.calculus``); the tests recompute each by finite differences.
"""

from scenes.ch4 import chain_scenes, indices, rule


class ChainOfOneNeuron(chain_scenes.ChainOfOneNeuron):
    """The 1-1-1-1 chain, trained for real: its example's activations, y and the cost C₀."""

    chapter_mark = "The simplest network"


class CostDependencyTree(chain_scenes.CostDependencyTree):
    """What C₀ depends on: w, a and b feed z, z feeds a, a and y feed C₀; one layer further back."""


class NudgeTheWeight(chain_scenes.NudgeTheWeight):
    """A nudge of w⁽ᴸ⁾ ripples through z, a and C₀; ΔC₀/Δw approaches the derivative."""


class ChainRule(rule.ChainRule):
    """∂C₀/∂w⁽ᴸ⁾ as three factors, each real; their product is the nudge ratio and backprop's."""

    chapter_mark = "The chain rule"


class WeightFollowsActivation(rule.WeightFollowsActivation):
    """∂z/∂w = a⁽ᴸ⁻¹⁾: how strongly the previous neuron fires sets how much the weight matters."""


class AverageOverTrainingExamples(rule.AverageOverTrainingExamples):
    """∂C/∂w⁽ᴸ⁾ as the average of each example's ∂Cₖ/∂w⁽ᴸ⁾, equal to backprop's on them all."""


class BiasAndPreviousActivation(rule.BiasAndPreviousActivation):
    """∂C₀/∂b⁽ᴸ⁾ and ∂C₀/∂a⁽ᴸ⁻¹⁾, and the same pattern one layer back."""


class MoreNeuronsMoreIndices(indices.MoreNeuronsMoreIndices):
    """The video's network: indices j and k, and one real weight's three factors."""

    chapter_mark = "More neurons, more indices"


class ManyPathsBack(indices.ManyPathsBack):
    """Every path from one hidden neuron to the cost, each a real term; their sum is backprop's."""


class GradientFromTheChain(indices.GradientFromTheChain):
    """Chapter 2's gradient vector assembled from these derivatives; the formulas together."""


TITLE = "Backpropagation calculus"

SCENES = (
    ChainOfOneNeuron,
    CostDependencyTree,
    NudgeTheWeight,
    ChainRule,
    WeightFollowsActivation,
    AverageOverTrainingExamples,
    BiasAndPreviousActivation,
    MoreNeuronsMoreIndices,
    ManyPathsBack,
    GradientFromTheChain,
)
