"""The embedded default dataset: procedurally generated street scenes with per-pixel labels.

The quick start and the tests need a segmentation + inpainting dataset that exists offline,
builds in seconds and never changes under a fixed seed. Each scene has a horizon at a random
height, a sky with clouds, buildings and trees on the horizon, a road in perspective through
grass, and up to three cars on the road. Every class is textured, and colours and texture
parameters are drawn per image, so filling a hole is non-trivial but learnable.

On disk (see :func:`write_demo_dataset`) the layout mirrors the project's CamVid copy::

    root/train/img/{stem}.png      labelled and unlabelled training images (RGB)
    root/train/label/{stem}.png    class indices, for the labelled subset only
    root/train/unlabelled.txt      stems of the training images without a label file
    root/train/audit_label/{stem}.png  the labels of those images, kept apart: only the
                                   pseudo-label audit reads them, never training
    root/val/img/{stem}.png, root/val/label/{stem}.png
    root/masks/{i:05d}.png         irregular hole masks (255 = hole, 0 = known)
    root/.complete                 JSON of the generation parameters, written last
"""
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from ..utils import Size, as_hw, png_bytes, write_bytes_atomically
from .hole_masks import HOLE_RATIO_BUCKETS, make_irregular_mask

DEMO_CLASSES = ('sky', 'building', 'tree', 'road', 'grass', 'car')
# The CamVid colour of each class where CamVid has it (sky, building, tree, road, car).
DEMO_PALETTE = ((128, 128, 128), (128, 0, 0), (128, 128, 0), (128, 64, 128), (0, 192, 64),
                (64, 0, 128))
SKY, BUILDING, TREE, ROAD, GRASS, CAR = range(len(DEMO_CLASSES))
# Bump when the rendering or the layout changes, so datasets written by an older generator are
# rebuilt. 2: the unlabelled images' labels in train/audit_label/.
GENERATOR_VERSION = 2
MARKER_NAME = '.complete'
UNLABELLED_LIST_NAME = 'unlabelled.txt'
AUDIT_LABEL_DIR_NAME = 'audit_label'

# Independent random streams per split, so that image i of a split does not depend on how
# many images the other splits (or the same split) hold.
_TRAIN_STREAM, _VAL_STREAM, _MASK_STREAM = range(3)

# Colour presets (RGB), jittered per image.
_SKY_PRESETS = (  # (zenith, horizon, clouds)
    ((60, 120, 205), (170, 205, 235), (245, 245, 248)),  # clear day
    ((125, 135, 150), (190, 195, 200), (225, 226, 230)),  # overcast
    ((70, 80, 150), (235, 175, 130), (250, 215, 195)),  # dusk
    ((95, 160, 220), (215, 225, 230), (255, 255, 255)),  # hazy
)
_FACADE_COLOURS = ((150, 70, 55), (200, 185, 150), (140, 140, 145), (215, 210, 200),
                   (110, 120, 140), (180, 140, 100))
_GLASS_COLOURS = ((45, 60, 80), (70, 90, 110), (30, 35, 45))
_FOLIAGE_COLOURS = ((40, 85, 35), (60, 110, 45), (85, 100, 40), (30, 70, 45), (170, 95, 35))
_GRASS_COLOURS = ((85, 145, 55), (110, 150, 60), (135, 150, 70), (70, 120, 50))
_CAR_COLOURS = ((190, 30, 30), (30, 60, 160), (230, 230, 230), (35, 35, 40), (160, 165, 170),
                (225, 190, 40), (40, 120, 70))


@dataclass(frozen=True)
class DemoDatasetSummary:
    """What :func:`write_demo_dataset` produced (or found already complete) under ``root``."""
    root: Path
    parameters: Dict
    created: bool  # False when a complete dataset with the same parameters was reused


def _as_hw(size: Size) -> Tuple[int, int]:
    height, width = as_hw(size)
    if min(height, width) < 16:
        raise ValueError(f'size must be at least 16x16, got {size}')
    return height, width


def _jitter(rng: np.random.Generator, colour: Sequence[float], spread: float) -> np.ndarray:
    """A colour near ``colour``, shaped (3, 1, 1) to broadcast over channel-first planes."""
    jittered = np.asarray(colour, np.float32) + rng.uniform(-spread, spread, 3)
    return np.clip(jittered, 0, 255).astype(np.float32).reshape(3, 1, 1)


def _rgb(colour: Sequence[float]) -> np.ndarray:
    return np.asarray(colour, np.float32).reshape(3, 1, 1)


def _pick(rng: np.random.Generator, options: Sequence) -> Sequence:
    return options[rng.integers(len(options))]


def _noise(rng: np.random.Generator, shape: Tuple[int, int], cells: Tuple[float, float],
           octaves: int = 1) -> np.ndarray:
    """Fractal value noise in [0, 1]: random grids of ``cells`` (rows, cols) cells, doubled per
    octave with half the weight, upsampled bicubically.

    The octaves are summed at about 8 px per cell of the finest one, then resized linearly to
    ``shape``: the noise is smooth at that scale, and resizing every octave bicubically to the
    full size was a large share of the rendering time.
    """
    height, width = shape
    grid_shapes = [(max(1, int(round(cells[0] * 2**octave))),
                    max(1, int(round(cells[1] * 2**octave)))) for octave in range(octaves)]
    work_size = (min(width, 8 * grid_shapes[-1][1]), min(height, 8 * grid_shapes[-1][0]))
    total = np.zeros(work_size[::-1], np.float32)
    weight_sum = 0.0
    for octave, (rows, cols) in enumerate(grid_shapes):
        grid = rng.random((rows + 1, cols + 1), dtype=np.float32)
        weight = 0.5**octave
        total += weight * cv2.resize(grid, work_size, interpolation=cv2.INTER_CUBIC)
        weight_sum += weight
    if work_size != (width, height):
        total = cv2.resize(total, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.clip(total / weight_sum, 0.0, 1.0)


def _smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _box(top: float, bottom: float, left: float, right: float,
         hw: Tuple[int, int]) -> Optional[Tuple[slice, slice, np.ndarray, np.ndarray]]:
    """Rows/cols slices of a box clipped to the image, with the pixel-centre coordinates of
    its rows (column vector) and cols (row vector); None when the box is off the image."""
    y0, y1 = max(0, int(np.floor(top))), min(hw[0], int(np.ceil(bottom)))
    x0, x1 = max(0, int(np.floor(left))), min(hw[1], int(np.ceil(right)))
    if y0 >= y1 or x0 >= x1:
        return None
    ys = np.arange(y0, y1, dtype=np.float32)[:, None] + 0.5
    xs = np.arange(x0, x1, dtype=np.float32)[None, :] + 0.5
    return slice(y0, y1), slice(x0, x1), ys, xs


def _rounded_rect(ys: np.ndarray, xs: np.ndarray, top: float, bottom: float, left: float,
                  right: float, radius: float) -> np.ndarray:
    """Inside test of a rounded rectangle, from its signed distance function."""
    half_h, half_w = (bottom - top) / 2, (right - left) / 2
    radius = min(radius, half_h, half_w)
    qy = np.abs(ys - (top + bottom) / 2) - half_h + radius
    qx = np.abs(xs - (left + right) / 2) - half_w + radius
    outside = np.hypot(np.maximum(qy, 0), np.maximum(qx, 0))
    return outside + np.minimum(np.maximum(qy, qx), 0) < radius


class _Canvas:
    """The float RGB image and the label map, painted back to front.

    The image is channel-first (3, H, W): colours are (3, 1, 1) and textures (h, w), so
    broadcasting runs over long rows instead of numpy's slow inner loop over 3 channels.
    """

    def __init__(self, hw: Tuple[int, int]):
        self.hw = hw
        self.image = np.zeros((3, ) + hw, np.float32)
        self.label = np.zeros(hw, np.uint8)

    def paint(self, rows: slice, cols: slice, mask: np.ndarray, colour: np.ndarray,
              class_index: int) -> None:
        # copyto with where= is several times faster than boolean-mask indexing.
        np.copyto(self.image[:, rows, cols], colour, where=mask)
        np.copyto(self.label[rows, cols], class_index, where=mask)


@dataclass(frozen=True)
class _Road:
    """A road in perspective: its edges meet at the vanishing point on the horizon."""
    horizon: float
    bottom: float  # image height
    vanishing_x: float
    bottom_left: float
    bottom_right: float

    def depth(self, ys: np.ndarray) -> np.ndarray:
        """0 on the horizon, 1 on the bottom row."""
        return np.clip((ys - self.horizon) / (self.bottom - self.horizon), 0.0, 1.0)

    def edges(self, ys: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        depth = self.depth(ys)
        return (self.vanishing_x + (self.bottom_left - self.vanishing_x) * depth,
                self.vanishing_x + (self.bottom_right - self.vanishing_x) * depth)

    def contains(self, y: float, x: float) -> bool:
        left, right = self.edges(np.float32(y))
        return y > self.horizon and left <= x <= right


def _draw_sky(rng: np.random.Generator, canvas: _Canvas, horizon: float) -> np.ndarray:
    """Vertical gradient with soft clouds above the horizon (the ground covers the rest);
    returns the horizon colour, which the ground and far buildings fade towards (aerial
    perspective)."""
    height, width = canvas.hw
    sky_height = min(height, int(np.ceil(horizon)))
    zenith, near_horizon, cloud = (_jitter(rng, c, 15) for c in _pick(rng, _SKY_PRESETS))
    rows = np.arange(sky_height, dtype=np.float32)[:, None] + 0.5
    blend = np.clip(rows / horizon, 0.0, 1.0)**rng.uniform(0.6, 1.6)
    gradient = zenith + (near_horizon - zenith) * blend
    # Cloud cells a third of the frame tall and half of it wide: clouds are wider than tall.
    shape = (sky_height, width)
    cloudiness = _noise(rng, shape, (3.0 * sky_height / height, 2.0), octaves=4)
    cover = rng.uniform(0.4, 0.65)
    alpha = _smoothstep(cover, cover + 0.2, cloudiness) * rng.uniform(0.6, 0.95)
    underside = 0.8 + 0.2 * _noise(rng, shape, (4.0 * sky_height / height, 4.0), octaves=2)
    canvas.image[:, :sky_height] = gradient + alpha * (cloud * underside - gradient)
    return near_horizon


def _draw_ground(rng: np.random.Generator, canvas: _Canvas, road: _Road,
                 haze_colour: np.ndarray) -> None:
    """Grass below the horizon, then the asphalt road with lane markings on top of it."""
    height, width = canvas.hw
    box = _box(road.horizon, height, 0, width, canvas.hw)
    if box is None:
        return
    rows, cols, ys, xs = box
    shape = (rows.stop - rows.start, width)
    everywhere = np.ones(shape, bool)

    # Grass: blade-like streaks (noise with far more cells across than down) over patches
    # that blend two greens.
    blades = _noise(rng, shape, (shape[0] / 6, width / 1.5), octaves=2)
    patches = _noise(rng, shape, (3, 4), octaves=2)
    green_a = _jitter(rng, _pick(rng, _GRASS_COLOURS), 20)
    green_b = _jitter(rng, _pick(rng, _GRASS_COLOURS), 20)
    grass = (green_a + (green_b - green_a) * patches) * (0.55 + 0.6 * blades)
    canvas.paint(rows, cols, everywhere, grass, GRASS)

    # Asphalt: fine grain times large stains, tinted slightly per image.
    grey = rng.uniform(65, 125)
    tint = rng.uniform(-6, 6, 3).astype(np.float32).reshape(3, 1, 1)
    grain = _noise(rng, shape, (shape[0] / 2, width / 2))
    stains = _noise(rng, shape, (3, 3), octaves=2)
    asphalt = (grey + tint) * (0.8 + 0.35 * grain) * (0.8 + 0.35 * stains)

    left, right = road.edges(ys)
    on_road = (xs >= left) & (xs <= right) & (ys > road.horizon)
    across = (xs - left) / np.maximum(right - left, 1e-3)  # 0..1 from left to right edge
    depth = road.depth(ys)
    # Markings keep a constant width across the road, and dashes a constant length in depth
    # (period in 1/depth), which is what makes them look painted on a receding plane.
    num_lanes = rng.integers(2, 4)
    line_half_width = rng.uniform(0.008, 0.016)
    dash_phase = (rng.uniform(2.0, 4.0) / np.maximum(depth, 1e-3) + rng.uniform()) % 1.0
    dashed = dash_phase < rng.uniform(0.35, 0.6)
    lane_lines = np.zeros_like(on_road)
    for lane in range(1, num_lanes):
        lane_lines |= (np.abs(across - lane / num_lanes) < line_half_width) & dashed
    if rng.random() < 0.6:  # solid edge lines
        lane_lines |= np.abs(np.abs(across - 0.5) - 0.47) < line_half_width
    # Near the horizon the lines are thinner than a pixel and would only alias.
    lane_lines &= depth > 0.08
    paint = _jitter(rng, (240, 200, 60) if rng.random() < 0.3 else (235, 235, 230), 10)
    wear = 0.75 + 0.25 * _noise(rng, shape, (shape[0] / 4, width / 4))
    road_colour = np.where(lane_lines, paint * wear, asphalt)
    canvas.paint(rows, cols, on_road, road_colour, ROAD)

    # Aerial perspective: the ground fades into the sky's horizon colour far away.
    haze = rng.uniform(0.2, 0.45) * np.exp(-depth / 0.12)
    region = canvas.image[:, rows, cols]
    region += haze * (haze_colour - region)


def _draw_building(rng: np.random.Generator, canvas: _Canvas, left: float, right: float,
                   top: float, bottom: float, haze_colour: np.ndarray, haze: float) -> None:
    """A facade with a cornice and a grid of windows, individually lit or dark."""
    box = _box(top, bottom, left, right, canvas.hw)
    if box is None:
        return
    rows, cols, ys, xs = box
    shape = (ys.shape[0], xs.shape[1])
    facade = _jitter(rng, _pick(rng, _FACADE_COLOURS), 25)
    stucco = _noise(rng, shape, (shape[0] / 3, shape[1] / 3))
    stains = _noise(rng, shape, (2, 2), octaves=2)
    colour = facade * (0.85 + 0.25 * stucco) * (0.8 + 0.3 * stains)

    spacing_x = max(3, int(round(rng.uniform(0.03, 0.06) * min(canvas.hw))))
    spacing_y = max(3, int(round(spacing_x * rng.uniform(1.0, 1.6))))
    window_w = max(1, int(round(spacing_x * rng.uniform(0.4, 0.7))))
    window_h = max(1, int(round(spacing_y * rng.uniform(0.4, 0.7))))
    margin = spacing_x * 0.5
    local_x = (xs - (left + margin)).astype(np.int32)
    local_y = (ys - (top + spacing_y)).astype(np.int32)
    # Windows stop a storey above the ground so the street level reads as a base.
    windows = ((local_x % spacing_x < window_w) & (local_x >= 0) & (xs < right - margin)
               & (local_y % spacing_y < window_h) & (local_y >= 0)
               & (ys < bottom - 1.5 * spacing_y))
    glass = _jitter(rng, _pick(rng, _GLASS_COLOURS), 10)
    lit_colour = _jitter(rng, (235, 215, 150), 15)
    column = np.clip(local_x // spacing_x, 0, None)
    row = np.clip(local_y // spacing_y, 0, None)
    brightness = rng.random((int(row.max()) + 1, int(column.max()) + 1), dtype=np.float32)
    per_window = brightness[row, column]
    lit = (per_window > 0.85).astype(np.float32)
    window_colour = (glass * (0.7 + 0.6 * per_window)) * (1 - lit) + lit_colour * lit
    colour = np.where(windows, window_colour, colour)
    cornice = ys < top + max(1.0, rng.uniform(0.02, 0.05) * (bottom - top))
    colour = np.where(cornice, colour * 0.7, colour)
    colour += haze * (haze_colour - colour)
    canvas.paint(rows, cols, np.ones(shape, bool), colour, BUILDING)


def _draw_skyline(rng: np.random.Generator, canvas: _Canvas, horizon: float,
                  haze_colour: np.ndarray) -> None:
    """Two rows of buildings standing on the horizon; the back row is hazier and left out
    more often, so gaps show sky or farther buildings."""
    height, width = canvas.hw
    for layer_haze, density in ((0.35, rng.uniform(0.2, 0.7)), (0.0, rng.uniform(0.4, 0.9))):
        x = rng.uniform(-0.15, 0.05) * width
        while x < width:
            building_width = rng.uniform(0.12, 0.35) * width
            if rng.random() < density:
                building_height = rng.uniform(0.15, 0.55) * height
                base = horizon + rng.uniform(0.0, 0.04) * height
                _draw_building(rng, canvas, x, x + building_width, horizon - building_height,
                               base, haze_colour, layer_haze)
            x += building_width + (rng.uniform(0, 0.06) * width if rng.random() < 0.3 else 0)


def _draw_tree(rng: np.random.Generator, canvas: _Canvas, base_x: float, base_y: float,
               radius: float) -> None:
    """A trunk under a canopy of overlapping discs with a leafy, noise-perturbed outline."""
    trunk_height = radius * rng.uniform(0.6, 1.2)
    trunk_half_width = max(1.0, radius * rng.uniform(0.08, 0.15))
    box = _box(base_y - trunk_height, base_y, base_x - trunk_half_width,
               base_x + trunk_half_width, canvas.hw)
    if box is not None:
        rows, cols, ys, xs = box
        bark = _jitter(rng, (85, 60, 40), 15)
        grain = _noise(rng, (ys.shape[0], xs.shape[1]), (ys.shape[0] / 3, 1))
        canvas.paint(rows, cols, np.ones((ys.shape[0], xs.shape[1]), bool),
                     bark * (0.7 + 0.5 * grain), TREE)

    centre_y = base_y - trunk_height - radius * 0.6
    num_discs = rng.integers(3, 7)
    offsets = rng.uniform(-0.6, 0.6, (num_discs, 2)) * radius
    radii = rng.uniform(0.5, 0.8, num_discs) * radius
    box = _box(centre_y - 1.5 * radius, centre_y + 1.5 * radius, base_x - 1.5 * radius,
               base_x + 1.5 * radius, canvas.hw)
    if box is None:
        return
    rows, cols, ys, xs = box
    shape = (ys.shape[0], xs.shape[1])
    nearest = np.full(shape, np.inf, np.float32)
    for (dy, dx), disc_radius in zip(offsets, radii):
        distance = np.hypot(ys - (centre_y + dy), xs - (base_x + dx)) / disc_radius
        nearest = np.minimum(nearest, distance)
    leaf_size = max(2.0, radius * 0.3)  # pixels per clump of leaves
    leaves = _noise(rng, shape, (shape[0] / leaf_size, shape[1] / leaf_size), octaves=2)
    canopy = nearest < 1.0 + 0.5 * (leaves - 0.5)
    foliage = _jitter(rng, _pick(rng, _FOLIAGE_COLOURS), 15)
    # Lit from above: the top of the crown is brighter than its underside.
    light = 1.2 - 0.5 * np.clip((ys - (centre_y - radius)) / (2 * radius), 0, 1)
    colour = foliage * ((0.45 + 0.9 * leaves) * light)
    canvas.paint(rows, cols, canopy, colour, TREE)


def _draw_car(rng: np.random.Generator, canvas: _Canvas, centre_x: float, base_y: float,
              length: float) -> None:
    """Side view: rounded body and cabin with windows, two wheels, a shadow on the ground."""
    shadow_box = _box(base_y - 0.08 * length, base_y + 0.08 * length,
                      centre_x - 0.6 * length, centre_x + 0.6 * length, canvas.hw)
    if shadow_box is not None:
        rows, cols, ys, xs = shadow_box
        falloff = ((ys - base_y) / (0.06 * length))**2 + ((xs - centre_x) / (0.55 * length))**2
        darkening = 1.0 - 0.55 * np.clip(1.0 - falloff, 0.0, 1.0)
        canvas.image[:, rows, cols] *= darkening

    box = _box(base_y - 0.62 * length, base_y, centre_x - 0.52 * length,
               centre_x + 0.52 * length, canvas.hw)
    if box is None:
        return
    rows, cols, ys, xs = box
    facing = 1.0 if rng.random() < 0.5 else -1.0  # which end the bonnet is at
    half = length / 2
    wheel_radius = 0.12 * length
    body_top, body_bottom = base_y - 0.38 * length, base_y - 0.08 * length
    body = _rounded_rect(ys, xs, body_top, body_bottom, centre_x - half, centre_x + half,
                         0.09 * length)
    cabin_left = centre_x - facing * 0.3 * length
    cabin_right = centre_x + facing * rng.uniform(0.15, 0.25) * length
    cabin_left, cabin_right = min(cabin_left, cabin_right), max(cabin_left, cabin_right)
    cabin_top = base_y - rng.uniform(0.58, 0.62) * length
    cabin = _rounded_rect(ys, xs, cabin_top, body_top + 0.02 * length, cabin_left,
                          cabin_right, 0.1 * length)
    inset = 0.04 * length
    glass = _rounded_rect(ys, xs, cabin_top + inset, body_top, cabin_left + inset,
                          cabin_right - inset, 0.07 * length)
    pillar = np.abs(xs - (cabin_left + cabin_right) / 2) < max(0.5, 0.02 * length)
    glass &= ~pillar

    paint = _jitter(rng, _pick(rng, _CAR_COLOURS), 15)
    # Shaded body: bright along the shoulder line, darker towards the sills.
    shading = 1.15 - 0.45 * np.clip((ys - cabin_top) / (base_y - cabin_top), 0, 1)
    colour = paint * shading
    sky_reflection = 0.6 + 0.4 * np.clip((ys - cabin_top) / (body_top - cabin_top), 0, 1)
    glass_colour = _jitter(rng, (60, 75, 95), 10) * (1.6 - sky_reflection)
    colour = np.where(glass, glass_colour, colour)
    lamp_x = centre_x - facing * (half - 0.03 * length)  # rear lamp
    lamp_y = body_top + 0.08 * length
    lamp = (np.abs(xs - lamp_x) < 0.03 * length) & (np.abs(ys - lamp_y) < 0.04 * length)
    colour = np.where(lamp, _rgb((200, 30, 25)), colour)

    wheel_y = base_y - wheel_radius
    wheel_distance = np.minimum(np.hypot(ys - wheel_y, xs - (centre_x - 0.3 * length)),
                                np.hypot(ys - wheel_y, xs - (centre_x + 0.3 * length)))
    wheels = wheel_distance < wheel_radius
    tyre_and_rim = np.where(wheel_distance < 0.5 * wheel_radius, _rgb((150, 150, 155)),
                            _rgb((28, 28, 30)))
    colour = np.where(wheels, tyre_and_rim, colour)
    canvas.paint(rows, cols, body | cabin | wheels, colour, CAR)


def _scene_objects(rng: np.random.Generator, hw: Tuple[int, int], road: _Road) -> List:
    """Trees beside the road and cars on it, as (base_y, draw function, its arguments),
    sorted far to near for painting."""
    height, width = hw
    ground_height = height - road.horizon
    objects = []
    for _ in range(rng.integers(1, 7)):
        base_y = road.horizon + rng.uniform(0.0, 0.3) * ground_height
        # A tree never stands on the road: redraw its position a few times, else drop it.
        for _attempt in range(5):
            base_x = rng.uniform(0, width)
            if not road.contains(base_y, base_x):
                depth = float(road.depth(np.float32(base_y)))
                radius = min(hw) * rng.uniform(0.035, 0.08) * (1.0 + 2.0 * depth)
                objects.append((base_y, _draw_tree, dict(base_x=base_x, radius=radius)))
                break
    for _ in range(rng.integers(0, 4)):
        base_y = road.horizon + rng.uniform(0.25, 0.95) * ground_height
        left, right = road.edges(np.float32(base_y))
        # A car is about as tall as the camera is high, so its roof stays near the horizon.
        length = (right - left) * rng.uniform(0.3, 0.5)
        length = max(8.0, min(length, 1.5 * (base_y - road.horizon)))
        centre_x = left + (right - left) * rng.uniform(0.25, 0.75)
        objects.append((base_y, _draw_car, dict(centre_x=centre_x, length=length)))
    objects.sort(key=lambda item: item[0])
    return objects


def render_scene(rng: np.random.Generator,
                 size: Size = (256, 256)) -> Tuple[np.ndarray, np.ndarray]:
    """Render one street scene.

    Args:
        rng: the only source of randomness; the same generator state gives the same scene.
        size: ``(height, width)``, or one int for a square image (at least 16).

    Returns:
        ``(image, label)``: an ``(H, W, 3)`` uint8 RGB image and an ``(H, W)`` uint8 map of
        indices into :data:`DEMO_CLASSES`.
    """
    hw = _as_hw(size)
    height, width = hw
    canvas = _Canvas(hw)
    horizon = rng.uniform(0.35, 0.6) * height
    bottom_centre = rng.uniform(0.3, 0.7) * width
    bottom_width = rng.uniform(0.6, 1.2) * width
    road = _Road(horizon=horizon, bottom=float(height),
                 vanishing_x=rng.uniform(0.3, 0.7) * width,
                 bottom_left=bottom_centre - bottom_width / 2,
                 bottom_right=bottom_centre + bottom_width / 2)
    haze_colour = _draw_sky(rng, canvas, horizon)
    _draw_ground(rng, canvas, road, haze_colour)
    _draw_skyline(rng, canvas, horizon, haze_colour)
    for base_y, draw, arguments in _scene_objects(rng, hw, road):
        draw(rng, canvas, base_y=base_y, **arguments)
    # A slight blur stands in for a camera's optics, softening the hard painted edges.
    image = cv2.GaussianBlur(cv2.merge(tuple(canvas.image)), (3, 3), 0.6)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8), canvas.label


def _write_png(path: Path, array: np.ndarray) -> None:
    write_bytes_atomically(path, png_bytes(array))


def _remove_stale_pngs(directory: Path, expected: set) -> None:
    """Drop the PNGs that an earlier dataset with other counts left in ``directory``."""
    for path in directory.glob('*.png'):
        if path.name not in expected:
            path.unlink()


def write_demo_dataset(root: Union[str, Path], num_labelled: int = 48,
                       num_unlabelled: int = 48, num_val: int = 16, num_masks: int = 48,
                       size: Size = 256, seed: int = 0,
                       force: bool = False) -> DemoDatasetSummary:
    """Write the demo dataset under ``root`` (layout in this module's docstring).

    Idempotent: when ``root/.complete`` records the same parameters, nothing is written.
    Every file is replaced atomically and the marker is written last, so an interrupted run
    is redone by the next call. The same parameters give byte-identical files, and image i of
    a split (or mask i of a bucket) does not depend on the counts. Masks are numbered bucket
    by bucket: the first third has hole ratios in (0, 20%], and so on.

    Args:
        root: output directory, created if missing.
        num_labelled, num_unlabelled: training images with and without a label file.
        num_val: labelled validation images.
        num_masks: hole masks, split equally over :data:`HOLE_RATIO_BUCKETS` (so a
            multiple of their number).
        size: image and mask size, one int or ``(height, width)``.
        seed: non-negative base seed.
        force: rewrite everything even when the marker matches.
    """
    counts = dict(num_labelled=num_labelled, num_unlabelled=num_unlabelled, num_val=num_val,
                  num_masks=num_masks)
    if any(count < 0 for count in counts.values()) or seed < 0:
        raise ValueError(f'counts and seed must be non-negative, got {counts}, seed={seed}')
    if num_masks % len(HOLE_RATIO_BUCKETS):
        raise ValueError(f'num_masks must be a multiple of {len(HOLE_RATIO_BUCKETS)} '
                         f'(one share per hole-ratio bucket), got {num_masks}')
    hw = _as_hw(size)
    root = Path(root)
    parameters = dict(generator_version=GENERATOR_VERSION, classes=list(DEMO_CLASSES),
                      **counts, size=list(hw), seed=seed,
                      mask_hole_ratio_buckets=[list(b) for b in HOLE_RATIO_BUCKETS])
    marker = root / MARKER_NAME
    if not force and marker.is_file():
        try:
            if json.loads(marker.read_text()) == parameters:
                return DemoDatasetSummary(root, parameters, created=False)
        except json.JSONDecodeError:
            pass  # a damaged marker means an unknown dataset: rebuild it
    # From here on the dataset is incomplete until the new marker is written.
    marker.unlink(missing_ok=True)

    train_stems = [f'train_{i:05d}' for i in range(num_labelled + num_unlabelled)]
    splits = (('train', _TRAIN_STREAM, train_stems, num_labelled),
              ('val', _VAL_STREAM, [f'val_{i:05d}' for i in range(num_val)], num_val))
    for split, stream, stems, num_with_labels in splits:
        image_dir, label_dir = root / split / 'img', root / split / 'label'
        audit_label_dir = root / split / AUDIT_LABEL_DIR_NAME
        for folder in (image_dir, label_dir, audit_label_dir):
            folder.mkdir(parents=True, exist_ok=True)
        for index, stem in enumerate(stems):
            image, label = render_scene(np.random.default_rng([seed, stream, index]), hw)
            _write_png(image_dir / f'{stem}.png', image)
            _write_png((label_dir if index < num_with_labels else audit_label_dir)
                       / f'{stem}.png', label)
        _remove_stale_pngs(image_dir, {f'{stem}.png' for stem in stems})
        _remove_stale_pngs(label_dir, {f'{stem}.png' for stem in stems[:num_with_labels]})
        _remove_stale_pngs(audit_label_dir, {f'{stem}.png' for stem in stems[num_with_labels:]})
    unlabelled = ''.join(f'{stem}\n' for stem in train_stems[num_labelled:])
    write_bytes_atomically(root / 'train' / UNLABELLED_LIST_NAME, unlabelled.encode())

    mask_dir = root / 'masks'
    mask_dir.mkdir(parents=True, exist_ok=True)
    masks_per_bucket = num_masks // len(HOLE_RATIO_BUCKETS)
    for bucket_index, bucket in enumerate(HOLE_RATIO_BUCKETS):
        for index_in_bucket in range(masks_per_bucket):
            rng = np.random.default_rng([seed, _MASK_STREAM, bucket_index, index_in_bucket])
            mask = make_irregular_mask(rng, hw, bucket)
            index = bucket_index * masks_per_bucket + index_in_bucket
            _write_png(mask_dir / f'{index:05d}.png', mask)
    _remove_stale_pngs(mask_dir, {f'{index:05d}.png' for index in range(num_masks)})

    write_bytes_atomically(marker, (json.dumps(parameters, indent=2) + '\n').encode())
    return DemoDatasetSummary(root, parameters, created=True)
