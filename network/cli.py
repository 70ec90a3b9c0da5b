"""``python -m network train | evaluate | export | info | predict``: the network from the command
line.

Every error is one line on stderr, ``error: ...``, naming the flag or environment variable
at fault, with exit code 2; settings are checked before any data is loaded. With
``evaluate --json`` stdout carries one line, the JSON object, and everything else (log
lines, progress bars) goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

from .atomic import atomic_write, check_target
from .model import ACTIVATIONS, COSTS
from .train import PRESETS

# The numeric flags: (TrainConfig field, parse, allowed, what is allowed, in words).
NUMBERS = {
    "--epochs": ("epochs", int, lambda v: v >= 1, "a whole number >= 1"),
    "--batch-size": ("batch_size", int, lambda v: v >= 1, "a whole number >= 1"),
    "--seed": ("seed", int, lambda v: v >= 0, "a whole number >= 0"),
    "--eta": ("eta", float, lambda v: math.isfinite(v) and v > 0, "a finite positive number"),
    "--l2": ("l2", float, lambda v: math.isfinite(v) and v >= 0, "a finite number >= 0"),
}


class UsageError(Exception):
    """A command line argparse cannot make sense of: ``message`` and the ``prog`` it is about."""

    def __init__(self, message: str, prog: str):
        super().__init__(message)
        self.message, self.prog = message, prog


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are raised as UsageError (main prints one line with a
    pointer to --help) instead of printing a usage block."""

    def error(self, message):
        raise UsageError(message, self.prog)


def _config_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", choices=sorted(PRESETS), default=None,
                        help="start from a named configuration (default: video, or NN_PRESET)")
    parser.add_argument("--layers", help="layer sizes, e.g. 784,16,16,10")
    parser.add_argument("--activation", choices=ACTIVATIONS)
    parser.add_argument("--cost", choices=COSTS)
    parser.add_argument("--epochs", help="passes over the training set (>= 1)")
    parser.add_argument("--batch-size", help="examples per gradient step (>= 1)")
    parser.add_argument("--eta", help="initial learning rate (finite, > 0)")
    parser.add_argument("--l2", help="weight decay lambda (finite, >= 0)")
    parser.add_argument("--schedule", choices=("cosine", "constant"))
    parser.add_argument("--seed", help="random seed (>= 0)")
    parser.add_argument("--mnist-dir", type=Path, help="folder with the four MNIST IDX files "
                        "(default: MNIST_DIR, then the cache, a download, the bundled sample)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def _number(flag: str, text: str):
    """The value of numeric ``flag`` typed as ``text``; ValueError naming the flag otherwise."""
    _, parse, allowed, kind = NUMBERS[flag]
    try:
        value = parse(text)
    except ValueError:
        raise ValueError(f"{flag} must be {kind}, got {text!r}") from None
    if not allowed(value):
        raise ValueError(f"{flag} must be {kind}, got {text}")
    return value


def config_from_args(args):
    """The configuration the flags ask for, on top of ``--preset`` (else the NN_* variables),
    every value checked and its size checked against the training limits, all before any
    data is loaded. ValueError naming the flag (or variable) otherwise."""
    from .store import config_from_env, parse_layers
    from .train import TooLarge, check_fits

    config = PRESETS[args.preset] if args.preset else config_from_env()
    changes = {}
    if args.layers is not None:
        changes["sizes"] = parse_layers(args.layers, f"--layers {args.layers!r}")
    for flag, (field, *_) in NUMBERS.items():
        if getattr(args, field) is not None:
            changes[field] = _number(flag, getattr(args, field))
    for field in ("activation", "cost", "schedule"):
        if getattr(args, field) is not None:
            changes[field] = getattr(args, field)
    config = config.replace(**changes)
    try:
        check_fits(config)
    except TooLarge as e:
        raise ValueError(e.about(_asked_by(e.setting, args, config))) from None
    return config


def _asked_by(setting: str, args, config) -> str:
    """The flag, variable or preset that set ``setting`` ("layers", "epochs", ...)."""
    flag = {"layers": "--layers", "epochs": "--epochs", "batch_size": "--batch-size"}.get(setting)
    value = getattr(args, setting, None)
    if flag and value is not None:
        return f"{flag} {value}"
    if setting == "layers" and not args.preset and os.environ.get("NN_LAYERS"):
        return f"NN_LAYERS={os.environ['NN_LAYERS']}"
    return (f"training a {'-'.join(map(str, config.sizes))} network for {config.epochs:,} "
            "epochs")


def _trained(args, log):
    from .mnist import load_mnist
    from .store import load_trained

    config = config_from_args(args)
    data = load_mnist(args.mnist_dir, progress=not args.quiet, log=log)
    return load_trained(config, data, retrain=getattr(args, "retrain", False),
                        progress=not args.quiet, log=log), data


def cmd_train(args) -> int:
    model, _ = _trained(args, print)
    print(model.summary())
    return 0


def cmd_evaluate(args) -> int:
    # With --json stdout is the JSON object alone; everything else goes to stderr.
    log = (lambda msg: print(msg, file=sys.stderr)) if args.json else print
    model, data = _trained(args, log)
    net = model.network
    correct = net.evaluate(data.test_x, data.test_labels)  # measured now, not read from the file
    result = {"sizes": list(net.sizes), "activation": net.activation, "cost": net.cost_name,
              "data": data.source, "data_description": data.description,
              "train_size": model.train_size, "test_size": data.test_size, "correct": int(correct),
              "accuracy": correct / data.test_size, "parameters": net.num_parameters,
              "config": json.loads(model.config.to_json())}
    if args.json:
        print(json.dumps(result, allow_nan=False))
    else:
        print(f"{model.summary(correct)}\ndata: {data.description}")
    return 0


def cmd_export(args) -> int:
    check_target(args.file)  # before training: /dev/null, a folder, a path under a file
    model, _ = _trained(args, print)
    net = model.network
    arrays = {f"weights_{l}": w for l, w in enumerate(net.weights)}
    arrays |= {f"biases_{l}": b for l, b in enumerate(net.biases)}
    arrays["sizes"] = np.array(net.sizes)
    with atomic_write(args.file) as f:
        np.savez(f, **arrays)
    print(f"wrote {args.file}: {net.num_parameters:,} parameters of a "
          f"{'-'.join(map(str, net.sizes))} network")
    return 0


def cmd_info(args) -> int:
    from .model import count_parameters
    from .paths import cache_dir
    from .train import MAX_TRAINING_BYTES, MAX_TRAINING_SECONDS, footprint

    config = config_from_args(args)
    sizes = config.sizes
    print(f"configuration: {config.describe()}")
    print(f"parameters: {count_parameters(sizes):,} "
          f"({' + '.join(f'{n_out}x{n_in}' for n_in, n_out in zip(sizes[:-1], sizes[1:]))} "
          f"weights, {' + '.join(str(n) for n in sizes[1:])} biases)")
    estimate = footprint(config)
    print(f"training on the full MNIST needs about {estimate.bytes / 1e6:,.0f} MB "
          f"(limit {MAX_TRAINING_BYTES / 1e6:,.0f} MB) and at least {estimate.seconds:,.0f} s "
          f"(limit {MAX_TRAINING_SECONDS:,} s)")
    print(f"cache folder: {cache_dir()}")
    models = sorted((cache_dir() / "models").glob("model-*.npz"))
    print(f"trained models cached: {len(models)}")
    return 0


def save_28(pixels: np.ndarray, path: Path, scale: int = 10) -> None:
    """Write the 28×28 image ``pixels`` to ``path`` as a PNG, each pixel a ``scale`` × ``scale``
    square (crisp, no smoothing), atomically."""
    import io

    from PIL import Image

    big = np.kron(np.asarray(pixels, dtype=np.uint8), np.ones((scale, scale), dtype=np.uint8))
    buffer = io.BytesIO()
    Image.fromarray(big).save(buffer, format="PNG")
    with atomic_write(path) as f:
        f.write(buffer.getvalue())


def cmd_predict(args) -> int:
    from .handwriting import label_from_name, prepare

    log = (lambda msg: print(msg, file=sys.stderr)) if args.json else print
    if args.save_28 is not None:
        check_target(args.save_28)
    label = args.label if args.label is not None else label_from_name(args.file)
    digit = prepare(args.file, label=label)  # before the network: a bad photo fails fast
    model, _ = _trained(args, log)
    net = model.network
    outputs = net.feedforward(digit.x)
    answer = int(np.argmax(outputs))
    if args.save_28 is not None:
        save_28(digit.pixels, args.save_28)
    result = {"answer": answer, "outputs": [float(v) for v in outputs], "file": str(args.file),
              "label": digit.label, "notes": list(digit.notes)}
    if args.json:
        print(json.dumps(result, allow_nan=False))
        return 0
    width, height = digit.size
    print(f"{args.file}: {width} x {height} pixels, made into 28 x 28 as MNIST was")
    for note in digit.notes:
        print(f"  {note}")
    print(f"the {'-'.join(map(str, net.sizes))} network answers {answer} "
          f"(output {outputs[answer]:.2f})" + _verdict(answer, digit.label))
    for d, value in enumerate(outputs):
        bar = "#" * round(30 * float(np.clip(value, 0, 1)))
        print(f"  {d}  {value:.3f}  {bar}{'  <- answer' if d == answer else ''}")
    if args.save_28 is not None:
        print(f"wrote {args.save_28}: the 28 x 28 image the network read, each pixel 10 x 10")
    return 0


def _verdict(answer: int, label: int | None) -> str:
    if label is None:
        return ""
    return f": right, it is a {label}" if answer == label else f": wrong, it is a {label}"


def _label(text: str) -> int:
    from .handwriting import parse_label

    try:
        return parse_label(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


COMMANDS = {"train": cmd_train, "evaluate": cmd_evaluate, "export": cmd_export, "info": cmd_info,
            "predict": cmd_predict}


def build_parser() -> Parser:
    parser = Parser(prog="python -m network", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train (or load from the store) and report")
    _config_arguments(train)
    train.add_argument("--retrain", action="store_true", help="train even if a cached model exists")
    evaluate = commands.add_parser("evaluate", help="measure the trained network on the test set")
    _config_arguments(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    export = commands.add_parser("export", help="write the trained parameters to an .npz file")
    _config_arguments(export)
    export.add_argument("file", type=Path)
    info = commands.add_parser("info", help="the configuration, its parameter count, the cache")
    _config_arguments(info)
    predict = commands.add_parser("predict", help="read a photo of one handwritten digit as "
                                  "MNIST was made and give the network's answer")
    predict.add_argument("file", type=Path, help="a PNG or JPEG of one handwritten digit")
    _config_arguments(predict)
    predict.add_argument("--json", action="store_true", help="print one JSON object as the last "
                         'line: {"answer": int, "outputs": [10 floats], "file": str, ...}')
    predict.add_argument("--save-28", type=Path, metavar="OUT.png",
                         help="write the 28x28 image the network read, upscaled crisply")
    predict.add_argument("--label", type=_label, metavar="N",
                         help="the true digit (default: from the file name, like seven_7.png)")
    return parser


def main(argv=None) -> int:
    from .handwriting import DigitError
    from .mnist import MNISTError
    from .store import StoreError
    from .train import TrainingDiverged

    def fail(message: str) -> int:
        print(f"error: {' '.join(str(message).split())}", file=sys.stderr)
        return 2

    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parser.parse_args(argv)
    except UsageError as e:
        # Leftover arguments are reported by the top parser; the hint still names the command.
        command = next((a for a in argv if not a.startswith("-")), None)
        prog = f"{e.prog} {command}" if e.prog == parser.prog and command in COMMANDS else e.prog
        return fail(f"{e.message} (see {prog} --help)")
    try:
        return COMMANDS[args.command](args)
    except TrainingDiverged as e:
        now = f" (now {args.eta})" if args.eta is not None else ""
        return fail(f"training diverged at epoch {e.epoch} of {e.epochs} (the cost became "
                    f"{e.cost}): lower --eta{now}; nothing was saved")
    except (DigitError, ValueError, MNISTError, StoreError, OSError) as e:
        return fail(e)
    except MemoryError:
        return fail("out of memory: use smaller layers (--layers) or fewer epochs (--epochs)")
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
