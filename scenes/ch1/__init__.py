"""Chapter 1's scenes, one small module per group; ``scenes/chapter1.py`` gathers them."""
