"""What both inpainting stages share (G_c and G_s, each trained against a PatchGAN): MMagic's
one-stage inpaintor with an adversarial train step that goes through the optimizer wrappers."""
from typing import Any, Dict, List, Optional, Tuple

import torch
from mmagic.models.base_models import OneStageInpaintor
from mmagic.models.utils import set_requires_grad
from mmagic.registry import MODELS
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapperDict


class AdversarialInpaintor(OneStageInpaintor):
    """MMagic's ``OneStageInpaintor`` (its batches, test step, metrics and visualisation work
    unchanged) plus an L1 loss, whose :meth:`train_step` is one discriminator update on real vs.
    fake, then, on every ``train_cfg.disc_step``-th iteration, one generator update.

    Unlike MMagic's ``OneStageInpaintor.train_step`` every backward pass goes through the
    optimizer wrappers (``--amp`` works) and the iteration is read from ``MessageHub`` (the
    schedule survives ``--resume``). Subclasses say what the generator is fed
    (:meth:`train_inputs`, outside the generator's optim context: frozen stages run there), what
    it makes of it (:meth:`train_generate`, inside) and its losses (:meth:`generator_losses`).
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

    def train_inputs(self, masked_img: torch.Tensor, data_samples) -> Tuple:
        """The arguments of :meth:`train_generate` for a preprocessed batch."""
        return masked_img, data_samples.mask.float()

    def train_generate(self, *inputs) -> Tuple[torch.Tensor, Any]:
        """``(fake image the discriminator judges, output for generator_losses)``."""
        raise NotImplementedError

    def generator_losses(self, output: Any,
                         gt_img: torch.Tensor) -> Dict[str, Optional[torch.Tensor]]:
        """Named generator losses; ``None`` for a term that is off (e.g. a VGG weight of 0)."""
        raise NotImplementedError

    def train_step(self, data: List[dict],
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        data = self.data_preprocessor(data, True)
        gt_img = data['data_samples'].gt_img
        inputs = self.train_inputs(data['inputs'], data['data_samples'])
        gen_wrapper, disc_wrapper = optim_wrapper['generator'], optim_wrapper['disc']
        with gen_wrapper.optim_context(self.generator):
            fake, output = self.train_generate(*inputs)

        with disc_wrapper.optim_context(self.disc):
            disc_losses = dict(
                loss_disc_real=self.loss_gan(self.disc(gt_img), True, is_disc=True),
                loss_disc_fake=self.loss_gan(self.disc(fake.detach()), False, is_disc=True))
        loss_disc, log_vars = self.parse_losses(disc_losses)
        disc_wrapper.update_params(loss_disc)

        current_iter = MessageHub.get_current_instance().get_info('iter', 0)
        if (current_iter + 1) % self.train_cfg.get('disc_step', 1) != 0:
            return log_vars

        set_requires_grad(self.disc, False)
        with gen_wrapper.optim_context(self.generator):
            losses = self.generator_losses(output, gt_img)
            loss_gen, log_gen = self.parse_losses(
                {name: loss for name, loss in losses.items() if loss is not None})
        gen_wrapper.update_params(loss_gen)
        set_requires_grad(self.disc, True)
        log_vars.update(log_gen)
        return log_vars
