# Stage 3 on CamVid at the paper's settings, GPU-sized: the SPADE refiner at the paper's widths
# (the model base's), 256x256, batch 24, guided by S (seg.py) on the coarse stage's (coarse.py)
# composites; 20000 iterations (our choice). The pipeline or --cfg-options set the stage
# checkpoints: model.coarse.checkpoint=... model.segmentor.checkpoint=...
#   python tools/train.py configs/fr_inpaint/camvid/refine.py --cfg-options ...
_base_ = ['../_base_/refiner.py', '../../_base_/datasets/camvid.py']
num_classes = 11
model = dict(
    coarse=dict(config='configs/fr_inpaint/camvid/coarse.py'),
    segmentor=dict(config='configs/fr_inpaint/camvid/seg.py'),
    encdec=dict(num_classes=num_classes),
    palette='CamVidInpaintDataset')
train_dataloader = dict(batch_size=24, num_workers=8)
train_cfg = dict(val_interval=2000)
experiment_name = 'camvid_refine'
