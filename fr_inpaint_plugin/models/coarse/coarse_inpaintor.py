"""Stage 1 of the method: coarse inpainting with G_c and a PatchGAN (hinge GAN + L1)."""
from typing import Dict, Optional, Tuple

import torch
from mmagic.registry import MODELS

from ..adversarial_inpaintor import AdversarialInpaintor
from .pyramid_fill import pyramid_fill

PREFILLS = ('constant', 'pyramid')


@MODELS.register_module()
class CoarseInpaintor(AdversarialInpaintor):
    """``I_in = I_o*(1-M) + M``, ``I_inc = G_c(I_in, M)*M + I_o*(1-M)`` (M = 1 in holes).

    What the holes of ``I_in`` hold (``prefill``): 1, i.e. white (``'constant'``, the paper's
    form), or :func:`pyramid_fill`'s smooth interpolation of the known pixels (``'pyramid'``,
    with a residual G_c, ``CoarseUNet(residual=True)``: G_c then starts from a fill about as good
    as OpenCV Telea and learns only a correction of it).

    Batches follow MMagic's inpainting convention (``inputs`` = masked image,
    ``data_samples.mask``, ``data_samples.gt_img``), so MMagic's pipelines, metrics and
    visualisation hook work unchanged; training is :class:`AdversarialInpaintor`'s, and the L1
    term is the paper's ``||I_o - I_inc||_1`` on the composite.

    Args:
        encdec: the generator config (``CoarseUNet``).
        disc: the discriminator config (``PatchGANDiscriminator``).
        loss_gan: ``GANLoss`` config; ``gan_type='hinge'`` and ``loss_weight=1.0`` in the paper.
        loss_l1: ``L1Loss`` config; ``loss_weight=10.0`` in the paper.
        train_cfg: ``disc_step`` = discriminator updates per generator update.
        prefill: ``'constant'`` or ``'pyramid'``, see above.
        loss_vgg: optional ``VGGPerceptualStyleLoss`` config (the refiner's perceptual and
            style terms) on the composite; ``None`` (the paper's stage 1) = no such term.
    """

    def __init__(self, *args, prefill: str = 'constant', loss_vgg: Optional[dict] = None,
                 **kwargs):
        if prefill not in PREFILLS:
            raise ValueError(f'prefill must be one of {PREFILLS}, got {prefill!r}')
        super().__init__(*args, **kwargs)
        self.prefill = prefill
        self.loss_vgg = MODELS.build(loss_vgg) if loss_vgg is not None else None

    def inpaint(self, img: torch.Tensor, mask: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Inpaint ``img`` (N,3,H,W in [-1, 1]) where ``mask`` (N,1,H,W, 1 = hole) is set.

        Returns ``(raw generator output, composite I_inc)``; known pixels of the composite
        are exactly those of ``img``. Pixels of ``img`` inside holes are never read.
        """
        mask = mask.to(img.dtype)
        holes_filled = (pyramid_fill(img, mask) if self.prefill == 'pyramid'
                        else img * (1. - mask) + mask)
        raw = self.generator(torch.cat([holes_filled, mask], dim=1))
        return raw, raw * mask + img * (1. - mask)

    def forward_tensor(self, inputs: torch.Tensor,
                       data_samples) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.inpaint(inputs, data_samples.mask)

    def train_generate(self, masked_img: torch.Tensor,
                       mask: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        _, coarse_img = self.inpaint(masked_img, mask)
        return coarse_img, coarse_img

    def generator_losses(self, coarse_img: torch.Tensor,
                         gt_img: torch.Tensor) -> Dict[str, torch.Tensor]:
        losses = dict(loss_g_adv=self.loss_gan(self.disc(coarse_img), True, is_disc=False),
                      loss_l1=self.loss_l1(coarse_img, gt_img))
        if self.loss_vgg is not None:
            losses['loss_perceptual'], losses['loss_style'] = self.loss_vgg(coarse_img, gt_img)
        return losses
