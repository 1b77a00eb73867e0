# Stage 1 (coarse inpainter) on the embedded demo scenes, CPU-sized.
#   python tools/train.py configs/fr_inpaint/demo/coarse.py
_base_ = [
    '../../_base_/models/coarse_unet.py',
    '../../_base_/datasets/demo_inpaint.py',
    '../../_base_/schedules/iter_tiny.py',
    '../../_base_/default_runtime.py',
]
experiment_name = 'coarse_demo'
default_hooks = dict(checkpoint=dict(interval=20))
