# The segmentor S on CamVid, CPU-sized: DeepLabV3+ on the ImageNet-pretrained VGG16 (output
# stride 16) at 128x128, supervised on the labelled half of the training set (label_ratio 0.5;
# clean images), 600 iterations of 8 images (about 20 min on 2 cores; 128x128 and 600 iterations
# keep each of the six segmentation phases within 25 min), SGD with the poly schedule. The
# pipeline (configs/fr_inpaint/_base_/pipeline.py) trains every segmentation step of the method
# from this config: S0, S_ia (model.inpainter = the coarse stage), the pseudo-label rounds and
# the retrained students.
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline.py
#   alone (S0 of step 1): python tools/train.py configs/fr_inpaint/camvid/seg_cpu.py
_base_ = ['../_base_/segmentor.py', '../../_base_/datasets/camvid_128.py']
num_classes = 11
model = dict(decode_head=dict(num_classes=num_classes),
             auxiliary_head=dict(num_classes=num_classes))

train_dataloader = dict(batch_size=8, num_workers=2, dataset=dict(label_filter='labelled'))
test_dataloader = dict(num_workers=2)
test_evaluator = [dict(type='SegIoU')]
# No validation while training (CPU time): tools/test.py (the pipeline's test phases) scores
# each step's checkpoint on the clean and on the coarse-inpainted val images.
val_dataloader = val_cfg = val_evaluator = None

max_iters = 600
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=200), logger=dict(interval=20))
experiment_name = 'camvid_seg_cpu'
