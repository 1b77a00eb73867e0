# Segmentation step 4 (S_ia side) on CamVid, CPU-sized: S_ia goes on training (from its step-2
# weights, half the learning rate) on the labelled images plus the reliable pseudo-labels of
# round 1, every image masked + coarse-inpainted as in step 2.
_base_ = ['./seg_step2_sia.py']
load_from = 'work_dirs/fr_inpaint/camvid_r0.5/seg_step2_sia/iter_200.pth'
train_dataloader = dict(dataset=dict(
    label_filter='all',
    pseudo_label_dirs=['work_dirs/fr_inpaint/camvid_r0.5/seg_step1_s0/pseudo_round1_reliable']))
optim_wrapper = dict(optimizer=dict(lr=0.005))
max_iters = 60
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
experiment_name = 'camvid_seg_step4_sia'
