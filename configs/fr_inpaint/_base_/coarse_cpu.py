# The coarse stage's CPU recipe, for every data set: G_c + PatchGAN at half the paper's widths
# (4.5M generator parameters), 3000 iterations (batch 8 at 128x128: about 0.8 s each on 2 cores,
# 40 min), a checkpoint every 500 so an interrupted run resumes. A data set's coarse_cpu.py
# inherits this and its 128x128 dataset base, and sets the loaders.
_base_ = [
    '../../_base_/models/coarse_unet.py',
    '../../_base_/schedules/coarse_paper.py',
    '../../_base_/default_runtime.py',
]
model = dict(encdec=dict(channels=(32, 64, 128, 256, 256, 256)), disc=dict(base_channels=32))
train_cfg = dict(max_iters=3000, val_interval=3000)
default_hooks = dict(checkpoint=dict(interval=500), logger=dict(interval=50))
