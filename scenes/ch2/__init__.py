"""Chapter 2's scenes, one small module per group; ``scenes/chapter2.py`` gathers them."""
