# Stage 3 on the demo scenes, quickstart-sized: the refiner G_s trained inside FeedbackInpaintor
# on the frozen coarse stage's composites (demo/coarse.py), guided by a frozen segmentor's
# predictions on them (demo/seg.py). Narrow networks (a quarter of the paper's widths) and a short
# schedule. The pipeline (demo/pipeline.py) sets the stage checkpoints (S_ia of step 5 for the
# method) and runs the guide ablations from this one config. Checkpoints hold all three stages
# (a self-contained pipeline checkpoint for tools/inpaint.py).
_base_ = [
    '../../_base_/models/spade_refiner.py',
    '../../_base_/datasets/demo_scenes.py',
    '../../_base_/schedules/iter_tiny.py',
    '../../_base_/default_runtime.py',
]

num_classes = 6  # DemoScenesDataset, as seg_tiny.py
model = dict(
    coarse=dict(config='configs/fr_inpaint/demo/coarse.py'),
    segmentor=dict(config='configs/fr_inpaint/demo/seg.py'),
    encdec=dict(num_classes=num_classes, channels=(16, 32, 64, 128, 128, 128),
                spade_hidden_channels=32),
    disc=dict(base_channels=16))
# The validation grid: masked input | coarse I_inc | semantic guide | refined I_out | ground truth.
visualizer = dict(img_keys=['input', 'coarse_img', 'seg_vis', 'pred_img', 'gt_img'])
train_cfg = dict(max_iters=8, val_interval=8)
default_hooks = dict(checkpoint=dict(interval=8))
experiment_name = 'refine_demo'
