# MMagic's own DeepFillv2 (model-zoo config) judged by this plugin's CamVid buckets and
# evaluator: any MMagic inpaintor evaluates the same way. Offline there are no zoo weights, so
#   python tools/test.py configs/baselines/mmagic_deepfillv2_camvid.py --out results.json
# scores a random init; pass a DeepFillv2 checkpoint as the second argument for real numbers.
_base_ = [
    'mmagic::_base_/models/base_deepfillv2.py',
    '../_base_/datasets/camvid.py',
    '../_base_/default_runtime.py',
]
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
