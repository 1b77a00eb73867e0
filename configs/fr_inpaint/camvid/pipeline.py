# The whole method on CamVid with CPU-sized schedules, one command (the method's phases:
# configs/fr_inpaint/_base_/pipeline.py; the stage configs below say what each trains):
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline.py [--label-ratio 0.25]
# Work dirs: work_dirs/fr_inpaint/camvid_r<ratio>/<phase>/ (checkpoints, logs, phase_config.py,
# pseudo-label rounds, metrics.json); the tables land in results.md next to them.
_base_ = ['../_base_/pipeline.py']
name = 'camvid'
data_root = 'data/camvid'

stages = dict(
    coarse='configs/fr_inpaint/camvid/coarse_cpu.py',
    segmentor='configs/fr_inpaint/camvid/seg_cpu.py',
    refiner='configs/fr_inpaint/camvid/refine_cpu.py',
    floor='configs/baselines/opencv_telea_camvid.py')
# Segmentation steps 4-5: 60 iterations each (step 1/2: 200, in seg_cpu.py); the no-filter
# baseline as long as steps 4 + 5 together.
_sixty = {'train_cfg.max_iters': 60,
          'param_scheduler': [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=60,
                                   by_epoch=False)]}
phase_settings = dict(
    seg_step4_s0=_sixty, seg_step4_sia=_sixty, seg_step5_sia=_sixty,
    seg_nofilter_sia={'train_cfg.max_iters': 120,
                      'param_scheduler': [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0,
                                               end=120, by_epoch=False)]})
tables = dict(
    inpainting=dict(
        title='Inpainting (CamVid val, 101 images x 3 masks): composited output, LPIPS AlexNet'),
    segmentation=dict(
        title='Segmentation (CamVid val, 11 classes): mIoU / aAcc on clean and '
        'coarse-inpainted images'))
