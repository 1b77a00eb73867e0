# Segmentation step 1 (+ the pseudo-labels of step 3) on CamVid, CPU-sized: S0 learns from the
# labelled half of the training set (label_ratio 0.5; clean images), then, as its last act, it
# is the teacher of the first pseudo-label round: anchors from the labelled set, pseudo-labels for
# the unlabelled set, cross-image consistency ranking (METHOD.md §3.3, step 3). Two rounds are
# written from the same predictions, side by side in this work dir:
#   pseudo_round1_reliable/  the most consistent 50% (the method's steps 4-5 read these)
#   pseudo_round1_all/       every pseudo-label, no filter (the no-filter baseline reads these)
# each with scores.csv (ranked distances) and split.json.
# The whole sequence runs with tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline.py;
# alone: python tools/train.py configs/fr_inpaint/camvid/seg_step1_s0.py \
#            --work-dir work_dirs/fr_inpaint/camvid_r0.5/seg_step1_s0
_base_ = [
    '../../_base_/models/consistency_segmentor_deeplabv3plus_r18_narrow.py',
    '../../_base_/datasets/camvid.py',
    '../../_base_/schedules/seg_sgd_poly.py',
    '../../_base_/default_runtime.py',
]
num_classes = 11
model = dict(decode_head=dict(num_classes=num_classes),
             auxiliary_head=dict(num_classes=num_classes))

train_dataloader = dict(batch_size=8, num_workers=2, dataset=dict(label_filter='labelled'))
test_dataloader = dict(num_workers=2)
test_evaluator = [dict(type='SegIoU')]
# No validation while training (CPU time): tools/test.py (the pipeline's test phases) scores
# each step's checkpoint on the clean and on the coarse-inpainted val images.
val_dataloader = val_cfg = val_evaluator = None

max_iters = 200
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=100), logger=dict(interval=20))

# The teacher's view of the training set: whole resized images, no masks, in file order.
pseudo_label_set = dict(
    type={{_base_.dataset_type}},
    data_root={{_base_.data_root}},
    split='train',
    split_file={{_base_.split_file}},
    split_ratio={{_base_.label_ratio}},
    img_size={{_base_.img_size}},
    pipeline={{_base_.pseudo_label_pipeline}},
    test_mode=True)
labelled_loader = dict(batch_size=8, num_workers=2, dataset=dict(pseudo_label_set,
                                                                 label_filter='labelled'))
unlabelled_loader = dict(batch_size=8, num_workers=2, dataset=dict(pseudo_label_set,
                                                                   label_filter='unlabelled'))
round1 = dict(type='CrossImagePseudoLabelHook', labelled_dataloader=labelled_loader,
              unlabelled_dataloader=unlabelled_loader, num_classes=num_classes,
              reliable_ratio=0.5, when='after_train')
custom_hooks = [
    dict(round1, out_dir='pseudo_round1_reliable', keep='reliable'),
    dict(round1, out_dir='pseudo_round1_all', keep='all'),
]
experiment_name = 'camvid_seg_step1_s0'
