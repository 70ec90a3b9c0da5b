"""Training benchmark: accuracy and time of the video's network and the tweaked one, and the
speed-up of vectorised minibatches over the textbook per-example loop.

    MNIST_DIR=path/to/mnist .venv/bin/python benchmarks/train_benchmark.py [--seeds 3]

Trains from scratch (the model store is bypassed) on the 60,000 official training images and
measures on the 10,000 test images. Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from network.mnist import load_mnist  # noqa: E402
from network.model import Network, one_hot  # noqa: E402
from network.train import RELU, TWEAKED, VIDEO, learning_rate, sgd  # noqa: E402


def train_and_measure(config, data):
    start = time.perf_counter()
    net, _ = sgd(config, data.train_x, data.train_labels)
    seconds = time.perf_counter() - start
    return net.evaluate(data.test_x, data.test_labels), seconds


def per_example_epoch(config, data) -> float:
    """One epoch the textbook way: backprop each example alone, sum, step. Returns seconds."""
    net = Network(config.sizes, config.activation, config.cost, seed=config.seed)
    x, y = data.train_x.astype(np.float64), one_hot(data.train_labels)
    n, eta = len(x), learning_rate(config, 0)
    order = np.random.default_rng(config.seed).permutation(n)
    start = time.perf_counter()
    for k in range(0, n, config.batch_size):
        batch = order[k:k + config.batch_size]
        sum_w = [np.zeros_like(w) for w in net.weights]
        sum_b = [np.zeros_like(b) for b in net.biases]
        for i in batch:
            g = net.backprop(x[i], y[i])
            for l in range(len(sum_w)):
                sum_w[l] += g.weights[l]
                sum_b[l] += g.biases[l]
        for l in range(len(sum_w)):
            net.weights[l] = (1 - eta * config.l2 / n) * net.weights[l] - eta / len(batch) * sum_w[l]
            net.biases[l] -= eta / len(batch) * sum_b[l]
    return time.perf_counter() - start


def vectorised_epoch(config, data) -> float:
    start = time.perf_counter()
    sgd(config.replace(epochs=1), data.train_x, data.train_labels)
    return time.perf_counter() - start


def run_benchmark(data, seeds: int = 1, tweaked: bool = True) -> list:
    """Train the video network with ``seeds`` seeds, then the ReLU (and tweaked) presets, and
    time one epoch both ways; returns the rows for ``benchmark_table``."""
    rows = []
    for seed in range(seeds):
        config = VIDEO.replace(seed=seed)
        correct, seconds = train_and_measure(config, data)
        rows.append(("video", config, correct, seconds))
        print(f"video seed {seed}: {correct / 100:.2f}% in {seconds:.1f} s", flush=True)
    for name, config in [("relu", RELU)] + ([("tweaked", TWEAKED)] if tweaked else []):
        correct, seconds = train_and_measure(config, data)
        rows.append((name, config, correct, seconds))
        print(f"{name}: {correct / 100:.2f}% in {seconds:.1f} s", flush=True)
    rows.append(("epoch", per_example_epoch(VIDEO, data), vectorised_epoch(VIDEO, data)))
    return rows


def sample_line() -> str:
    """What a newcomer offline gets: the video's network trained on the bundled sample."""
    from network.mnist import _from_sample

    sample = _from_sample()
    correct, seconds = train_and_measure(VIDEO, sample)
    return (f"Offline, on the bundled sample ({sample.train_size:,} training images), the video's "
            f"network trains in {seconds:.1f} s and gets {correct:,} of its {sample.test_size:,} "
            f"held-out images right ({100 * correct / sample.test_size:.2f}%).")


def benchmark_table(rows) -> str:
    """The README's training table (Markdown) from ``run_benchmark``'s rows."""
    lines = ["| configuration | test accuracy | training time |", "| --- | --- | --- |"]
    for row in rows:
        if row[0] == "epoch":
            _, loop, vector = row
            continue
        name, config, correct, seconds = row
        lines.append(f"| {name}: {config.describe()} | {correct / 100:.2f}% ({correct:,} / 10,000) "
                     f"| {seconds:.1f} s |")
    lines += ["", f"One epoch of the video's network: per-example loop {loop:.1f} s, vectorised "
              f"minibatches {vector:.2f} s: {loop / vector:.0f}x faster."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1, help="train the video's network with this many seeds")
    parser.add_argument("--skip-tweaked", action="store_true")
    args = parser.parse_args()

    data = load_mnist(os.environ.get("MNIST_DIR"))
    if data.train_size != 60000 or data.test_size != 10000:
        sys.exit("the benchmark needs the full official MNIST set: set MNIST_DIR")
    print()
    print(benchmark_table(run_benchmark(data, args.seeds, not args.skip_tweaked)))
    print()
    print(sample_line())


if __name__ == "__main__":
    main()
