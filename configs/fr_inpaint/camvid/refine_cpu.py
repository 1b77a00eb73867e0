# Stage 3 on CamVid, CPU-sized: the SPADE refiner G_s (half the paper's widths, as coarse_cpu.py)
# trained inside FeedbackInpaintor for 40 iterations of 4 images on every training image (the
# refiner needs no labels), on the frozen coarse stage's composites I_inc guided by a frozen
# segmentor's predictions on them. The pipeline (configs/fr_inpaint/camvid/pipeline.py) sets the
# stage checkpoints (S_ia of step 5 for the method) and trains the guide ablations from this
# config; alone, give them: --cfg-options model.coarse.checkpoint=... model.segmentor.checkpoint=...
_base_ = [
    '../../_base_/models/spade_refiner.py',
    '../../_base_/datasets/camvid.py',
    '../../_base_/schedules/iter_tiny.py',
    '../../_base_/default_runtime.py',
]
num_classes = 11
model = dict(
    coarse=dict(config='configs/fr_inpaint/camvid/coarse_cpu.py'),
    segmentor=dict(config='configs/fr_inpaint/camvid/seg_cpu.py'),
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
