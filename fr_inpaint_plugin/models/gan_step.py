"""The adversarial update both inpainting stages share (G_c and G_s, each with a PatchGAN)."""
from typing import Callable, Dict

import torch
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapperDict

from mmagic.models.utils import set_requires_grad


def adversarial_step(model, optim_wrapper: OptimWrapperDict, real: torch.Tensor,
                     fake: torch.Tensor,
                     generator_losses: Callable[[], Dict[str, torch.Tensor]]) -> dict:
    """One discriminator update on ``real`` vs. ``fake.detach()``, then, on every
    ``train_cfg.disc_step``-th iteration, one generator update on ``generator_losses()``
    (called under the generator's optim context, the discriminator frozen).

    Unlike MMagic's ``OneStageInpaintor.train_step`` every backward pass goes through the
    optimizer wrappers (``--amp`` works) and the iteration is read from ``MessageHub`` (the
    schedule survives ``--resume``). ``model`` has ``disc``, ``generator``, ``loss_gan``,
    ``train_cfg`` and ``parse_losses``; ``fake`` was produced under the generator's optim
    context. Returns the log variables.
    """
    gen_wrapper, disc_wrapper = optim_wrapper['generator'], optim_wrapper['disc']
    with disc_wrapper.optim_context(model.disc):
        disc_losses = dict(
            loss_disc_real=model.loss_gan(model.disc(real), True, is_disc=True),
            loss_disc_fake=model.loss_gan(model.disc(fake.detach()), False, is_disc=True))
    loss_disc, log_vars = model.parse_losses(disc_losses)
    disc_wrapper.update_params(loss_disc)

    current_iter = MessageHub.get_current_instance().get_info('iter', 0)
    if (current_iter + 1) % model.train_cfg.get('disc_step', 1) != 0:
        return log_vars

    set_requires_grad(model.disc, False)
    with gen_wrapper.optim_context(model.generator):
        loss_gen, log_gen = model.parse_losses(generator_losses())
    gen_wrapper.update_params(loss_gen)
    set_requires_grad(model.disc, True)
    log_vars.update(log_gen)
    return log_vars
