"""``python -m network train | evaluate | export | info``: the network from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from .atomic import atomic_write
from .model import ACTIVATIONS, COSTS
from .train import PRESETS


def _config_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", choices=sorted(PRESETS), default=None,
                        help="start from a named configuration (default: video, or NN_PRESET)")
    parser.add_argument("--layers", help="layer sizes, e.g. 784,16,16,10")
    parser.add_argument("--activation", choices=ACTIVATIONS)
    parser.add_argument("--cost", choices=COSTS)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--eta", type=float, help="initial learning rate")
    parser.add_argument("--l2", type=float, help="weight decay lambda")
    parser.add_argument("--schedule", choices=("cosine", "constant"))
    parser.add_argument("--seed", type=int)
    parser.add_argument("--mnist-dir", type=Path, help="folder with the four MNIST IDX files "
                        "(default: MNIST_DIR, then the cache, a download, the bundled sample)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def config_from_args(args):
    from .store import config_from_env, parse_layers

    config = PRESETS[args.preset] if args.preset else config_from_env()
    changes = {"sizes": parse_layers(args.layers) if args.layers else None,
               "activation": args.activation, "cost": args.cost, "epochs": args.epochs,
               "batch_size": args.batch_size, "eta": args.eta, "l2": args.l2,
               "schedule": args.schedule, "seed": args.seed}
    return config.replace(**{k: v for k, v in changes.items() if v is not None})


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
    # With --json the last line of stdout is the JSON object; everything else goes to stderr.
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
        print(json.dumps(result))
    else:
        print(f"{model.summary()}\ndata: {data.description}")
    return 0


def cmd_export(args) -> int:
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
    from .model import Network
    from .paths import cache_dir

    config = config_from_args(args)
    net = Network(config.sizes, config.activation, config.cost)
    print(f"configuration: {config.describe()}")
    print(f"parameters: {net.num_parameters:,} "
          f"({' + '.join(f'{w.shape[0]}x{w.shape[1]}' for w in net.weights)} weights, "
          f"{' + '.join(str(b.size) for b in net.biases)} biases)")
    print(f"cache folder: {cache_dir()}")
    models = sorted((cache_dir() / "models").glob("model-*.npz"))
    print(f"trained models cached: {len(models)}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m network", description=__doc__)
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
    args = parser.parse_args(argv)

    from .mnist import MNISTError
    from .store import StoreError

    try:
        return {"train": cmd_train, "evaluate": cmd_evaluate, "export": cmd_export,
                "info": cmd_info}[args.command](args)
    except (ValueError, MNISTError, StoreError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
