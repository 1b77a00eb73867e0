# Stage 3 on CelebAMask-HQ at the paper's settings, GPU-sized: the refiner at the paper's widths,
# 256x256, batch 24, guided by S (seg.py) on the coarse stage's (coarse.py) composites; 20000
# iterations (our choice). The pipeline or --cfg-options set the stage checkpoints:
#   python tools/train.py configs/fr_inpaint/celebamask_hq/refine.py --cfg-options \
#       model.coarse.checkpoint=... model.segmentor.checkpoint=...
_base_ = ['../_base_/refiner.py', '../../_base_/datasets/celebamask_hq.py']
num_classes = 15
model = dict(
    coarse=dict(config='configs/fr_inpaint/celebamask_hq/coarse.py'),
    segmentor=dict(config='configs/fr_inpaint/celebamask_hq/seg.py'),
    encdec=dict(num_classes=num_classes),
    palette='CelebAMaskHQDataset')
train_dataloader = dict(batch_size=24, num_workers=8)
val_dataloader = val_cfg = val_evaluator = None
experiment_name = 'celebamask_hq_refine'
