# A segmentation-only study of the CamVid CPU recipe: S0 of step 1 (+ step 3's round 1, audited)
# and the step-4 S0 student (+ round 2, audited), each tested on the clean val images, under two
# seeds (results.md: mean +- std; the seed-1 student starts from and learns from the seed-0
# teacher, so the spread is that of training); no coarse stage is needed. Run from the
# repository root:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_s0.py
# (about 2 h on 2 cores; --seeds 0 for one seed, about 1 h).
from mmengine.config import Config as _Config

_base_ = ['./pipeline.py']
name = 'camvid_seg_s0'
_kept = ('seg_step1_s0', 'seg_step4_s0', 'test_seg_step1_s0_clean', 'test_seg_step4_s0_clean')
phases = [phase for phase in _Config.fromfile('configs/fr_inpaint/camvid/pipeline.py').phases
          if phase['name'] in _kept]
seeds = [0, 1]
seeded_phases = ['seg_step1_s0', 'seg_step4_s0']
