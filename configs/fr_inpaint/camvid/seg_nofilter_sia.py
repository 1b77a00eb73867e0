# The pseudo-labelling baseline without the consistency filter, CamVid, CPU-sized: S_ia goes on
# training from its step-2 weights on the labelled images plus EVERY pseudo-label of S0's round 1
# (no ranking, no relabelling), for as many iterations as steps 4 + 5 together.
_base_ = ['./seg_step4_sia.py']
train_dataloader = dict(dataset=dict(pseudo_label_dirs=[
    'work_dirs/fr_inpaint/camvid_r0.5/seg_step1_s0/pseudo_round1_all']))
max_iters = 120
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
experiment_name = 'camvid_seg_nofilter_sia'
