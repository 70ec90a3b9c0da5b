"""Mobjects built from real data: the network and MNIST digits."""

from .digit import DigitImage, PixelGrid, as_pixels
from .network import NetworkMobject, NeuronLayer, choose_input_indices, evenly_spaced, first_and_last

__all__ = [
    "DigitImage",
    "NetworkMobject",
    "NeuronLayer",
    "PixelGrid",
    "as_pixels",
    "choose_input_indices",
    "evenly_spaced",
    "first_and_last",
]
