"""Chapter 1, "But what is a neural network?": its scenes in the order the story tells them.

Render one from the repository root, e.g. ``manim render -ql scenes/chapter1.py ForwardPass``.
Each scene's story lives in a small module under ``scenes/ch1/``; the classes here name them
in this file so manim finds them (it renders only scenes defined in the file it is given).
Every number on screen comes from the real trained network and real MNIST digits.
"""

from scenes.ch1 import forward, pixels, squish, structure, weights


class ThreesAreThrees(pixels.ThreesAreThrees):
    """Real 3s differ pixel by pixel, yet all read as 3 — to us and to the network."""


class NeuronHoldsANumber(pixels.NeuronHoldsANumber):
    """A neuron holds a number; a digit's pixels unroll into the input layer."""


class LayersOfTheNetwork(structure.LayersOfTheNetwork):
    """Input, hidden and output layers from the real sizes; the hidden ones an open question."""


class ForwardPass(forward.ForwardPass):
    """A real unseen image flows through the trained network; the brightest output answers."""


class HopedForComponents(pixels.HopedForComponents):
    """The hope: digits built from loops and lines, fitted to real digits' ink."""


class EdgeDetectorNeuron(weights.EdgeDetectorNeuron):
    """A neuron's weights as an image, the weighted sum term by term, a designed edge detector."""


class SigmoidSquish(squish.SigmoidSquish):
    """σ squishes the number line into (0, 1); real weighted sums become real activations."""


class BiasShiftsThreshold(squish.BiasShiftsThreshold):
    """The bias shifts where the neuron lights up; a real neuron's sum, bias and activation."""


class CountingParameters(structure.CountingParameters):
    """Every weight and bias counted from the network's shapes."""


class MatrixNotation(weights.MatrixNotation):
    """a⁽¹⁾ = σ(W a⁽⁰⁾ + b) with real slices of W, b and a, indices counted from 0."""


class NetworkIsAFunction(structure.NetworkIsAFunction):
    """The whole network as one function of its inputs, set by its parameters."""


class SigmoidVersusReLU(squish.SigmoidVersusReLU):
    """The same digit through a sigmoid and a ReLU network, both trained for real."""

    chapter_mark = "Sigmoid versus ReLU"


TITLE = "But what is a neural network?"

SCENES = (
    ThreesAreThrees,
    NeuronHoldsANumber,
    LayersOfTheNetwork,
    ForwardPass,
    HopedForComponents,
    EdgeDetectorNeuron,
    SigmoidSquish,
    BiasShiftsThreshold,
    CountingParameters,
    MatrixNotation,
    NetworkIsAFunction,
    SigmoidVersusReLU,
)
