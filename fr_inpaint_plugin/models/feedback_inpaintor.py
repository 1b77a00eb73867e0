"""The whole method (Ye et al. 2025): frozen coarse G_c -> frozen segmentor S_ia on the coarse
result -> trainable SPADE refiner G_s, composed through the registry from the earlier phases'
configs and checkpoints."""
from typing import List, NamedTuple, Optional, Sequence, Tuple

import torch
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmseg.registry import MODELS as MMSEG_MODELS
from torch import nn

from ..utils import IGNORE_INDEX
from .frozen_stage import (
    FrozenStagesMixin,
    StageCfg,
    build_frozen_inpainter,
    build_frozen_stage,
    first_lines,
)
from .refine.refine_inpaintor import RefineInpaintor, ground_truth_guide
from .unet import UNetTrunk

GUIDES = ('segmentor', 'none', 'gt')
WARM_START_PARTS = ('trunk', 'disc')
# The S_ia arguments that make the segmentor inpaint its own inputs; here the feedback model
# feeds it the coarse composite itself.
SEGMENTOR_INPAINTING_KEYS = ('inpainter', 'inpaint_on_test')


class FeedbackOutput(NamedTuple):
    """``refined``: ``I_out`` (N,3,H,W); ``coarse``: ``I_inc`` (N,3,H,W), both in [-1, 1] with
    the known pixels of the input exactly; ``semantic``: the guide ``I_s`` (N,1,H,W) int64,
    255 = ignore."""
    refined: torch.Tensor
    coarse: torch.Tensor
    semantic: torch.Tensor


@MODELS.register_module()
class FeedbackInpaintor(FrozenStagesMixin, RefineInpaintor):
    """``I_inc = G_c(I_o, M)``, ``I_s = argmax S(I_inc)``, ``I_out = G_s(I_inc, I_s, M)``.

    The refiner (``generator`` G_s, ``disc``, the losses: everything of ``RefineInpaintor``)
    trains; its :meth:`refine_inputs` come from two frozen stages:

    * ``coarse``: the coarse inpainter G_c (``CoarseInpaintor``), built in MMagic's scope;
    * ``segmentor``: a ``ConsistencySegmentor`` (S_ia, or S0 for the "plain pre-trained
      segmentor" ablation), built in MMSeg's scope. An S_ia config's ``inpainter`` and
      ``inpaint_on_test`` are dropped: this model gives it the
      coarse composite itself. Its labels on ``to_seg_input(I_inc)`` are its
      ``predict_pseudo_labels`` (logits upsampled, bilinear, to the image size, then argmax).

    Each is ``dict(config=<config file>, checkpoint=<.pth or None>)`` (or a model config with
    ``type``, or a built module). Both are frozen: ``requires_grad=False``, eval mode even when
    the loop calls ``train()`` (their BatchNorm statistics never move), never re-initialised by
    :meth:`init_weights`. Their weights ARE in this model's ``state_dict``: a checkpoint of the
    refine phase is a self-contained pipeline checkpoint (G_c + S + G_s + D). To load one, build
    this model with ``checkpoint=None`` for both stages (no earlier checkpoint needed) and load
    the full state dict.

    ``guide`` (the ablations of the paper's Table 5):
    * ``'segmentor'``: the segmentor's prediction on ``I_inc`` (the method; with an S0 config
      and checkpoint: the plain-segmentor ablation);
    * ``'none'``: an all-ignore map, i.e. no semantic guidance ("w/o SCM"); ``segmentor`` may
      be None;
    * ``'gt'``: the batch's ground-truth ``gt_seg_map`` (upper bound); every sample must be
      labelled; ``segmentor`` may be None.

    The public inference entry point is :meth:`inpaint`. Predictions are those of
    ``RefineInpaintor`` (``pred_img``, ``coarse_img``, ``seg_vis``, ``pred_seg_map``).

    Args:
        coarse: the frozen coarse stage.
        segmentor: the frozen segmentor; required for ``guide='segmentor'``; its number of
            classes must equal the generator's ``num_classes``.
        guide: ``'segmentor'``, ``'none'`` or ``'gt'``.
        warm_start: parts of the refiner that start from the frozen coarse stage's instead of
            afresh (the paper): ``'trunk'``, G_s's encoder and decoder from G_c's (same widths
            needed; SPADE blocks and heads stay G_s's own, the heads zero in the residual form,
            so the untrained refiner still returns I_inc); ``'disc'``, the discriminator from
            G_c's (same architecture needed), which already tells G_c's fills from real images.
        **kwargs: ``RefineInpaintor``'s arguments (generator, discriminator, losses, palette,
            train/test cfg).
    """

    def __init__(self, coarse: StageCfg, segmentor: Optional[StageCfg] = None,
                 guide: str = 'segmentor', warm_start: Sequence[str] = (), **kwargs):
        if guide not in GUIDES:
            raise ValueError(f'guide must be one of {GUIDES}, got {guide!r}')
        if guide == 'segmentor' and segmentor is None:
            raise ValueError("guide='segmentor' needs a segmentor")
        super().__init__(**kwargs)
        self.guide = guide
        self.coarse = build_frozen_inpainter(coarse, 'coarse')
        self.warm_start = tuple(warm_start)
        if not set(self.warm_start) <= set(WARM_START_PARTS):
            raise ValueError(f'warm_start takes parts of {WARM_START_PARTS}, got {warm_start!r}')
        if 'trunk' in self.warm_start and not isinstance(
                getattr(self.coarse, 'generator', None), UNetTrunk):
            raise ValueError(f"warm_start 'trunk' needs a coarse stage with a U-Net generator "
                             f'(CoarseInpaintor), not {type(self.coarse).__name__}')
        if 'disc' in self.warm_start and not isinstance(
                getattr(self.coarse, 'disc', None), type(self.disc)):
            raise ValueError(f"warm_start 'disc' needs a coarse stage with a "
                             f'{type(self.disc).__name__} discriminator, not '
                             f'{type(getattr(self.coarse, "disc", None)).__name__}')
        self.segmentor = None if segmentor is None else build_frozen_stage(
            segmentor, MMSEG_MODELS, 'segmentor', drop_keys=SEGMENTOR_INPAINTING_KEYS)
        if self.segmentor is not None and self.segmentor.num_classes != self.num_classes:
            raise ValueError(
                f'the segmentor predicts {self.segmentor.num_classes} classes but the '
                f'generator is conditioned on {self.num_classes} (encdec.num_classes): set both '
                "to the dataset's number of classes")

    # ---------------------------------------------------------------------- frozen stages
    def frozen_stages(self) -> List[nn.Module]:
        return [stage for stage in (self.coarse, self.segmentor) if stage is not None]

    def init_weights(self):
        super().init_weights()
        if 'trunk' in self.warm_start:
            self.generator.load_trunk_of(self.coarse.generator)
        if 'disc' in self.warm_start:
            try:
                self.disc.load_state_dict(self.coarse.disc.state_dict())
            except RuntimeError as error:
                raise ValueError("warm_start 'disc': the coarse stage's discriminator differs "
                                 f'from the refiner\'s ({first_lines(error)}); give both the '
                                 'same disc config') from None

    # ------------------------------------------------------------------------ inference
    def segment(self, img: torch.Tensor) -> torch.Tensor:
        """The segmentor's labels (N,1,H,W) int64 for images (N,3,H,W) in [-1, 1]."""
        inputs = self.segmentor.to_seg_input(img.clamp(-1., 1.))
        return self.segmentor.predict_pseudo_labels(inputs).labels[:, None]

    @torch.no_grad()
    def coarse_and_guide(self, img: torch.Tensor, mask: torch.Tensor,
                         gt_seg_map: Optional[torch.Tensor] = None
                         ) -> Tuple[torch.Tensor, torch.Tensor]:
        """``(I_inc, I_s)`` from the frozen stages (``gt_seg_map`` (N,1,H,W) is read only with
        ``guide='gt'``)."""
        _, coarse_img = self.coarse.inpaint(img, mask.to(img.dtype))
        if self.guide == 'segmentor':
            guide = self.segment(coarse_img)
        elif self.guide == 'none':
            guide = torch.full_like(mask, IGNORE_INDEX, dtype=torch.long)
        else:
            if gt_seg_map is None:
                raise ValueError("guide='gt' needs the ground-truth gt_seg_map")
            guide = gt_seg_map.long()
        return coarse_img, guide

    def inpaint(self, img: torch.Tensor, mask: torch.Tensor,
                gt_seg_map: Optional[torch.Tensor] = None) -> FeedbackOutput:
        """The whole method on ``img`` (N,3,H,W in [-1, 1]) with holes ``mask`` (N,1,H,W,
        1 = hole); pixels of ``img`` inside holes are never read."""
        coarse_img, guide = self.coarse_and_guide(img, mask, gt_seg_map)
        refined = self.refine(coarse_img, guide, mask)
        return FeedbackOutput(refined.composite, coarse_img, guide)

    def refine_inputs(self, inputs: torch.Tensor,
                      data_samples: DataSample) -> Tuple[torch.Tensor, torch.Tensor]:
        gt_seg_map = ground_truth_guide(data_samples) if self.guide == 'gt' else None
        return self.coarse_and_guide(inputs, data_samples.mask, gt_seg_map)
