# CelebAMask-HQ with the method's 15 merged parsing classes. Layout of the 1k subset in
# ../shared/data/celebamask_1k: img/*.jpg + label/*.png (+ unlabeled/*.jpg without labels).
# Point data_root at your copy, e.g. ln -s <...>/celebamask_1k data/celebamask_1k, and the
# NVIDIA masks at data/irregular_masks. There is no test folder: num_test labelled images are
# held out (seeded); the paper holds out 1,000 of CelebA-HQ's 30,000 (set num_test=1000).
# Training: the rest plus unlabeled/, label_ratio of them labelled, on-the-fly irregular masks.
# Validation/testing: the held-out images, one NVIDIA mask per hole-ratio bucket each.
_base_ = ['./inpaint_seg_common.py']

dataset_type = 'CelebAMaskHQDataset'
data_root = 'data/celebamask_1k'
num_test = 100
label_ratio = 0.5
split_file = 'data/splits/celebamask_1k_ratio0.5_seed0.txt'
mask_dir = 'data/irregular_masks'
test_mask_list = 'data/mask_lists/celebamask_1k_test_256.txt'

train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, split='train', num_test=num_test,
                 split_file=split_file, split_ratio=label_ratio))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, split='test', num_test=num_test,
                 mask_list=test_mask_list, mask_dir=mask_dir))
test_dataloader = val_dataloader
