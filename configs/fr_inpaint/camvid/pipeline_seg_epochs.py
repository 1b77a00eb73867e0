# The method's segmentation steps (pipeline.py's five steps and their tests; no refiners) with
# step 2's S_ia budgeted by its labelled images: 1200 iterations of 8 at 1/2 labels, as many
# epochs at other ratios, never under the recipe's 600 (so 600 at 1/8 and 1/4). At the recipe's
# fixed 600 the 1/2 S_ia is short of trained and S_ia's I_inc mIoU is flat across ratios; at an
# equal 1200 it rises, and 1/8 gains nothing from the longer schedule (docs/results.md, "At an
# equal, longer budget"). This asks whether the students of steps 4-5 keep that rise. The
# students keep the CPU recipe's fine-tune budget; the no-filter baseline comes last, so
# `--until test_seg_step5_sia_i_inc` stops before it. Over the 25-min CPU phase budget at 1/2
# (about 40 min for S_ia on 2 cores). Run from the repository root, once per ratio:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_epochs.py \
#       --label-ratio 0.5 --until test_seg_step5_sia_i_inc
# Another seed reseeds the whole segmentation chain, each student beside its own seed's teacher:
# one seed per work root (`--seeds 1 --work-root <another root>`); several seeds in one root
# would train later seeds' students from seed 0's teachers. The split is the same at every seed.
# G_c does not depend on the ratio (it never reads a label): link one run's coarse/ into the
# other ratios' work roots to skip retraining it.
from mmengine.config import Config as _Config

_base_ = ['./pipeline.py']
name = 'camvid_seg_epochs'
ratio_budget = dict(seg_step2_sia=dict(iterations=1200, at_ratio=0.5, minimum=600))
seeds = [0]
_method = _Config.fromfile('configs/fr_inpaint/camvid/pipeline.py').phases
_segmentation = [phase for phase in _method
                 if phase['name'] == 'coarse' or 'seg_' in phase['name']]
_baseline = ('seg_nofilter_sia', 'test_seg_nofilter_sia_i_inc')
phases = ([phase for phase in _segmentation if phase['name'] not in _baseline]
          + [phase for phase in _segmentation if phase['name'] in _baseline])
seeded_phases = [phase['name'] for phase in _segmentation
                 if phase['name'] != 'coarse' and 'test' not in phase]
