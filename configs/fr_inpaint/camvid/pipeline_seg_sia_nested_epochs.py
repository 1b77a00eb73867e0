# pipeline_seg_sia_nested.py (step 2's S_ia alone on nested splits) with step 2 budgeted by its
# labelled images as in pipeline_seg_epochs_nested.py (1200 iterations at 1/2, 600 at 1/8 and
# 1/4): that chain's step 2 and its tests, nothing else, so the 1/2 column of the split-seed
# study costs one 40-min phase a split seed instead of the 1.5-h chain (docs/results.md,
# "Four split seeds"). Run from the repository root, once per ratio and split seed:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_sia_nested_epochs.py \
#       --label-ratio 0.5 --split-seed 1 --seeds 0
from mmengine.config import Config as _Config

_base_ = ['./pipeline_seg_sia_nested.py']
name = 'camvid_seg_sia_nested_epochs'
ratio_budget = _Config.fromfile('configs/fr_inpaint/camvid/pipeline_seg_epochs.py').ratio_budget
