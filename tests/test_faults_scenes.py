"""Faults at the edges of the scenes: a bad environment variable, renders sharing a media folder,
a dry run with manim-slides, and the ``python -m scenes`` command line.

Most tests run ``manim`` or ``python -m scenes`` as a subprocess, at a tiny resolution, on small
scene files written into ``tmp_path`` (so no network is trained and nothing is cached between
runs); subprocesses that can run at once are started together.
"""

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

MANIM = [sys.executable, "-m", "manim"]
TINY = ["-r", "160,90", "--fps", "5"]

HAS_LATEX = bool(shutil.which("latex") and shutil.which("dvisvgm"))
try:
    import manim_slides  # noqa: F401
    HAS_SLIDES = True
except ImportError:
    HAS_SLIDES = False


def clean_env(**settings) -> dict:
    """This environment without any scene setting, plus ``settings``."""
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("NN_") and k != "NN_EXPLAINED_CACHE") and k != "MNIST_DIR"}
    env.update(settings)
    return env


def start(command, env, cwd=ROOT):
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process, timeout=240):
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def tail(text, lines=25):
    return "\n".join(text.splitlines()[-lines:])


# ----------------------------------------------- 5. a bad setting: one line, exit code 2
BAD_SETTINGS = [
    # variable, value, what the line must also say (the allowed values)
    ("NN_LAYERS", "abc", ["784,16,16,10"]),
    ("NN_PALETTE", "bogus", ["default", "colorblind"]),
    ("NN_PRESET", "nope", ["video", "tweaked", "relu"]),
    ("NN_ACTIVATION", "tanh", ["sigmoid", "relu"]),
    ("NN_COST", "x", ["quadratic", "cross-entropy"]),
    ("NN_SLIDES", "maybe", ["0", "1", "off", "on"]),
    ("NN_STOCK_MANIM", "sometimes", ["0", "1", "off", "on"]),
]


def check_one_line(name, value, allowed, rc, err):
    lines = err.strip().splitlines()
    assert rc == 2, f"{name}={value}: exit code {rc}, stderr:\n{tail(err)}"
    assert len(lines) == 1, f"{name}={value}: {len(lines)} lines on stderr:\n{tail(err)}"
    line = lines[0]
    assert line.startswith("error: ") and name in line and repr(value) in line, line
    for word in allowed:
        assert word in line, f"{word!r} missing from: {line}"


# The check runs when the scenes package is imported, before any chapter's own code, so it
# is the same for every setting and scene: three renders (of three chapters) stand for all of
# them here, and `python -m scenes list` (quick: it imports no manim to fail) tries each setting.
RENDERS = [(BAD_SETTINGS[0], "scenes/chapter1.py", "ForwardPass"),
           (BAD_SETTINGS[1], "scenes/chapter2.py", "CostOfOneExample"),
           (BAD_SETTINGS[3], "scenes/chapter3.py", "BackpropSummary")]


def test_a_bad_setting_stops_manim_render_with_one_line():
    """A bad setting, each its own ``manim render`` (started together): one ``error:`` line
    naming the variable, its value and the allowed values; exit code 2."""
    runs = [(name, value, allowed,
             start([*MANIM, "render", "-ql", *TINY, file, scene], clean_env(**{name: value})))
            for (name, value, allowed), file, scene in RENDERS]
    for name, value, allowed, process in runs:
        rc, _, err = finish(process)
        check_one_line(name, value, allowed, rc, err)


@pytest.mark.parametrize("name, value, allowed", BAD_SETTINGS)
def test_a_bad_setting_stops_scene_list_with_one_line(name, value, allowed):
    rc, out, err = finish(start([sys.executable, "-m", "scenes", "list"],
                                clean_env(**{name: value})))
    check_one_line(name, value, allowed, rc, err)
    assert out == ""


@pytest.mark.parametrize("env, name", [
    *[({name: value}, name) for name, value, _ in BAD_SETTINGS],
    ({"NN_LAYERS": "784,10,11"}, "NN_LAYERS"),
    ({"NN_PRESET": "relu", "NN_COST": "hinge"}, "NN_COST"),
    ({"MNIST_DIR": "no-such-folder"}, "MNIST_DIR"),
    ({"NN_EXPLAINED_CACHE": "a-file"}, "NN_EXPLAINED_CACHE"),
])
def test_every_setting_the_scenes_read_is_checked(env, name, tmp_path, monkeypatch):
    from scenes import settings

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    message = settings.problem(env)
    assert message is not None and name in message and repr(env[name]) in message, message
    assert "\n" not in message


@pytest.mark.parametrize("env", [
    {}, {"NN_SLIDES": "0"}, {"NN_SLIDES": "Off"}, {"NN_SLIDES": "1"}, {"NN_SLIDES": ""},
    {"NN_PALETTE": "colorblind", "NN_PRESET": "relu", "NN_LAYERS": "784,32,10"},
    {"NN_ACTIVATION": "relu", "NN_COST": "cross-entropy"},
])
def test_good_settings_pass_the_check(env, tmp_path):
    from scenes import settings

    env = {**env, "NN_EXPLAINED_CACHE": str(tmp_path / "not-yet-made")}
    assert settings.problem(env) is None
    settings.check_environment(env)  # returns; does not exit
    assert settings.slides_from_env(env) == (env.get("NN_SLIDES", "1").lower() not in ("0", "off"))


# ------------------------------------------ 7. renders sharing a media folder never collide
RACE_SCENE = '''
import os
import random

from manim import MathTex, TexTemplate

from scenes.base import BeatScene

COUNT = int(os.environ["RACE_FORMULAS"])
TEMPLATE = TexTemplate(preamble=r"\\usepackage{amsmath}")  # a small preamble compiles quickly


class ManyFormulas(BeatScene):
    def construct(self):
        rng = random.Random()  # new formulas every run: nothing comes from the LaTeX cache
        for i in range(COUNT):
            self.add(MathTex(rf"x_{{{i}}} = {rng.randrange(10**12)}", tex_template=TEMPLATE))
'''


@pytest.mark.skipif(not HAS_LATEX, reason="needs latex and dvisvgm")
def test_renders_sharing_a_media_folder_do_not_break_each_others_latex(tmp_path):
    """Two renders typeset new formulas into one tex folder at the same time. manim deletes
    every non-.svg/.tex file in that folder after each formula, so without a lock one render
    deletes the other's fresh .dvi and fails ("does not support converting .dvi files to SVG").

    To make the collision certain rather than likely, one render's ``latex`` is a wrapper that
    pauses 1.5 s after compiling (as a busy machine would before dvisvgm starts): the other
    render's clean-up then lands inside that window. With the lock they take turns instead."""
    (tmp_path / "race.py").write_text(RACE_SCENE)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "latex"
    wrapper.write_text(f'#!/bin/sh\n"{shutil.which("latex")}" "$@"\nrc=$?\n'
                       '[ -n "$LATEX_PAUSE" ] && sleep "$LATEX_PAUSE"\nexit $rc\n')
    wrapper.chmod(0o755)
    env = clean_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", NN_SLIDES="0")
    command = [*MANIM, "render", "-s", *TINY, "--media_dir", "media", "race.py", "ManyFormulas"]
    runs = [start(command, {**env, "RACE_FORMULAS": "2", "LATEX_PAUSE": "1.5"}, cwd=tmp_path),
            start(command, {**env, "RACE_FORMULAS": "4"}, cwd=tmp_path)]
    results = [finish(p) for p in runs]
    for i, (rc, out, err) in enumerate(results):
        assert rc == 0, f"render {i} failed:\n{tail(out, 15)}\n{tail(err)}"
    svgs = list((tmp_path / "media" / "Tex").glob("*.svg"))
    assert len(svgs) == 6, sorted(p.name for p in svgs)


def test_the_tex_lock_wraps_what_mathtex_calls():
    import manim.mobject.text.tex_mobject as tex_mobject
    import manim.utils.tex_file_writing as tex_file_writing

    import scenes.base  # noqa: F401  (installs the lock)
    from scenes import texlock

    texlock.install()  # a second call does not wrap twice
    for module in (tex_mobject, tex_file_writing):
        wrapped = module.tex_to_svg_file
        assert getattr(wrapped, "nn_explained_locked", False), module.__name__
        assert not getattr(wrapped.__wrapped__, "nn_explained_locked", False)


# --------------------------------------------------- 11. a dry run with manim-slides active
DRY_SCENE = '''
from manim import Circle, Create, FadeOut, Square

from scenes.base import BeatScene, ThreeDBeatScene


class Flat(BeatScene):
    def construct(self):
        self.beat("A square.", "square")
        square = Square()
        self.play(Create(square), run_time=0.4)
        self.beat("And it goes.", "gone")
        self.play(FadeOut(square), run_time=0.4)


class Deep(ThreeDBeatScene):
    def construct(self):
        self.beat("A circle in 3-D.", "circle")
        self.play(Create(Circle()), run_time=0.4)
'''


@pytest.mark.skipif(not HAS_SLIDES, reason="manim-slides is not installed")
def test_a_dry_run_with_slides_renders_and_writes_nothing(tmp_path):
    (tmp_path / "dry.py").write_text(DRY_SCENE)
    rc, out, err = finish(start([*MANIM, "render", "--dry_run", *TINY, "--media_dir", "media",
                                 "dry.py", "Flat", "Deep"], clean_env(NN_SLIDES="1"), cwd=tmp_path))
    assert rc == 0, f"{tail(out, 15)}\n{tail(err)}"
    assert "Rendered Flat" in out and "Rendered Deep" in out
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".mp4", ".json", ".srt", ".png")]
    assert written == []
    assert not (tmp_path / "slides").exists()


# ------------------------------------------------------------- python -m scenes: the CLI
def run_scenes_cli(*args):
    return finish(start([sys.executable, "-m", "scenes", *args], clean_env()))


def test_scenes_help_names_the_commands():
    rc, out, err = run_scenes_cli("--help")
    assert rc == 0, err
    assert out.startswith("usage: python -m scenes")
    assert re.search(r"^\s+list\s+\S", out, re.M), out  # the command, with its one-line help
    rc, out, err = run_scenes_cli("list", "--help")
    assert rc == 0 and out.startswith("usage: python -m scenes list"), err
    rc, out, err = run_scenes_cli()  # no command: the help, on stderr, exit code 2
    assert rc == 2 and out == "" and err.startswith("usage: python -m scenes") and "list" in err


@pytest.mark.parametrize("args", [("bogus",), ("list", "extra")])
def test_scenes_cli_refuses_unknown_commands_in_one_line(args):
    rc, out, err = run_scenes_cli(*args)
    assert rc == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and args[-1] in lines[0], err
