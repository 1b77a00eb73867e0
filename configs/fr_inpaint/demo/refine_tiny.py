# A seconds-long variant of refine.py for tests and smoke runs: the refiner trained on the tiny
# coarse stage's composites, guided by the tiny S_ia's predictions on them, narrow networks,
# 4 iterations. Train configs/fr_inpaint/demo/coarse_tiny.py and seg_ia_tiny.py first (paths
# relative to the working directory); override with --cfg-options model.coarse.checkpoint=...
# model.segmentor.config=... model.segmentor.checkpoint=... model.guide=none|gt|segmentor.
_base_ = ['./refine.py']
model = dict(
    coarse=dict(config='configs/fr_inpaint/demo/coarse_tiny.py',
                checkpoint='work_dirs/coarse_tiny/iter_4.pth'),
    segmentor=dict(config='configs/fr_inpaint/demo/seg_ia_tiny.py',
                   checkpoint='work_dirs/seg_ia_tiny/iter_4.pth'),
    encdec=dict(channels=(8, 8, 16, 16, 16, 16), spade_hidden_channels=8),
    disc=dict(base_channels=8))
train_dataloader = dict(batch_size=2)
train_cfg = dict(max_iters=4, val_interval=2)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
experiment_name = 'refine_demo_tiny'
