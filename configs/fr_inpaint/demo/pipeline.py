# The whole method on the embedded demo scenes (python tools/make_demo_data.py), quickstart-sized,
# one command (the method's phases: configs/fr_inpaint/_base_/pipeline.py):
#   python tools/train_pipeline.py configs/fr_inpaint/demo/pipeline.py \
#       --work-root work_dirs/quickstart/demo
# The demo's labelled/unlabelled split is fixed by the data (train/unlabelled.txt: half of the
# training images), so label_ratio changes nothing here. Work dirs: <work-root>/<phase>/; the
# tables land in <work-root>/results.md.
_base_ = ['../_base_/pipeline.py']
name = 'demo'
data_root = 'data/demo'

stages = dict(
    coarse='configs/fr_inpaint/demo/coarse.py',
    segmentor='configs/fr_inpaint/demo/seg.py',
    refiner='configs/fr_inpaint/demo/refine.py',
    floor='configs/baselines/opencv_telea_demo_scenes.py')
# Segmentation steps 4-5: 20 iterations each (steps 1/2 and the no-filter baseline, as long as
# steps 4 + 5 together: 40, seg.py's).
_twenty = {'train_cfg.max_iters': 20,
           'param_scheduler': [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=20,
                                    by_epoch=False)]}
phase_settings = dict(seg_step4_s0=_twenty, seg_step4_sia=_twenty, seg_step5_sia=_twenty)
tables = dict(
    inpainting=dict(title='Inpainting (demo val, fixed masks): PSNR / SSIM / LPIPS per '
                    'hole-ratio bucket'),
    segmentation=dict(title='Segmentation (demo val, 6 classes): mIoU / aAcc on clean and '
                      'coarse-inpainted images'))
