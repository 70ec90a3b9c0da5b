"""Chapter 1, "But what is a neural network?": its scenes in the order the story tells them.

Render one from the repository root, e.g. ``manim render -ql scenes/chapter1.py ForwardPass``.
Each scene's story lives in a small module under ``scenes/ch1/``; the classes here name them
in this file so manim finds them (it renders only scenes defined in the file it is given).
Every number on screen comes from the real trained network and real MNIST digits.
"""

from scenes.ch1 import forward


class ForwardPass(forward.ForwardPass):
    """A real test image flows through the trained network; the brightest output answers."""


SCENES = (
    ForwardPass,
)
