# coarse.py sized for a 2-core CPU: 128x128 (the CPU recipes' working size), half the paper's
# widths (4.5M generator parameters), batch 8, 3000 iterations (about 0.8 s each on 2 cores:
# 40 min), a checkpoint every 500 so an interrupted run resumes (tools/train.py --resume).
#   python tools/train.py configs/fr_inpaint/camvid/coarse_cpu.py
_base_ = [
    '../../_base_/models/coarse_unet.py',
    '../../_base_/datasets/camvid_128.py',
    '../../_base_/schedules/coarse_paper.py',
    '../../_base_/default_runtime.py',
]
model = dict(encdec=dict(channels=(32, 64, 128, 256, 256, 256)), disc=dict(base_channels=32))
train_dataloader = dict(batch_size=8, num_workers=2)
val_dataloader = dict(num_workers=2)
test_dataloader = dict(num_workers=2)
train_cfg = dict(max_iters=3000, val_interval=3000)
default_hooks = dict(checkpoint=dict(interval=500), logger=dict(interval=50))
experiment_name = 'coarse_camvid_cpu'
