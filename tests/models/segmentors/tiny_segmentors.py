"""Tiny segmentor configs for these tests (64x64 inputs, a few thousand parameters)."""
import copy

NUM_CLASSES = 6  # the demo scenes' classes
TINY_SIZE = 64
BN = dict(type='BN', requires_grad=True)
SEG_PREPROCESSOR = dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                        std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0, seg_pad_val=255)
# ResNetV1c-18, 8 base channels: stages give 8, 16, 32, 64 channels.
TINY_RESNET = dict(type='ResNetV1c', depth=18, base_channels=8, stem_channels=8, num_stages=4,
                   out_indices=(0, 1, 2, 3), dilations=(1, 1, 2, 4), strides=(1, 2, 1, 1),
                   norm_cfg=BN, contract_dilation=True)
CE = dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0, avg_non_ignore=True)

# Overrides that shrink mmseg::_base_/models/deeplabv3plus_r50-d8.py.
DEEPLABV3PLUS_TINY = dict(
    type='ConsistencySegmentor',
    _scope_='mmseg',
    pretrained=None,
    data_preprocessor=SEG_PREPROCESSOR,
    backbone=dict(depth=18, base_channels=8, stem_channels=8, norm_cfg=BN),
    decode_head=dict(in_channels=64, c1_in_channels=8, channels=16, c1_channels=8,
                     dilations=(1, 2, 3, 4), num_classes=NUM_CLASSES, norm_cfg=BN,
                     loss_decode=CE),
    auxiliary_head=dict(in_channels=32, channels=8, num_classes=NUM_CLASSES, norm_cfg=BN,
                        loss_decode=dict(CE, loss_weight=0.4)))


def fcn_cfg(**kwargs) -> dict:
    """A complete tiny FCN ConsistencySegmentor config (no base file)."""
    cfg = dict(
        _scope_='mmseg',
        type='ConsistencySegmentor',
        data_preprocessor=copy.deepcopy(SEG_PREPROCESSOR),
        backbone=copy.deepcopy(TINY_RESNET),
        decode_head=dict(type='FCNHead', in_channels=64, in_index=3, channels=16, num_convs=1,
                         concat_input=True, dropout_ratio=0.1, num_classes=NUM_CLASSES,
                         norm_cfg=BN, align_corners=False, loss_decode=copy.deepcopy(CE)),
        train_cfg=dict(),
        test_cfg=dict(mode='whole'))
    cfg.update(kwargs)
    return cfg
