"""Render the last frame of every scene at low quality and save it, 640 px wide, as
docs/gallery/<Scene>.png, then print the README's gallery table.
Usage: .venv/bin/python scripts/gallery.py [Scene ...]"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "docs" / "gallery"
BIN = Path(sys.executable).parent


def scenes() -> list[tuple[str, str]]:
    out = subprocess.run([sys.executable, "-m", "scenes", "list"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return [tuple(line.split()) for line in out.splitlines() if line.strip()]


def main(wanted: list[str]) -> None:
    GALLERY.mkdir(parents=True, exist_ok=True)
    for file, scene in scenes():
        if wanted and scene not in wanted:
            continue
        subprocess.run([str(BIN / "manim"), "render", "-ql", "-s", file, scene],
                       cwd=ROOT, check=True, capture_output=True)
        still = max((ROOT / "media" / "images" / Path(file).stem).glob(f"{scene}*.png"),
                    key=lambda p: p.stat().st_mtime)
        image = Image.open(still).convert("RGB")
        image.thumbnail((640, 360))
        image.save(GALLERY / f"{scene}.png", optimize=True)
        print(f"{scene}: docs/gallery/{scene}.png")
    print(markdown_table([scene for _, scene in scenes()]))


def markdown_table(names: list[str], columns: int = 3) -> str:
    """The gallery as a Markdown table, scenes in story order, ``columns`` a row."""
    names = [n for n in names if (GALLERY / f"{n}.png").exists()]
    rows = [names[i:i + columns] for i in range(0, len(names), columns)]
    lines = []
    for k, row in enumerate(rows):
        row = row + [""] * (columns - len(row))
        lines.append("| " + " | ".join(f"`{n}`" if n else "" for n in row) + " |")
        if k == 0:
            lines.append("|" + " --- |" * columns)
        lines.append("| " + " | ".join(f"![{n}](docs/gallery/{n}.png)" if n else "" for n in row) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main(sys.argv[1:])
