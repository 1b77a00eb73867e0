# pipeline_seg_retrain_no_recorrection.py plus a third step 5: the same student on the same
# pseudo-labels with CISC-R's recorrection weights divided by their mean over each pseudo-label
# class of the batch (model.pseudo_label_weighting.normalise='class_mean', not CISC-R). Step 5
# keeps the class re-weighting and the within-class ranking of the weights, the plain step 5
# neither; this one keeps the ranking alone. It keeps the chain's name, so in a work root where
# the chain ran only the new phases run (about 40 min a seed on 2 cores):
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_retrain_class_mean.py \
#       --label-ratio 0.25 --seeds 0 --work-root R
from mmengine.config import Config as _Config

_base_ = ['./pipeline_seg_retrain_no_recorrection.py']
_chain = _Config.fromfile('configs/fr_inpaint/camvid/pipeline_seg_retrain_no_recorrection.py')
_step5 = next(phase for phase in _chain.phases if phase['name'] == 'seg_step5_sia')
_step5_i_inc = next(phase for phase in _chain.phases
                    if phase['name'] == 'test_seg_step5_sia_i_inc')
phases = list(_chain.phases) + [
    dict(_step5, name='seg_step5_sia_class_mean'),
    dict(_step5_i_inc, name='test_seg_step5_sia_class_mean_i_inc',
         test='seg_step5_sia_class_mean',
         report=dict(_step5_i_inc['report'],
                     row='S_ia (step 5, recorrection normalised per class)'))]
seeded_phases = list(_chain.seeded_phases) + ['seg_step5_sia_class_mean']
_weighting = _step5['set']['model.pseudo_label_weighting']
phase_settings = dict(seg_step5_sia_class_mean={
    **_chain.phase_settings['seg_step5_sia'],
    'model.pseudo_label_weighting': dict(_weighting, normalise='class_mean')})
