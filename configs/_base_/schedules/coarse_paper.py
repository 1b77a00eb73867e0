# Stage-1 schedule at the paper's settings: Adam (lr in the model base), batch 24 (set in the
# dataset bases), iterations ours (the paper gives none).
train_cfg = dict(type='IterBasedTrainLoop', max_iters=200000, val_interval=10000)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
