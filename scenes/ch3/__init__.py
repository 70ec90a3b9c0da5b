"""Chapter 3's scenes, one small module per group; ``scenes/chapter3.py`` gathers them."""
