# Cityscapes with the method's 20 classes (19 train ids + void), read from the official
# labelIds. Standard layout under data_root: leftImg8bit/{train,val,test}/<city>/*_leftImg8bit.png
# and gtFine/{train,val}/<city>/*_gtFine_labelIds.png; e.g. ln -s <...>/cityscapes data/cityscapes
# and the NVIDIA masks at data/irregular_masks.
# Training: train (2,975 labelled images) + the 1,525 test-split images (unlabelled); a
# label_ratio of these 4,500 keep their labels; on-the-fly irregular masks.
# Validation/testing: val (500), one NVIDIA mask per hole-ratio bucket each.
_base_ = ['./inpaint_seg_common.py']

dataset_type = 'CityscapesInpaintDataset'
data_root = 'data/cityscapes'
label_ratio = 0.5
split_file = 'data/splits/cityscapes_ratio0.5_seed0.txt'
mask_dir = 'data/irregular_masks'
test_mask_list = 'data/mask_lists/cityscapes_val_256.txt'

train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, split='train', split_file=split_file,
                 split_ratio=label_ratio))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, split='val', mask_list=test_mask_list,
                 mask_dir=mask_dir))
test_dataloader = val_dataloader
