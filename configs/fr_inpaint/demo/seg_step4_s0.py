# Segmentation step 4 (S0 side) + the pseudo-labels of step 5 on the demo scenes, as
# configs/fr_inpaint/camvid/seg_step4_s0.py: S0 goes on training from its step-1 weights (half
# the learning rate) on the labelled images plus round 1's reliable pseudo-labels, then relabels
# round 1's unreliable set (pseudo_round2_unreliable/) for step 5.
_base_ = ['./seg_step1_s0.py']
load_from = 'work_dirs/quickstart/demo/seg_step1_s0/iter_40.pth'
train_dataloader = dict(dataset=dict(
    label_filter='all',
    pseudo_label_dirs=['work_dirs/quickstart/demo/seg_step1_s0/pseudo_round1_reliable']))
optim_wrapper = dict(optimizer=dict(lr=0.005))
max_iters = 20
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=max_iters))
custom_hooks = [
    dict(type='CrossImagePseudoLabelHook', labelled_dataloader={{_base_.labelled_loader}},
         unlabelled_dataloader={{_base_.unlabelled_loader}}, num_classes={{_base_.num_classes}},
         reliable_ratio=0.5, when='after_train', out_dir='pseudo_round2_unreliable', keep='all',
         restrict_to=dict(split_file='../seg_step1_s0/pseudo_round1_reliable/split.json',
                          part='unreliable')),
]
experiment_name = 'demo_seg_step4_s0'
