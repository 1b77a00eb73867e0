# Step 2 (S_ia) on the demo scenes, seconds-long: seg_tiny.py in inpainting-aware mode. Each
# training image is masked with its batch mask, inpainted by the frozen coarse model, and the
# segmentor learns on the composite; validation segments the composites too (inpaint_on_test).
# Train configs/fr_inpaint/demo/coarse_tiny.py first (paths relative to the working directory).
_base_ = ['./seg_tiny.py']
model = dict(
    inpainter=dict(config='configs/fr_inpaint/demo/coarse_tiny.py',
                   checkpoint='work_dirs/coarse_tiny/iter_4.pth'),
    inpaint_on_test=True)
experiment_name = 'seg_ia_demo_tiny'
