# Stage 3 on the demo scenes, seconds-long: the refiner G_s trained inside FeedbackInpaintor on
# the tiny coarse stage's composites, guided by the tiny S_ia's predictions on them. Train
# configs/fr_inpaint/demo/coarse_tiny.py and seg_ia_tiny.py first (paths relative to the
# working directory); override with --cfg-options model.coarse.checkpoint=...
# model.segmentor.config=... model.segmentor.checkpoint=... model.guide=none|gt|segmentor.
# Checkpoints hold all three stages (a self-contained pipeline checkpoint).
_base_ = [
    '../../_base_/models/spade_refiner.py',
    '../../_base_/datasets/demo_scenes.py',
    '../../_base_/schedules/iter_tiny.py',
    '../../_base_/default_runtime.py',
]

num_classes = 6  # DemoScenesDataset, as seg_tiny.py
model = dict(
    coarse=dict(config='configs/fr_inpaint/demo/coarse_tiny.py',
                checkpoint='work_dirs/coarse_tiny/iter_4.pth'),
    segmentor=dict(config='configs/fr_inpaint/demo/seg_ia_tiny.py',
                   checkpoint='work_dirs/seg_ia_tiny/iter_4.pth'),
    encdec=dict(num_classes=num_classes, channels=(8, 8, 16, 16, 16, 16),
                spade_hidden_channels=8),
    disc=dict(base_channels=8))
# The validation grid: masked input | coarse I_inc | semantic guide | refined I_out | ground truth.
visualizer = dict(img_keys=['input', 'coarse_img', 'seg_vis', 'pred_img', 'gt_img'])
train_dataloader = dict(batch_size=2)
train_cfg = dict(max_iters=4, val_interval=2)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
experiment_name = 'refine_demo_tiny'
