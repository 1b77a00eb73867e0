# Not CISC-R's: pipeline_seg_s0.py with round 1's reliable half filled class by class and its
# pseudo-labels' class shares aligned to the labelled pixels', so the step-4 S0 sees the small
# classes CISC-R's summed distance and the teacher's argmax leave out (docs/results.md, "Which
# pseudo-labels reach the student"). Run from the repository root, in its own work root:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_s0_per_class.py --seeds 0
from mmengine.config import Config as _Config

_base_ = ['./pipeline_seg_s0.py']
name = 'camvid_seg_s0_per_class'
# The step-1 phase's round-1 hooks with the two switches (a dotted key cannot reach into the
# hook list, so the list is set whole).
_step1 = next(phase for phase in _Config.fromfile('configs/fr_inpaint/camvid/pipeline.py').phases
              if phase['name'] == 'seg_step1_s0')
_round1_hooks = [dict(hook, selection='per_class', align_class_distribution='labels')
                 for hook in _step1['set']['custom_hooks']]
phase_settings = dict(seg_step1_s0={'custom_hooks': _round1_hooks})
