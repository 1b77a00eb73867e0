# The pseudo-labelling baseline without the consistency filter on the demo scenes, as
# configs/fr_inpaint/camvid/seg_nofilter_sia.py: S_ia goes on training from its step-2 weights
# on the labelled images plus EVERY pseudo-label of S0's round 1, for as many iterations as
# steps 4 + 5 together.
_base_ = ['./seg_step4_sia.py']
train_dataloader = dict(dataset=dict(pseudo_label_dirs=[
    'work_dirs/quickstart/demo/seg_step1_s0/pseudo_round1_all']))
max_iters = 40
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=max_iters))
experiment_name = 'demo_seg_nofilter_sia'
