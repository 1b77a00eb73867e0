# What every inpainting + segmentation dataset base shares: the aligned pipelines, the
# dataloader layout and the method's evaluation protocol. Dataset bases inherit this and fill in
# the dataset (type, data_root, split, split/mask files).
# Override per dataloader with --cfg-options (e.g. train_dataloader.dataset.data_root=...,
# val_dataloader.dataset.img_size=64): data_root, img_size (the working resolution, read by
# every resize/crop/mask step), split_file + split_ratio (label-ratio experiments; made on first
# use, then fixed), mask_list + mask_dir (test pairing; built on first use from mask_dir).
# split_file, mask_list and mask_dir are relative to the working directory, not to data_root,
# so the data itself can stay read-only.
img_size = (256, 256)

# Whole frames resized to img_size (the paper's 256x256 images; the aspect ratio is not kept).
# To crop instead: AlignedResize(keep_ratio=True) + AlignedCrop(random=True, or False to test).
# LoadPseudoLabel gives unlabelled items the pseudo-labels of the dataset's pseudo_label_dirs
# (segmentation steps 4-5); without them it does nothing, and so does PseudoLabelStrongAugment,
# which shows the students a harder view of each pseudo-labelled image than their teacher saw
# (colour jitter, grayscale, blur, cutout: CISC-R/ST++).
train_pipeline = [
    dict(type='LoadCheckedImage', key='gt', channel_order='rgb'),
    dict(type='LoadSemanticLabel'),
    dict(type='LoadPseudoLabel'),
    dict(type='AlignedResize'),
    dict(type='AlignedFlip', prob=0.5),
    dict(type='PseudoLabelStrongAugment'),
    dict(type='GenerateIrregularMask', hole_ratio_range=(0.05, 0.6)),
    dict(type='GetMaskedImage'),
    dict(type='PackInputs', keys='img', data_keys='gt_seg_map',
         meta_keys=['seg_map_path', 'mask_path', 'labelled', 'hole_ratio', 'mask_bucket',
                    'vis_name']),
]
# What CrossImagePseudoLabelHook reads: whole resized images, their labels, and the keys it
# needs to name the pseudo-label files and write them at the image file's size.
pseudo_label_pipeline = [
    dict(type='LoadCheckedImage', key='gt', channel_order='rgb'),
    dict(type='LoadSemanticLabel'),
    dict(type='AlignedResize'),
    dict(type='PackInputs', data_keys='gt_seg_map',
         meta_keys=['img_key', 'labelled', 'ori_gt_shape']),
]
test_pipeline = [
    dict(type='LoadCheckedImage', key='gt', channel_order='rgb'),
    dict(type='LoadSemanticLabel'),
    dict(type='AlignedResize'),
    dict(type='LoadMaskFromList'),
    dict(type='GetMaskedImage'),
    dict(type='PackInputs', keys='img', data_keys='gt_seg_map',
         meta_keys=['seg_map_path', 'mask_path', 'labelled', 'hole_ratio', 'mask_bucket',
                    'vis_name']),
]

train_dataloader = dict(
    batch_size=24,
    num_workers=8,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(img_size=img_size, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(img_size=img_size, pipeline=test_pipeline, test_mode=True))
test_dataloader = val_dataloader

# The method's protocol: PSNR/SSIM/LPIPS (AlexNet) of the composited output per hole-ratio
# bucket (0,20%], (20,40%], (40,60%] and over all images.
val_evaluator = [
    dict(type='MaskRatioPSNR'), dict(type='MaskRatioSSIM'), dict(type='LPIPS', net='alex')]
test_evaluator = val_evaluator
