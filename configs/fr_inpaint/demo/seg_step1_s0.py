# Segmentation step 1 (+ the pseudo-labels of step 3) on the demo scenes, quickstart-sized: the
# demo twin of configs/fr_inpaint/camvid/seg_step1_s0.py on seg_tiny.py's narrow network. S0
# learns from the labelled training images (clean), then, as its last act, is the teacher of the
# first pseudo-label round over the unlabelled ones (METHOD.md §3.3, step 3), written twice from
# the same predictions into this work dir:
#   pseudo_round1_reliable/  the most consistent 50% (steps 4-5 read these)
#   pseudo_round1_all/       every pseudo-label, no filter (the no-filter baseline reads these)
# each with scores.csv and split.json. Run the sequence with
#   python tools/train_pipeline.py configs/fr_inpaint/demo/pipeline.py
_base_ = ['./seg_tiny.py']

train_dataloader = dict(batch_size=4, dataset=dict(label_filter='labelled'))
max_iters = 40
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=max_iters), logger=dict(interval=10))

# The teacher's view of the training set: whole resized images, no masks, in file order.
pseudo_label_set = dict(
    type={{_base_.dataset_type}},
    data_root={{_base_.data_root}},
    split='train',
    img_size={{_base_.img_size}},
    pipeline={{_base_.pseudo_label_pipeline}},
    test_mode=True)
labelled_loader = dict(batch_size=4, num_workers=2, dataset=dict(pseudo_label_set,
                                                                 label_filter='labelled'))
unlabelled_loader = dict(batch_size=4, num_workers=2, dataset=dict(pseudo_label_set,
                                                                   label_filter='unlabelled'))
round1 = dict(type='CrossImagePseudoLabelHook', labelled_dataloader=labelled_loader,
              unlabelled_dataloader=unlabelled_loader, num_classes={{_base_.num_classes}},
              reliable_ratio=0.5, when='after_train')
custom_hooks = [
    dict(round1, out_dir='pseudo_round1_reliable', keep='reliable'),
    dict(round1, out_dir='pseudo_round1_all', keep='all'),
]
experiment_name = 'demo_seg_step1_s0'
