# Not CISC-R's: its protocol whole (pipeline_seg_s0_retrain.py: the step-4 S0 retrained from the
# ImageNet weights, 8 labelled + 8 recorrected pseudo-labelled images per batch) fed by round 1's
# reliable half filled class by class with class shares aligned to the labelled pixels'
# (pipeline_seg_s0_per_class.py's step-1 hooks), so the retrained student also sees the small
# classes CISC-R's own ranking leaves out. One seed per work root; link another run's coarse/:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_s0_retrain_per_class.py \
#       --seeds 0 --work-root R
# (docs/results.md, "CISC-R's protocol whole".)
from mmengine.config import Config as _Config

_base_ = ['./pipeline_seg_s0_retrain.py']
name = 'camvid_seg_s0_retrain_per_class'
phase_settings = dict(seg_step1_s0=_Config.fromfile(
    'configs/fr_inpaint/camvid/pipeline_seg_s0_per_class.py').phase_settings['seg_step1_s0'])
