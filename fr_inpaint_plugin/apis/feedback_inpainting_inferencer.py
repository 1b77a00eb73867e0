"""Inference on images of any size: load the three-stage pipeline once, inpaint image + mask pairs.

The model works at one fixed resolution (the config's test ``img_size``, a multiple of 64: the
coarse U-Net halves the size six times). Every input is brought to that size, inpainted and
brought back, and the result is composited at the input's own resolution, so every known pixel
of the output is byte-identical to the input: resampling only ever touches the holes.
"""
import copy
import os.path as osp
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence, Tuple, Union

import mmcv
import numpy as np
import torch
from mmagic.registry import MODELS
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner.checkpoint import _load_checkpoint, _load_checkpoint_to_model, load_state_dict
from torch import nn

from ..datasets.hole_masks import mask_name, polarity_hint, read_hole_mask
from ..datasets.transforms import LoadCheckedImage
from ..utils import IGNORE_INDEX, Size, as_hw

ImageInput = Union[str, Path, np.ndarray]

# The coarse U-Net (and the refiner's trunk) halve the resolution six times.
SIZE_MULTIPLE = 64
# Sub-modules of FeedbackInpaintor that hold the frozen stages (loaded from their own checkpoints
# in three-checkpoint mode); everything else is the refine phase's.
FROZEN_STAGES = ('coarse', 'segmentor')
REVISE_KEYS = [(r'^module\.', '')]


@dataclass
class InpaintResult:
    """One inpainted image, everything at the input's resolution.

    Attributes:
        image: the refined result, HxWx3 uint8 RGB; known pixels equal the input's.
        coarse: the coarse stage's result, composited the same way.
        semantic: HxW uint8 class ids of the refiner's guide (the segmentor's prediction on
            the coarse result; 255 = ignore, e.g. with ``guide='none'``).
        semantic_color: ``semantic`` drawn with the model's palette (black = ignore), HxWx3
            uint8 RGB.
        hole: HxW bool, True = hole (after ``invert_mask``), the mask that was inpainted.
    """
    image: np.ndarray
    coarse: np.ndarray
    semantic: np.ndarray
    semantic_color: np.ndarray
    hole: np.ndarray


class FeedbackInpaintingInferencer:
    """The trained coarse -> segmentor -> refiner pipeline (``FeedbackInpaintor``), for images
    and masks of any size.

    Two ways to load it:

    * ``FeedbackInpaintingInferencer(checkpoint)``: one pipeline checkpoint, i.e. the final
      checkpoint of a refine run. Its ``state_dict`` holds all three stages and ``meta['cfg']``
      the training config (``config`` overrides it, e.g. for checkpoints written outside the
      Runner). The
      stages' own checkpoint entries in the config are dropped before building (their weights
      are in the pipeline checkpoint, and their files need not exist here), then the whole
      state dict is loaded strictly: a checkpoint of another architecture fails loudly.
    * ``FeedbackInpaintingInferencer(config=..., coarse_checkpoint=..., segmentor_checkpoint=...,
      refiner_checkpoint=...)``: stages trained (or swapped) separately. The coarse and
      segmentor checkpoints replace ``model.coarse.checkpoint`` / ``model.segmentor.checkpoint``
      of the config (omitted: the config's own entries) and are loaded by the model as in
      training. ``refiner_checkpoint`` is a checkpoint of the refine phase (a
      ``FeedbackInpaintor`` checkpoint, which also carries the frozen stages it trained with):
      only its non-frozen part (refiner, and discriminator when the model has one) is loaded,
      strictly for that part, so the frozen stages are exactly the ones given.

    Args:
        checkpoint: pipeline checkpoint file.
        config: config file or :class:`Config`; needed when ``checkpoint`` is None or has no
            ``meta['cfg']``.
        coarse_checkpoint, segmentor_checkpoint, refiner_checkpoint: the three-stage mode.
        device: torch device the model runs on.
        img_size: working resolution (height, width) or one int; defaults to the config's
            ``test_dataloader.dataset.img_size``. Must be a multiple of 64.
        channels_last: keep the model's weights in channels-last memory layout (same values):
            1.76x faster on the CamVid CPU models (docs/results.md, Speed), outputs within
            1e-4 of the plain layout (tests/apis/test_inference_speedups.py).
    """

    def __init__(self,
                 checkpoint: Optional[str] = None,
                 config: Union[None, str, Config] = None,
                 *,
                 coarse_checkpoint: Optional[str] = None,
                 segmentor_checkpoint: Optional[str] = None,
                 refiner_checkpoint: Optional[str] = None,
                 device: Union[str, torch.device] = 'cpu',
                 img_size: Optional[Size] = None,
                 channels_last: bool = True):
        stage_checkpoints = dict(coarse=coarse_checkpoint, segmentor=segmentor_checkpoint)
        if checkpoint is not None:
            if refiner_checkpoint is not None or any(stage_checkpoints.values()):
                raise ValueError(
                    'give either one pipeline checkpoint or the stage checkpoints '
                    '(coarse/segmentor/refiner), not both: a pipeline checkpoint already '
                    'holds every stage')
            cfg, model = _load_pipeline(checkpoint, config)
        else:
            if config is None or refiner_checkpoint is None:
                raise ValueError(
                    'nothing to load: pass a pipeline checkpoint (the final checkpoint of a '
                    'refine run), or a config together with refiner_checkpoint (and optionally '
                    'coarse_checkpoint / segmentor_checkpoint)')
            cfg, model = _load_stages(config, stage_checkpoints, refiner_checkpoint)
        size = img_size if img_size is not None else _config_img_size(cfg)
        self._setup(model, size, None, device, channels_last)

    @classmethod
    def from_model(cls,
                   model: nn.Module,
                   img_size: Size,
                   *,
                   palette: Optional[Sequence[Sequence[int]]] = None,
                   device: Union[str, torch.device] = 'cpu',
                   channels_last: bool = True) -> 'FeedbackInpaintingInferencer':
        """Wrap a model that is already built and loaded (e.g. by a training script).

        ``model`` needs ``inpaint(img, mask)`` returning ``refined``, ``coarse`` and
        ``semantic`` as ``FeedbackInpaintor`` does. ``palette`` (RGB per class) defaults to
        the model's own ``palette`` (the one its training visualisations use).
        ``channels_last`` converts ``model``'s weights in place (same values, another layout).
        """
        inpainter = cls.__new__(cls)
        inpainter._setup(model, img_size, palette, device, channels_last)
        return inpainter

    def _setup(self, model: nn.Module, img_size: Size, palette, device,
               channels_last: bool) -> None:
        height, width = as_hw(img_size)
        if height % SIZE_MULTIPLE or width % SIZE_MULTIPLE or height <= 0 or width <= 0:
            raise ValueError(f'working size {height}x{width} is not a positive multiple of '
                             f'{SIZE_MULTIPLE} (the U-Nets halve it six times): pick e.g. '
                             f'{max(1, round(height / SIZE_MULTIPLE)) * SIZE_MULTIPLE}')
        self.img_size = (height, width)
        self.device = torch.device(device)
        self.model = model.to(self.device).eval()
        if channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        self.palette = _full_palette(palette if palette is not None else
                                     getattr(model, 'palette', None))

    @torch.no_grad()
    def inpaint(self, img: ImageInput, mask: ImageInput,
                invert_mask: bool = False) -> InpaintResult:
        """Inpaint ``img`` where ``mask`` marks holes.

        Args:
            img: HxWx3 uint8 RGB array, or an image file path (read as RGB).
            mask: HxW (or HxWx1) uint8/bool array or a mask file path; 255 (or 1, or True) =
                hole, 0 = known. Binary masks saved as JPEG are binarised at half their peak.
            invert_mask: the mask marks holes with 0 (and known pixels with 255).
        """
        image, image_name = read_image(img)
        hole = read_hole(mask, invert_mask)
        if hole.shape != image.shape[:2]:
            raise ValueError(
                f'{mask_name(mask)} is {hole.shape[0]}x{hole.shape[1]} but {image_name} is '
                f'{image.shape[0]}x{image.shape[1]}: each image needs a mask of its own size')

        work_image, work_hole = to_working_size(image, hole, self.img_size)
        if work_hole.all():
            raise ValueError(
                f'{mask_name(mask)} leaves no known pixel at the working size '
                f'{self.img_size[0]}x{self.img_size[1]} (the holes cover every known pixel '
                'after resizing): use a mask with fewer, larger known regions')
        img_t = torch.from_numpy(work_image).permute(2, 0, 1)[None] / 127.5 - 1.
        mask_t = torch.from_numpy(work_hole.astype(np.float32))[None, None]
        output = self.model.inpaint(img_t.to(self.device), mask_t.to(self.device))

        height, width = image.shape[:2]
        semantic = output.semantic[0, 0].cpu().numpy().astype(np.uint8)
        semantic = mmcv.imresize(semantic, (width, height), interpolation='nearest')
        return InpaintResult(
            image=paste_back(_to_rgb255(output.refined), image, hole),
            coarse=paste_back(_to_rgb255(output.coarse), image, hole),
            semantic=semantic,
            semantic_color=self.palette[semantic],
            hole=hole)


# ------------------------------------------------------------------------------ loading models
def _check_file(path: str, what: str, fix: str) -> None:
    if '://' not in str(path) and not osp.isfile(path):
        raise FileNotFoundError(f'{what} {path} does not exist: {fix}')


def _as_config(config: Union[str, Config]) -> Config:
    if isinstance(config, Config):
        return copy.deepcopy(config)
    _check_file(config, 'config', 'check the path')
    return Config.fromfile(config)


def _build(cfg: Config) -> nn.Module:
    """The config's model in MMagic's scope, as the Runner builds it.

    The frozen stages are built from their own config files (``model.coarse.config``, ...),
    named relative to the directory the pipeline was trained in; a missing one is reported as
    such rather than as a bare missing file deep inside the build.
    """
    for stage in FROZEN_STAGES:
        stage_cfg = cfg.model.get(stage)
        if isinstance(stage_cfg, dict) and stage_cfg.get('config') is not None:
            _check_file(stage_cfg['config'], f'{stage} stage config',
                        f'the pipeline builds its {stage} stage from it (paths are relative to '
                        f'the working directory, now {osp.abspath(".")}): run from the '
                        f'directory it was trained in (the repository root), or give a config '
                        f'whose model.{stage}.config exists')
    import mmagic.models  # noqa: F401  (registers MMagic's own models)
    with DefaultScope.overwrite_default_scope('mmagic'):
        return MODELS.build(cfg.model)


def _load_pipeline(checkpoint: str, config: Union[None, str, Config]) -> Tuple[Config, nn.Module]:
    _check_file(checkpoint, 'pipeline checkpoint', 'train the refine phase first, or give '
                'the path of its final checkpoint (work_dirs/<refine config>/iter_N.pth)')
    content = _load_checkpoint(checkpoint, map_location='cpu')
    if config is not None:
        cfg = _as_config(config)
    else:
        text = content.get('meta', {}).get('cfg') if isinstance(content, dict) else None
        if not text:
            raise ValueError(
                f"checkpoint {checkpoint} carries no config (meta['cfg'], which MMEngine's "
                'Runner writes into every checkpoint): pass the refine config it was trained '
                'with (--config / config=...)')
        cfg = Config.fromstring(text, file_format='.py')
    for stage in FROZEN_STAGES:
        if cfg.model.get(stage) is not None:
            cfg.model[stage].checkpoint = None
    model = _build(cfg)
    try:
        _load_checkpoint_to_model(model, content, strict=True, revise_keys=REVISE_KEYS)
    except RuntimeError as error:  # mmengine's strict load names neither file nor fix
        detail = ' '.join(str(error).strip().splitlines()[:3]).rstrip('.')
        raise ValueError(f'checkpoint {checkpoint} does not fit the model of its config: '
                         f'{detail}. Give the final checkpoint of a refine phase (the whole '
                         'pipeline), or the stage checkpoints with --coarse-checkpoint/'
                         '--segmentor-checkpoint/--refiner-checkpoint') from error
    return cfg, model


def _load_stages(config: Union[str, Config], stage_checkpoints: dict,
                 refiner_checkpoint: str) -> Tuple[Config, nn.Module]:
    cfg = _as_config(config)
    for stage, path in stage_checkpoints.items():
        if path is not None:
            if cfg.model.get(stage) is None:
                raise ValueError(f'a {stage} checkpoint was given but the config has no '
                                 f'model.{stage}: drop it or use a config with that stage')
            _check_file(path, f'{stage} checkpoint', f'train the {stage} stage first or fix '
                        'the path')
            cfg.model[stage].checkpoint = path
    _check_file(refiner_checkpoint, 'refiner checkpoint', 'train the refine phase first or '
                'fix the path')
    model = _build(cfg)

    state = _load_checkpoint(refiner_checkpoint, map_location='cpu')
    state = state.get('state_dict', state)
    for pattern, replacement in REVISE_KEYS:
        state = {re.sub(pattern, replacement, k): v for k, v in state.items()}
    for name, module in model.named_children():
        if name in FROZEN_STAGES:
            continue
        prefix = f'{name}.'
        part = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
        if module.state_dict() and not part:
            raise ValueError(
                f'refiner checkpoint {refiner_checkpoint} has no weights for {name!r}: give '
                'a checkpoint of the refine phase (a FeedbackInpaintor checkpoint)')
        load_state_dict(module, part, strict=True)
    return cfg, model


def _config_img_size(cfg: Config) -> Size:
    size = cfg.get('test_dataloader', {}).get('dataset', {}).get('img_size')
    if size is None:
        raise ValueError('the config has no test_dataloader.dataset.img_size: pass the '
                         'working size (img_size=..., --img-size)')
    return size


def _full_palette(palette) -> np.ndarray:
    """A 256-entry RGB lookup table: ``palette`` first, then fixed random colours (an id beyond
    the palette still draws, the same way in every run), black for the ignore id 255 (drawn
    as in the training visualisations)."""
    table = np.random.default_rng(0).integers(0, 256, (256, 3), dtype=np.uint8)
    if palette is not None and len(palette):
        if isinstance(palette, torch.Tensor):
            palette = palette.detach().cpu().numpy()
        table[:len(palette)] = np.asarray(palette).round().astype(np.uint8)
    table[IGNORE_INDEX] = 0
    return table


# ------------------------------------------------------------------------------ images and masks
def read_image(img: ImageInput) -> Tuple[np.ndarray, str]:
    """``(HxWx3 uint8 RGB, name for messages)`` from an array or an image file."""
    if isinstance(img, np.ndarray):
        if img.ndim != 3 or img.shape[2] != 3 or img.dtype != np.uint8:
            raise ValueError(f'the image array must be HxWx3 uint8 RGB, got shape {img.shape} '
                             f'dtype {img.dtype}')
        return img, 'the image array'
    path = str(img)
    _check_file(path, 'image', 'check the path')
    return LoadCheckedImage(key='img', channel_order='rgb')(dict(img_path=path))['img'], \
        f'image {path}'


def read_hole(mask: ImageInput, invert: bool = False) -> np.ndarray:
    """The HxW bool hole mask of an array or a mask file, read by the project's one mask reader
    (:func:`~fr_inpaint_plugin.datasets.hole_masks.read_hole_mask`: binary up to a few grey
    pixels, not inverted), which must also hold a hole: there is nothing to inpaint otherwise."""
    if not isinstance(mask, np.ndarray):
        _check_file(str(mask), 'mask', 'check the path')
    hole = read_hole_mask(mask, invert)
    if not hole.any():
        raise ValueError(f'{mask_name(mask)} has no hole: nothing to inpaint (holes are 255 (or '
                         f'1), known pixels 0); {polarity_hint(invert)}')
    return hole


def to_working_size(image: np.ndarray, hole: np.ndarray,
                    size: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """Resize ``image`` (float32) and ``hole`` to ``size`` with the same interpolation.

    A working pixel is a hole when any input hole pixel contributes to it (the hole is resized
    as 0/1 floats and kept where > 0, a max-pool over the interpolation's support). So no hole
    turns known, and no known working pixel carries colour from inside an input hole. Area
    averaging when shrinking both sides (no aliasing), bilinear otherwise; both have
    non-negative weights, which the "> 0" rule needs.
    """
    height, width = size
    image = image.astype(np.float32)
    if image.shape[:2] == (height, width):
        return image, hole.copy()
    shrinking = image.shape[0] >= height and image.shape[1] >= width
    interpolation = 'area' if shrinking else 'bilinear'
    image = mmcv.imresize(image, (width, height), interpolation=interpolation)
    hole = mmcv.imresize(hole.astype(np.float32), (width, height),
                         interpolation=interpolation) > 0
    return image, hole


def _to_rgb255(tensor: torch.Tensor) -> np.ndarray:
    """First image of an (N,3,H,W) [-1, 1] batch as HxWx3 float32 in [0, 255] (rounded only
    after resizing back, so resizing works on exact values)."""
    return ((tensor[0].float().permute(1, 2, 0).cpu().numpy() + 1.) * 127.5).clip(0, 255)


def paste_back(output: np.ndarray, image: np.ndarray, hole: np.ndarray) -> np.ndarray:
    """``output`` (working size, float 0-255) resized to ``image`` and kept in the holes only;
    every known pixel is copied from ``image`` unchanged."""
    height, width = image.shape[:2]
    if output.shape[:2] != (height, width):
        shrinking = output.shape[0] >= height and output.shape[1] >= width
        output = mmcv.imresize(output, (width, height),
                               interpolation='area' if shrinking else 'bilinear')
    output = np.round(output).clip(0, 255).astype(np.uint8)
    return np.where(hole[..., None], output, image)
