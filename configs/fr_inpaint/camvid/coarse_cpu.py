# coarse.py sized for a 2-core CPU: half the paper's widths (4.5M generator parameters),
# batch 4, 400 iterations (about 45 minutes on our shared 2-core CPU), validation every 200.
#   python tools/train.py configs/fr_inpaint/camvid/coarse_cpu.py
_base_ = ['./coarse.py']
model = dict(encdec=dict(channels=(32, 64, 128, 256, 256, 256)), disc=dict(base_channels=32))
train_dataloader = dict(batch_size=4, num_workers=2)
val_dataloader = dict(num_workers=2)
test_dataloader = dict(num_workers=2)
train_cfg = dict(max_iters=400, val_interval=200)
default_hooks = dict(checkpoint=dict(interval=200), logger=dict(interval=20))
experiment_name = 'coarse_camvid_cpu'
