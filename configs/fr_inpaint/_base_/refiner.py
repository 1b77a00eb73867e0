# The method's stage 3, for every data set: the residual SPADE refiner G_s + PatchGAN at the
# paper's widths, trained inside FeedbackInpaintor on a frozen coarse stage's composites I_inc,
# guided by a frozen segmentor's predictions on them. A data set's refine config inherits this
# and its dataset base, and names the class count, the stage configs, the budget and the palette
# of the grids' semantic maps (model.palette: its dataset type, whose METAINFO palette is drawn).
_base_ = [
    '../../_base_/models/spade_refiner.py',
    '../../_base_/schedules/iter_tiny.py',
    '../../_base_/default_runtime.py',
]
# The grids: masked input | coarse | semantic map | refined | ground truth.
visualizer = dict(img_keys=['input', 'coarse_img', 'seg_vis', 'pred_img', 'gt_img'])
# The paper-setting budget, GPU-sized (20000 iterations: our choice); CPU recipes set their own.
max_iters = 20000
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=2000), logger=dict(interval=50))
