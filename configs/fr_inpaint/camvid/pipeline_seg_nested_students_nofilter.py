# pipeline_seg_epochs_nested_students.py's no-filter baseline and the phases it reads, nothing
# else: step 1's S0 (it writes round 1's pseudo-labels, every one kept), step 2's S_ia (the
# baseline's teacher) and the baseline, S_ia fine-tuned for two students' budget (1200 iterations
# at 1/2) on every round-1 pseudo-label, neither selected nor recorrected, with their tests. It
# sets the baseline beside that chain's step 5 (docs/results.md, "S_ia's students budgeted as
# their teacher") for a training seed whose chain is not at hand in about 1 h 40 min instead of
# the chain's 2 h 30 min; where the chain ran, `--until test_seg_nofilter_sia_i_inc` of its own
# config adds the baseline to its work root instead. Run from the repository root:
#   python tools/train_pipeline.py \
#       configs/fr_inpaint/camvid/pipeline_seg_nested_students_nofilter.py --label-ratio 0.5
from mmengine.config import Config as _Config

_base_ = ['./pipeline_seg_epochs_nested_students.py']
name = 'camvid_seg_nested_students_nofilter'
_chain = _Config.fromfile('configs/fr_inpaint/camvid/pipeline_seg_epochs_nested_students.py')
_kept = ('coarse', 'seg_step1_s0', 'seg_step2_sia', 'seg_nofilter_sia')
phases = [phase for phase in _chain.phases
          if phase['name'] in _kept or phase.get('test') in _kept]
seeded_phases = [name for name in _chain.seeded_phases if name in _kept]
ratio_budget = dict(_delete_=True, **{name: budget for name, budget in
                                      _chain.ratio_budget.items() if name in _kept})
