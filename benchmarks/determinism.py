"""Is training reproducible, and across which machines? Trains the video's network a few epochs
in fresh processes that differ only in what could differ between two machines: OpenBLAS's
processor-specific kernel (OPENBLAS_CORETYPE), the number of BLAS threads, and float32 vs
float64 arithmetic; prints a Markdown table of test accuracy and a hash of the weights.

    MNIST_DIR=path/to/mnist .venv/bin/python benchmarks/determinism.py [--epochs 3]

Same hash = bit-identical network. Kernels this processor cannot run are reported, not fatal.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERNELS = ("", "Haswell", "Sandybridge", "Prescott")  # "": OpenBLAS's own choice for this CPU


def train_once(epochs: int, dtype: str) -> str:
    """Train in this process; return "correct hash"."""
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from network.mnist import load_mnist
    from network.train import VIDEO, sgd

    data = load_mnist(progress=False, log=lambda *_: None)
    config = VIDEO.replace(epochs=epochs)
    if dtype == "float64":
        from network.model import Network
        start = Network(config.sizes, config.activation, config.cost, seed=config.seed)
        # sgd trains a float32 copy; a float64 run does the same steps in double precision.
        original = Network.astype
        Network.astype = lambda self, _dtype: original(self, np.float64)
        net, _ = sgd(config, data.train_x.astype(np.float64), data.train_labels, net=start)
        Network.astype = original
    else:
        net, _ = sgd(config, data.train_x, data.train_labels)
    digest = hashlib.sha256(b"".join(w.tobytes() for w in net.weights)).hexdigest()[:12]
    return f"{net.evaluate(data.test_x, data.test_labels)} {digest}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--child", choices=("float32", "float64"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(train_once(args.epochs, args.child))
        return

    print("| OpenBLAS kernel | BLAS threads | arithmetic | test images right | weights hash |")
    print("| --- | --- | --- | --- | --- |")
    for dtype in ("float32", "float64"):
        for kernel in KERNELS:
            for threads in ("1", "2"):
                env = dict(os.environ, OPENBLAS_NUM_THREADS=threads)
                env.pop("OPENBLAS_CORETYPE", None)
                if kernel:
                    env["OPENBLAS_CORETYPE"] = kernel
                run = subprocess.run([sys.executable, __file__, "--epochs", str(args.epochs),
                                      "--child", dtype], env=env, capture_output=True, text=True)
                result = run.stdout.split() if run.returncode == 0 else ["failed", "-"]
                print(f"| {kernel or 'auto'} | {threads} | {dtype} | {result[0]} | `{result[1]}` |",
                      flush=True)


if __name__ == "__main__":
    main()
