# The embedded procedural demo scenes (python tools/make_demo_data.py writes them to data/demo).
# Training: every training image (labelled or not) with on-the-fly irregular masks; validation
# and testing: each val image with one fixed mask per hole-ratio bucket (0,20%], (20,40%],
# (40,60%] from the demo's own masks (fixed_masks=True: the list is built on first use, in
# data_root). Overridable per dataloader (e.g. --cfg-options train_dataloader.dataset.img_size=64):
#   data_root, img_size (the working resolution, read by every resize/crop/mask step),
#   split_file + split_ratio (label-ratio experiments; relative to the working directory).
_base_ = ['./inpaint_seg_common.py']

dataset_type = 'DemoScenesDataset'
data_root = 'data/demo'

train_dataloader = dict(
    batch_size=4,
    num_workers=2,
    dataset=dict(type=dataset_type, data_root=data_root, split='train'))
val_dataloader = dict(
    num_workers=2,
    dataset=dict(type=dataset_type, data_root=data_root, split='val', fixed_masks=True))
test_dataloader = val_dataloader
