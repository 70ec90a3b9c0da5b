"""One LaTeX job at a time per tex folder, across processes, so parallel renders never collide.

manim 0.21's ``tex_to_svg_file`` writes ``<hash>.tex``, runs latex into ``<hash>.dvi``, converts
it with dvisvgm into ``<hash>.svg`` and then (``delete_nonsvg_files``) deletes *every* file in
the tex folder that is not ``.svg`` or ``.tex``. Two renders sharing a media folder therefore
delete each other's ``.dvi`` (and ``.aux``/``.log``) mid-compile, and the victim fails with a
message that wrongly blames dvisvgm.

``install()`` (run when ``scenes.base`` is imported) wraps ``tex_to_svg_file`` in an exclusive
``fcntl.flock`` on the tex folder itself, so the cache check, compile, conversion and clean-up
of one formula run as one step across processes, while the cache stays shared.

Why a lock rather than a clean-up that deletes only the formula's own files: the clean-up is not
the only race. Two renders meeting the same new formula would run latex on the same ``.tex`` into
the same ``.dvi`` at once, and a render can find another's ``.tex`` or ``.svg`` half-written
(manim writes neither atomically) and compile or parse it. The lock closes all of these; its
cost is that LaTeX no longer runs in parallel across renders (a cached formula holds the lock
only for a moment). The folder, not a file in it, is locked because the clean-up would delete a
lock file (and a deleted lock file no longer excludes anyone).
"""

from __future__ import annotations

import functools
import os

try:
    import fcntl
except ImportError:  # not POSIX: no lock, manim's own behaviour
    fcntl = None

import manim.mobject.text.tex_mobject as _tex_mobject
import manim.utils.tex_file_writing as _tex_file_writing
from manim import config


def _locked(tex_to_svg_file):
    @functools.wraps(tex_to_svg_file)
    def locked_tex_to_svg_file(*args, **kwargs):
        tex_dir = config.get_dir("tex_dir")
        tex_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(tex_dir, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd is closed
            return tex_to_svg_file(*args, **kwargs)
        finally:
            os.close(fd)

    locked_tex_to_svg_file.nn_explained_locked = True
    return locked_tex_to_svg_file


def install() -> None:
    """Wrap manim's ``tex_to_svg_file`` where it is defined and where ``Tex``/``MathTex``
    (``manim.mobject.text.tex_mobject``) imported it. Safe to call again."""
    if fcntl is None:
        return
    for module in (_tex_file_writing, _tex_mobject):
        if not getattr(module.tex_to_svg_file, "nn_explained_locked", False):
            module.tex_to_svg_file = _locked(module.tex_to_svg_file)
