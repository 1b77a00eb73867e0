# The segmentor S on CamVid at the paper's working size (256x256), GPU-sized: seg_cpu.py's
# model and optimiser (DeepLabV3+ on the ImageNet-pretrained VGG16, lr 0.005 with the heads at
# 10x) with a batch of 24 and 8000 iterations (our choice: the paper gives no segmentation
# schedule; about 520 epochs of CamVid's 367 images at 1/2 labels).
#   python tools/train.py configs/fr_inpaint/camvid/seg.py
_base_ = ['./seg_cpu.py']
img_size = (256, 256)
test_mask_list = 'data/mask_lists/camvid_val_256.txt'
train_dataloader = dict(batch_size=24, num_workers=8, dataset=dict(img_size=img_size))
test_dataloader = dict(num_workers=4, dataset=dict(img_size=img_size, mask_list=test_mask_list))
max_iters = 8000
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=1000), logger=dict(interval=50))
experiment_name = 'camvid_seg'
