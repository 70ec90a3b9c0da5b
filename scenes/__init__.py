"""Manim Community scenes of the neural-network series, driven by the real trained network.

``python -m scenes list`` prints every scene as ``<file> <SceneName>``, one a line.

Importing the package checks the environment variables the scenes read (``NN_PRESET``,
``NN_LAYERS``, ``NN_ACTIVATION``, ``NN_COST``, ``NN_PALETTE``, ``NN_SLIDES``,
``NN_EXPLAINED_CACHE``, ``MNIST_DIR``; see ``scenes.settings``): a bad value prints one
``error:`` line on stderr and raises ``SystemExit(2)``, so ``manim render`` and
``python -m scenes`` stop with that line instead of a traceback. The check imports
``scenes.style`` (and so manim) and ``network``.
"""

from scenes.settings import check_environment as _check_environment

_check_environment()
