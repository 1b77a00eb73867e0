# S sized for a 2-core CPU: DeepLabV3+ on ResNetV1c-18 at a quarter of its widths (16 base
# channels, 1M parameters; about 1.2 s per training iteration of 8 images at 256x256 on 2 cores),
# trained from scratch (no ImageNet weights offline). Dataset configs set num_classes.
_base_ = ['./consistency_segmentor_deeplabv3plus.py']
model = dict(
    backbone=dict(depth=18, base_channels=16, stem_channels=16),
    decode_head=dict(in_channels=128, c1_in_channels=16, channels=64, c1_channels=16),
    auxiliary_head=dict(in_channels=64, channels=32))
