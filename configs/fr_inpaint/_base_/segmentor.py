# The method's segmentor S, for every data set: DeepLabV3+ on the ImageNet-pretrained VGG16
# (offline weights, output stride 16) with CISC-R's cross-image consistency loss, SGD with the
# poly schedule, the pretrained backbone at lr 0.005 and the fresh decoder and auxiliary head at
# 10x (as CISC-R and ST++, whose training code it builds on, do; with one lr of 0.01 for all, S0
# reached 41.20 clean mIoU on CamVid, 600 iterations, commit 5c39d9b). A data set's seg config
# inherits this and its dataset base, and sets the class count, the loaders and the budget.
_base_ = [
    '../../_base_/models/consistency_segmentor_deeplabv3plus_vgg16.py',
    '../../_base_/schedules/seg_sgd_poly.py',
    '../../_base_/default_runtime.py',
]
optim_wrapper = dict(
    optimizer=dict(lr=0.005),
    paramwise_cfg=dict(custom_keys={'decode_head': dict(lr_mult=10.),
                                    'auxiliary_head': dict(lr_mult=10.)}))
# The runtime's image visualisation hook draws inpainting outputs; segmentors have none.
custom_hooks = []
