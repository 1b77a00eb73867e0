# A seconds-long variant of coarse.py for tests and smoke runs: narrow networks, 4 iterations.
_base_ = ['./coarse.py']
model = dict(
    encdec=dict(channels=(8, 8, 16, 16, 16, 16)),
    disc=dict(base_channels=8))
train_dataloader = dict(batch_size=2)
train_cfg = dict(max_iters=4, val_interval=2)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
experiment_name = 'coarse_demo_tiny'
