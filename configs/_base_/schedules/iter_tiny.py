# A CPU-sized schedule: enough to see the losses move and exercise checkpoints/validation.
# Configs using it set default_hooks.checkpoint.interval to val_interval.
train_cfg = dict(type='IterBasedTrainLoop', max_iters=40, val_interval=20)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
