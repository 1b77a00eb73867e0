# The refiner's CPU recipe, for every data set: the residual refiner (refiner.py) at half the
# paper's widths (as coarse_cpu.py), 160 iterations (batch 8 at 128x128: about 2.9 s each on 2
# cores, the VGG16 loss dominating: 8 min). The style term weighs 25, not the paper's 250: at
# 250 it dominates the generator loss (about 1.5 against an L1 of 0.06) and the refiner drifts
# below G_c within 240 iterations; at 25 it improves on G_c in every bucket under 3 seeds on
# CamVid (docs/results.md, "The refiner recipe under three seeds"). A data set's refine_cpu.py
# inherits this and its 128x128 dataset base, and sets the class count, the palette, the stage
# configs and the loaders.
_base_ = ['./refiner.py']
model = dict(
    encdec=dict(channels=(32, 64, 128, 256, 256, 256), spade_hidden_channels=64),
    disc=dict(base_channels=32),
    loss_vgg=dict(style_weight=25.))
max_iters = 160
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=80), logger=dict(interval=20))
