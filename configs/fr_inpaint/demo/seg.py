# The segmentor S on the demo scenes, quickstart-sized: the method's segmentor (DeepLabV3+ on the
# ImageNet-pretrained VGG16, configs/fr_inpaint/_base_/segmentor.py) at 64x64, supervised on the
# labelled training images (clean), 100 iterations of 8 images. The pipeline
# (configs/fr_inpaint/demo/pipeline.py) trains every segmentation step of the method from it.
#   python tools/train.py configs/fr_inpaint/demo/seg.py      (S0 of step 1, alone)
_base_ = ['../_base_/segmentor.py', '../../_base_/datasets/demo_scenes_64.py']
num_classes = 6  # DemoScenesDataset
model = dict(decode_head=dict(num_classes=num_classes),
             auxiliary_head=dict(num_classes=num_classes))

train_dataloader = dict(batch_size=8, dataset=dict(label_filter='labelled'))
val_evaluator = [dict(type='SegIoU')]
test_evaluator = val_evaluator
max_iters = 100
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=max_iters), logger=dict(interval=20))
experiment_name = 'demo_seg'
