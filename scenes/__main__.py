"""``python -m scenes``: the scenes' command line. ``python -m scenes list`` prints every
scene, one a line, as ``<file> <SceneName>``; ``python -m scenes --help`` lists the commands.

The file path is relative to the repository root (``scenes/chapter1.py``). Scenes are the
``BeatScene`` subclasses with a ``construct`` defined in the chapter modules (``scenes/chapter*.py``), chapters in
numeric order and scenes in the order they appear in their file. ``make video`` renders them.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent


def chapter_files() -> list[Path]:
    def number(path: Path) -> int:
        match = re.search(r"(\d+)$", path.stem)
        return int(match.group(1)) if match else 0

    return sorted(PACKAGE_DIR.glob("chapter*.py"), key=lambda p: (number(p), p.name))


def scenes_in(module) -> list[type]:
    """The module's scenes: its ``SCENES`` tuple (narrative order) if it has one, else the
    scenes it defines, in file order."""
    from scenes.base import BeatScene

    if hasattr(module, "SCENES"):
        return list(module.SCENES)

    found = [obj for obj in vars(module).values()
             if inspect.isclass(obj) and issubclass(obj, BeatScene) and obj is not BeatScene
             and obj.__module__ == module.__name__
             and obj.construct is not BeatScene.construct]  # skip helper bases with no story
    return sorted(found, key=lambda cls: inspect.getsourcelines(cls)[1])


def list_scenes() -> list[tuple[str, str]]:
    """``(file relative to the repository root, scene name)`` for every scene."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    rows = []
    for path in chapter_files():
        module = importlib.import_module(f"scenes.{path.stem}")
        rel = path.relative_to(ROOT).as_posix()
        rows += [(rel, cls.__name__) for cls in scenes_in(module)]
    return rows


def cmd_list(args: argparse.Namespace) -> int:
    for rel, name in list_scenes():
        print(rel, name)
    return 0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        # One line, not argparse's usage block: "error: <what> (see: <prog> --help)", exit 2.
        self.exit(2, f"error: {message} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line; each command is a subparser whose ``func`` runs it."""
    parser = _Parser(
        prog="python -m scenes",
        description="The scenes of the neural-network series (render one with "
                    "`manim render -ql <file> <SceneName>`).",
        epilog="The network and the look come from the environment: NN_PRESET, NN_LAYERS, "
               "NN_ACTIVATION, NN_COST, NN_PALETTE, NN_SLIDES (see README).")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="<command>",
                                     parser_class=_Parser)
    lister = commands.add_parser(
        "list", help="print every scene, one a line, as `<file> <SceneName>`",
        description="Print every scene, one a line, as `<file> <SceneName>` (file relative to "
                    "the repository root), chapters in order and scenes in story order.")
    lister.set_defaults(func=cmd_list)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
