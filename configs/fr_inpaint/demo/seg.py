# The segmentor S on the demo scenes, quickstart-sized: seg_tiny.py's narrow DeepLabV3+ supervised
# on the labelled training images (clean) for 40 iterations of 4 images. The pipeline
# (configs/fr_inpaint/demo/pipeline.py) trains every segmentation step of the method from it.
#   python tools/train.py configs/fr_inpaint/demo/seg.py      (S0 of step 1, alone)
_base_ = ['./seg_tiny.py']

train_dataloader = dict(batch_size=4, dataset=dict(label_filter='labelled'))
max_iters = 40
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=max_iters), logger=dict(interval=10))
experiment_name = 'demo_seg'
