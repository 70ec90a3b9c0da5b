"""What each render speed-up saves, measured one at a time on the work it replaces.

    .venv/bin/python benchmarks/speedup_benchmark.py [--width 1920 --height 1080] [--json]

Each row times the same drawing done manim's own way and ours, at the chosen frame size
(default 1080p), as the scenes do it:

* images: one frame of 300 digit thumbnails (MiniBatches' grid), manim's ``Camera`` against
  ``scenes.camera.BoxedImageCamera``;
* surface: one frame of a shaded 24 x 24 surface and 3-D axes seen at an angle (as in
  TwoVariableGradient), ``ThreeDCamera`` against ``BoxedImageThreeDCamera`` (batched faces,
  axis gradients once per axis);
* readout: 60 frames of a ``DecimalNumber`` following an animation, set on every frame to a
  value shown to 2 decimals, with and without ``scenes.speedups``' unchanged-text check;
* flashes: the set-up (added to the scene, begun, one step) of one layer's signal, the 16 x 16
  edges drawn into layer 2 of a 784-16-16-10 network, as one ShowPassingFlash per edge
  against one over the group, in a scene holding the network;
* paths: one frame of 784 pixel circles and a formula, all on screen (NeuronHoldsANumber's
  grid), manim's ``Camera`` and families against ``BoxedImageCamera``'s paths from Python
  floats and ``scenes.speedups``' leaf families;
* off the frame: one frame of the same 784 circles unrolled into a column that runs far off
  the frame, and a layer's 256 flash copies before their window (points of no length);
* held frame: one second (60 frames) of a wait, handed to x264 as manim does (converted to YUV
  60 times) against ``scenes.speedups.write_held_frame`` (converted once), ``veryfast`` both;
* encoding: 120 frames like a scene's (dark, with filled shapes, every other one shifted)
  encoded with x264 ``medium`` (manim's) against ``veryfast`` (ours), with the size of each and
  its fidelity to the frames encoded (PSNR).

Prints a Markdown table (``--json``: one JSON object on the last line); ``--readme`` also
writes it into the README's speedups block, with the machine it was measured on.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def best_of(repeats: int, work) -> float:
    """The median wall time of ``repeats`` runs of ``work()``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def images_row(size) -> dict:
    from manim import Camera, Group, ImageMobject, tempconfig

    from scenes.camera import BoxedImageCamera

    rng = np.random.default_rng(0)
    thumbs = Group(*[ImageMobject((255 * rng.random((28, 28))).astype(np.uint8))
                     .scale_to_fit_height(0.3) for _ in range(300)]).arrange_in_grid(15, 20, buff=0.03)
    with tempconfig({"pixel_width": size[0], "pixel_height": size[1]}):
        cams = {name: cls(background_color="#000000")
                for name, cls in (("stock", Camera), ("ours", BoxedImageCamera))}
        times = {name: best_of(3, lambda c=c: c.capture_mobjects(list(thumbs))) for name, c in cams.items()}
    return {"change": "images: 300 thumbnails, one frame", **times}


def surface_row(size) -> dict:
    from manim import DEGREES, Surface, ThreeDAxes, ThreeDCamera, tempconfig

    from scenes.camera import BoxedImageThreeDCamera

    surface = Surface(lambda u, v: np.array([u, v, 0.4 * np.sin(u) * np.cos(v)]),
                      u_range=[-3, 3], v_range=[-3, 3], resolution=(24, 24),
                      checkerboard_colors=["#1D4F91", "#2F6DB5"], stroke_width=0.5,
                      fill_opacity=0.85)
    axes = ThreeDAxes()
    times = {}
    with tempconfig({"pixel_width": size[0], "pixel_height": size[1]}):
        for name, cls in (("stock", ThreeDCamera), ("ours", BoxedImageThreeDCamera)):
            camera = cls(background_color="#000000")
            camera.set_phi(65 * DEGREES)
            camera.set_theta(-50 * DEGREES)
            times[name] = best_of(5, lambda c=camera: c.capture_mobjects([axes, surface]))
    return {"change": "surface: 576 shaded faces and 3-D axes, one frame", **times}


def readout_row(size) -> dict:
    from manim import DecimalNumber

    import scenes.base  # noqa: F401 -- installs the speed-ups
    from scenes import speedups

    def follow():
        number = DecimalNumber(0, num_decimal_places=2)
        for k in range(60):
            number.set_value(0.5 + 0.1 * k / 60)  # 0.50 ... 0.60: the text changes 10 times

    times = {}
    for name, stock in (("stock", "1"), ("ours", "0")):
        os.environ["NN_STOCK_MANIM"] = stock
        times[name] = best_of(3, follow)
    os.environ.pop("NN_STOCK_MANIM", None)
    assert speedups.stock_manim_wanted() is False
    return {"change": "readout: 60 frames of a followed DecimalNumber", **times}


def flashes_row(size) -> dict:
    from manim import AnimationGroup, Scene, ShowPassingFlash, tempconfig

    from network.model import Network
    from scenes import style
    from scenes.mobjects import NetworkMobject

    nm = NetworkMobject(Network((784, 16, 16, 10), seed=0))

    def per_edge():
        flashes = [ShowPassingFlash(e.copy().set_stroke(nm.palette.highlight, width=3),
                                    time_width=style.FLASH_TIME_WIDTH) for e in nm.edges_into(2)]
        return AnimationGroup(*flashes)

    def set_up(make):
        with tempconfig({"pixel_width": size[0], "pixel_height": size[1],
                         "write_to_movie": False, "verbosity": "ERROR"}):
            scene = Scene()
            scene.add(nm)
            animation = make()
            animation._setup_scene(scene)
            animation.begin()
            animation.interpolate(0.5)

    return {"change": "flashes: one layer's 256 edges, set up",
            "stock": best_of(3, lambda: set_up(per_edge)),
            "ours": best_of(3, lambda: set_up(lambda: nm.flash_animation(2)))}


def _circles():
    from manim import UP, Circle, MathTex, VGroup

    rng = np.random.default_rng(1)
    circles = VGroup(*[Circle(radius=0.09, stroke_width=0.8, stroke_color="#888888",
                              fill_color="#FFFFFF", fill_opacity=float(rng.random()))
                       for _ in range(784)])
    return circles, MathTex(r"a^{(1)} = \sigma\left(W a^{(0)} + b\right)").to_edge(UP)


def _capture_both(size, mobjects, repeats: int = 5) -> dict:
    """One frame of ``mobjects`` with manim's camera and families, then with ours."""
    from manim import Camera, tempconfig

    from scenes import speedups
    from scenes.camera import BoxedImageCamera

    times = {}
    with tempconfig({"pixel_width": size[0], "pixel_height": size[1]}):
        for name, cls, stock in (("stock", Camera, "1"), ("ours", BoxedImageCamera, "0")):
            os.environ["NN_STOCK_MANIM"] = stock
            speedups.install()
            camera = cls(background_color="#000000")
            times[name] = best_of(repeats, lambda c=camera: c.capture_mobjects(mobjects))
    os.environ.pop("NN_STOCK_MANIM", None)
    speedups.install()
    return times


def paths_row(size) -> dict:
    from manim import DOWN

    circles, formula = _circles()
    circles.arrange_in_grid(28, 28, buff=0.05).shift(0.6 * DOWN)
    return {"change": "paths: 784 circles and a formula on screen, one frame",
            **_capture_both(size, [circles, formula])}


def off_frame_row(size) -> dict:
    from manim import DOWN, VMobject

    circles, _ = _circles()
    circles.arrange(DOWN, buff=0.04)      # a column 170 units long, centred on the frame
    spent = [VMobject(stroke_width=3).set_points(np.tile([0.5 * k % 7, 1.0, 0.0], (4, 1)))
             for k in range(256)]
    return {"change": "off the frame: a 784-circle column, 5% on screen, and 256 spent flash "
            "copies, one frame", **_capture_both(size, [circles, *spent])}


def held_frame_row(size) -> dict:
    import av

    from scenes.speedups import write_held_frame

    rng = np.random.default_rng(2)
    picture = np.zeros((size[1], size[0], 4), np.uint8)
    picture[..., 3] = 255
    for _ in range(120):
        x, y = rng.integers(0, size[0] - 60), rng.integers(0, size[1] - 40)
        picture[y:y + rng.integers(2, 40), x:x + rng.integers(2, 60), :3] = rng.integers(40, 255, 3)

    def manims(stream, container, frame, n):
        for _ in range(n):
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgba")):
                container.mux(packet)

    def encode(write):
        with av.open(io.BytesIO(), mode="w", format="mp4") as container:
            stream = container.add_stream("libx264", rate=60,
                                          options={"crf": "23", "preset": "veryfast"})
            stream.pix_fmt, stream.width, stream.height = "yuv420p", size[0], size[1]
            write(stream, container, picture, 60)
            for packet in stream.encode():
                container.mux(packet)

    return {"change": "held frame: one second of a wait at 60 fps, encoded",
            "stock": best_of(3, lambda: encode(manims)),
            "ours": best_of(3, lambda: encode(write_held_frame))}


def encoding_row(size) -> dict:
    import av

    rng = np.random.default_rng(0)
    picture = np.zeros((size[1], size[0], 3), np.uint8)
    for _ in range(120):   # a dark frame with filled shapes and text-like specks
        x, y = rng.integers(0, size[0] - 60), rng.integers(0, size[1] - 40)
        picture[y:y + rng.integers(2, 40), x:x + rng.integers(2, 60)] = rng.integers(40, 255, 3)
    result, sizes, quality = {"change": "encoding: 120 frames, x264 medium against veryfast"}, {}, {}
    for name, preset in (("stock", "medium"), ("ours", "veryfast")):
        def encode():
            buffer = io.BytesIO()
            with av.open(buffer, mode="w", format="mp4") as container:
                stream = container.add_stream("libx264", rate=60,
                                              options={"crf": "23", "preset": preset})
                stream.pix_fmt, stream.width, stream.height = "yuv420p", size[0], size[1]
                for k in range(120):
                    frame = np.roll(picture, 4 * k, axis=1) if k % 2 else picture
                    for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                        container.mux(packet)
                for packet in stream.encode():
                    container.mux(packet)
            sizes[name] = buffer.getvalue()
        result[name] = best_of(3, encode)
        quality[name] = psnr(sizes[name], [np.roll(picture, 4 * k, axis=1) if k % 2 else picture
                                           for k in range(120)])
    result["note"] = (f"{len(sizes['stock']) / 1024:.0f} KiB at {quality['stock']:.1f} dB against "
                      f"{len(sizes['ours']) / 1024:.0f} KiB at {quality['ours']:.1f} dB")
    return result


def psnr(encoded: bytes, originals: list[np.ndarray]) -> float:
    """Peak signal-to-noise ratio of the decoded video against the frames encoded, in dB over
    all frames (higher is closer; above about 40 dB the difference is hard to see)."""
    import av

    squared, count = 0.0, 0
    with av.open(io.BytesIO(encoded)) as container:
        for frame, original in zip(container.decode(video=0), originals):
            difference = frame.to_ndarray(format="rgb24").astype(np.float64) - original
            squared += float(np.sum(difference ** 2))
            count += difference.size
    return 10 * np.log10(255 ** 2 / (squared / count)) if squared else float("inf")


ROWS = (images_row, surface_row, readout_row, flashes_row, paths_row, off_frame_row,
        held_frame_row, encoding_row)


def markdown(rows: list[dict], size) -> str:
    from figures import machine_description

    lines = ["| at %dx%d | manim's way | ours | speed-up |" % size, "|---|--:|--:|--:|"]
    for r in rows:
        note = f" ({r['note']})" if r.get("note") else ""
        lines.append(f"| {r['change']}{note} | {1000 * r['stock']:.1f} ms "
                     f"| {1000 * r['ours']:.1f} ms | {r['stock'] / r['ours']:.1f}x |")
    lines += ["", f"Measured on {datetime.date.today().isoformat()} on {machine_description()}, "
              "by `benchmarks/speedup_benchmark.py`."]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args(argv)
    size = (args.width, args.height)
    rows = [row(size) for row in ROWS]
    table = markdown(rows, size)
    print(table)
    if args.readme:
        from figures import replace_block
        readme = ROOT / "README.md"
        readme.write_text(replace_block(readme.read_text(), "speedups", table))
    if args.json:
        print(json.dumps({"size": size, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
