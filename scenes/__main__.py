"""``python -m scenes``: the scenes' command line. ``python -m scenes list`` prints every
scene, one a line, as ``<file> <SceneName>``; ``list --json`` prints the catalogue (chapters,
their titles, title cards and scenes with their chapter-mark titles) as one JSON object;
``python -m scenes render`` renders chapters into films and decks and ``python -m scenes
script --chapter N`` writes a chapter's recording script (both the ``production`` package,
run as its own program: the scenes never import it); ``python -m scenes --help`` lists the
commands.

The file path is relative to the repository root (``scenes/chapter1.py``). Scenes are the
``BeatScene`` subclasses with a ``construct`` defined in the chapter modules (``scenes/chapter*.py``), chapters in
numeric order and scenes in the order they appear in their file. ``make video`` renders them.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import re
import sys

from scenes.listing import PACKAGE_DIR, chapter_files, chapter_number

ROOT = PACKAGE_DIR.parent


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


def scene_title(cls: type) -> str:
    """A scene's title for chapter marks and tables: its ``chapter_mark`` if it sets one, else
    its name in words (``ForwardPass`` -> "Forward pass")."""
    if getattr(cls, "chapter_mark", None):
        return cls.chapter_mark
    words = re.findall(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z0-9]+|[A-Z]", cls.__name__)
    return " ".join([words[0]] + [w if len(w) > 1 and w.isupper() else w.lower()
                                  for w in words[1:]])


def catalogue() -> dict:
    """Every chapter in order: ``{"chapters": [{"number", "title", "slug", "file",
    "title_card": {"file", "scene"}, "scenes": [{"scene", "title", "own_digit"}, ...]}, ...]}``
    (``own_digit``: whether the scene shows the viewer's ``NN_DIGIT``, see ``NetworkLoading``)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    chapters = []
    for path in chapter_files():
        module = importlib.import_module(f"scenes.{path.stem}")
        number = chapter_number(path)
        chapters.append({
            "number": number, "title": getattr(module, "TITLE", path.stem), "slug": path.stem,
            "file": path.relative_to(ROOT).as_posix(),
            "title_card": {"file": "scenes/titles.py", "scene": f"Chapter{number}Title"},
            "scenes": [{"scene": cls.__name__, "title": scene_title(cls),
                        "own_digit": getattr(cls, "own_digit", None)}
                       for cls in scenes_in(module)],
        })
    return {"chapters": chapters}


def cmd_list(args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(catalogue()))
        return 0
    for rel, name in list_scenes():
        print(rel, name)
    return 0


def cmd_render(args: argparse.Namespace, command: str = "render") -> int:
    # The production package is a program of its own beside the scenes: hand over to it
    # (exec, not import), with the same arguments and environment.
    argv = [sys.executable, "-m", "production", command, *args.rest]
    os.environ["NN_EXPLAINED_PROG"] = "python -m scenes"
    os.execv(sys.executable, argv)
    return 127  # not reached


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
    lister.add_argument("--json", action="store_true",
                        help="print the catalogue (chapters, titles, title cards, scenes) as JSON")
    lister.set_defaults(func=cmd_list)
    render = commands.add_parser(
        "render", add_help=False,
        help="render chapters in parallel into media/: scenes, films, decks "
             "(see: python -m scenes render --help)",
        description="Render chapters into films and decks: `python -m production render`.")
    render.add_argument("rest", nargs=argparse.REMAINDER)
    render.set_defaults(func=cmd_render)
    script = commands.add_parser(
        "script", add_help=False,
        help="write a chapter's recording script, to narrate it in your own voice "
             "(see: python -m scenes script --help)",
        description="The recording script: `python -m production script`.")
    script.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["render"], ["script"]):  # the rest is the production command's
        return cmd_render(argparse.Namespace(rest=argv[1:]), argv[0])
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
