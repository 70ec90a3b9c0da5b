"""A photo or drawing of one handwritten digit, made into the 28×28 image the network reads,
the way MNIST itself was made (LeCun et al.: "the images were centered in a 28x28 image by
computing the center of mass of the pixels").

``prepare(path)`` returns a ``PreparedDigit``; every step, and why:

1. **Read** (Pillow: PNG, JPEG and what else it decodes). The size is checked from the file's
   header before any pixel is decoded, so a 12,000 × 9,000 photo is refused, not loaded
   (``MAX_MEGAPIXELS``). The phone's orientation tag is applied. A transparent background is
   laid over the paper colour the strokes are not, so a drawing app's export keeps its ink.
2. **Grey**, and a working copy of at most ``WORK_SIDE`` pixels a side: a phone photo has
   far more pixels than 28×28 needs, and every later step is cheaper on fewer.
3. **Ink is bright.** MNIST is white ink on black. Paper covers most of a photo, so the
   median pixel is the paper: a light median means dark ink on light paper, which is inverted.
4. **The paper's uneven light is removed.** A shadow or a lamp makes one side of the page
   darker than the other, which a single threshold would read as ink. The paper's own
   brightness is estimated with a median filter much wider than a stroke (a stroke covers
   too little of each window to move a median), smoothed, and each pixel's ink is how much
   darker it is than the paper around it, relative to that paper.
5. **Threshold, robustly.** Otsu's threshold splits ink from paper, but never below the
   paper's own noise (a multiple of its median absolute deviation): a blank page has no ink
   rather than its noise made into a digit.
6. **One digit.** Ink pixels are grouped into connected marks (after a small dilation, so a
   stroke broken by the pen still counts as one). Specks are dropped; marks close to the
   largest (a 5's detached top bar, a 7's cross stroke) belong to it. A second mark of
   similar size further away means several digits: refused, since guessing which one the
   user meant would show the wrong digit with the right numbers.
7. **Soft edges.** Inside the kept marks the ink keeps its grey levels (a pen's edge is
   anti-aliased, like MNIST's), scaled so the stroke's core is 1.
8. **Stroke width.** MNIST's strokes are about an eighth of the digit's height (2.5 of 20
   pixels); a fine pen on a large page gives a hairline that shrinks to a faint thread at 20
   pixels. A stroke thinner than nearly all of MNIST's (under 1/15 of the height) is
   thickened (a grey dilation with a disc) to MNIST's width. Thick strokes are kept:
   thinning would break a digit's thin parts.
9. **Crop** to the ink's bounding box, and **scale** it to fit a 20×20 box keeping its
   aspect ratio, anti-aliased (a Gaussian matched to the reduction, then linear
   interpolation at the new pixel centres), as MNIST's size normalisation did.
10. **Centre of mass** at the centre of the 28×28 field (pixel coordinate 14, 14, where
    MNIST's digits have theirs), in the same resampling as the scaling so the image is
    interpolated once, and the values 0…1 stored as 0…255 like the training data.

Pure NumPy and SciPy (``scipy.ndimage``), and Pillow to decode the file. Every problem is a
``DigitError``: one line naming the file and what is wrong.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import ndimage

SIDE = 28              # the network's image
BOX = 20               # the digit is scaled to fit this box, as MNIST's digits were
MAX_MEGAPIXELS = 50    # larger files are refused before they are decoded
WORK_SIDE = 1000       # the working copy's longest side
PHOTO_SIDE = 1024      # the copy kept to show beside the 28×28 image
MIN_SIDE = 8           # smaller than this is not a photo of anything
MIN_CONTRAST = 0.12    # ink must be at least this much darker than its paper
STROKE_RATIO = 0.125   # MNIST's stroke width over the digit's height (its median: 0.13)
THIN = 1 / 15          # strokes thinner than this share of the height are thickened
SPECK = 0.02           # marks with less ink than this share of the largest are specks
SEVERAL = 0.3          # a far mark with this share of the largest's ink is another digit


class DigitError(ValueError):
    """A file that cannot be read as one handwritten digit; the message is one line naming
    the file and what is wrong."""


@dataclass(frozen=True)
class PreparedDigit:
    """One digit as the network reads it: ``pixels`` (28×28 uint8, white ink on black),
    ``photo`` (the file as RGB uint8, at most ``PHOTO_SIDE`` a side, to show beside it),
    ``path``, ``size`` (the file's width and height, upright), ``label`` (the true digit when
    known, else None), ``inverted`` (the ink was dark on light and was inverted) and ``notes``
    (what the preprocessing changed, in words)."""

    pixels: np.ndarray
    photo: np.ndarray
    path: Path
    size: tuple[int, int] = (0, 0)
    label: int | None = None
    inverted: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def x(self) -> np.ndarray:
        """The network's 784 inputs: the pixels as a float row in [0, 1], like ``MNIST.test_x``."""
        return (self.pixels.reshape(SIDE * SIDE) / 255.0).astype(np.float32)


def parse_label(text: str) -> int:
    """The true digit typed as ``text`` ("7", " 7 "); ValueError unless it is one of 0-9."""
    if str(text).strip() not in tuple("0123456789"):
        raise ValueError(f"the true digit must be one of 0-9, got {text!r}")
    return int(text)


def label_from_name(path) -> int | None:
    """The true digit a file's name gives: the last part of its stem that is a single digit
    (``seven_7.png``, ``7.jpg``, ``digit-3-take2.png`` → 7, 7, 3), else None
    (``IMG_2041.jpg``)."""
    parts = re.split(r"[\s_\-.,()\[\]]+", Path(path).stem)
    digits = [p for p in parts if len(p) == 1 and p.isdigit()]
    return int(digits[-1]) if digits else None


# -- reading -------------------------------------------------------------------------------------

def read_image(path) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """``(grey, photo, size)`` of the image file ``path``: ``grey`` a float working copy in
    [0, 1] (1 = white) at most ``WORK_SIDE`` a side, ``photo`` RGB uint8 at most
    ``PHOTO_SIDE`` a side, ``size`` the file's (width, height) upright. DigitError for a
    missing file, a folder, a file that is not an image, a damaged, huge or tiny one."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    path = Path(path)
    name = str(path)
    if not path.exists():
        raise DigitError(f"{name}: no such file")
    if path.is_dir():
        raise DigitError(f"{name}: a folder, not an image")
    try:
        with warnings.catch_warnings():
            # The size is checked here, against MAX_MEGAPIXELS, before anything is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
        with image:
            width, height = image.size
            megapixels = width * height / 1e6
            if megapixels > MAX_MEGAPIXELS:
                raise DigitError(
                    f"{name}: {width:,} x {height:,} pixels ({megapixels:,.0f} megapixels) is "
                    f"more than the {MAX_MEGAPIXELS} megapixels read here; scale it down (a "
                    "digit needs no more than about 1,000 pixels a side)")
            if min(width, height) < MIN_SIDE:
                raise DigitError(f"{name}: {width} x {height} pixels is too small to hold a "
                                 "digit")
            image.seek(0)  # the first frame of an animation
            image.load()
            image = ImageOps.exif_transpose(image)
            rgb = _flatten(image)
    except UnidentifiedImageError:
        raise DigitError(f"{name}: not an image (PNG or JPEG) that can be read") from None
    except Image.DecompressionBombError:
        raise DigitError(f"{name}: far more than the {MAX_MEGAPIXELS} megapixels read here; "
                         "scale it down") from None
    except (OSError, SyntaxError, ValueError) as e:
        if isinstance(e, DigitError):
            raise
        reason = " ".join(str(e).split()) or type(e).__name__
        raise DigitError(f"{name}: the image is damaged or truncated ({reason})") from None
    photo = _fit(rgb, PHOTO_SIDE)
    grey = np.asarray(_fit(rgb, WORK_SIDE).convert("L"), dtype=np.float64) / 255.0
    return grey, np.asarray(photo.convert("RGB"), dtype=np.uint8), rgb.size


def _flatten(image):
    """``image`` as RGB; a transparent background becomes the paper colour its strokes are not
    (white under dark strokes, black under light ones)."""
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = Image.fromarray((np.asarray(image, dtype=np.float64) / 256).clip(0, 255)
                                .astype(np.uint8))
    if "A" not in image.getbands() and "transparency" not in image.info:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    values = np.asarray(rgba, dtype=np.float64) / 255.0
    alpha = values[..., 3]
    if alpha.min() > 0.99:
        return rgba.convert("RGB")
    strokes = (values[..., :3].mean(axis=2) * alpha).sum() / max(alpha.sum(), 1e-9)
    paper = (0, 0, 0, 255) if strokes > 0.5 else (255, 255, 255, 255)
    background = Image.new("RGBA", rgba.size, paper)
    return Image.alpha_composite(background, rgba).convert("RGB")


def _fit(image, side: int):
    """``image`` shrunk (anti-aliased) so its longest side is at most ``side``."""
    from PIL import Image

    scale = side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


# -- the steps -----------------------------------------------------------------------------------

def ink_of(grey: np.ndarray) -> tuple[np.ndarray, bool]:
    """``(ink, inverted)``: how much darker than its paper each pixel is, relative to the
    paper (0 = paper, 1 = black ink on white paper), and whether the image was inverted
    (dark ink on light paper; white-on-black drawings are read as they are)."""
    inverted = bool(np.median(grey) > 0.5)
    light = 1.0 - grey if not inverted else grey
    paper = paper_level(light)
    ink = np.clip((paper - light) / np.maximum(paper, 0.05), 0.0, 1.0)
    return ink, inverted


def paper_level(light: np.ndarray) -> np.ndarray:
    """The paper's brightness at every pixel of ``light`` (paper bright, ink dark): a median
    over windows a fifth of the image wide on a reduced copy, smoothed and scaled back up."""
    h, w = light.shape
    reduce = max(1, max(h, w) // 120)
    small = light[:h - h % reduce, :w - w % reduce]
    small = small.reshape(small.shape[0] // reduce, reduce, small.shape[1] // reduce, reduce)
    small = small.mean(axis=(1, 3))
    window = max(3, max(small.shape) // 5) | 1
    paper = ndimage.median_filter(small, size=window, mode="reflect")
    paper = ndimage.gaussian_filter(paper, window / 4, mode="reflect")
    zoom = (h / paper.shape[0], w / paper.shape[1])
    paper = ndimage.zoom(paper, zoom, order=1, mode="nearest", grid_mode=True)
    return np.maximum(paper[:h, :w], 1e-3)


def threshold(ink: np.ndarray) -> float:
    """Otsu's threshold of ``ink``, but at least the paper's noise times eight (its median
    absolute deviation as a standard deviation) and at least ``MIN_CONTRAST`` / 2."""
    counts, edges = np.histogram(ink, bins=256, range=(0.0, 1.0))
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(counts)
    mass = np.cumsum(counts * centres)
    total, total_mass = weight[-1], mass[-1]
    below, above = weight, total - weight
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * below - mass * total) ** 2 / (below * above)
    otsu = centres[int(np.nanargmax(np.where(above > 0, between, np.nan)))]
    median = np.median(ink)
    noise = 1.4826 * np.median(np.abs(ink - median))
    return float(max(otsu, median + 8 * noise, MIN_CONTRAST / 2))


def one_digit(mask: np.ndarray, ink: np.ndarray, name: str) -> tuple[np.ndarray, list[str]]:
    """The part of ``mask`` that is the digit: the largest mark with the marks near it, specks
    dropped. DigitError if another mark of similar size lies apart from it (several digits)."""
    notes = []
    reach = max(1, round(max(mask.shape) / 200))
    joined = ndimage.binary_dilation(mask, iterations=reach)
    labels, count = ndimage.label(joined)
    masses = ndimage.sum(ink * mask, labels, index=np.arange(1, count + 1))
    order = np.argsort(masses)[::-1]
    largest = order[0] + 1
    boxes = ndimage.find_objects(labels)
    rows, cols = boxes[largest - 1]
    height = max(rows.stop - rows.start, cols.stop - cols.start)
    keep, apart, specks = [largest], 0, 0
    for i in order[1:]:
        if masses[i] < SPECK * masses[largest - 1]:
            specks += 1
            continue
        r, c = boxes[i]
        gap = max(r.start - rows.stop, rows.start - r.stop, c.start - cols.stop,
                  cols.start - c.stop, 0)
        if gap <= 0.25 * height:
            keep.append(i + 1)
        elif masses[i] >= SEVERAL * masses[largest - 1]:
            apart += 1
        else:
            notes.append("a small stray mark away from the digit was left out")
    if apart:
        raise DigitError(
            f"{name}: {apart + 1} separate marks of similar size were found, as if "
            "several digits were written; photograph one digit at a time (crop the photo to "
            "the digit you mean)")
    if specks:
        notes.append(f"{specks} speck{'s' if specks > 1 else ''} of dirt or noise left out")
    return mask & np.isin(labels, keep), notes


def stroke_width(mask: np.ndarray) -> float:
    """The strokes' typical width in pixels, from the mean distance d from an ink pixel to
    the nearest paper pixel: a band w pixels wide has d = w / 4 + 1 / 2 (the distances 1, 2,
    ... in from each edge), so w = 4 (d - 1/2)."""
    if not mask.any():
        return 0.0
    return float(4 * (ndimage.distance_transform_edt(mask)[mask].mean() - 0.5))


def fit_box(ink: np.ndarray, box: int = BOX, side: int = SIDE) -> np.ndarray:
    """``ink`` scaled to fit a ``box`` × ``box`` square keeping its aspect ratio and placed in
    a ``side`` × ``side`` field with its centre of mass at the field's centre, in one
    resampling: a Gaussian matched to the reduction (so no stroke aliases away), then linear
    interpolation at the field's pixel centres."""
    h, w = ink.shape
    scale = box / max(h, w)
    if scale < 1:
        ink = ndimage.gaussian_filter(ink, sigma=0.45 / scale, mode="constant")
    # A pixel centre r of the crop lands at (r + 0.5) * scale - 0.5 + shift in the field.
    com = np.asarray(ndimage.center_of_mass(ink))
    shift = side / 2 - ((com + 0.5) * scale - 0.5)
    offset = (0.5 - shift) / scale - 0.5
    return ndimage.affine_transform(ink, np.diag([1 / scale, 1 / scale]), offset=offset,
                                    output_shape=(side, side), order=1, mode="constant", cval=0.0)


def prepare_image(grey: np.ndarray, name: str = "the image") -> tuple[np.ndarray, list[str], bool]:
    """``(pixels, notes, inverted)`` of a grey image (floats in [0, 1], 1 = white): the
    28×28 uint8 image the network reads (steps 3-10 of the module's docstring), what the
    preprocessing changed in words, and whether it inverted dark ink. DigitError (naming
    ``name``) if it holds no ink or several digits."""
    grey = np.asarray(grey, dtype=np.float64)
    ink, inverted = ink_of(grey)
    strongest = float(np.percentile(ink, 99.95))
    if strongest < MIN_CONTRAST:
        raise DigitError(f"{name}: no ink found, the page looks blank (nothing is more than "
                         f"{100 * strongest:.0f} % darker than the paper around it)")
    cut = threshold(ink)
    mask = ink > cut
    mask = ndimage.binary_opening(mask) if mask.sum() > 200 else mask
    if not mask.any():
        raise DigitError(f"{name}: no ink found, the page looks blank")
    mask, notes = one_digit(mask, ink, name)
    if inverted:
        notes.insert(0, "dark ink on light paper, inverted to MNIST's white on black")
    # Soft edges: the grey levels of the ink and the pixels just around it, the core at 1.
    near = ndimage.binary_dilation(mask, iterations=2) & ndimage.binary_dilation(
        ink > cut / 2, iterations=1)
    core = float(np.percentile(ink[mask], 75))
    soft = np.where(near, np.clip((ink - cut / 2) / max(core - cut / 2, 1e-6), 0.0, 1.0), 0.0)
    rows, cols = np.nonzero(soft)
    soft = soft[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    crop_mask = mask[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    height = max(soft.shape)
    width_now = stroke_width(crop_mask)
    wanted = STROKE_RATIO * height
    if width_now < THIN * height:
        radius = (wanted - width_now) / 2
        r = int(np.ceil(radius))
        yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
        disk = yy ** 2 + xx ** 2 <= radius ** 2 + 0.5
        soft = np.pad(soft, r)
        soft = ndimage.grey_dilation(soft, footprint=disk)
        notes.append(f"thin strokes thickened from 1/{height / max(width_now, 1):.0f} of the "
                     "digit's height to 1/8, as thick as MNIST's")
    placed = fit_box(soft)
    pixels = np.round(255 * np.clip(placed, 0.0, 1.0)).astype(np.uint8)
    return pixels, notes, inverted


def prepare(path, label: int | None = None) -> PreparedDigit:
    """The digit in the image file ``path`` as the network reads it (the module's steps),
    with ``label`` as its true digit if given. DigitError, one line naming the file, for a
    missing, unreadable, damaged, huge, blank or several-digit image, or a label not in 0-9."""
    path = Path(path)
    if label is not None and (not isinstance(label, (int, np.integer)) or not 0 <= label <= 9):
        raise DigitError(f"{path}: the true digit must be one of 0-9, got {label!r}")
    grey, photo, size = read_image(path)
    pixels, notes, inverted = prepare_image(grey, str(path))
    return PreparedDigit(pixels=pixels, photo=photo, path=path, size=size,
                         label=None if label is None else int(label), inverted=inverted,
                         notes=tuple(notes))


__all__ = ["BOX", "DigitError", "MAX_MEGAPIXELS", "PreparedDigit", "SIDE", "fit_box",
           "ink_of", "label_from_name", "parse_label", "one_digit", "paper_level", "prepare", "prepare_image",
           "read_image", "stroke_width", "threshold"]
