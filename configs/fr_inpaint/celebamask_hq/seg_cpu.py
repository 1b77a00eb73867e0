# The segmentor S on the CelebAMask-HQ faces subset, CPU-sized: the CPU recipe
# (configs/fr_inpaint/_base_/segmentor_cpu.py: the pretrained VGG16 DeepLabV3+, 600 iterations)
# at 128x128, batch 8, 15 merged parsing classes, supervised on the labelled part of the
# training faces (label_ratio 0.5; clean images). The pipeline (celebamask_hq/pipeline_cpu.py)
# trains every segmentation step of the method from this config.
#   alone (S0 of step 1): python tools/train.py configs/fr_inpaint/celebamask_hq/seg_cpu.py
_base_ = ['../_base_/segmentor_cpu.py', '../../_base_/datasets/celebamask_hq_128.py']
num_classes = 15
model = dict(decode_head=dict(num_classes=num_classes),
             auxiliary_head=dict(num_classes=num_classes))

train_dataloader = dict(batch_size=8, num_workers=2, dataset=dict(label_filter='labelled'))
test_dataloader = dict(num_workers=2)
test_evaluator = [dict(type='SegIoU')]
# No validation while training (CPU time): the pipeline's test phases score each step.
val_dataloader = val_cfg = val_evaluator = None
experiment_name = 'celebamask_hq_seg_cpu'
