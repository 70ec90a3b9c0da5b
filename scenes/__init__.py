"""Manim Community scenes of the neural-network series, driven by the real trained network.

``python -m scenes list`` prints every scene as ``<file> <SceneName>``, one a line.
"""
