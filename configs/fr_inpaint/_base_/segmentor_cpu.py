# The segmentor's CPU recipe, for every data set: the method's segmentor (segmentor.py) for 600
# iterations (batch 8 at 128x128: about 20 min on 2 cores; 600 iterations keep each of the six
# segmentation phases within 25 min), SGD with the poly schedule, a checkpoint every 200. A data
# set's seg_cpu.py inherits this and its 128x128 dataset base, and sets the class count and the
# loaders.
_base_ = ['./segmentor.py']
max_iters = 600
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters,
                        by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=200), logger=dict(interval=20))
