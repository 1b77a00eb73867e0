# Stage 3 on CamVid, CPU-sized: the CPU recipe (configs/fr_inpaint/_base_/refiner_cpu.py: half
# widths, G_s warm-started from G_c, L1 10, no style term, 320 iterations with an EMA) at
# 128x128, batch 8, on every training image (the refiner needs no labels), on the frozen
# smooth-fill coarse stage's composites I_inc (coarse_cpu_pyramid.py) guided by a frozen
# segmentor's predictions on them. The pipeline (pipeline_pyramid.py) sets the stage checkpoints
# (S_ia of step 5 for the method) and trains the guide ablations from this config; alone, give
# them:
#   --cfg-options model.coarse.checkpoint=... model.segmentor.checkpoint=...
_base_ = ['../_base_/refiner_cpu.py', '../../_base_/datasets/camvid_128.py']
num_classes = 11
model = dict(
    coarse=dict(config='configs/fr_inpaint/camvid/coarse_cpu_pyramid.py'),
    segmentor=dict(config='configs/fr_inpaint/camvid/seg_cpu.py'),
    encdec=dict(num_classes=num_classes),
    palette='CamVidInpaintDataset')
train_dataloader = dict(batch_size=8, num_workers=2)
test_dataloader = dict(num_workers=2)
# No validation while training (CPU time): tools/test.py (the pipeline's test phases) scores it.
val_dataloader = val_cfg = val_evaluator = None
experiment_name = 'camvid_refine_cpu_pyramid'
