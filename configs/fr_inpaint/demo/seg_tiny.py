# Step 1 (S0) on the embedded demo scenes, seconds-long: a narrow DeepLabV3+ (ResNetV1c-18,
# 8 base channels) trained on the clean labelled images (unlabelled ones carry no loss), mIoU on
# the clean val images. Tests and smoke runs:
#   python tools/train.py configs/fr_inpaint/demo/seg_tiny.py
_base_ = [
    '../../_base_/models/consistency_segmentor_deeplabv3plus.py',
    '../../_base_/datasets/demo_scenes.py',
    '../../_base_/schedules/iter_tiny.py',
    '../../_base_/default_runtime.py',
]
# Until the package __init__ imports them, name the segmentor and metric modules explicitly.
custom_imports = dict(
    imports=['fr_inpaint_plugin', 'fr_inpaint_plugin.models.segmentors',
             'fr_inpaint_plugin.evaluation.seg_iou'],
    allow_failed_imports=False)

num_classes = 6  # DemoScenesDataset
model = dict(
    backbone=dict(depth=18, base_channels=8, stem_channels=8),
    decode_head=dict(in_channels=64, c1_in_channels=8, channels=16, c1_channels=8,
                     dilations=(1, 2, 3, 4), num_classes=num_classes),
    auxiliary_head=dict(in_channels=32, channels=8, num_classes=num_classes))

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4))
train_dataloader = dict(batch_size=2)
train_cfg = dict(max_iters=4, val_interval=2)
val_evaluator = [dict(type='SegIoU')]
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
# The runtime's image visualisation hook draws inpainting outputs; segmentors have none.
custom_hooks = []
experiment_name = 'seg_demo_tiny'
