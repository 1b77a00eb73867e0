# CamVid (SegNet's 11 classes; Unlabelled ignored: unlabelled_as_class=True makes it a 12th
# class), the project's stand-in for Cityscapes. Point data_root at your copy, e.g.
#   ln -s /path/to/camvid data/camvid     (this project's CI: ../shared/data/camvid)
#   ln -s /path/to/nvidia_irregular_masks data/irregular_masks
# Training: train/ (367 images; label_ratio of them keep their labels) with on-the-fly
# irregular masks. Validation/testing: val/ (101 images; the official test split is held out),
# each with one NVIDIA mask per hole-ratio bucket (0,20%], (20,40%], (40,60%].
_base_ = ['./inpaint_seg_common.py']

dataset_type = 'CamVidInpaintDataset'
data_root = 'data/camvid'
label_ratio = 0.5
split_file = 'data/splits/camvid_ratio0.5_seed0.txt'
mask_dir = 'data/irregular_masks'
test_mask_list = 'data/mask_lists/camvid_val_256.txt'

train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, split='train', split_file=split_file,
                 split_ratio=label_ratio))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, split='val', mask_list=test_mask_list,
                 mask_dir=mask_dir))
test_dataloader = val_dataloader
