"""Stage 3 of the method: semantic-guided refinement with G_s and a PatchGAN (Ye et al. 2025,
§3.4-3.5): ``L_Gs = 0.1*L_adv + 1.0*L_pyramid + 0.1*L_perceptual + 250*L_style + 1.0*L_L1``."""
from typing import List, NamedTuple, Sequence, Tuple, Union

import torch
from mmagic.registry import DATASETS, MODELS
from mmagic.structures import DataSample

from ..adversarial_inpaintor import AdversarialInpaintor


class RefineOutput(NamedTuple):
    """``raw``: G_s's full-resolution output (N,3,H,W); ``pyramid``: its multi-scale outputs,
    coarse to fine; ``composite``: ``I_out = raw*M + I_inc*(1-M)``. All in [-1, 1]."""
    raw: torch.Tensor
    pyramid: List[torch.Tensor]
    composite: torch.Tensor


def default_palette(num_classes: int) -> List[Tuple[int, int, int]]:
    """A fixed (seeded) RGB colour per class, for configs that give no palette."""
    colours = torch.randint(0, 256, (num_classes, 3), generator=torch.Generator().manual_seed(0))
    return [tuple(colour) for colour in colours.tolist()]


def resolve_palette(palette: Union[None, str, Sequence[Sequence[int]]],
                    num_classes: int) -> Sequence[Sequence[int]]:
    """The colours of ``seg_vis``: the given RGB colours, the ``METAINFO`` palette of a
    registered dataset type named by ``palette`` (e.g. ``'CamVidInpaintDataset'``), or the
    seeded :func:`default_palette` for ``None``."""
    if palette is None:
        return default_palette(num_classes)
    if isinstance(palette, str):
        dataset = DATASETS.get(palette)
        if dataset is None or not getattr(dataset, 'METAINFO', {}).get('palette'):
            raise ValueError(
                f'palette={palette!r} names no registered dataset type with a METAINFO palette; '
                "give one (e.g. 'CamVidInpaintDataset') or a list of RGB colours")
        palette = dataset.METAINFO['palette']
    if len(palette) < num_classes:
        raise ValueError(f'the palette has {len(palette)} colours for {num_classes} classes')
    return palette


def ground_truth_guide(data_samples: DataSample) -> torch.Tensor:
    """The batch's ``gt_seg_map`` (N,1,H,W) int64, refusing batches with unlabelled samples
    (an all-ignore map would silently turn the guide off for them)."""
    labelled = data_samples.metainfo.get('labelled')
    if 'gt_seg_map' not in data_samples or (labelled is not None and not all(labelled)):
        raise ValueError(
            'the ground-truth guide needs a label for every sample, but this batch has '
            f'unlabelled ones (labelled={labelled}); train/test on labelled items only '
            "(dataset label_filter='labelled') or use another guide")
    return data_samples.gt_seg_map.long()


@MODELS.register_module()
class RefineInpaintor(AdversarialInpaintor):
    """``I_sg = G_s(I_inc, I_s, M)``, ``I_out = I_sg*M + I_o*(1-M)`` (M = 1 in holes).

    G_s (``generator``, a ``SPADEUNetGenerator``) refines a coarse composite ``I_inc`` guided by
    an integer semantic map ``I_s`` (255 = ignore: an all-zero one-hot, i.e. no guidance there);
    a PatchGAN (``disc``) judges ``I_out``. Batches follow MMagic's inpainting convention
    (``inputs`` = masked image, ``data_samples.mask``, ``data_samples.gt_img``); training is
    :class:`AdversarialInpaintor`'s, the frozen stages outside the generator's optim context.

    What G_s is fed comes from :meth:`refine_inputs`. Standalone, this model is a one-stage
    label-guided inpaintor: ``I_inc`` is the masked image with its holes filled as the coarse
    stage fills them (``I_o*(1-M) + M``) and ``I_s`` is the batch's ground-truth ``gt_seg_map``
    (every sample must be labelled). ``FeedbackInpaintor`` overrides it with the paper's inputs:
    the frozen coarse stage's composite and the frozen segmentor's prediction on it.

    Predictions (``val_step``/``test_step``) carry MMagic's ``pred_img`` (= ``fake_img``, the
    composite; ``fake_res`` the raw output), plus ``coarse_img`` (the ``I_inc`` fed to G_s),
    ``seg_vis`` (the guide drawn with ``palette``, black where ignored) and ``pred_seg_map``
    (the guide, (1,H,W) int64, readable by ``SegIoU``). Images are destructed like ``pred_img``
    (0-255, BGR), so a ``ConcatImageVisualizer`` can draw any of them.

    Args:
        encdec: the generator config (``SPADEUNetGenerator``; its ``num_classes`` is K).
        disc: the discriminator config (``PatchGANDiscriminator``).
        loss_gan: ``GANLoss`` config; hinge with ``loss_weight=0.1`` in the paper.
        loss_pyramid: ``PyramidL1Loss`` config (1.0), on the generator's pyramid vs. ``I_o``.
        loss_vgg: ``VGGPerceptualStyleLoss`` config (perceptual 0.1, style 250), on ``I_out``.
        loss_l1: ``L1Loss`` config (1.0), ``||I_o - I_out||_1``.
        palette: RGB colour per class for ``seg_vis``, or the name of a registered dataset
            type whose ``METAINFO`` palette to use; ``None`` = :func:`default_palette`.
        train_cfg: ``disc_step`` = discriminator updates per generator update.
    """

    def __init__(self,
                 data_preprocessor: dict,
                 encdec: dict,
                 disc: dict,
                 loss_gan: dict,
                 loss_pyramid: dict,
                 loss_vgg: dict,
                 loss_l1: dict,
                 palette: Union[None, str, Sequence[Sequence[int]]] = None,
                 train_cfg: dict = None,
                 test_cfg: dict = None,
                 init_cfg: dict = None):
        super().__init__(data_preprocessor, encdec, disc, loss_gan, loss_l1, train_cfg, test_cfg,
                         init_cfg)
        self.loss_pyramid = MODELS.build(loss_pyramid)
        self.loss_vgg = MODELS.build(loss_vgg)
        num_classes = self.num_classes
        palette = resolve_palette(palette, num_classes)
        # Not a buffer: a drawing aid, not part of checkpoints.
        self.palette = torch.tensor([list(c) for c in palette[:num_classes]], dtype=torch.float32)

    @property
    def num_classes(self) -> int:
        """K, the classes of the semantic guide (the generator's)."""
        return self.generator.num_classes

    # ------------------------------------------------------------------------ inference
    def refine(self, coarse_img: torch.Tensor, guide: torch.Tensor,
               mask: torch.Tensor) -> RefineOutput:
        """Refine ``coarse_img`` (N,3,H,W in [-1, 1]) in the holes of ``mask`` (N,1,H,W,
        1 = hole) guided by ``guide`` (N,1,H,W integer labels, 255 = ignore). Known pixels of
        the composite are exactly those of ``coarse_img``."""
        mask = mask.to(coarse_img.dtype)
        raw, pyramid = self.generator(torch.cat([coarse_img, mask], dim=1), guide)
        return RefineOutput(raw, pyramid, raw * mask + coarse_img * (1. - mask))

    def refine_inputs(self, inputs: torch.Tensor,
                      data_samples: DataSample) -> Tuple[torch.Tensor, torch.Tensor]:
        """``(I_inc, I_s)`` for a preprocessed batch (``inputs`` = masked image in [-1, 1]):
        here the hole-filled masked image and the ground-truth labels (see the class doc);
        subclasses feed G_s from earlier stages."""
        mask = data_samples.mask.to(inputs.dtype)
        return inputs * (1. - mask) + mask, ground_truth_guide(data_samples)

    def forward_tensor(self, inputs: torch.Tensor,
                       data_samples: DataSample) -> Tuple[torch.Tensor, torch.Tensor]:
        coarse_img, guide = self.refine_inputs(inputs, data_samples)
        refined = self.refine(coarse_img, guide, data_samples.mask)
        return refined.raw, refined.composite

    def draw_labels(self, labels: torch.Tensor) -> torch.Tensor:
        """Integer labels (N,1,H,W) -> palette colours (N,3,H,W) in [-1, 1] (RGB, the range of
        the model's images), black where ignored or out of range."""
        labels = labels[:, 0].long()
        valid = (labels >= 0) & (labels < self.num_classes)
        colours = self.palette.to(labels.device)[labels.clamp(0, self.num_classes - 1)]
        colours = colours.masked_fill(~valid[..., None], 0.)
        return colours.permute(0, 3, 1, 2) / 127.5 - 1.

    def forward_test(self, inputs: torch.Tensor, data_samples: DataSample) -> DataSample:
        coarse_img, guide = self.refine_inputs(inputs, data_samples)
        refined = self.refine(coarse_img, guide, data_samples.mask)

        def destruct(images):
            return self.data_preprocessor.destruct(images, data_samples)

        composite = destruct(refined.composite)
        return DataSample(
            fake_res=destruct(refined.raw), fake_img=composite, pred_img=composite,
            coarse_img=destruct(coarse_img), seg_vis=destruct(self.draw_labels(guide)),
            pred_seg_map=guide)

    # ------------------------------------------------------------------------- training
    def generator_losses(self, refined: RefineOutput, gt_img: torch.Tensor) -> dict:
        perceptual, style = self.loss_vgg(refined.composite, gt_img)
        return dict(
            loss_g_adv=self.loss_gan(self.disc(refined.composite), True, is_disc=False),
            loss_pyramid=self.loss_pyramid(refined.pyramid, gt_img),
            loss_perceptual=perceptual,
            loss_style=style,
            loss_l1=self.loss_l1(refined.composite, gt_img))

    def train_inputs(self, masked_img: torch.Tensor, data_samples: DataSample) -> Tuple:
        return (*self.refine_inputs(masked_img, data_samples), data_samples.mask.float())

    def train_generate(self, coarse_img: torch.Tensor, guide: torch.Tensor,
                       mask: torch.Tensor) -> Tuple[torch.Tensor, RefineOutput]:
        refined = self.refine(coarse_img, guide, mask)
        return refined.composite, refined
