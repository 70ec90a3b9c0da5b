"""The render speed-ups (``scenes.speedups``, ``scenes.camera``, one flash per layer) change how
fast frames are made, not what they show: frames rendered with them are compared with frames
rendered by manim's own code paths (``NN_STOCK_MANIM=1``) or by the construction they replace.

Frames are taken from the renderer as they are made (before any video encoding), at a small
size and a low frame rate: the same drawing code runs, only on fewer pixels and frames."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (DOWN, RIGHT, UP, AnimationGroup, Circle, DecimalNumber, ImageMobject, Scene,
                   ShowPassingFlash, UpdateFromAlphaFunc, tempconfig)
from manim.renderer.cairo_renderer import CairoRenderer

from network.model import Network
from scenes import style
from scenes.base import BeatScene
from scenes.ch1 import forward
from scenes.ch2 import descent, surface
from scenes.ch3 import steps
from scenes.mobjects import NetworkMobject
from scenes.speedups import FileWriter


def record_frames(monkeypatch) -> list[np.ndarray]:
    """Every frame the renderer makes from now on (a held frame once per frame it lasts)."""
    frames: list[np.ndarray] = []
    add_frame = CairoRenderer.add_frame

    def recording_add_frame(self, frame, num_frames=1):
        frames.extend([frame.copy()] * num_frames)
        return add_frame(self, frame, num_frames)

    monkeypatch.setattr(CairoRenderer, "add_frame", recording_add_frame)
    return frames


def render_frames(cls, monkeypatch, tmp_path, *, stock: bool, tex_dir=None, **overrides):
    monkeypatch.setenv("NN_STOCK_MANIM", "1" if stock else "0")
    for name, value in overrides.items():
        monkeypatch.setattr(cls, name, value)
    monkeypatch.chdir(tmp_path)
    options = {"pixel_width": 256, "pixel_height": 144, "frame_rate": 5,
               "media_dir": str(tmp_path / ("stock" if stock else "fast")),
               "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING",
               "write_to_movie": False}
    if tex_dir is not None:
        options["tex_dir"] = str(tex_dir)
    with tempconfig(options):
        frames = record_frames(monkeypatch)
        scene = cls()
        scene.render()
    monkeypatch.undo()
    return scene, np.stack(frames)


def assert_same_frames(a: np.ndarray, b: np.ndarray, what: str, tolerance: int = 0) -> None:
    """Same number of frames, each the same to within ``tolerance`` levels of 255."""
    assert a.shape == b.shape, f"{what}: {a.shape} frames against {b.shape}"
    assert a[..., :3].std() > 1, f"{what}: the frames are blank"
    differ = np.abs(a.astype(int) - b.astype(int)).max(axis=(1, 2, 3))
    assert differ.max() <= tolerance, (f"{what}: {np.sum(differ > tolerance)} of {len(a)} frames "
                                       f"differ, by up to {differ.max()} levels")


# ------------------------------------------------------------------------- one flash per layer
def test_one_flash_over_the_edges_draws_what_a_flash_per_edge_draws(monkeypatch, tmp_path):
    net = Network((784, 16, 16, 10), seed=0)

    def per_edge(nm, layer, run_time):
        """The construction ``flash_animation`` replaces: a ShowPassingFlash per edge."""
        flashes = []
        for edge in nm.edges_into(layer):
            r = edge.strength
            copy = edge.copy().set_stroke(nm.palette.highlight,
                                          width=style.FLASH_WIDTH * (0.35 + 0.65 * r),
                                          opacity=0.5 + 0.5 * r)
            flashes.append(ShowPassingFlash(copy, time_width=style.FLASH_TIME_WIDTH,
                                            run_time=run_time))
        return AnimationGroup(*flashes)

    def scene_with(flash):
        class Flashes(Scene):
            def construct(self):
                nm = NetworkMobject(net, output_labels=False, braces=False)
                self.add(nm)
                for layer in (1, 2, 3):
                    self.play(flash(nm, layer, 1.0))
        return Flashes

    _, old = render_frames(scene_with(per_edge), monkeypatch, tmp_path, stock=True)
    _, new = render_frames(scene_with(lambda nm, l, t: nm.flash_animation(l, run_time=t)),
                           monkeypatch, tmp_path, stock=True)
    assert_same_frames(old, new, "flashes")


# ------------------------------------------------------------------ the switchable speed-ups
def test_readouts_and_images_draw_the_same_with_and_without_the_speedups(monkeypatch, tmp_path):
    """A readout followed on every frame (set to the same text on most of them) and images
    moved, scaled and faded, in a scene of our base class."""
    rng = np.random.default_rng(0)
    pictures = [(255 * rng.random((28, 28))).astype(np.uint8) for _ in range(12)]

    class Readouts(BeatScene):
        def construct(self):
            number = DecimalNumber(0, num_decimal_places=2, font_size=40).to_edge(UP)
            thumbs = [ImageMobject(p).scale_to_fit_height(0.8).shift((k - 6) * 0.9 * RIGHT)
                      for k, p in enumerate(pictures)]
            self.add(number, *thumbs)
            self.play(UpdateFromAlphaFunc(number, lambda m, a: m.set_value(round(3 * a, 1))),
                      *[t.animate.shift(DOWN).scale(1.3).set_opacity(0.5) for t in thumbs],
                      run_time=3)

    _, stock = render_frames(Readouts, monkeypatch, tmp_path, stock=True)
    _, fast = render_frames(Readouts, monkeypatch, tmp_path, stock=False)
    assert_same_frames(stock, fast, "readouts and images")


@pytest.mark.parametrize("cls, model, overrides, tolerance", [
    # thumbnails shuffled and split into minibatches, readouts, a cost curve
    (steps.MiniBatches, "partial_model", {"max_steps": 40, "probe_size": 200}, 0),
    (descent.SingleVariableDescent, None, {}, 0),   # readouts following every step
    (forward.ForwardPass, "quick_model", {}, 0),    # a digit image, flashes, fills
    # a shaded surface seen by a moving camera, balls rolling, readouts: batched faces
    # shade with vectorised sums, a level of 255 apart at most
    (surface.TwoVariableGradient, None, {}, 1),
], ids=["MiniBatches", "SingleVariableDescent", "ForwardPass", "TwoVariableGradient"])
def test_real_scenes_draw_the_same_frames(cls, model, overrides, tolerance, mnist, tex_dir,
                                          request, monkeypatch, tmp_path):
    if model is not None:
        trained = request.getfixturevalue(model)
        overrides = {"load_data": lambda self: mnist, "load_model": lambda self, d: trained,
                     **overrides}
    _, stock = render_frames(cls, monkeypatch, tmp_path, stock=True, tex_dir=tex_dir, **overrides)
    _, fast = render_frames(cls, monkeypatch, tmp_path, stock=False, tex_dir=tex_dir, **overrides)
    assert_same_frames(stock, fast, cls.__name__, tolerance)


# ----------------------------------------------------------------------------------- encoding
def test_partial_movies_are_encoded_with_the_faster_preset(monkeypatch, tmp_path):
    """The file writer asks x264 for the faster preset (unless stock), and what it encodes
    decodes to the frames drawn, within compression's error."""
    import av

    written = {}

    class Still(BeatScene):
        def construct(self):
            self.play(ImageMobject(np.tile(np.arange(256, dtype=np.uint8), (64, 1)))
                      .scale_to_fit_width(12).animate.shift(DOWN), run_time=1)
            writer = self.renderer.file_writer
            written["writer"] = type(writer)

    for stock in (False, True):
        monkeypatch.setenv("NN_STOCK_MANIM", "1" if stock else "0")
        monkeypatch.chdir(tmp_path)
        with tempconfig({"pixel_width": 256, "pixel_height": 144, "frame_rate": 5,
                         "media_dir": str(tmp_path / f"enc{stock}"), "disable_caching": True,
                         "progress_bar": "none", "verbosity": "WARNING"}):
            scene = Still()
            opened = []
            original = FileWriter.open_partial_movie_stream

            def spy(self, file_path=None):
                original(self, file_path)
                opened.append(dict(self._current_encode_job.stream.codec_context.options))

            monkeypatch.setattr(FileWriter, "open_partial_movie_stream", spy)
            scene.render()
            video = scene.renderer.file_writer.movie_file_path
        assert written["writer"] is FileWriter
        assert opened and all(o.get("preset") == (None if stock else "veryfast") for o in opened)
        with av.open(str(video)) as container:
            decoded = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        assert len(decoded) == 5
        monkeypatch.undo()


def test_a_held_frame_is_converted_once_and_encodes_to_the_same_bytes(monkeypatch, tmp_path):
    """``write_held_frame`` gives x264 the same pictures as manim's loop (one RGBA frame per
    copy, converted by the encoder): the files are byte for byte the same. A scene's wait
    goes through it with the number of frames it lasts."""
    import io

    import av
    from manim.scene.scene_file_writer import _PartialMovieEncodeJob

    from scenes.speedups import write_held_frame

    rng = np.random.default_rng(5)
    frames = [(255 * rng.random((72, 128, 4))).astype(np.uint8) for _ in range(3)]

    def encode(write) -> bytes:
        buffer = io.BytesIO()
        with av.open(buffer, "w", format="mp4") as container:
            stream = container.add_stream("libx264", rate=15)
            stream.width, stream.height, stream.pix_fmt = 128, 72, "yuv420p"
            for frame, n in zip(frames, (1, 7, 3)):
                write(stream, container, frame, n)
            for packet in stream.encode():
                container.mux(packet)
        return buffer.getvalue()

    def manims(stream, container, frame, n):
        job = _PartialMovieEncodeJob.__new__(_PartialMovieEncodeJob)
        job.stream, job.container = stream, container
        _PartialMovieEncodeJob._encode_and_write_frame(job, frame, n)

    ours = encode(write_held_frame)
    assert ours == encode(manims)
    with av.open(io.BytesIO(ours)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 11

    held = []
    monkeypatch.setattr("scenes.speedups.write_held_frame",
                        lambda stream, container, frame, n: (held.append(n),
                                                             write_held_frame(stream, container, frame, n)))

    class Waits(BeatScene):
        def construct(self):
            self.add(Circle())
            self.wait(1)

    monkeypatch.setenv("NN_STOCK_MANIM", "0")
    monkeypatch.chdir(tmp_path)
    with tempconfig({"pixel_width": 256, "pixel_height": 144, "frame_rate": 5,
                     "media_dir": str(tmp_path / "held"), "disable_caching": True,
                     "progress_bar": "none", "verbosity": "WARNING"}):
        Waits().render()
    assert held == [5]
