# Stage 1 (coarse inpainter) on the embedded demo scenes, CPU-sized: half the paper's widths
# (4.5M instead of 18M generator parameters) and 40 iterations.
#   python tools/train.py configs/fr_inpaint/demo/coarse.py
_base_ = [
    '../../_base_/models/coarse_unet.py',
    '../../_base_/datasets/demo_scenes.py',
    '../../_base_/schedules/iter_tiny.py',
    '../../_base_/default_runtime.py',
]
model = dict(encdec=dict(channels=(32, 64, 128, 256, 256, 256)), disc=dict(base_channels=32))
default_hooks = dict(checkpoint=dict(interval=20))
experiment_name = 'coarse_demo'
