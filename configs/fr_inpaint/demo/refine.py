# Stage 3 on the demo scenes, quickstart-sized: the method's residual refiner
# (configs/fr_inpaint/_base_/refiner.py) at 64x64 and half the paper's widths, style weight 25 as
# the CamVid CPU recipe (camvid/refine_cpu.py says why), 80 iterations of 4 images on the frozen
# coarse stage's composites (demo/coarse.py), guided by a frozen segmentor's predictions on them
# (demo/seg.py). The pipeline (demo/pipeline.py) sets the stage checkpoints (S_ia of step 5 for
# the method) and runs the guide ablations from this one config. Checkpoints hold all three
# stages (a self-contained pipeline checkpoint for tools/inpaint.py).
_base_ = ['../_base_/refiner.py', '../../_base_/datasets/demo_scenes_64.py']

num_classes = 6  # DemoScenesDataset
model = dict(
    coarse=dict(config='configs/fr_inpaint/demo/coarse.py'),
    segmentor=dict(config='configs/fr_inpaint/demo/seg.py'),
    encdec=dict(num_classes=num_classes, channels=(32, 64, 128, 256, 256, 256),
                spade_hidden_channels=64),
    disc=dict(base_channels=32),
    loss_vgg=dict(style_weight=25.),
    palette='DemoScenesDataset')
train_dataloader = dict(batch_size=4)
max_iters = 80
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=max_iters), logger=dict(interval=20))
experiment_name = 'refine_demo'
