"""Cameras that draw the same frames as manim's, faster.

**Images.** 
manim 0.21's ``Camera.display_image_mobject`` pastes every image into a transparent picture
the size of the whole frame and alpha-composites that over the frame: the cost of one
thumbnail is the cost of a full frame (8 MB at 1080p), so a scene with 300 digit thumbnails
composites 300 full frames per frame. ``BoxedImages`` warps the image exactly as manim does
(same corners, same perspective coefficients, same resampling) and composites it only over
the pixels its box covers. Outside the box manim's overlay is fully transparent and leaves
the frame as it was, so the frames are the same.

**Faces of 3-D surfaces.** A ``Surface`` is hundreds of small shaded quadrilaterals, and
manim's ``ThreeDCamera`` works out each one's projection, shading and gradient in its own
dozen Python calls on 3-vectors, every frame. ``BatchedFaces`` does that arithmetic for a run
of plain faces (one 4-curve outline, one fill and one stroke colour; shaded or not) in a few NumPy
operations over all of them, then draws each with the same Cairo calls, in the same order.
The formulas are manim's (``get_shaded_rgb``, ``get_3d_vmob_unit_normal``, its projection);
vectorised sums may round the last bit differently, so colours can differ by one level of 255.
Anything else (text, curves, dots) goes through manim's own path, its points projected
together with the frame's other such mobjects in one call (the same arithmetic per point).

**Paths.** Every vector mobject drawn costs a Cairo path, and manim 0.21 builds it with a
dozen NumPy calls on arrays of a few dozen points (finding where subpaths split, then reading
the points one NumPy scalar at a time): 30-40 us per glyph or square, most of a frame when
hundreds move. ``FastPaths`` reads the points once as Python floats and makes the same
decisions with the same comparisons (``np.isclose``'s, as manim uses them), so Cairo receives
the same calls with the same numbers; a fill that is fully transparent is not drawn at all
(Cairo's OVER with alpha 0 leaves every pixel as it was).

``NN_STOCK_MANIM=1`` renders with manim's own cameras, to compare against (``scenes.speedups``).
"""

from __future__ import annotations

import math

import cairo
import numpy as np
from manim import Camera, ThreeDCamera, ThreeDVMobject, VMobject
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP
from manim.constants import CapStyleType, LineJointType
from PIL import Image

from .speedups import stock_manim_wanted


def _cross(u: np.ndarray, v: np.ndarray) -> float:
    return float(u[0] * v[1] - u[1] * v[0])


def perspective_coefficients(target: np.ndarray, width: int, height: int) -> np.ndarray | None:
    """The 8 coefficients of PIL's PERSPECTIVE transform that map a frame pixel inside the
    quadrilateral ``target`` (the image's corners: upper left, upper right, lower left, lower
    right) back to the source image's pixel; None when the corners are collinear."""
    source = np.array([[0, 0], [width, 0], [0, height], [width, height]], dtype=np.float64)
    rows = []
    for (x, y), (sx, sy) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -sx * x, -sx * y])
        rows.append([0, 0, 0, x, y, 1, -sy * x, -sy * y])
    try:
        return np.linalg.solve(np.array(rows, dtype=np.float64), source.reshape(8))
    except np.linalg.LinAlgError:
        return None


def too_thin(target: np.ndarray) -> bool:
    """Whether the quadrilateral ``target`` covers no pixel: its longest side has length 0, or
    its height over that side is under half a pixel (the transform would be ill-conditioned)."""
    ring = [target[i] for i in (0, 1, 3, 2)]
    sides = [ring[(i + 1) % 4] - ring[i] for i in range(4)]
    lengths = np.linalg.norm(sides, axis=1)
    longest = int(np.argmax(lengths))
    if lengths[longest] == 0:
        return True
    # manim measures the height from the side before the longest one (both terms use it)
    height = abs(_cross(sides[longest], sides[(longest - 1) % 4])) / lengths[longest]
    return height < 0.5


class BoxedImages:
    """Camera mixin: draw each ``ImageMobject`` by compositing only the pixels it covers."""

    def display_image_mobject(self, image_mobject, pixel_array: np.ndarray) -> None:
        rgba = image_mobject.get_pixel_array()
        source = Image.fromarray(np.ascontiguousarray(rgba, dtype=np.uint8))
        if source.mode != "RGBA":
            source = source.convert("RGBA")
        target = self.points_to_subpixel_coords(image_mobject, image_mobject.points)
        whole = target.astype(np.int64)
        corner = whole.min(axis=0)
        target = target - corner
        size = (whole - corner).max(axis=0)
        if too_thin(target):
            return
        coefficients = perspective_coefficients(target, source.width, source.height)
        if coefficients is None:
            return
        warped = source.transform(size=(int(size[0]), int(size[1])),
                                  method=Image.Transform.PERSPECTIVE, data=coefficients,
                                  resample=image_mobject.resampling_algorithm)
        # the part of the warped image that falls inside the frame
        height, width = pixel_array.shape[:2]
        x0, y0 = max(int(corner[0]), 0), max(int(corner[1]), 0)
        x1 = min(int(corner[0] + size[0]), width)
        y1 = min(int(corner[1] + size[1]), height)
        if x1 <= x0 or y1 <= y0:
            return
        piece = warped.crop((x0 - int(corner[0]), y0 - int(corner[1]),
                             x1 - int(corner[0]), y1 - int(corner[1])))
        under = Image.fromarray(np.ascontiguousarray(pixel_array[y0:y1, x0:x1]))
        pixel_array[y0:y1, x0:x1] = np.asarray(Image.alpha_composite(under, piece))


def unit_normals(v1: np.ndarray, v2: np.ndarray) -> np.ndarray:
    """Row-wise ``manim.utils.space_ops.get_unit_normal(v1, v2)`` for the usual case, both
    vectors non-zero and not aligned; NaN rows where that function takes another branch."""
    div1 = np.abs(v1).max(axis=1, keepdims=True)
    div2 = np.abs(v2).max(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        u1, u2 = v1 / div1, v2 / div2
        cp = np.stack([u1[:, 1] * u2[:, 2] - u1[:, 2] * u2[:, 1],
                       u1[:, 2] * u2[:, 0] - u1[:, 0] * u2[:, 2],
                       u1[:, 0] * u2[:, 1] - u1[:, 1] * u2[:, 0]], axis=1)
        norm = np.sqrt(np.einsum("ij,ij->i", cp, cp))[:, None]
        normals = cp / norm
    usual = (div1[:, 0] > 0) & (div2[:, 0] > 0) & (norm[:, 0] > 1e-6)
    normals[~usual] = np.nan
    return normals


def shaded(rgb: np.ndarray, points: np.ndarray, normals: np.ndarray,
           light: np.ndarray) -> np.ndarray:
    """Row-wise ``manim.utils.color.core.get_shaded_rgb``: brighter facing the light."""
    to_sun = light - points
    length = np.sqrt(np.einsum("ij,ij->i", to_sun, to_sun))[:, None]
    to_sun = np.divide(to_sun, length, out=np.zeros_like(to_sun), where=length > 0)
    brightness = 0.5 * np.einsum("ij,ij->i", normals, to_sun) ** 3
    brightness = np.where(brightness < 0, 0.5 * brightness, brightness)
    return rgb + brightness[:, None]


class FastPaths:
    """``Camera`` mixin: manim's vector paths, built from Python floats; nothing drawn for a
    mobject wholly outside the frame."""

    def display_vectorized(self, vmobject, ctx):
        if self._projects:
            points = self.transform_points_pre_display(vmobject, vmobject.points)
        else:   # the flat camera's only checks that the points are finite, as _flat does
            points = vmobject.points
        flat = self._flat(vmobject, points)
        if flat is None:
            super().set_cairo_context_path(ctx, vmobject)
        else:
            xs, ys = flat[0::2], flat[1::2]
            box = min(xs), max(xs), min(ys), max(ys)
            if self._outside_frame(ctx, vmobject, box) or self._invisible_point(ctx, vmobject, box):
                self._keep_line_style(ctx, vmobject)
                return self
            self._set_path(ctx, vmobject, flat)
        self.apply_stroke(ctx, vmobject, background=True)
        self.apply_fill(ctx, vmobject)
        self.apply_stroke(ctx, vmobject)
        return self

    @property
    def _projects(self) -> bool:
        return type(self).transform_points_pre_display is not Camera.transform_points_pre_display

    def set_cairo_context_path(self, ctx, vmobject):
        flat = self._flat(vmobject, self.transform_points_pre_display(vmobject, vmobject.points))
        if flat is None:
            return super().set_cairo_context_path(ctx, vmobject)
        self._set_path(ctx, vmobject, flat)
        return self

    @staticmethod
    def _flat(vmobject, points) -> list | None:
        """The points' x and y as Python floats (x0, y0, x1, y1, ...), or ``None`` where
        manim's own path is left to draw: fewer points than one curve (nothing to draw), or
        infinities (only a 3-D projection makes them)."""
        flat = points[:, :2].ravel().tolist()
        if len(points) < vmobject.n_points_per_cubic_curve or not math.isfinite(math.fsum(flat)):
            return None
        return flat

    def _outside_frame(self, ctx, vmobject, box: tuple) -> bool:
        """Whether the mobject's control points (``box``: their least and greatest x and y),
        widened by its stroke, miss the frame: a Bezier curve stays inside their bounding box,
        a stroke within half its width of the curve except at mitred corners (at most 5 widths
        at Cairo's miter limit of 10), and antialiasing within a pixel of that."""
        m = ctx.get_matrix()
        if m.xy or m.yx:     # a rotated context: no shortcut
            return False
        width = max(vmobject.get_stroke_width(), vmobject.get_stroke_width(background=True))
        margin = 5 * width * self.cairo_line_width_multiple + 2 / min(abs(m.xx), abs(m.yy))
        x_lo, x_hi = sorted(((box[0] - margin) * m.xx + m.x0, (box[1] + margin) * m.xx + m.x0))
        y_lo, y_hi = sorted(((box[2] - margin) * m.yy + m.y0, (box[3] + margin) * m.yy + m.y0))
        return x_hi < 0 or y_hi < 0 or x_lo > self.pixel_width or y_lo > self.pixel_height

    @staticmethod
    def _invisible_point(ctx, vmobject, box: tuple) -> bool:
        """Whether the path is a single point that Cairo would not mark: no area to fill, and
        a stroke of no length with butt caps draws nothing (round or square caps would draw a
        dot). What a flash leaves of an edge before and after its window passes."""
        if box[0] != box[1] or box[2] != box[3]:
            return False
        cap = vmobject.cap_style
        if cap == CapStyleType.AUTO:
            return ctx.get_line_cap() == cairo.LINE_CAP_BUTT
        return CAP_STYLE_MAP[cap] == cairo.LINE_CAP_BUTT

    def _keep_line_style(self, ctx, vmobject) -> None:
        """A stroke leaves its line join and cap set on the context for the mobjects after it
        (manim sets them only when not AUTO): a skipped mobject must leave them the same."""
        for background in (True, False):
            if vmobject.get_stroke_width(background) == 0:
                continue
            if vmobject.joint_type != LineJointType.AUTO:
                ctx.set_line_join(LINE_JOIN_MAP[vmobject.joint_type])
            if vmobject.cap_style != CapStyleType.AUTO:
                ctx.set_line_cap(CAP_STYLE_MAP[vmobject.cap_style])

    def _set_path(self, ctx, vmobject, flat: list) -> None:
        """manim's path: subpaths split where a curve's end anchor is not ``np.isclose`` to the
        next one's start, each closed when its first and last points are close."""
        nppcc = vmobject.n_points_per_cubic_curve
        n = len(flat) // 2
        ctx.new_path()
        atol = vmobject.tolerance_for_point_equality
        bounds = [0]
        for i in range(2 * nppcc, 2 * n, 2 * nppcc):
            x0, y0, x1, y1 = flat[i - 2], flat[i - 1], flat[i], flat[i + 1]
            if abs(x0 - x1) > atol + 1e-5 * abs(x1) or abs(y0 - y1) > atol + 1e-5 * abs(y1):
                bounds.append(i // 2)
        bounds.append(n)
        move_to, curve_to, close_path = ctx.move_to, ctx.curve_to, ctx.close_path
        for start, end in zip(bounds, bounds[1:]):
            if end - start < nppcc:
                continue
            ctx.new_sub_path()
            move_to(flat[2 * start], flat[2 * start + 1])
            for b in range(2 * start + 2, 2 * (end - nppcc) + 3, 2 * nppcc):
                curve_to(*flat[b:b + 6])
            x0, y0, x1, y1 = flat[2 * start], flat[2 * start + 1], flat[2 * end - 2], flat[2 * end - 1]
            if not (abs(x0 - x1) > atol + 1e-5 * abs(x1) or abs(y0 - y1) > atol + 1e-5 * abs(y1)):
                close_path()

    def apply_fill(self, ctx, vmobject):
        if not vmobject.get_fill_rgbas()[:, 3].any():
            return self
        return super().apply_fill(ctx, vmobject)


class BatchedFaces:
    """``ThreeDCamera`` mixin: shade and project runs of plain surface faces together."""

    FACE_POINTS = 16  # four cubic curves: a quadrilateral face of a Surface
    FACE_ANCHORS = [0, 3, 4, 7, 8, 11, 12, 15]  # their start and end anchors

    def _plain_face(self, vm) -> bool:
        return (len(vm.points) == self.FACE_POINTS and not vm.submobjects
                and isinstance(vm, ThreeDVMobject)
                and vm not in self.fixed_in_frame_mobjects
                and vm not in self.fixed_orientation_mobjects
                and len(vm.fill_rgbas) == 1 and len(vm.stroke_rgbas) == 1
                and vm.get_stroke_width(True) == 0
                and vm.joint_type == LineJointType.AUTO and vm.cap_style == CapStyleType.AUTO)

    def capture_mobjects(self, mobjects, **kwargs) -> None:
        self._axis_ends: dict | None = {}
        self._projected: dict | None = {}
        try:
            super().capture_mobjects(mobjects, **kwargs)
        finally:
            self._axis_ends = self._projected = None

    def _project_together(self, mobjects: list) -> None:
        """Project the points of every other 3-D vector mobject of the frame (lines, dots,
        labels placed in space) in one call instead of one per mobject; kept for
        ``transform_points_pre_display`` to hand back for those same point arrays."""
        chosen = [m for m in mobjects if isinstance(m, VMobject) and len(m.points)
                  and m not in self.fixed_in_frame_mobjects
                  and m not in self.fixed_orientation_mobjects and not self._plain_face(m)]
        if len(chosen) < 2:
            return
        arrays = [m.points for m in chosen]
        points = np.concatenate(arrays)
        if not np.all(np.isfinite(points)):
            return     # manim's own path replaces non-finite points: leave those to it
        projected = self.project_points(points)
        start = 0
        for m, a in zip(chosen, arrays):
            self._projected[id(m)] = (a, projected[start:start + len(a)])
            start += len(a)

    def transform_points_pre_display(self, mobject, points):
        cache = getattr(self, "_projected", None)
        if cache:
            hit = cache.get(id(mobject))
            if hit is not None and hit[0] is points:
                return hit[1]
        return super().transform_points_pre_display(mobject, points)

    def set_cairo_context_color(self, ctx, rgbas, vmobject):
        """manim's, except that a ``ThreeDAxes`` piece's gradient ends are worked out once per
        axis and frame: manim gives every piece of an axis a function returning the whole
        axis's edge centres, so each frame computed them once per piece (20 and more)."""
        ends = getattr(vmobject, "get_gradient_start_and_end_points", None)
        cache = getattr(self, "_axis_ends", None)
        if (len(rgbas) < 2 or cache is None or ends is None
                or not getattr(ends, "__qualname__", "").startswith("ThreeDAxes._set_axis_shading")):
            return super().set_cairo_context_color(ctx, rgbas, vmobject)
        key = tuple(id(cell.cell_contents) for cell in ends.__closure__ or ())
        if key not in cache:
            cache[key] = ends()
        points = self.transform_points_pre_display(vmobject, np.array(cache[key]))
        gradient = cairo.LinearGradient(*(float(v) for point in points for v in point[:2]))
        for rgba, offset in zip(rgbas, np.linspace(0, 1, len(rgbas))):
            gradient.add_color_stop_rgba(offset, *rgba[2::-1], rgba[3])
        ctx.set_source(gradient)
        return self

    def get_mobjects_to_display(self, *args, **kwargs) -> list:
        """manim's order, far to near: ``ThreeDCamera`` sorts shaded mobjects by the depth of
        their centre (the middle of their anchors' bounding box), the rest last. The depths of
        plain faces are computed together."""
        mobjects = super(ThreeDCamera, self).get_mobjects_to_display(*args, **kwargs)
        rotation = self.get_rotation_matrix()
        depth = np.full(len(mobjects), np.inf)
        faces = []
        for i, m in enumerate(mobjects):
            if not getattr(m, "shade_in_3d", False):
                continue
            if (len(m.points) == self.FACE_POINTS and not m.submobjects
                    and getattr(m, "z_index_group", m) is m):
                faces.append(i)
            else:
                depth[i] = np.dot(m.get_z_index_reference_point(), rotation.T)[2]
        if faces:
            anchors = np.stack([mobjects[i].points[self.FACE_ANCHORS] for i in faces])
            centres = (anchors.min(axis=1) + anchors.max(axis=1)) / 2
            # one np.dot per centre, as manim does: a matrix product may round differently,
            # and faces at equal depths (a symmetric surface has many) must keep their order
            to_camera = rotation.T
            depth[faces] = [np.dot(c, to_camera)[2] for c in centres]
        order = sorted(range(len(mobjects)), key=depth.__getitem__)
        mobjects = [mobjects[i] for i in order]
        if getattr(self, "_projected", None) is not None:
            self._project_together(mobjects)
        return mobjects

    def display_multiple_non_background_colored_vmobjects(self, vmobjects, pixel_array) -> None:
        ctx = self.get_cairo_context(pixel_array)
        vmobjects = list(vmobjects)
        start = 0
        while start < len(vmobjects):
            end = start
            while end < len(vmobjects) and self._plain_face(vmobjects[end]):
                end += 1
            if end - start >= 2:
                self._display_faces(vmobjects[start:end], ctx)
                start = end
            else:
                self.display_vectorized(vmobjects[start], ctx)
                start += 1

    def _display_faces(self, faces: list, ctx) -> None:
        points = np.stack([f.points for f in faces])                   # (K, 16, 3)
        n = len(faces)
        if not np.all(np.isfinite(points)):
            for face in faces:
                self.display_vectorized(face, ctx)
            return
        projected = self.project_points(points.reshape(-1, 3)).reshape(points.shape)
        xy = projected[:, :, :2]
        atol = np.array([f.tolerance_for_point_equality for f in faces])[:, None, None]
        ends, starts = xy[:, [3, 7, 11]], xy[:, [4, 8, 12]]
        joined = np.all(np.abs(ends - starts) <= atol + 1e-5 * np.abs(starts), axis=(1, 2))
        closed = np.all(np.abs(xy[:, 0] - xy[:, 15]) <= atol[:, 0] + 1e-5 * np.abs(xy[:, 15]),
                        axis=1)
        # manim's corners and normals: start corner 0 (neighbours 3 and 12), end corner 6
        # (neighbours 9 and 3), as get_3d_vmob_unit_normal picks them for 16 points
        start_normals = unit_normals(points[:, 3] - points[:, 0], points[:, 12] - points[:, 0])
        end_normals = unit_normals(points[:, 9] - points[:, 6], points[:, 3] - points[:, 6])
        # faces manim shades (the rest keep their one colour: a ball drawn unshaded, say)
        shade = np.array([self.should_apply_shading and bool(f.shade_in_3d) for f in faces])
        usual = ~(np.isnan(start_normals).any(axis=1) | np.isnan(end_normals).any(axis=1))
        usual |= ~shade
        light = self.light_source.points[0]
        safe_start = np.where(usual[:, None], start_normals, 0.0)
        safe_end = np.where(usual[:, None], end_normals, 0.0)
        colours, raw = {}, {}
        for kind in ("fill", "stroke"):
            rgbas = raw[kind] = np.stack([getattr(f, f"{kind}_rgbas")[0] for f in faces])  # (K, 4)
            colours[kind] = (shaded(rgbas[:, :3], points[:, 0], safe_start, light),
                             shaded(rgbas[:, :3], points[:, 6], safe_end, light), rgbas[:, 3])
        widths = [f.get_stroke_width() for f in faces]
        flat = xy.reshape(n, -1)
        for k, face in enumerate(faces):
            if not (joined[k] and usual[k]):
                self.display_vectorized(face, ctx)
                continue
            c = flat[k]
            ctx.new_path()
            ctx.new_sub_path()
            ctx.move_to(c[0], c[1])
            for b in (2, 10, 18, 26):
                ctx.curve_to(c[b], c[b + 1], c[b + 2], c[b + 3], c[b + 4], c[b + 5])
            if closed[k]:
                ctx.close_path()
            x0, y0, x1, y1 = c[0], c[1], c[12], c[13]   # the gradient runs corner 0 → point 6
            for kind in ("fill", "stroke"):
                if kind == "stroke" and widths[k] == 0:
                    continue
                first, last, alpha = colours[kind]
                if shade[k]:
                    gradient = cairo.LinearGradient(x0, y0, x1, y1)
                    gradient.add_color_stop_rgba(0.0, first[k, 2], first[k, 1], first[k, 0], alpha[k])
                    gradient.add_color_stop_rgba(1.0, last[k, 2], last[k, 1], last[k, 0], alpha[k])
                    ctx.set_source(gradient)
                else:   # cairo's byte order: manim passes the colour as b, g, r
                    r, g, b = raw[kind][k, :3]
                    ctx.set_source_rgba(b, g, r, alpha[k])
                if kind == "fill":
                    ctx.fill_preserve()
                else:
                    ctx.set_line_width(widths[k] * self.cairo_line_width_multiple)
                    ctx.stroke_preserve()


class BoxedImageCamera(FastPaths, BoxedImages, Camera):
    """manim's ``Camera``, with images composited over their own box only and paths built
    from Python floats."""


class BoxedImageThreeDCamera(BatchedFaces, FastPaths, BoxedImages, ThreeDCamera):
    """manim's ``ThreeDCamera``, with images composited over their own box only, surface
    faces shaded and projected in batches and paths built from Python floats."""


def camera_class(three_d: bool):
    """The camera class scenes render with (manim's own with ``NN_STOCK_MANIM=1``)."""
    if stock_manim_wanted():
        return ThreeDCamera if three_d else Camera
    return BoxedImageThreeDCamera if three_d else BoxedImageCamera
