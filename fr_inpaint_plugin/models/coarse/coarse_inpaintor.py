"""Stage 1 of the method: coarse inpainting with G_c and a PatchGAN (hinge GAN + L1)."""
from typing import Dict, List, Tuple

import torch
from mmengine.optim import OptimWrapperDict

from mmagic.models.base_models import OneStageInpaintor
from mmagic.registry import MODELS
from ..gan_step import adversarial_step


@MODELS.register_module()
class CoarseInpaintor(OneStageInpaintor):
    """``I_in = I_o*(1-M) + M``, ``I_inc = G_c(I_in, M)*M + I_o*(1-M)`` (M = 1 in holes).

    Batches follow MMagic's inpainting convention (``inputs`` = masked image,
    ``data_samples.mask``, ``data_samples.gt_img``), so MMagic's pipelines, metrics and
    visualisation hook work unchanged. Unlike MMagic's ``OneStageInpaintor.train_step`` every
    backward pass goes through the optimizer wrappers (``--amp`` works), the discriminator
    schedule reads the iteration from ``MessageHub`` (survives ``--resume``), and the L1 term
    is the paper's ``||I_o - I_inc||_1`` on the composite.

    Args:
        encdec: the generator config (``CoarseUNet``).
        disc: the discriminator config (``PatchGANDiscriminator``).
        loss_gan: ``GANLoss`` config; ``gan_type='hinge'`` and ``loss_weight=1.0`` in the paper.
        loss_l1: ``L1Loss`` config; ``loss_weight=10.0`` in the paper.
        train_cfg: ``disc_step`` = discriminator updates per generator update.
    """

    def __init__(self,
                 data_preprocessor: dict,
                 encdec: dict,
                 disc: dict,
                 loss_gan: dict,
                 loss_l1: dict,
                 train_cfg: dict = None,
                 test_cfg: dict = None,
                 init_cfg: dict = None):
        super().__init__(
            data_preprocessor=data_preprocessor,
            encdec=encdec,
            disc=disc,
            loss_gan=loss_gan,
            train_cfg=train_cfg if train_cfg is not None else dict(disc_step=1),
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.loss_l1 = MODELS.build(loss_l1)

    def inpaint(self, img: torch.Tensor, mask: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Inpaint ``img`` (N,3,H,W in [-1, 1]) where ``mask`` (N,1,H,W, 1 = hole) is set.

        Returns ``(raw generator output, composite I_inc)``; known pixels of the composite
        are exactly those of ``img``. Pixels of ``img`` inside holes are never read.
        """
        mask = mask.to(img.dtype)
        holes_filled = img * (1. - mask) + mask
        raw = self.generator(torch.cat([holes_filled, mask], dim=1))
        return raw, raw * mask + img * (1. - mask)

    def forward_tensor(self, inputs: torch.Tensor, data_samples) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.inpaint(inputs, data_samples.mask)

    def train_step(self, data: List[dict], optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        data = self.data_preprocessor(data, True)
        masked_img, data_samples = data['inputs'], data['data_samples']
        gt_img, mask = data_samples.gt_img, data_samples.mask.float()
        with optim_wrapper['generator'].optim_context(self.generator):
            _, coarse_img = self.inpaint(masked_img, mask)
        return adversarial_step(
            self, optim_wrapper, gt_img, coarse_img,
            lambda: dict(loss_g_adv=self.loss_gan(self.disc(coarse_img), True, is_disc=False),
                         loss_l1=self.loss_l1(coarse_img, gt_img)))
