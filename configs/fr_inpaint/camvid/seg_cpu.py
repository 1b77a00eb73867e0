# The segmentor S on CamVid, CPU-sized: the CPU recipe (configs/fr_inpaint/_base_/segmentor_cpu.py:
# the pretrained VGG16 DeepLabV3+, 600 iterations) at 128x128, batch 8, supervised on the
# labelled half of the training set (label_ratio 0.5; clean images). The pipeline
# (configs/fr_inpaint/_base_/pipeline.py) trains every segmentation step of the method from this
# config: S0, S_ia (model.inpainter = the coarse stage), the pseudo-label rounds and the
# retrained students.
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline.py
#   alone (S0 of step 1): python tools/train.py configs/fr_inpaint/camvid/seg_cpu.py
_base_ = ['../_base_/segmentor_cpu.py', '../../_base_/datasets/camvid_128.py']
num_classes = 11
model = dict(decode_head=dict(num_classes=num_classes),
             auxiliary_head=dict(num_classes=num_classes))

train_dataloader = dict(batch_size=8, num_workers=2, dataset=dict(label_filter='labelled'))
test_dataloader = dict(num_workers=2)
test_evaluator = [dict(type='SegIoU')]
# No validation while training (CPU time): tools/test.py (the pipeline's test phases) scores
# each step's checkpoint on the clean and on the coarse-inpainted val images.
val_dataloader = val_cfg = val_evaluator = None
experiment_name = 'camvid_seg_cpu'
