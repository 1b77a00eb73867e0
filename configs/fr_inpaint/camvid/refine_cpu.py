# Stage 3 on CamVid, CPU-sized, the refiner of the paper-form pipeline (pipeline.py): the CPU
# recipe of refine_cpu_pyramid.py as it was before the warm start, over the paper-form G_c
# (coarse_cpu.py): a fresh G_s (the paper's), the paper's reconstruction weights (1), the style
# term at 25 instead of the paper's 250 (at 250 it dominates the generator loss, about 1.5
# against an L1 of 0.06, and the refiner drifts below G_c within 240 iterations) and 160
# iterations without an EMA. Figures: docs/results.md.
#   --cfg-options model.coarse.checkpoint=... model.segmentor.checkpoint=...
_base_ = ['./refine_cpu_pyramid.py']
model = dict(
    coarse=dict(config='configs/fr_inpaint/camvid/coarse_cpu.py'),
    warm_start=(),
    loss_l1=dict(loss_weight=1.),
    loss_pyramid=dict(loss_weight=1.),
    loss_vgg=dict(style_weight=25.))
max_iters = 160
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=80))
custom_hooks = [dict(type='BasicVisualizationHook', interval=1)]
experiment_name = 'camvid_refine_cpu'
