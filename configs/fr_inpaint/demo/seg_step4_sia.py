# Segmentation step 4 (S_ia side) on the demo scenes, as configs/fr_inpaint/camvid/
# seg_step4_sia.py: S_ia goes on training from its step-2 weights (half the learning rate) on the
# labelled images plus round 1's reliable pseudo-labels, every image masked + coarse-inpainted.
_base_ = ['./seg_step2_sia.py']
load_from = 'work_dirs/quickstart/demo/seg_step2_sia/iter_40.pth'
train_dataloader = dict(dataset=dict(
    label_filter='all',
    pseudo_label_dirs=['work_dirs/quickstart/demo/seg_step1_s0/pseudo_round1_reliable']))
optim_wrapper = dict(optimizer=dict(lr=0.005))
max_iters = 20
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=max_iters))
experiment_name = 'demo_seg_step4_sia'
