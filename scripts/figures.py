"""Regenerate, in one run on this machine, every measured figure the README quotes:

1. the training benchmark (benchmarks/train_benchmark.py: accuracy and time per configuration);
2. every scene's last frame (docs/gallery/<Scene>.png) and its narration as computed in this
   run, numbers and all (docs/narration.md);
2b. the own-digit gallery (docs/gallery/own-digit/): the example photo drawn by
   scripts/draw_digit.py, the photo beside the 28×28 image the network reads, the scenes that
   follow it with ``NN_DIGIT`` set, and what ``python -m network predict`` prints for it;
3. the README's generated blocks (machine, training table, gallery, narrated figures), between
   ``<!-- BEGIN name -->`` and ``<!-- END name -->`` markers.

    MNIST_DIR=path/to/mnist .venv/bin/python scripts/figures.py            # everything
    .venv/bin/python scripts/figures.py --no-benchmark [Scene ...]          # stills only
    MNIST_DIR=path/to/mnist .venv/bin/python scripts/figures.py --own-digit  # that gallery only

The figures are those of the data found (MNIST_DIR, else the cache, else the bundled sample);
the README's figures come from the full official set, and the script refuses to write the README
from anything else. Scenes render in this process, one after another, at low quality.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GALLERY = ROOT / "docs" / "gallery"
OWN_DIGIT = GALLERY / "own-digit"
OWN_DIGIT_PHOTO = OWN_DIGIT / "seven_7.jpg"
OWN_DIGIT_SCENES = ("ForwardPass", "OneExampleWants")
NARRATION = ROOT / "docs" / "narration.md"
README = ROOT / "README.md"


CONFIG_VARIABLES = ("NN_PRESET", "NN_LAYERS", "NN_ACTIVATION", "NN_COST", "NN_PALETTE")


def _configured() -> bool:
    """Whether the environment asks for another network or palette than the default."""
    return any(os.environ.get(name) for name in CONFIG_VARIABLES)


def machine_description() -> str:
    """One line about this machine: processor, cores, memory, Python, NumPy and its BLAS."""
    import numpy as np

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    blas = "unknown BLAS"
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{info['name']} {info['version']}"
    except Exception:  # noqa: BLE001 -- show_config's layout is not a stable API
        pass
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, NumPy {np.__version__} ({blas})")


def render_stills(wanted: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Render each scene's last frame at -ql into docs/gallery/ (640 px wide) and return
    ``{scene: [(beat, narration), ...]}`` as the scene computed them."""
    import importlib

    from scenes.__main__ import list_scenes

    GALLERY.mkdir(parents=True, exist_ok=True)
    media = ROOT / "media" / "figures"
    narrations = {}
    for file, name in list_scenes():
        if wanted and name not in wanted:
            continue
        cls = getattr(importlib.import_module(file[:-3].replace("/", ".")), name)
        narrations[name] = _still(cls, GALLERY / f"{name}.png", media)
        print(f"{name}: docs/gallery/{name}.png, {len(narrations[name])} beats", flush=True)
    return narrations


def _still(cls, target: Path, media: Path) -> list[tuple[str, str]]:
    """Render scene class ``cls``'s last frame at -ql to ``target`` (640 px wide); return its
    narration."""
    from manim import tempconfig
    from PIL import Image

    from network.atomic import atomic_write

    options = {"quality": "low_quality", "media_dir": str(media), "save_last_frame": True,
               "write_to_movie": False, "progress_bar": "none", "verbosity": "WARNING"}
    with tempconfig(options):
        scene = cls()
        scene.render()
        still = Path(scene.renderer.file_writer.image_file_path)
    image = Image.open(still).convert("RGB")
    image.thumbnail((640, 360))
    with atomic_write(target) as f:
        image.save(f, format="PNG", optimize=True)
    return list(getattr(scene, "narrations", []))


def render_own_digit() -> str:
    """The own-digit gallery, from the example photo (drawn again by scripts/draw_digit.py):
    the photo beside what the network reads, each scene of ``OWN_DIGIT_SCENES`` with
    ``NN_DIGIT`` set, and ``python -m network predict``'s report; returns the README's block."""
    import importlib

    from manim import Scene

    from network.atomic import atomic_write
    from scenes.__main__ import list_scenes
    from scenes.own_digit import PhotoToPixels, _prepared, shown_digit
    from scripts.draw_digit import draw

    OWN_DIGIT.mkdir(parents=True, exist_ok=True)
    with atomic_write(OWN_DIGIT_PHOTO) as f:
        draw().save(f, format="JPEG", quality=88)
    media = ROOT / "media" / "figures"
    before = {k: os.environ.get(k) for k in ("NN_DIGIT", "NN_DIGIT_LABEL")}
    os.environ["NN_DIGIT"] = str(OWN_DIGIT_PHOTO)
    os.environ.pop("NN_DIGIT_LABEL", None)
    _prepared.cache_clear()
    try:
        digit = shown_digit(None, "figures")

        class PhotoAndPixels(Scene):
            def construct(self):
                self.add(PhotoToPixels(digit))

        _still(PhotoAndPixels, OWN_DIGIT / "photo-to-pixels.png", media)
        files = dict((name, file) for file, name in list_scenes())
        for name in OWN_DIGIT_SCENES:
            module = importlib.import_module(files[name][:-3].replace("/", "."))
            _still(getattr(module, name), OWN_DIGIT / f"{name}.png", media)
            print(f"{name} with NN_DIGIT: docs/gallery/own-digit/{name}.png", flush=True)
        report = subprocess.run([sys.executable, "-m", "network", "predict", "--quiet",
                                 str(OWN_DIGIT_PHOTO.relative_to(ROOT))], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        _prepared.cache_clear()
    lines = [line for line in report.splitlines() if not line.startswith(("data:", "training ",
                                                                          "saved to", "loaded"))]
    return "```console\n$ .venv/bin/python -m network predict " + \
        f"{OWN_DIGIT_PHOTO.relative_to(ROOT)}\n" + "\n".join(lines) + "\n```"


def gallery_table(names: list[str], columns: int = 3) -> str:
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


def narration_document(narrations: dict, header: str) -> str:
    """docs/narration.md: every scene's beats, in story order, as computed in this run."""
    from scenes.__main__ import list_scenes

    lines = ["# The narration, as computed", "", header, ""]
    for file, name in list_scenes():
        if name not in narrations:
            continue
        lines += [f"## `{name}` ({file})", ""]
        lines += [f"{i}. {text}" for i, (_, text) in enumerate(narrations[name], 1)]
        lines.append("")
    return "\n".join(lines)


def narrated_figures(narrations: dict) -> str:
    """The README's list of narrated figures: each scene's beats that state a number."""
    from scenes.__main__ import list_scenes

    lines = ["| Scene | What it says, measured |", "| --- | --- |"]
    for _, name in list_scenes():
        said = [text for _, text in narrations.get(name, []) if re.search(r"\d", text)]
        if said:
            lines.append(f"| `{name}` | {' / '.join(t.replace('|', '∣') for t in said)} |")
    return "\n".join(lines)


def replace_block(text: str, name: str, body: str) -> str:
    """``text`` with the block between ``<!-- BEGIN name -->`` and ``<!-- END name -->``
    replaced by ``body``; ValueError if the markers are missing."""
    pattern = re.compile(rf"(<!-- BEGIN {re.escape(name)} -->\n).*?(\n<!-- END {re.escape(name)} -->)",
                         re.S)
    if not pattern.search(text):
        raise ValueError(f"README.md has no '<!-- BEGIN {name} -->' ... '<!-- END {name} -->' block")
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenes", nargs="*", help="only these scenes (default: all)")
    parser.add_argument("--no-benchmark", action="store_true", help="skip the training benchmark")
    parser.add_argument("--seeds", type=int, default=3, help="seeds of the video network to train")
    parser.add_argument("--determinism", action="store_true",
                        help="also run benchmarks/determinism.py (16 short trainings, minutes)")
    parser.add_argument("--own-digit", action="store_true",
                        help="only the own-digit gallery and its README block")
    args = parser.parse_args(argv)

    from network.atomic import atomic_write
    from network.mnist import load_mnist
    from scenes.__main__ import list_scenes

    data = load_mnist(progress=False)
    full = data.train_size == 60_000 and data.test_size == 10_000
    when = datetime.date.today().isoformat()
    machine = machine_description()
    header = (f"Measured on {when} on {machine}, with {data.description.split(' from ')[0]}, by "
              f"`scripts/figures.py`.")
    print(header, flush=True)

    if _configured():
        print("note: NN_* variables are set: these are the figures of that configuration, not "
              "the README's")
    if args.own_digit:
        block = render_own_digit()
        print(block)
        if full and not _configured():
            with atomic_write(README, "w") as f:
                f.write(replace_block(README.read_text(), "own-digit", block))
            print("README.md's own-digit block updated")
        return 0
    benchmark = determinism = None
    if not args.no_benchmark and full:
        from benchmarks.train_benchmark import benchmark_table, run_benchmark, sample_line
        benchmark = benchmark_table(run_benchmark(data, seeds=args.seeds)) + "\n\n" + sample_line()
    if args.determinism and full:
        determinism = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "determinism.py")],
                                     check=True, capture_output=True, text=True).stdout.strip()

    narrations = render_stills(args.scenes)
    own_digit = None if args.scenes else render_own_digit()
    with atomic_write(NARRATION, "w") as f:
        f.write(narration_document(narrations, header))

    if not full or args.scenes or _configured():
        print("README.md left as it is: its figures come from a run of every scene, in the "
              "default configuration, on the full official MNIST (set MNIST_DIR)")
        return 0
    text = README.read_text()
    text = replace_block(text, "machine", header)
    text = replace_block(text, "gallery", gallery_table([name for _, name in list_scenes()]))
    text = replace_block(text, "narrated", narrated_figures(narrations))
    text = replace_block(text, "own-digit", own_digit)
    if benchmark is not None:
        text = replace_block(text, "training", benchmark)
    if determinism is not None:
        text = replace_block(text, "determinism", determinism)
    with atomic_write(README, "w") as f:
        f.write(text)
    print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
