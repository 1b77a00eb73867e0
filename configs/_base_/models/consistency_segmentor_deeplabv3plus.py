# S (and S_ia): MMSeg's DeepLabV3+ (ResNet-50-V1c, as the CISC-R reference) as a
# ConsistencySegmentor, whose 256-d fused decoder feature (after ReLU) is exposed for the class
# anchors. Dataset configs set decode_head/auxiliary_head num_classes.
#   S0: inpainter=None. S_ia: inpainter=dict(config=<coarse config>, checkpoint=<coarse .pth>).
_base_ = ['mmseg::_base_/models/deeplabv3plus_r50-d8.py']

# BN (not the base's SyncBN): one GPU or CPU; multi-GPU runs add sync_bn='torch' to the config.
norm_cfg = dict(type='BN', requires_grad=True)
# The base leaks a top-level SegDataPreProcessor; keep the top level equal to the model's.
data_preprocessor = dict(
    _scope_='mmseg',
    type='InpaintSegDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    # MMSeg's scope for every nested build (a 'mmseg.' type prefix would not do that).
    _scope_='mmseg',
    type='ConsistencySegmentor',
    data_preprocessor=data_preprocessor,
    # The base's 'open-mmlab://resnet50_v1c' downloads at init; give a local file instead, e.g.
    # init_cfg=dict(type='Pretrained', checkpoint='weights/resnet50_v1c.pth') on the backbone.
    pretrained=None,
    backbone=dict(norm_cfg=norm_cfg),
    # avg_non_ignore: unlabelled (all-255) items do not dilute the labelled pixels' loss.
    decode_head=dict(norm_cfg=norm_cfg, loss_decode=dict(avg_non_ignore=True)),
    auxiliary_head=dict(norm_cfg=norm_cfg, loss_decode=dict(avg_non_ignore=True)),
    # inpainter: absent (None) for S0; a dict for S_ia (a None here could not be overridden by a
    # child's dict).
    # CISC-R's cross-image consistency loss on the labelled items' decoder features, next to
    # the CE (loss = CE + it): prototype-consistent features make the class anchors meaningful.
    consistency_loss_weight=1.0,
    train_masks='batch',
    hole_ratio_range=(0.05, 0.6),
    inpaint_on_test=False)
