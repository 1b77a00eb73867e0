# The method's whole segmentation chain (pipeline.py's steps 1-5 and the no-filter baseline, no
# refiners) under the protocol that lifted the step-4 S0 above its teacher
# (pipeline_seg_s0_retrain_per_class.py, docs/results.md "CISC-R's protocol whole"), carried into
# S_ia: every student (steps 4 and 5, the baseline) retrained from the ImageNet weights on its
# teacher's schedule with CISC-R's batches (8 labelled + 8 pseudo-labelled images, the two CE
# means added), and both pseudo-label rounds written with the two opt-in switches (round 1's
# reliable half filled class by class, every round's class shares aligned to the labelled
# pixels'). The baseline gets the same batches from round 1's unfiltered, aligned pseudo-labels,
# without recorrection, so step 5 against it is what the consistency filter adds.
# Each test runs right after the phase it scores (an interrupted chain keeps its finished rows).
# About 3 h a seed on 2 cores (G_c linked from another run; by its phases' times in the S0 study
# and step 2's at 1.5 s an iteration): one seed per work root, each student
# beside its own seed's teachers (see pipeline_seg_epochs.py):
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_retrain_per_class.py \
#       --seeds 0 --work-root R
from mmengine.config import Config as _Config

_base_ = ['./pipeline.py']
name = 'camvid_seg_retrain_per_class'
student_finetune = None
seeds = [0]
_method = _Config.fromfile('configs/fr_inpaint/camvid/pipeline.py').phases
_train = [phase for phase in _method if phase['name'] == 'coarse'
          or (phase['name'].startswith('seg_') and 'test' not in phase)]
phases = [tested for phase in _train
          for tested in [phase] + [test for test in _method if test.get('test') == phase['name']
                                   and test['name'].startswith('test_seg_')]]
seeded_phases = [phase['name'] for phase in _train if phase['name'] != 'coarse']

_switches = dict(selection='per_class', align_class_distribution='labels')
# CISC-R's batches as pipeline_seg_s0_retrain.py gives its step-4 S0 (taken, not copied; its
# custom_hooks=[] drops round 2, which this chain keeps).
_cisc_r_batches = {key: value for key, value in _Config.fromfile(
    'configs/fr_inpaint/camvid/pipeline_seg_s0_retrain.py').phase_settings['seg_step4_s0'].items()
    if key != 'custom_hooks'}


def _rounds_with_switches(phase_name):
    """The phase's hooks, its pseudo-label rounds given the two switches (a dotted key cannot
    reach into the hook list, so the list is set whole)."""
    phase = next(phase for phase in _method if phase['name'] == phase_name)
    return {'custom_hooks': [dict(hook, **_switches)
                             if hook['type'] == 'CrossImagePseudoLabelHook' else hook
                             for hook in phase['set']['custom_hooks']]}


phase_settings = dict(
    seg_step1_s0=_rounds_with_switches('seg_step1_s0'),
    seg_step4_s0={**_cisc_r_batches, **_rounds_with_switches('seg_step4_s0')},
    seg_step4_sia=_cisc_r_batches,
    seg_step5_sia=_cisc_r_batches,
    seg_nofilter_sia=_cisc_r_batches)
