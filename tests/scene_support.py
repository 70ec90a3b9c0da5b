"""What the scene tests share: render a scene with the test's data and model swapped in, and
check its video, its subtitles and that it stays on the frame.

The session fixtures that feed these (``mnist``, ``quick_model``, ``quick_relu_model``,
``tex_dir``) live in tests/conftest.py."""

import srt
from manim import ImageMobject, VMobject, tempconfig

# Everything drawn stays inside the 14.22 x 8 frame, with this little margin.
FRAME_X = 7.1
FRAME_Y = 3.98


def quiet(*_):
    """A log function that says nothing."""


def render_scene(cls, data, model, tmp_path, monkeypatch, *, tex_dir=None, video=True,
                 frame_rate=None, **class_overrides):
    """Render ``cls`` at -ql into ``tmp_path`` with ``data`` and ``model`` swapped in for what the
    scene would load (pass None for both when the scene needs no network), and
    ``class_overrides`` set on the class for the test.

    With ``video`` False only a still is made, as `manim -s`: every animation is skipped to its
    end. A ``tex_dir`` shares one LaTeX cache between renders; a low ``frame_rate`` makes fewer
    frames of the same drawing. Returns the scene and its video path (None for a still)."""
    if data is not None:
        monkeypatch.setattr(cls, "load_data", lambda self: data)
    if model is not None:
        monkeypatch.setattr(cls, "load_model", lambda self, d: model)
    for name, value in class_overrides.items():
        monkeypatch.setattr(cls, name, value)
    monkeypatch.chdir(tmp_path)  # manim-slides writes slides/ into the working folder
    options = {"quality": "low_quality", "media_dir": str(tmp_path / "media"),
               "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING"}
    if tex_dir is not None:
        options["tex_dir"] = str(tex_dir)
    if frame_rate is not None:
        options["frame_rate"] = frame_rate
    if not video:
        options.update(save_last_frame=True, write_to_movie=False)
    with tempconfig(options):
        scene = cls()
        scene.render()
        path = scene.renderer.file_writer.movie_file_path if video else None
    return scene, path


def check_subtitles(scene, video, *, min_beats=None, in_order=False, seconds=None):
    """The video was written, with one subtitle per beat of ``scene.narrations``, in order,
    beside it. Optionally: at least ``min_beats`` of them; each ends before the next starts
    (``in_order``); the last ends within ``seconds`` = (shortest, longest).
    Returns the subtitles."""
    assert video.exists() and video.stat().st_size > 10_000
    subtitles = list(srt.parse(video.with_suffix(".srt").read_text()))
    assert [s.content for s in subtitles] == [text for _, text in scene.narrations]
    if min_beats is not None:
        assert len(subtitles) >= min_beats
    if in_order:
        for a, b in zip(subtitles, subtitles[1:]):
            assert a.start < a.end <= b.start
    if seconds is not None:
        shortest, longest = seconds
        assert shortest <= subtitles[-1].end.total_seconds() <= longest
    return subtitles


def check_on_frame(scene):
    """Nothing the scene shows at its end (every drawn path and every image) is off the frame."""
    for mob in scene.mobjects:
        for part in mob.get_family():
            if isinstance(part, ImageMobject) or (isinstance(part, VMobject) and part.has_points()):
                assert abs(part.get_right()[0]) <= FRAME_X and abs(part.get_left()[0]) <= FRAME_X, part
                assert abs(part.get_top()[1]) <= FRAME_Y and abs(part.get_bottom()[1]) <= FRAME_Y, part
