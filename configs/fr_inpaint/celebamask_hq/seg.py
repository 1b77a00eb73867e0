# The segmentor S on CelebAMask-HQ (the method's 15 merged face-parsing classes; for the paper's
# 29,000/1,000 split of CelebA-HQ set data_root and num_test=1000) at the paper's size
# (256x256), GPU-sized: the method's segmentor (configs/fr_inpaint/_base_/segmentor.py) with a
# batch of 24 and 8000 iterations (our choice: the paper gives no segmentation schedule),
# supervised on the labelled images. The pipeline (pipeline.py beside this) trains every
# segmentation step from it.
#   python tools/train.py configs/fr_inpaint/celebamask_hq/seg.py
_base_ = ['../_base_/segmentor.py', '../../_base_/datasets/celebamask_hq.py']
num_classes = 15
model = dict(decode_head=dict(num_classes=num_classes),
             auxiliary_head=dict(num_classes=num_classes))
train_dataloader = dict(batch_size=24, num_workers=8, dataset=dict(label_filter='labelled'))
test_evaluator = [dict(type='SegIoU')]
# No validation while training: the pipeline's test phases score every step's checkpoint.
val_dataloader = val_cfg = val_evaluator = None
experiment_name = 'celebamask_hq_seg'
