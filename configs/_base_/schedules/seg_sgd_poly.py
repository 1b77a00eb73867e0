# MMSeg's segmentation schedule: SGD (lr 0.01, momentum 0.9, weight decay 5e-4) with the poly
# learning-rate decay. A config that changes train_cfg.max_iters sets the scheduler's end to it.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4))
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=300,
                        by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=300, val_interval=300)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
