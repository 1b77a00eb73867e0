# Stage 1 (coarse inpainter) on the embedded demo scenes, quickstart-sized: 64x64, half the
# paper's widths (4.5M instead of 18M generator parameters), 300 iterations of 8 images.
#   python tools/train.py configs/fr_inpaint/demo/coarse.py
_base_ = [
    '../../_base_/models/coarse_unet.py',
    '../../_base_/datasets/demo_scenes_64.py',
    '../../_base_/schedules/iter_tiny.py',
    '../../_base_/default_runtime.py',
]
model = dict(encdec=dict(channels=(32, 64, 128, 256, 256, 256)), disc=dict(base_channels=32))
train_dataloader = dict(batch_size=8)
max_iters = 300
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=100), logger=dict(interval=50))
experiment_name = 'coarse_demo'
