"""Chapter 3, "What is backpropagation really doing?": its finished scenes in story order.

Render one from the repository root, e.g. ``manim render -ql scenes/chapter3.py ThreeAvenues``.
Each scene's story lives in a small module under ``scenes/ch3/``; the classes here name them in
this file so manim finds them. Every scene uses the same partly trained network and the same
training "2" (``scenes/ch3/story.py``); every nudge on screen is the real backprop's.
"""

from scenes.ch3 import wants


class GradientSensitivity(wants.GradientSensitivity):
    """Two real weights and their gradient components: one matters many times more."""


class OneExampleWants(wants.OneExampleWants):
    """One real training 2: its outputs, and how far each wants to move (yᵢ − aᵢ)."""


class ThreeAvenues(wants.ThreeAvenues):
    """The 2-neuron's three levers: its bias, its weights, the previous activations."""


class FireTogetherWireTogether(wants.FireTogetherWireTogether):
    """The largest weight increases join the most active neurons to the 2: Hebb's echo."""


SCENES = (
    GradientSensitivity,
    OneExampleWants,
    ThreeAvenues,
    FireTogetherWireTogether,
)
