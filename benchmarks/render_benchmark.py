"""Render benchmark: how long the scenes take to render, against how long they last.

    .venv/bin/python benchmarks/render_benchmark.py                       # every scene, 720p30, all cores
    .venv/bin/python benchmarks/render_benchmark.py -q high --fps 60 -j 1 --scene MiniBatches
    .venv/bin/python benchmarks/render_benchmark.py -q high --fps 60 -j 2 --save after --readme

Renders the chosen scenes (default all, title cards included) from scratch through the
project's render command's own machinery (``production.render``: one manim process per scene,
``--jobs`` at a time, longest first), in a fresh media folder (``media/benchmark/``) whose LaTeX
cache is seeded from ``media/Tex``, so formulas already compiled once are not timed again. The
network is trained or loaded before the clock starts.

Prints a Markdown table: per scene the video length, the render time, the real-time factor
(render time / video length) and the manim process's peak resident memory, then the totals:
the wall time of the whole run and its real-time factor (wall time / total video length).
``--json`` prints the same as one JSON object on the last line.

``--save LABEL`` adds this run to ``benchmarks/results/render.json`` under LABEL (e.g.
"before", "after"), replacing an earlier run with the same label, quality, jobs and scenes;
``--readme`` regenerates the README's render-benchmark block from every saved run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from production.catalogue import CatalogueError, Quality, load_catalogue, select  # noqa: E402
from production.render import (model_identity, plan, render_scenes,  # noqa: E402
                               write_json)
from production.voice import VoiceChoice  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "render.json"
README = ROOT / "README.md"
MiB = 2 ** 20


def run_benchmark(entries, quality: Quality, jobs: int, media: Path, *, slides: bool,
                  voice: str = "none") -> dict:
    """Render ``entries`` from scratch into ``media`` (emptied first, TeX cache seeded) and
    return the run's figures as a dict (see ``as_result``)."""
    if media.exists():
        shutil.rmtree(media)
    (media / "Tex").mkdir(parents=True)
    shared_tex = ROOT / "media" / "Tex"
    if shared_tex.is_dir():
        for path in shared_tex.iterdir():
            if path.is_file():
                shutil.copyfile(path, media / "Tex" / path.name)
    said: list[str] = []
    identity = model_identity(log=lambda m: (said.append(m), print(f"  {m}", file=sys.stderr)))
    choice = VoiceChoice(voice)
    outcomes = plan(entries, quality, identity, media, slides=slides, force=True, voice=choice)
    # Longest first needs last render times: take them from the shared media folder's records.
    previous = {o.entry.scene: o for o in plan(entries, quality, identity, ROOT / "media",
                                               slides=slides, force=True, voice=choice)}
    for o in outcomes:
        o.expected_time = previous[o.entry.scene].expected_time

    def progress(all_outcomes):
        done = sum(o.status in ("rendered", "failed") for o in all_outcomes)
        print(f"  {done}/{len(all_outcomes)} scenes done", file=sys.stderr)

    run = render_scenes(outcomes, quality, media, jobs=jobs, slides=slides, on_change=progress,
                        voice=choice)
    result = as_result(run, quality, jobs, slides)
    result["voice"] = voice
    result["data"] = next((m.split(":", 1)[1].strip() for m in reversed(said)
                           if m.startswith("data:")), "unknown")
    result["total"]["unchanged_rerun"] = round(unchanged_rerun(entries, quality, jobs, media,
                                                               slides=slides, voice=voice), 2)
    return result


def render_command(quality: Quality, jobs: int, media: Path, *, slides: bool,
                   voice: str = "none") -> list[str]:
    command = [sys.executable, "-m", "production", "render", "-q", quality.name, "--voice", voice,
               *(["--resolution", "%dx%d" % quality.resolution] if quality.resolution else []),
               *(["--fps", str(quality.fps)] if quality.fps else []),
               "--jobs", str(jobs), "--media-dir", str(media), "--json"]
    return command if slides else command + ["--no-deck"]


def assemble(quality: Quality, jobs: int, media: Path, *, slides: bool,
             voice: str = "none") -> dict:
    """Run the render command on every chapter, every scene already rendered: it joins the
    films and builds the decks (what ``make video`` does after rendering). Returns its wall
    time and the seconds its records give the films and the decks."""
    start = time.monotonic()
    done = subprocess.run(render_command(quality, jobs, media, slides=slides, voice=voice), cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        raise RuntimeError(f"assembling films and decks failed: {done.stderr[-800:]}")
    records = media / "renders" / quality.folder
    spent = {kind: round(sum(json.loads(p.read_text()).get("seconds", 0.0)
                             for p in records.glob(f"chapter*.{kind}.json")), 2)
             for kind in ("film", "deck")}
    return {"seconds": round(seconds, 2), "films": spent["film"], "decks": spent["deck"]}


def unchanged_rerun(entries, quality: Quality, jobs: int, media: Path, *, slides: bool,
                    voice: str = "none") -> float:
    """Wall time of the render command asked for the same scenes again, nothing changed: it
    starts, loads the network, fingerprints every scene and finds each up to date."""
    command = render_command(quality, jobs, media, slides=slides, voice=voice)
    # scenes named one by one: no film or deck is assembled, only the up-to-date check is timed
    for entry in entries:
        command += ["--scene", entry.scene]
    start = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - start
    report = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
    statuses = {s["status"] for s in report.get("scenes", [])}
    if done.returncode != 0 or statuses != {"up to date"}:
        raise RuntimeError(f"the unchanged re-run rendered again or failed: {statuses or done.stderr[-500:]}")
    return seconds


def as_result(run, quality: Quality, jobs: int, slides: bool) -> dict:
    scenes = [{"scene": o.entry.scene, "chapter": o.entry.chapter, "status": o.status,
               "video_length": round(o.video_length, 3), "render_time": round(o.render_time, 2),
               "real_time_factor": round(o.real_time_factor, 3),
               "peak_memory_mib": round(o.peak_memory / MiB, 1), "error": o.error}
              for o in run.outcomes]
    video = sum(s["video_length"] for s in scenes)
    return {
        "quality": quality.folder, "jobs": jobs, "slides": slides,
        "scenes": scenes,
        "total": {"scenes": len(scenes), "failed": sum(s["status"] == "failed" for s in scenes),
                  "video_length": round(video, 2),
                  "render_time": round(sum(s["render_time"] for s in scenes), 2),
                  "wall_time": round(run.wall_time, 2),
                  "real_time_factor": round(run.wall_time / video, 3) if video else None,
                  "peak_memory_mib": max((s["peak_memory_mib"] for s in scenes), default=0),
                  # how fully the jobs kept their slots busy: 1.0 = never a slot idle
                  "slot_use": round(sum(s["render_time"] for s in scenes) / (jobs * run.wall_time), 3)
                  if run.wall_time else None},
        "machine": machine(), "commit": commit(),
        "date": datetime.date.today().isoformat(),
    }


def machine() -> str:
    from figures import machine_description
    return machine_description()


def commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                "scenes", "network", "production"],
                               capture_output=True, text=True).stdout.strip()
        return out + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# -- tables -----------------------------------------------------------------------------------

def markdown(result: dict) -> str:
    """The per-scene table and totals of one run."""
    lines = [f"Renders at {result['quality']}, {result['jobs']} job(s), "
             f"{'with' if result['slides'] else 'without'} slides, commit {result['commit']}:", "",
             "| scene | video | render | real-time factor | peak memory |",
             "|---|--:|--:|--:|--:|"]
    for s in result["scenes"]:
        status = "" if s["status"] == "rendered" else f" ({s['status']})"
        lines.append(f"| {s['scene']}{status} | {s['video_length']:.1f} s | {s['render_time']:.1f} s "
                     f"| {s['real_time_factor']:.2f} | {s['peak_memory_mib']:.0f} MiB |")
    t = result["total"]
    rtf = f"{t['real_time_factor']:.2f}" if t["real_time_factor"] is not None else "–"
    lines += [f"| **{t['scenes']} scenes, wall time** | **{t['video_length']:.1f} s** "
              f"| **{t['wall_time']:.1f} s** | **{rtf}** | **{t['peak_memory_mib']:.0f} MiB** |"]
    return "\n".join(lines)


def scene_set(result: dict) -> str:
    if result.get("all_scenes"):
        return f"all {len(result['scenes'])}"
    return ", ".join(s["scene"] for s in result["scenes"])


def scene_column(result: dict) -> str:
    if result.get("all_scenes") or len(result["scenes"]) < 3:
        return scene_set(result)
    return f"{len(result['scenes'])} named (below)"


def summary(results: list[dict]) -> str:
    """A row per saved run, then, scene by scene, the real-time factors of every run of the
    scenes that a "before" run also rendered at the same quality and jobs."""
    def cell(value, form):
        return "–" if value is None else format(value, form)

    lines = ["| run | quality | jobs | scenes | video | wall time | **real-time factor** "
             "| slowest scene | slots busy | unchanged re-run | films + decks | peak memory | commit |",
             "|---|---|--:|---|--:|--:|--:|---|--:|--:|--:|--:|---|"]
    for r in results:
        t = r["total"]
        slow = max(r["scenes"], key=lambda s: s["real_time_factor"])
        lines.append(
            f"| {r['label']} | {r['quality']} | {r['jobs']} | {scene_column(r)} "
            f"| {t['video_length']:,.0f} s | {t['wall_time']:,.0f} s | **{t['real_time_factor']:.2f}** "
            f"| {slow['scene']} ({slow['real_time_factor']:.2f}) | {cell(t.get('slot_use'), '.0%')} "
            f"| {cell(t.get('unchanged_rerun'), '.1f')}{' s' if t.get('unchanged_rerun') else ''} "
            f"| {cell((t.get('assembly') or {}).get('seconds'), ',.0f')}"
            f"{' s' if t.get('assembly') else ''} | {t['peak_memory_mib']:,.0f} MiB "
            f"| {r['commit']}, {r['date']} |")
    for before in (r for r in results if r["label"] == "before"):
        same = [r for r in results if r is not before and r["quality"] == before["quality"]
                and r["jobs"] == before["jobs"]]
        if not same:
            continue
        lines += ["", f"Scene by scene at {before['quality']}, {before['jobs']} job(s), "
                      "real-time factor:", "",
                  "| scene | video | before | " + " | ".join(r["label"] + (f" ({scene_set(r)})" if r.get("all_scenes") else "") for r in same) + " | speed-up |",
                  "|---|--:|--:|" + "--:|" * len(same) + "--:|"]
        for scene in before["scenes"]:
            others = [next((x for x in r["scenes"] if x["scene"] == scene["scene"]), None)
                      for r in same]
            factors = [o["real_time_factor"] if o else None for o in others]
            last = next((f for f in reversed(factors) if f), None)
            lines.append(f"| {scene['scene']} | {scene['video_length']:.1f} s "
                         f"| {scene['real_time_factor']:.2f} | "
                         + " | ".join(cell(f, ".2f") for f in factors)
                         + f" | {cell(scene['real_time_factor'] / last if last else None, '.1f')}x |")
    whole = [r for r in results if r.get("all_scenes")]
    if whole:
        lines += ["", "Chapter by chapter in the runs of every scene (render time summed over the "
                      "chapter's scenes, title card included, each scene sharing the machine with "
                      "the other jobs):", "",
                  "| chapter | " + " | ".join(f"{r['label']} {r['quality']}, {r['jobs']} job(s)"
                                             for r in whole) + " |",
                  "|---|" + "--:|" * len(whole)]
        chapters = sorted({s["chapter"] for r in whole for s in r["scenes"]})
        for chapter in chapters:
            cells = []
            for r in whole:
                parts = [s for s in r["scenes"] if s["chapter"] == chapter]
                video = sum(s["video_length"] for s in parts)
                render = sum(s["render_time"] for s in parts)
                cells.append(f"{video:,.0f} s of video in {render:,.0f} s: **{render / video:.2f}**"
                             if video else "–")
            lines.append(f"| {chapter} | " + " | ".join(cells) + " |")
    machines = sorted({r["machine"] for r in results})
    data = sorted({r.get("data", "unknown") for r in results})
    lines += ["", "Measured on " + "; ".join(machines) + "; data: " + "; ".join(data) + "."]
    return "\n".join(lines)


def save(result: dict, label: str, path: Path = RESULTS) -> list[dict]:
    results = json.loads(path.read_text()) if path.is_file() else []
    key = (label, result["quality"], result["jobs"], scene_set(result))
    results = [r for r in results if (r["label"], r["quality"], r["jobs"], scene_set(r)) != key]
    results.append({"label": label, **result})
    write_json(path, results)
    return results


def write_readme(results: list[dict]) -> None:
    from figures import replace_block
    README.write_text(replace_block(README.read_text(), "render-benchmark", summary(results)))


def _resolution(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scene", action="append", default=[], metavar="NAME")
    parser.add_argument("--chapter", action="append", default=[], type=int, metavar="N")
    parser.add_argument("-q", "--quality", default="medium", help="low, medium, high or 4k")
    parser.add_argument("--fps", type=int, default=None)
    parser.add_argument("--resolution", type=_resolution, default=None, metavar="WxH",
                        help="another frame size, for drafts")
    parser.add_argument("--media-dir", type=Path, default=None,
                        help="where to render (default: media/benchmark/<quality>-<jobs>j, emptied first)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--voice", choices=("none", "tts", "recorded"), default="none",
                        help="the narration's voice (default none: the figures before the voice "
                             "existed were measured silent)")
    parser.add_argument("--no-slides", action="store_true",
                        help="render without manim-slides (the render command's --no-deck)")
    parser.add_argument("--no-assemble", action="store_true",
                        help="after rendering every scene, do not time joining the films and "
                             "building the decks")
    parser.add_argument("--save", metavar="LABEL", help="add this run to the saved results")
    parser.add_argument("--readme", action="store_true",
                        help="regenerate the README's render-benchmark block from the saved results")
    parser.add_argument("--readme-only", action="store_true",
                        help="regenerate the README block without rendering anything")
    parser.add_argument("--json", action="store_true", help="print the run as JSON on the last line")
    args = parser.parse_args(argv)

    if args.readme_only:
        write_readme(json.loads(RESULTS.read_text()))
        return 0
    try:
        quality = Quality(args.quality, args.fps, args.resolution)
        entries, _ = select(load_catalogue(), args.chapter, args.scene)
    except CatalogueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    media = args.media_dir or ROOT / "media" / "benchmark" / f"{quality.folder}-{args.jobs}j"
    result = run_benchmark(entries, quality, args.jobs, media, slides=not args.no_slides,
                           voice=args.voice)
    result["all_scenes"] = not args.scene and not args.chapter
    if result["all_scenes"] and not args.no_assemble and not result["total"]["failed"]:
        result["total"]["assembly"] = assemble(quality, args.jobs, media,
                                               slides=not args.no_slides, voice=args.voice)
    print(markdown(result))
    if args.save:
        results = save(result, args.save)
        if args.readme:
            write_readme(results)
    if args.json:
        print(json.dumps(result))
    return 1 if result["total"]["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
