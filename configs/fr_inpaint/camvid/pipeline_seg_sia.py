# A study of the inpainting-aware segmentor alone: the coarse stage, then S_ia of step 2 (the
# labelled images, each masked and inpainted by the frozen G_c) under two seeds, tested on the
# clean and on the coarse-inpainted val images, I_inc scored over the whole image, inside the
# holes (what G_c painted in) and on the known pixels apart. It asks whether S_ia's flat I_inc
# mIoU across label ratios (docs/results.md, "Label ratios") comes from the segmentor or from
# G_c's content. Run from the repository root, once per ratio:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_sia.py --label-ratio 0.125
# G_c does not depend on the ratio (it never reads a label): link one run's coarse/ into the
# other ratios' work roots to skip retraining it.
from mmengine.config import Config as _Config

_base_ = ['./pipeline.py']
name = 'camvid_seg_sia'
_kept = ('coarse', 'seg_step2_sia', 'test_seg_step2_sia_i_inc')
_method = _Config.fromfile('configs/fr_inpaint/camvid/pipeline.py').phases
_step2_clean = dict(name='test_seg_step2_sia_clean', test='seg_step2_sia',
                    set={'model.inpaint_on_test': False},
                    report=dict(table='segmentation', row='S_ia (step 2)', prefix='clean '))
phases = [phase for phase in _method if phase['name'] in _kept] + [_step2_clean]
seeds = [0, 1]
seeded_phases = ['seg_step2_sia']
