# The coarse CPU recipe with an exponential moving average of its weights (MMEngine's EMAHook,
# momentum 0.002: an average over roughly the last 500 of the 3000 iterations). Checkpoints hold
# the averaged weights under `state_dict` (the raw ones under `ema_state_dict`, swapped back on
# resume), so the later phases freeze the averaged G_c. Why: averaging just the iteration-2500
# and -3000 checkpoints of coarse_cpu.py by hand scored better than either (docs/results.md).
#   python tools/train.py configs/fr_inpaint/camvid/coarse_cpu_ema.py
_base_ = ['./coarse_cpu.py']
custom_hooks = [
    dict(type='BasicVisualizationHook', interval=1),
    dict(type='EMAHook', momentum=0.002),
]
experiment_name = 'coarse_camvid_cpu_ema'
