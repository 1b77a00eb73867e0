# CelebAMask-HQ (the 1k subset by default) at 128x128: the working size of the CPU recipes (a
# quarter of the paper's pixels; every table of these recipes says so), the same held-out test
# faces as the 256x256 floor tables, the test pairing measured at this size (its own list).
_base_ = ['./celebamask_hq.py']
img_size = (128, 128)
test_mask_list = 'data/mask_lists/celebamask_1k_test_128.txt'
train_dataloader = dict(dataset=dict(img_size=img_size))
val_dataloader = dict(dataset=dict(img_size=img_size, mask_list=test_mask_list))
test_dataloader = val_dataloader
