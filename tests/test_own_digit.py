"""The viewer's own digit (``network.handwriting``, ``python -m network predict``): photos of
real MNIST digits come back as the digits the network read, bad files give one line naming
the file and what is wrong."""

from __future__ import annotations

import io
import json
import struct
import zlib

import numpy as np
import pytest
from scipy import ndimage

from network import cli
from network.handwriting import (BOX, DigitError, label_from_name, parse_label, prepare,
                                 prepare_image, read_image, stroke_width)
from tests.digit_photos import photo_of, save_photo
from tests.scene_support import quiet
from tests.test_faults_network import assert_one_line_error, run
from tests.test_store import run_cli, write_fake_mnist

PHOTOS = 200


@pytest.fixture(scope="module")
def video_model(mnist, tmp_path_factory):
    """The video's network in its full configuration, trained on the data at hand."""
    from network import load_trained
    from network.train import TrainConfig

    return load_trained(TrainConfig(), mnist, directory=tmp_path_factory.mktemp("models"),
                        progress=False, log=quiet)


def grey_of(photo):
    return np.asarray(photo, dtype=float).mean(axis=2) / 255.0


def best_correlation(a, b, reach: int = 1) -> float:
    """The correlation of ``a`` and ``b`` with ``a`` moved by at most ``reach`` pixels: MNIST
    placed its digits by whole pixels, so an original's centre of mass is anywhere within
    half a pixel of the centre, where the preprocessing puts it exactly."""
    b = np.asarray(b, dtype=float).ravel()
    return max(np.corrcoef(np.roll(a, (dy, dx), axis=(0, 1)).ravel().astype(float), b)[0, 1]
               for dy in range(-reach, reach + 1) for dx in range(-reach, reach + 1))


# -- 1. photos of real MNIST digits come back as what the network read --------------------------

@pytest.fixture(scope="module")
def recovered(mnist):
    """(indices, recovered 28×28 images) of 200 test digits photographed on a larger page."""
    rng = np.random.default_rng(2026)
    indices = rng.choice(mnist.test_size, PHOTOS, replace=False)
    images = [prepare_image(grey_of(photo_of(mnist.test_images[i], rng)))[0] for i in indices]
    return indices, np.array(images)


def test_the_network_reads_photos_of_mnist_digits_as_it_reads_the_digits(mnist, video_model,
                                                                          recovered):
    indices, images = recovered
    net = video_model.network
    on_photos = net.predict(images.reshape(PHOTOS, 784) / 255.0)
    on_originals = net.predict(mnist.test_x[indices])
    agree = np.mean(on_photos == on_originals)
    assert agree >= 0.95, f"the answers agree on {agree:.1%} of {PHOTOS} photos"


def test_the_recovered_images_are_the_originals(mnist, recovered):
    indices, images = recovered
    originals = mnist.test_images[indices]
    plain = [np.corrcoef(a.ravel().astype(float), b.ravel().astype(float))[0, 1]
             for a, b in zip(images, originals)]
    aligned = [best_correlation(a, b) for a, b in zip(images, originals)]
    assert np.median(plain) > 0.9 and np.median(aligned) > 0.93, (np.median(plain),
                                                                   np.median(aligned))
    assert min(aligned) > 0.75, min(aligned)
    # As MNIST was made: the digit fits 20×20, its centre of mass at the centre, ink 0..255.
    for image in images:
        rows, cols = np.nonzero(image > 40)
        assert max(np.ptp(rows), np.ptp(cols)) + 1 <= BOX + 1
        assert np.allclose(ndimage.center_of_mass(image.astype(float)), (14, 14), atol=0.35)
        assert image.dtype == np.uint8 and image.max() > 200 and image[0].max() == 0
    assert abs(np.mean(images > 0) - np.mean(originals > 0)) < 0.05


def test_prepare_reads_a_photo_file_with_its_label_from_the_name(mnist, tmp_path):
    i = int(np.flatnonzero(mnist.test_labels == 3)[0])
    photo = save_photo(mnist.test_images[i], tmp_path / "three_3.jpg", seed=4)
    digit = prepare(photo, label=label_from_name(photo))
    assert digit.label == 3 and digit.inverted and digit.path == photo
    assert digit.pixels.shape == (28, 28) and digit.x.shape == (784,)
    assert np.array_equal(digit.x, (digit.pixels.reshape(784) / 255).astype(np.float32))
    assert digit.photo.dtype == np.uint8 and digit.photo.shape == (520, 640, 3)
    assert digit.size == (640, 520)
    assert best_correlation(digit.pixels, mnist.test_images[i]) > 0.9
    assert any("inverted" in note for note in digit.notes)


def test_a_typed_label_is_one_digit():
    assert parse_label("7") == 7 and parse_label(" 0 ") == 0
    for text in ("12", "seven", "", "-1", "7.0"):
        with pytest.raises(ValueError, match="one of 0-9"):
            parse_label(text)


def test_labels_come_from_the_last_single_digit_of_the_name():
    assert label_from_name("seven_7.png") == 7
    assert label_from_name("7.jpg") == 7
    assert label_from_name("digit-3-take2.png") == 3
    assert label_from_name("IMG_2041.jpg") is None
    assert label_from_name("photo.jpg") is None


# -- 2. what users draw and photograph ----------------------------------------------------------

def drawn_seven(size=900, width=3, ink=(20, 20, 20), paper=(250, 250, 245)):
    """A 7 drawn with a fine pen (``width`` pixels) on a ``size`` × ``size`` page."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), paper)
    draw = ImageDraw.Draw(image)
    s = size / 900
    draw.line([(300 * s, 250 * s), (600 * s, 250 * s), (420 * s, 680 * s)], fill=ink,
              width=width, joint="curve")
    return image


def test_a_hairline_is_thickened_to_mnist_strokes(mnist, video_model, tmp_path):
    path = tmp_path / "seven.png"
    drawn_seven(width=3).save(path)
    digit = prepare(path)
    assert any("thickened" in note for note in digit.notes), digit.notes
    ours = stroke_width(digit.pixels > 127)
    theirs = np.median([stroke_width(image > 127) for image in mnist.test_images[:300]])
    assert 0.6 * theirs < ours < 1.6 * theirs, (ours, theirs)
    assert video_model.network.predict(digit.x) == 7


def test_transparent_and_white_on_black_drawings_read_like_ink_on_paper(tmp_path):
    from PIL import Image

    on_paper = tmp_path / "paper.png"
    drawn_seven(width=40).save(on_paper)
    strokes = np.asarray(drawn_seven(width=40).convert("L")) < 128
    rgba = np.zeros((*strokes.shape, 4), np.uint8)
    rgba[strokes] = (0, 0, 0, 255)  # black strokes on a transparent layer
    Image.fromarray(rgba).save(tmp_path / "layer.png")
    Image.fromarray(np.where(strokes, 255, 0).astype(np.uint8)).save(tmp_path / "board.png")
    reference = prepare(on_paper)
    for name, inverted in (("layer.png", True), ("board.png", False)):
        digit = prepare(tmp_path / name)
        assert digit.inverted is inverted
        assert best_correlation(digit.pixels, reference.pixels, reach=0) > 0.97, name


def test_the_phones_orientation_tag_is_applied(tmp_path):
    from PIL import Image

    upright = drawn_seven(width=40)
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    upright.rotate(90, expand=True).save(path, exif=exif.tobytes())
    upright.save(tmp_path / "upright.jpg")
    assert best_correlation(prepare(path).pixels, prepare(tmp_path / "upright.jpg").pixels,
                            reach=0) > 0.97


# -- 3. bad input: one line naming the file and what is wrong -----------------------------------

def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels and holds none: what a huge photo's
    header says before anything is decoded."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def blank_page(rng, size=(600, 800)):
    yy, xx = np.mgrid[0:size[0], 0:size[1]]
    grey = 0.85 + 0.1 * xx / size[1] + rng.normal(0, 0.02, size)
    return np.round(255 * np.clip(grey, 0, 1)).astype(np.uint8)


def two_digits(mnist, rng):
    left, right = (photo_of(mnist.test_images[i], rng, page=(400, 400)) for i in (0, 1))
    return np.concatenate([left, right], axis=1)


def bad_files(folder, mnist):
    """(file, what its error must say) for each kind of bad input."""
    from PIL import Image

    rng = np.random.default_rng(7)
    good = io.BytesIO()
    Image.fromarray(photo_of(mnist.test_images[0], rng)).save(good, format="JPEG")
    files = {
        "notes.png": (b"these are my lecture notes, not a picture\n", "not an image"),
        "cut.jpg": (good.getvalue()[:len(good.getvalue()) // 3], "damaged or truncated"),
        "huge.png": (png_header(12_000, 9_000), "12,000 x 9,000 pixels"),
        "empty.png": (b"", "not an image"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    Image.fromarray(blank_page(rng)).save(folder / "blank.png")
    Image.fromarray(two_digits(mnist, rng)).save(folder / "two.png")
    expected = {name: needle for name, (_, needle) in files.items()}
    expected |= {"blank.png": "no ink found", "two.png": "several digits",
                 "missing.png": "no such file"}
    (folder / "folder.png").mkdir()
    expected["folder.png"] = "a folder"
    return expected


def test_bad_files_give_one_line_naming_the_file(mnist, tmp_path):
    for name, needle in bad_files(tmp_path, mnist).items():
        with pytest.raises(DigitError) as caught:
            prepare(tmp_path / name)
        message = str(caught.value)
        assert "\n" not in message and str(tmp_path / name) in message, message
        assert needle in message, (name, message)


def test_a_huge_image_is_refused_from_its_header(tmp_path, monkeypatch):
    from PIL import Image

    (tmp_path / "huge.png").write_bytes(png_header(12_000, 9_000))
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("pixels were decoded"))
    with pytest.raises(DigitError, match="108 megapixels"):
        read_image(tmp_path / "huge.png")
    (tmp_path / "huger.png").write_bytes(png_header(20_000, 20_000))  # Pillow's own limit
    with pytest.raises(DigitError, match="huger.png: far more than the 50 megapixels"):
        read_image(tmp_path / "huger.png")


def test_a_label_outside_0_to_9_is_refused(mnist, tmp_path):
    photo = save_photo(mnist.test_images[0], tmp_path / "photo.png")
    with pytest.raises(DigitError, match="one of 0-9"):
        prepare(photo, label=12)


def test_a_stray_speck_is_left_out(mnist, tmp_path):
    rng = np.random.default_rng(3)
    photo = photo_of(mnist.test_images[0], rng).copy()
    photo[20:26, 20:26] = 40  # a dot of dirt in a corner
    clean = prepare_image(grey_of(photo_of(mnist.test_images[0], np.random.default_rng(3))))[0]
    pixels, notes, _ = prepare_image(grey_of(photo))
    assert any("speck" in note or "stray" in note for note in notes), notes
    assert best_correlation(pixels, clean, reach=0) > 0.99


# -- 4. the command line -------------------------------------------------------------------------

FLAGS = ["--layers", "784,10,10", "--epochs", "2", "--quiet"]


def test_predict_prints_the_answer_and_writes_what_the_network_saw(tiny_data, mnist, tmp_path):
    from PIL import Image

    from network import load_mnist, load_trained
    from network.train import TrainConfig

    folder = tmp_path / "mnist"
    write_fake_mnist(folder, tiny_data)
    i = int(np.flatnonzero(mnist.test_labels == 2)[0])
    photo = save_photo(mnist.test_images[i], tmp_path / "two_2.png", seed=5)
    seen = tmp_path / "out" / "seen.png"
    flags = [*FLAGS, "--mnist-dir", str(folder)]
    result = run_cli("predict", str(photo), "--json", "--save-28", str(seen), *flags)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(result.stdout.strip().splitlines()) == 1
    assert report["file"] == str(photo) and report["label"] == 2
    assert isinstance(report["answer"], int) and len(report["outputs"]) == 10
    # The same numbers, recomputed: the photo prepared here, the same model from the store.
    config = TrainConfig(sizes=(784, 10, 10), epochs=2)
    net = load_trained(config, load_mnist(folder, progress=False, log=quiet), progress=False,
                       log=quiet).network
    digit = prepare(photo)
    assert np.allclose(report["outputs"], net.feedforward(digit.x), atol=1e-9)
    assert report["answer"] == int(np.argmax(report["outputs"]))
    with Image.open(seen) as image:
        assert image.size == (280, 280) and image.mode == "L"
        big = np.asarray(image)
    assert np.array_equal(big[::10, ::10], digit.pixels)   # crisp: each pixel a 10×10 square
    assert np.array_equal(big[9::10, 9::10], digit.pixels)

    result = run_cli("predict", str(photo), *flags)
    assert result.returncode == 0, result.stderr
    assert f"answers {report['answer']}" in result.stdout
    assert ("right, it is a 2" in result.stdout) == (report["answer"] == 2)
    assert len([line for line in result.stdout.splitlines() if line.startswith("  ")
                and line.split()[0].isdigit()]) == 10


@pytest.mark.parametrize("name", ["notes.png", "cut.jpg", "huge.png", "blank.png", "two.png",
                                  "missing.png", "folder.png"])
def test_predict_errors_are_one_line_before_any_training(name, mnist, tmp_path, capsys,
                                                          monkeypatch):
    expected = bad_files(tmp_path, mnist)
    monkeypatch.setattr("network.mnist.load_mnist",
                        lambda *a, **k: pytest.fail("data was loaded for a bad photo"))
    code, out, err = run(capsys, "predict", str(tmp_path / name), *FLAGS)
    assert_one_line_error(code, err, str(tmp_path / name), expected[name])


def test_predict_refuses_a_bad_label_and_an_unwritable_output(mnist, tmp_path, capsys):
    photo = save_photo(mnist.test_images[0], tmp_path / "photo.png")
    code, _, err = run(capsys, "predict", str(photo), "--label", "12", *FLAGS)
    assert_one_line_error(code, err, "--label", "one of 0-9")
    (tmp_path / "dir.png").mkdir()
    code, _, err = run(capsys, "predict", str(photo), "--save-28", str(tmp_path / "dir.png"),
                       *FLAGS)
    assert_one_line_error(code, err, "dir.png", "a folder")


def test_predict_is_listed_in_the_help():
    assert "predict" in cli.build_parser().format_help()
