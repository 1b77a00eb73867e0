# Stage 3 on the CelebAMask-HQ faces subset, CPU-sized: the CPU recipe
# (configs/fr_inpaint/_base_/refiner_cpu.py: half widths, G_s warm-started from G_c, L1 10, no
# style term, 320 iterations with an EMA) at 128x128, batch 8, on every training face, on the
# frozen coarse stage's composites I_inc guided by a frozen segmentor's parsing maps of them.
# The pipeline (celebamask_hq/pipeline_cpu.py) sets the stage checkpoints and trains the guide
# ablations from this config; alone, give them:
#   --cfg-options model.coarse.checkpoint=... model.segmentor.checkpoint=...
_base_ = ['../_base_/refiner_cpu.py', '../../_base_/datasets/celebamask_hq_128.py']
num_classes = 15
model = dict(
    coarse=dict(config='configs/fr_inpaint/celebamask_hq/coarse_cpu.py'),
    segmentor=dict(config='configs/fr_inpaint/celebamask_hq/seg_cpu.py'),
    encdec=dict(num_classes=num_classes),
    palette='CelebAMaskHQDataset')
train_dataloader = dict(batch_size=8, num_workers=2)
test_dataloader = dict(num_workers=2)
# No validation while training (CPU time): the pipeline's test phases score it.
val_dataloader = val_cfg = val_evaluator = None
experiment_name = 'celebamask_hq_refine_cpu'
