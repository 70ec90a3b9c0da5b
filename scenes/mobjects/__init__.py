"""Mobjects built from real data: the network, MNIST digits, weight grids."""

from .digit import DigitImage, PixelGrid, as_pixels
from .weights import WeightGrid
from .network import (
    NetworkMobject,
    NeuronLayer,
    choose_input_indices,
    evenly_spaced,
    first_and_last,
    indices_including,
)

__all__ = [
    "DigitImage",
    "NetworkMobject",
    "NeuronLayer",
    "PixelGrid",
    "WeightGrid",
    "as_pixels",
    "choose_input_indices",
    "evenly_spaced",
    "first_and_last",
    "indices_including",
]
