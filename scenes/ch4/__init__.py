"""Chapter 4's scenes, one small module per group; ``scenes/chapter4.py`` gathers them."""
