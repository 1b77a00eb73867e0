# pipeline_seg_retrain_per_class.py plus one ablation of step 5: the same student trained on the
# same pseudo-labels (round 2 of round 1's unreliable half, then round 1's reliable half) with
# plain CE, without CISC-R's pixel-level recorrection. Beside step 5 it isolates what the
# recorrection weights do; beside the no-filter S_ia, what the choice of pseudo-labels does.
# It keeps the chain's name, so in a work root where the chain ran only the two new phases run
# (about 40 min a seed on 2 cores):
#   python tools/train_pipeline.py \
#       configs/fr_inpaint/camvid/pipeline_seg_retrain_no_recorrection.py \
#       --label-ratio 0.25 --seeds 1 --work-root R
from mmengine.config import Config as _Config

_base_ = ['./pipeline_seg_retrain_per_class.py']
_chain = _Config.fromfile('configs/fr_inpaint/camvid/pipeline_seg_retrain_per_class.py')
_step5 = next(phase for phase in _chain.phases if phase['name'] == 'seg_step5_sia')
_step5_i_inc = next(phase for phase in _chain.phases
                    if phase['name'] == 'test_seg_step5_sia_i_inc')
phases = list(_chain.phases) + [
    dict(_step5, name='seg_step5_sia_plain'),
    dict(_step5_i_inc, name='test_seg_step5_sia_plain_i_inc', test='seg_step5_sia_plain',
         report=dict(_step5_i_inc['report'], row='S_ia (step 5 without recorrection)'))]
seeded_phases = list(_chain.seeded_phases) + ['seg_step5_sia_plain']
phase_settings = dict(seg_step5_sia_plain={**_chain.phase_settings['seg_step5_sia'],
                                           'model.pseudo_label_weighting': None})
