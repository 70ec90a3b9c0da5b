"""``python -m production render`` (also ``python -m scenes render`` and ``nn-explained
render``): render chapters in parallel, then join each chapter into a film and build its deck.

    nn-explained render                         # every chapter at 720p30: scenes, films, decks
    nn-explained render --chapter 1 -q high     # chapter 1 at 1080p60
    nn-explained render --scene ForwardPass --no-film --no-deck
    nn-explained render --chapter 1 --digit seven_7.jpg   # your own digit in the scenes

Outputs (under ``media/``): ``videos/<chapter>/<720p30>/<Scene>.mp4`` and ``.srt``;
``chapters/chapter1.mp4`` with ``.srt``, ``.vtt``, ``.chapters.txt``, ``.thumbnail.png``;
``decks/chapter1.html`` (one offline file), ``.pdf`` (handout), ``.pptx``.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

from .catalogue import (ROOT, QUALITIES, CatalogueError, Chapter, Quality, SceneEntry,
                        load_catalogue, select, slides_root, subtitles_path, video_path)
from . import voice as voices
from .fingerprint import combined, file_digest
from .voice import MODES as VOICE_MODES
from .render import (Outcome, RenderRun, model_identity, plan, read_record, render_scenes,
                     write_json)

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.exit(EXIT_USAGE, f"error: {message} (see: {self.prog} --help)\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _resolution(text: str) -> tuple[int, int]:
    parts = text.lower().replace(",", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 640x360, got {text!r}") from None
    if width < 16 or height < 16 or width % 2 or height % 2:
        raise argparse.ArgumentTypeError(f"{text!r}: width and height must be even and at least 16")
    return width, height


def build_parser(prog: str = "python -m production") -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="Production of the neural-network series: renders, "
                                            "films, decks.")
    commands = parser.add_subparsers(dest="command", metavar="<command>", parser_class=_Parser)
    render = commands.add_parser(
        "render", help="render chapters in parallel into media/: scenes, films, decks",
        description="Render scenes in parallel (one manim process per scene), then join each "
                    "chapter into a film (media/chapters/) and build its offline deck and "
                    "handout (media/decks/). Scenes whose inputs have not changed since their "
                    "last render are not rendered again.",
        epilog="The network and the look come from the environment (NN_PRESET, NN_LAYERS, "
               "NN_ACTIVATION, NN_COST, NN_PALETTE; see README). Each scene's manim log is in "
               "media/logs/<quality>/<Scene>.log.")
    render.add_argument("--chapter", type=_positive, action="append", metavar="N",
                        help="render chapter N: its title card and every scene (repeatable; "
                             "default: every chapter)")
    render.add_argument("--scene", action="append", metavar="NAME",
                        help="render this scene (repeatable; see `python -m scenes list`)")
    render.add_argument("-q", "--quality", choices=list(QUALITIES), default="medium",
                        help="low 480p15, medium 720p30 (default), high 1080p60, 4k 2160p60")
    render.add_argument("--fps", type=_positive, help="frames per second (default: the quality's)")
    render.add_argument("--resolution", type=_resolution, metavar="WxH",
                        help="another picture size, e.g. 640x360 for a quick draft")
    render.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1,
                        help="scenes rendered at once (default: the number of cores, %(default)s)")
    render.add_argument("--force", action="store_true",
                        help="render even the scenes that are up to date")
    render.add_argument("--no-film", action="store_true", help="do not join chapter films")
    render.add_argument("--no-deck", action="store_true",
                        help="no decks or handouts (and no slides: renders are a little quicker)")
    render.add_argument("--media-dir", type=Path, default=ROOT / "media",
                        help="where everything goes (default: media/ in the repository)")
    render.add_argument("--json", action="store_true",
                        help="print the per-scene results as one JSON object on the last line")
    render.add_argument("--voice", choices=VOICE_MODES, default="tts",
                        help="the narration's voice: tts (default: the offline synthetic voice), "
                             "recorded (your takes, see `python -m scenes script`), none (silent)")
    render.add_argument("--recordings", type=Path, default=ROOT / "recordings",
                        help="the folder of your takes for --voice recorded (default: recordings/)")
    render.add_argument("--digit", type=Path, default=os.environ.get("NN_DIGIT") or None,
                        metavar="PHOTO",
                        help="a photo or drawing of one handwritten digit (PNG, JPEG), shown "
                             "instead of the MNIST example in the scenes that follow one digit "
                             "(default: NN_DIGIT)")
    render.add_argument("--digit-label", type=_digit_label, metavar="N",
                        default=os.environ.get("NN_DIGIT_LABEL") or None,
                        help="the true digit of --digit, 0-9, for the scenes that show a cost "
                             "(default: NN_DIGIT_LABEL, else the file's name: seven_7.png)")
    render.set_defaults(func=cmd_render)

    script = commands.add_parser(
        "script", help="write the recording script of a chapter (a document and a CSV)",
        description="Write the recording script of each chapter asked for: every beat's line, "
                    "the file name its take goes under, and a suggested duration, as "
                    "<chapter>-script.md and .csv in the recordings folder. The lines carry the "
                    "network's numbers, so the chapter is rendered first where needed (low "
                    "quality, synthetic voice).")
    script.add_argument("--chapter", type=_positive, action="append", metavar="N", required=True,
                        help="the chapter (repeatable)")
    script.add_argument("--recordings", type=Path, default=ROOT / "recordings",
                        help="where the takes go, and the script (default: recordings/)")
    script.add_argument("-q", "--quality", choices=list(QUALITIES), default="low",
                        help="the quality of the render the lines come from (default: low)")
    script.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1)
    script.add_argument("--media-dir", type=Path, default=ROOT / "media")
    script.set_defaults(func=cmd_script)

    voice = commands.add_parser("voice", help="the narration's voice: say a line, or serve the scenes",
                                description="Speak lines with the offline voice (production.voice).")
    voice_commands = voice.add_subparsers(dest="voice_command", metavar="<voice command>",
                                          parser_class=_Parser, required=True)
    say = voice_commands.add_parser("say", help="say TEXT into a WAV file, to listen to the voice")
    say.add_argument("text", help="what to say")
    say.add_argument("-o", "--output", type=Path, default=Path("voice-sample.wav"),
                     help="the WAV file to write (default: voice-sample.wav)")
    say.set_defaults(func=cmd_say)
    serve = voice_commands.add_parser(
        "serve", help="answer the scenes' requests (one JSON line each on stdin)")
    serve.set_defaults(func=lambda args: voices.serve())
    return parser


def cmd_script(args: argparse.Namespace) -> int:
    """Render what is needed (quietly), then write each chapter's recording script."""
    from rich.console import Console

    from .script import SCRIPT_VOICE, ScriptError, write_script

    console = Console(stderr=True)
    try:
        quality = Quality(args.quality)
        chapters = load_catalogue()
        entries, whole = select(chapters, args.chapter, None)
        identity = model_identity(log=lambda m: console.print(f"  {m}"))
    except CatalogueError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as e:  # noqa: BLE001 -- network's errors are one line already
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    media = args.media_dir.resolve()
    outcomes = plan(entries, quality, identity, media, slides=False, voice=SCRIPT_VOICE)
    todo = sum(o.status == "waiting" for o in outcomes)
    if todo:
        console.print(f"script: rendering {todo} scene(s) at {quality.folder} for their lines")
    with Display(outcomes, console) as display:
        run = render_scenes(outcomes, quality, media, jobs=args.jobs, slides=False,
                            on_change=display.changed, voice=SCRIPT_VOICE)
    if run.failed:
        for o in run.failed:
            print(f"error: {o.entry.scene}: {o.error} (log: {o.log})", file=sys.stderr)
        return 1
    recordings = args.recordings.resolve()
    for chapter in whole:
        try:
            md, table = write_script(chapter, media, quality, recordings, recordings)
        except (ScriptError, OSError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        print(f"{md}\n{table}")
    return 0


def cmd_say(args: argparse.Namespace) -> int:
    """Say a line with the synthetic voice, prepared as the films use it, and report it."""
    from . import audio

    try:
        samples, rate = voices.PiperEngine().synthesize(args.text)
    except voices.VoiceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    line = voices.prepared(samples, rate)
    audio.write_wav(args.output, line, audio.RATE)
    print(f"{args.output}: {line.shape[1] / audio.RATE:.2f} s, "
          f"{audio.integrated_loudness(line, audio.RATE, stereo=True):.1f} LUFS, "
          f"peak {audio.peak_db(line):.1f} dBFS")
    return 0


# -- display ------------------------------------------------------------------------------------

def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Display:
    """A live view while rendering: an overall bar with an ETA and one line per running scene
    (on a terminal); a line per started and finished scene otherwise (logs, CI)."""

    def __init__(self, outcomes: list[Outcome], console) -> None:
        self.outcomes = outcomes
        self.console = console
        self.lock = threading.Lock()
        self.reported: set[str] = set()
        self.live = None
        self.start = time.monotonic()

    def _todo(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.fingerprint and o.status != "up to date"]

    def renderable(self):
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table

        todo = self._todo()
        total = sum(o.expected_time for o in todo) or 1.0
        done = sum(o.expected_time * o.progress for o in todo)
        fraction = done / total
        elapsed = time.monotonic() - self.start
        eta = elapsed * (1 - fraction) / fraction if fraction > 0.02 else None
        finished = sum(o.status in ("rendered", "failed") for o in todo)
        head = Table.grid(padding=(0, 1))
        head.add_row(f"[bold]rendering[/] {finished}/{len(todo)} scenes",
                     ProgressBar(total=1.0, completed=fraction, width=40),
                     f"{fraction:4.0%}", f"elapsed {_clock(elapsed)}",
                     f"left ~{_clock(eta)}" if eta is not None else "left …")
        running = Table.grid(padding=(0, 2))
        for o in todo:
            if o.status == "running":
                anim = (f"{o.animations}/{o.expected_animations} animations"
                        if o.expected_animations else f"{o.animations} animations")
                running.add_row(f"  [cyan]{o.entry.scene}[/]", anim,
                                _clock(time.monotonic() - o.started))
        return Group(head, running)

    def __enter__(self):
        if self.console.is_terminal:
            from rich.live import Live
            self.live = Live(self.renderable(), console=self.console, refresh_per_second=4,
                             get_renderable=self.renderable, transient=True)
            self.live.__enter__()
        return self

    def changed(self, _outcomes) -> None:
        with self.lock:
            for o in self.outcomes:
                key = f"{o.entry.scene}:{o.status}"
                if o.status in ("rendered", "failed") and key not in self.reported:
                    self.reported.add(key)
                    if o.status == "rendered":
                        self.console.print(f"[green]done[/] {o.entry.scene}: "
                                           f"{o.video_length:.1f} s of video in {o.render_time:.1f} s")
                    else:
                        self.console.print(f"[red]failed[/] {o.entry.scene}: {o.error} "
                                           f"(log: {o.log})")

    def __exit__(self, *exc):
        if self.live is not None:
            self.live.__exit__(*exc)


def summary_table(run: RenderRun, title: str):
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name, justify in (("scene", "left"), ("status", "left"), ("video", "right"),
                          ("render", "right"), ("real-time factor", "right")):
        table.add_column(name, justify=justify)
    rendered_length = rendered_time = 0.0
    for o in run.outcomes:
        rtf = f"{o.real_time_factor:.2f}" if o.status == "rendered" else ""
        status = {"rendered": "[green]rendered[/]", "failed": "[red]failed[/]"}.get(o.status, o.status)
        table.add_row(o.entry.scene, status, f"{o.video_length:.1f} s",
                      f"{o.render_time:.1f} s" if o.status != "up to date" else "", rtf)
        if o.status == "rendered":
            rendered_length += o.video_length
            rendered_time += o.render_time
    total_length = sum(o.video_length for o in run.outcomes)
    wall = run.wall_time
    table.add_section()
    table.add_row("total", f"{sum(o.status == 'rendered' for o in run.outcomes)} rendered",
                  f"{total_length:.1f} s", f"{rendered_time:.1f} s",
                  f"{rendered_time / rendered_length:.2f}" if rendered_length else "")
    table.add_row("wall time", "", f"{rendered_length:.1f} s", f"{wall:.1f} s",
                  f"{wall / rendered_length:.2f}" if rendered_length else "")
    return table


# -- films and decks ----------------------------------------------------------------------------

def _assemble(chapters: list[Chapter], run: RenderRun, quality: Quality, media: Path, *,
              film: bool, deck: bool, console) -> list[str]:
    """Join films and build decks of the chapters whose every part rendered; return problems."""
    from . import deck as decks
    from . import film as films

    by_scene = {o.entry.scene: o for o in run.outcomes}
    film_code = file_digest(Path(films.__file__))
    deck_code = file_digest(Path(decks.__file__))
    problems = []
    for chapter in chapters:
        parts = [by_scene.get(p.scene) for p in chapter.parts]
        missing = [p.scene for p, o in zip(chapter.parts, parts) if o is None or o.status == "failed"]
        if missing:
            problems.append(f"chapter {chapter.number}: no film or deck, "
                            f"{len(missing)} scene(s) did not render ({', '.join(missing)})")
            continue
        key = combined([o.fingerprint for o in parts], quality.folder)
        title = f"Chapter {chapter.number}: {chapter.title}"
        records = media / "renders" / quality.folder
        if film:
            out_stem = media / "chapters" / chapter.slug

            def make_film():
                subtitles = [subtitles_path(media, p, quality) for p in chapter.parts]
                made = films.build_film(
                    [films.FilmPart(video_path(media, p, quality), srt if srt.exists() else None,
                                    p.title) for p, srt in zip(chapter.parts, subtitles)],
                    out_stem, title)
                return {"duration": made.duration}, f"{made.video} ({_clock(made.duration)})"

            problem = _make_unless_fresh("film", records / f"{chapter.slug}.film.json",
                                         combined([key, film_code]),
                                         [out_stem.with_suffix(".mp4")], make_film, console)
            if problem:  # reported; the deck still gets built
                problems.append(f"chapter {chapter.number} film: {problem}")
        if deck:
            out_html = media / "decks" / f"{chapter.slug}.html"

            def make_deck():
                made = decks.build_deck(slides_root(media), quality.folder,
                                        [p.scene for p in chapter.parts], title, out_html)
                return ({"slides": made.slide_count},
                        f"{made.html} ({made.slide_count} slides), handout {made.pdf}, {made.pptx}")

            problem = _make_unless_fresh(
                "deck", records / f"{chapter.slug}.deck.json", combined([key, deck_code]),
                [out_html, out_html.with_suffix(".pdf"), out_html.with_suffix(".pptx")],
                make_deck, console)
            if problem:
                problems.append(f"chapter {chapter.number} deck: {problem}")
    return problems


def _make_unless_fresh(kind: str, record: Path, fingerprint: str, outputs: list[Path], make,
                       console) -> str | None:
    """Run ``make()`` (which returns the facts to record and a line saying what it made)
    unless ``record`` says ``outputs`` were made from ``fingerprint`` and they are all there;
    return what went wrong, or None."""
    if _fresh(record, fingerprint, outputs):
        console.print(f"{kind}: {outputs[0]} is up to date")
        return None
    start = time.monotonic()
    try:
        facts, made = make()
    except Exception as e:  # noqa: BLE001 -- one chapter's failure must not stop the others
        return str(e)
    write_json(record, {"fingerprint": fingerprint, **facts, "seconds": time.monotonic() - start})
    console.print(f"{kind}: {made} in {time.monotonic() - start:.0f} s")
    return None


def _fresh(record: Path, fingerprint: str, outputs: list[Path]) -> bool:
    data = read_record(record)
    return bool(data) and data.get("fingerprint") == fingerprint and all(p.is_file() for p in outputs)


# -- the command --------------------------------------------------------------------------------

def _digit_label(text: str) -> str:
    from network.handwriting import parse_label

    try:
        return str(parse_label(text))
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def own_digit_problem(args, entries: list[SceneEntry]) -> str | None:
    """Check ``--digit`` before anything renders: the photo is read as MNIST was made
    (``network.handwriting``); the scenes that show a cost need its label. On success the
    render's scenes get it through ``NN_DIGIT`` / ``NN_DIGIT_LABEL``; returns the problem, as
    one line, or None."""
    if args.digit is None:
        if args.digit_label is not None:
            return "--digit-label (or NN_DIGIT_LABEL) needs --digit (or NN_DIGIT): the photo"
        return None
    from network.handwriting import DigitError, label_from_name, prepare

    label = int(args.digit_label) if args.digit_label is not None else label_from_name(args.digit)
    try:
        prepare(args.digit, label=label)
    except DigitError as e:
        return f"--digit: {e}"
    needing = [e.scene for e in entries if e.own_digit == "labelled"]
    if label is None and needing:
        return (f"{', '.join(needing)} show the cost against the desired output, so they need the "
                f"true digit of {args.digit.name}: pass --digit-label N, or name the file after "
                "its digit, like seven_7.png")
    os.environ["NN_DIGIT"] = str(args.digit.resolve())
    if label is None:
        os.environ.pop("NN_DIGIT_LABEL", None)
    else:
        os.environ["NN_DIGIT_LABEL"] = str(label)
    return None


def cmd_render(args: argparse.Namespace) -> int:
    import json

    from rich.console import Console

    console = Console(stderr=args.json)
    try:
        quality = Quality(args.quality, args.fps, args.resolution)
        chapters = load_catalogue()
        entries, whole_chapters = select(chapters, args.chapter, args.scene)
    except CatalogueError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    problem = own_digit_problem(args, entries)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    media = args.media_dir.resolve()
    slides = not args.no_deck
    if slides:
        try:
            import manim_slides  # noqa: F401
        except ImportError:
            print("error: decks need manim-slides (run `make setup`), or pass --no-deck",
                  file=sys.stderr)
            return EXIT_USAGE

    console.print("network: loading or training the configured network once")
    try:
        identity = model_identity(log=lambda m: console.print(f"  {m}"))
    except Exception as e:  # noqa: BLE001 -- network's errors are one line already
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    try:
        recordings = args.recordings.resolve() if args.voice == "recorded" else None
        voice = voices.VoiceChoice(args.voice, recordings)
        if recordings is not None and not recordings.is_dir():
            console.print(f"[yellow]voice[/]: no recordings folder {recordings}: every beat "
                          f"gets the synthetic voice (see `python -m scenes script`)")
        outcomes = plan(entries, quality, identity, media, slides=slides, force=args.force,
                        voice=voice)
    except (voices.VoiceError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    todo = sum(o.status == "waiting" for o in outcomes)
    console.print(f"{len(outcomes)} scenes at {quality.folder}: {todo} to render, "
                  f"{len(outcomes) - todo} up to date; {min(args.jobs, max(todo, 1))} at a time")
    with Display(outcomes, console) as display:
        run = render_scenes(outcomes, quality, media, jobs=args.jobs, slides=slides,
                            on_change=display.changed, voice=voice)
    console.print(summary_table(run, f"Renders at {quality.folder}, {args.jobs} job(s)"))

    for o in run.outcomes:
        for warning in o.voice_warnings:
            console.print(f"[yellow]voice[/]: {o.entry.scene}: {warning}")
    problems = [f"{o.entry.scene}: {o.error} (log: {o.log})" for o in run.failed]
    if whole_chapters and (not args.no_film or not args.no_deck):
        problems += _assemble(whole_chapters, run, quality, media, film=not args.no_film,
                              deck=not args.no_deck, console=console)
    console.print(f"videos: {media / 'videos'}")
    if whole_chapters and not args.no_film:
        console.print(f"films: {media / 'chapters'}")
    if whole_chapters and not args.no_deck:
        console.print(f"decks and handouts: {media / 'decks'}")
    for problem in problems:
        console.print(f"[red]problem[/]: {problem}")
    if args.json:
        print(json.dumps(run.as_json() | {"problems": problems}))
    return 1 if problems else 0


def main(argv=None) -> int:
    prog = os.environ.pop("NN_EXPLAINED_PROG", "") or (
        "nn-explained" if Path(sys.argv[0]).name == "nn-explained" else "python -m production")
    parser = build_parser(prog)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted: finished scenes are kept; run the command again to go on",
              file=sys.stderr)
        return 130
