# Segmentation step 5 on the demo scenes, as configs/fr_inpaint/camvid/seg_step5_sia.py: S_ia
# goes on training from its step-4 weights on the labelled images plus every pseudo-label: the
# retrained S0's labels of the unreliable set (round 2, searched first) and round 1's reliable
# set. This S_ia guides the refiner (demo/refine.py).
_base_ = ['./seg_step4_sia.py']
load_from = 'work_dirs/quickstart/demo/seg_step4_sia/iter_20.pth'
train_dataloader = dict(dataset=dict(pseudo_label_dirs=[
    'work_dirs/quickstart/demo/seg_step4_s0/pseudo_round2_unreliable',
    'work_dirs/quickstart/demo/seg_step1_s0/pseudo_round1_reliable',
]))
experiment_name = 'demo_seg_step5_sia'
