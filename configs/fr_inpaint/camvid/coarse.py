# Stage 1 (coarse U-Net + PatchGAN) on camvid at the paper's settings: 256x256, Adam,
# batch 24, paper widths (GPU-sized).
#   python tools/train.py configs/fr_inpaint/camvid/coarse.py
_base_ = [
    '../../_base_/models/coarse_unet.py',
    '../../_base_/datasets/camvid.py',
    '../../_base_/schedules/coarse_paper.py',
    '../../_base_/default_runtime.py',
]
default_hooks = dict(checkpoint=dict(interval=10000))
experiment_name = 'coarse_camvid'
