# S (and S_ia) with an ImageNet-pretrained backbone, offline: DeepLabV3+ on DeepLab's VGG16
# (fifth stage dilated, output stride 16; the stride-4 128-channel feature for the decoder's
# low-level branch), the weights converted once by tools/prepare_weights.py and loaded through
# init_cfg ('fr_inpaint://vgg16'). The paper extracts its anchors with a pre-trained segmentor;
# CISC-R starts from ImageNet weights. The decoder keeps CISC-R's 256-d fused feature.
# Dataset configs set decode_head/auxiliary_head num_classes.
_base_ = ['./consistency_segmentor_deeplabv3plus.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='PretrainedVGG',
        depth=16,
        dilations=(1, 1, 1, 1, 2),
        out_indices=(1, 3, 4),
        with_last_pool=False,
        init_cfg=dict(type='Pretrained', checkpoint='fr_inpaint://vgg16')),
    decode_head=dict(in_index=2, in_channels=512, channels=256, c1_in_channels=128,
                     c1_channels=48, dilations=(1, 6, 12, 18)),
    auxiliary_head=dict(in_index=1, in_channels=512, channels=128))
