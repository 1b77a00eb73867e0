# The embedded procedural demo scenes (tools/make_demo_data.py writes them to data/demo).
# Images are read as RGB; training masks are MMagic's on-the-fly irregular masks.
dataset_type = 'BasicImageDataset'
data_root = 'data/demo'
input_shape = (256, 256)

train_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='LoadMask', mask_mode='irregular',
         mask_config=dict(num_vertices=(4, 10), max_angle=6.0, length_range=(20, 128),
                          brush_width=(10, 45), area_ratio_range=(0.05, 0.6),
                          img_shape=input_shape)),
    dict(type='Resize', keys=['gt'], scale=input_shape, keep_ratio=False),
    dict(type='Flip', keys=['gt', 'mask'], flip_ratio=0.5, direction='horizontal'),
    dict(type='GetMaskedImage'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='LoadMask', mask_mode='irregular',
         mask_config=dict(num_vertices=(4, 10), max_angle=6.0, length_range=(20, 128),
                          brush_width=(10, 45), area_ratio_range=(0.05, 0.6),
                          img_shape=input_shape)),
    dict(type='Resize', keys=['gt'], scale=input_shape, keep_ratio=False),
    dict(type='GetMaskedImage'),
    dict(type='PackInputs'),
]

train_dataloader = dict(
    batch_size=4,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, data_prefix=dict(gt='train/img'),
                 pipeline=train_pipeline, test_mode=False))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, data_prefix=dict(gt='val/img'),
                 pipeline=test_pipeline, test_mode=True))
test_dataloader = val_dataloader

val_evaluator = [dict(type='PSNR'), dict(type='SSIM')]
test_evaluator = val_evaluator
