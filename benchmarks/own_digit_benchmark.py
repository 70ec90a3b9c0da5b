"""How faithfully ``network.handwriting`` recovers MNIST's own images from photos of them.

200 real test digits (the same draw as ``tests/test_own_digit.py``) are "photographed"
(``tests/digit_photos.py``: upscaled ×10 with smoothing, dark ink on light paper, an uneven
light, a random place on a larger page, noise) and read back; the video's network (its full
configuration, trained on the data found) answers on each recovered image and on its original.
For scale, the same network's answers on the originals moved by half a pixel: MNIST placed
its digits by whole pixels, so an original's centre of mass lies anywhere within half a pixel
of the centre, where the preprocessing puts it exactly.

    MNIST_DIR=path/to/mnist .venv/bin/python benchmarks/own_digit_benchmark.py [--readme]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import ndimage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

README = ROOT / "README.md"
PHOTOS = 200
SEED = 2026  # tests/test_own_digit.py's draw


def measure(data, net) -> dict:
    from network.handwriting import prepare_image
    from tests.digit_photos import photo_of

    rng = np.random.default_rng(SEED)
    indices = rng.choice(data.test_size, PHOTOS, replace=False)
    start = time.perf_counter()
    images = np.array([prepare_image(photo_of(data.test_images[i], rng).mean(axis=2) / 255)[0]
                       for i in indices])
    seconds = (time.perf_counter() - start) / PHOTOS
    originals = data.test_images[indices]
    on_photos = net.predict(images.reshape(PHOTOS, 784) / 255.0)
    on_originals = net.predict(data.test_x[indices])
    correlation = [np.corrcoef(a.ravel().astype(float), b.ravel().astype(float))[0, 1]
                   for a, b in zip(images, originals)]
    shifted = {}
    for shift in ((0.5, 0), (0, 0.5), (0.5, 0.5)):
        moved = np.array([ndimage.shift(o.astype(float), shift, order=1) for o in originals])
        shifted[shift] = int(np.sum(net.predict(moved.reshape(PHOTOS, 784) / 255.0)
                                    == on_originals))
    return {"agree": int(np.sum(on_photos == on_originals)), "correlation": correlation,
            "shifted": shifted, "seconds": seconds}


def report(data, result) -> str:
    shifted = ", ".join(str(v) for v in result["shifted"].values())
    return (f"On {data.description.split(' from ')[0]}: the video's network gives the same answer "
            f"on the recovered image as on the original for **{result['agree']} of {PHOTOS}** "
            f"photos (the same network on the originals moved half a pixel down, right, and "
            f"both: {shifted} of {PHOTOS}); the recovered images correlate with the originals "
            f"at a median of {np.median(result['correlation']):.2f} (lowest "
            f"{min(result['correlation']):.2f}); {1000 * result['seconds']:.0f} ms a photo "
            f"(520 × 640 pixels).")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true",
                        help="write the line into README.md (from the full MNIST only)")
    args = parser.parse_args(argv)

    from network import load_mnist, load_trained
    from network.train import TrainConfig

    data = load_mnist(progress=False)
    net = load_trained(TrainConfig(), data, progress=False).network
    text = report(data, measure(data, net))
    print(text)
    if args.readme and data.train_size == 60_000:  # the README's figures: the full MNIST
        from figures import replace_block
        README.write_text(replace_block(README.read_text(), "own-digit-benchmark", text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
