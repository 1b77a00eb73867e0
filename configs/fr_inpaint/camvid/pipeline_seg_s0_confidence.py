# A control for the pseudo-label filter, not the method: pipeline_seg_s0.py with round 1 ranked
# by the teacher's mean softmax confidence instead of CISC-R's consistency distance, so the
# step-4 S0 learns from the confidence ranking's reliable half (docs/results.md, "Ranking
# variants and controls"). Run from the repository root, in its own work root:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_s0_confidence.py --seeds 0
from mmengine.config import Config as _Config

_base_ = ['./pipeline_seg_s0.py']
name = 'camvid_seg_s0_confidence'
# The step-1 phase's round-1 hooks with the ranking switched (a dotted key cannot reach into
# the hook list, so the list is set whole).
_step1 = next(phase for phase in _Config.fromfile('configs/fr_inpaint/camvid/pipeline.py').phases
              if phase['name'] == 'seg_step1_s0')
_round1_hooks = [dict(hook, ranking='confidence') for hook in _step1['set']['custom_hooks']]
phase_settings = dict(seg_step1_s0={'custom_hooks': _round1_hooks})
