# Segmentation step 2 on the demo scenes: the inpainting-aware S_ia, as
# configs/fr_inpaint/camvid/seg_step2_sia.py: each labelled training image is masked, inpainted
# by the frozen coarse G_c (demo/coarse.py; the pipeline points at its checkpoint) and S_ia
# learns the original labels on the composite I_inc. Same network and schedule as step 1.
_base_ = ['./seg_step1_s0.py']
model = dict(
    inpainter=dict(config='configs/fr_inpaint/demo/coarse.py',
                   checkpoint='work_dirs/quickstart/demo/coarse/iter_40.pth'),
    inpaint_on_test=True)
custom_hooks = []  # S_ia is never a teacher
experiment_name = 'demo_seg_step2_sia'
