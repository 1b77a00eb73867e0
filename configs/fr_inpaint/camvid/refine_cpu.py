# Stage 3 on CamVid, CPU-sized: the SPADE refiner G_s (half the paper's widths, as coarse_cpu.py)
# trained inside FeedbackInpaintor for 40 iterations of 4 images on every training image (the
# refiner needs no labels), on the frozen coarse_cpu composites I_inc guided by the frozen S_ia
# of segmentation step 5. The pipeline (pipeline.py) fills in the stage checkpoints and trains
# the ablations from this config: model.guide='none' / 'gt' (segmentor=None), or S0 as guide.
_base_ = [
    '../../_base_/models/spade_refiner.py',
    '../../_base_/datasets/camvid.py',
    '../../_base_/schedules/iter_tiny.py',
    '../../_base_/default_runtime.py',
]
num_classes = 11
model = dict(
    coarse=dict(config='configs/fr_inpaint/camvid/coarse_cpu.py',
                checkpoint='work_dirs/fr_inpaint/camvid_r0.5/coarse/iter_400.pth'),
    segmentor=dict(config='configs/fr_inpaint/camvid/seg_step5_sia.py',
                   checkpoint='work_dirs/fr_inpaint/camvid_r0.5/seg_step5_sia/iter_60.pth'),
    encdec=dict(num_classes=num_classes, channels=(32, 64, 128, 256, 256, 256),
                spade_hidden_channels=64),
    disc=dict(base_channels=32))
# The validation grid: masked input | coarse I_inc | semantic guide | refined I_out | ground truth.
visualizer = dict(img_keys=['input', 'coarse_img', 'seg_vis', 'pred_img', 'gt_img'])
train_dataloader = dict(batch_size=4, num_workers=2)
test_dataloader = dict(num_workers=2)
# No validation while training (CPU time): tools/test.py (the pipeline's test phases) scores it.
val_dataloader = val_cfg = val_evaluator = None
max_iters = 40
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=max_iters), logger=dict(interval=10))
experiment_name = 'camvid_refine_cpu'
