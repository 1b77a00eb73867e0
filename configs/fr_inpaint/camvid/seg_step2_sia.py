# Segmentation step 2 on CamVid, CPU-sized: the inpainting-aware S_ia. Each labelled training
# image is masked with its random irregular hole mask, inpainted by the frozen coarse G_c, and
# S_ia learns the original labels on the coarse composite I_inc. Validation segments the
# coarse-inpainted val images (inpaint_on_test). Same network and schedule as step 1.
#   python tools/train.py configs/fr_inpaint/camvid/seg_step2_sia.py \
#       --work-dir work_dirs/fr_inpaint/camvid_r0.5/seg_step2_sia
_base_ = ['./seg_step1_s0.py']
model = dict(
    inpainter=dict(config='configs/fr_inpaint/camvid/coarse_cpu.py',
                   checkpoint='work_dirs/fr_inpaint/camvid_r0.5/coarse/iter_400.pth'),
    inpaint_on_test=True)
custom_hooks = []  # S_ia is never a teacher
experiment_name = 'camvid_seg_step2_sia'
