# A refiner study of the CamVid CPU recipe, sized to one sitting on 2 cores: does the residual
# refiner improve on the coarse stage, and does a semantic guide help it? The coarse stage, the
# refiner without a guide and with the ground-truth labels as its guide (the upper bound), then
# plain S0 of step 1 as the guide (the pseudo-label rounds of step 3 are not written: no later
# phase reads them), each scored against the OpenCV floor and G_c alone. The phases are the
# whole method's (pipeline.py), run in an order that puts the guide-free comparison first:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_refine_study.py --seeds 0
# (about 1 h 40 min on 2 cores with the coarse stage; without --seeds, the refiners also run
# under seeds 1 and 2, about 27 min more per seed).
from mmengine.config import Config as _Config

_base_ = ['./pipeline.py']
name = 'camvid_refine_study'
_order = ('coarse', 'refine_noguide', 'refine_gtguide', 'test_opencv_floor', 'test_coarse',
          'test_refine_noguide', 'test_refine_gtguide', 'seg_step1_s0',
          'test_seg_step1_s0_clean', 'refine_s0', 'test_refine_s0')
_phases = {phase['name']: phase
           for phase in _Config.fromfile('configs/fr_inpaint/camvid/pipeline.py').phases}
phases = [_phases[name] for name in _order]
phases[_order.index('seg_step1_s0')]['set']['custom_hooks'] = []
seeded_phases = ['refine_noguide', 'refine_gtguide', 'refine_s0']
