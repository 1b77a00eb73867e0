# Segmentation step 5 on CamVid, CPU-sized: S_ia goes on training (from its step-4 weights) on
# the labelled images plus every pseudo-label: the retrained S0's labels of the unreliable set
# (round 2, searched first) and the reliable set of round 1. This S_ia guides the refiner.
_base_ = ['./seg_step4_sia.py']
load_from = 'work_dirs/fr_inpaint/camvid_r0.5/seg_step4_sia/iter_60.pth'
train_dataloader = dict(dataset=dict(pseudo_label_dirs=[
    'work_dirs/fr_inpaint/camvid_r0.5/seg_step4_s0/pseudo_round2_unreliable',
    'work_dirs/fr_inpaint/camvid_r0.5/seg_step1_s0/pseudo_round1_reliable',
]))
experiment_name = 'camvid_seg_step5_sia'
