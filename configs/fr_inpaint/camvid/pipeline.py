# The whole method on CamVid with CPU-sized schedules, one command (the phases' configs say
# what each trains; times are for our shared 2-core CPU):
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline.py [--label-ratio 0.25]
# Work dirs: work_dirs/fr_inpaint/camvid_r<ratio>/<phase>/ (checkpoints, logs, phase_config.py,
# pseudo-label rounds, metrics.json); the tables land in results.md next to them.
name = 'camvid'
data_root = 'data/camvid'
label_ratio = 0.5

_cfg = 'configs/fr_inpaint/camvid/'
_coarse = dict(config=_cfg + 'coarse_cpu.py', checkpoint='{coarse.checkpoint}')
_round1 = '{seg_step1_s0.work_dir}/pseudo_round1_'
_pseudo = 'train_dataloader.dataset.pseudo_label_dirs'
_inpainted = {'model.inpainter': _coarse, 'model.inpaint_on_test': True}
_clean = {'model.inpaint_on_test': False}


def _seg_test(phase, row, inpainted):
    view = 'I_inc' if inpainted else 'clean'
    return dict(name=f'test_{phase}_{view.lower()}', test=phase,
                set=_inpainted if inpainted else _clean,
                report=dict(table='segmentation', row=row, prefix=f'{view} '))


_sia = dict(config=_cfg + 'seg_step5_sia.py', checkpoint='{seg_step5_sia.checkpoint}')
# The plain segmentor of step 1 (supervised on the labelled clean images, no feedback).
_s0 = dict(config=_cfg + 'seg_step1_s0.py', checkpoint='{seg_step1_s0.checkpoint}')


def _refine(segmentor, extra=None):
    return {'model.coarse': _coarse, 'model.segmentor': segmentor, **(extra or {})}


def _inpaint_test(name, phase, row, **spec):
    return dict(name=name, test=phase, report=dict(table='inpainting', row=row), **spec)


phases = [
    # Stage 1: G_c + PatchGAN.
    dict(name='coarse', config=_cfg + 'coarse_cpu.py'),
    # Stage 2, steps 1-5 (step 3 and the step-5 relabelling run as the teachers' last act).
    dict(name='seg_step1_s0', config=_cfg + 'seg_step1_s0.py'),
    dict(name='seg_step4_s0', config=_cfg + 'seg_step4_s0.py',
         set={'load_from': '{seg_step1_s0.checkpoint}', _pseudo: [_round1 + 'reliable']}),
    dict(name='seg_step2_sia', config=_cfg + 'seg_step2_sia.py',
         set={'model.inpainter': _coarse}),
    dict(name='seg_step4_sia', config=_cfg + 'seg_step4_sia.py',
         set={'model.inpainter': _coarse, 'load_from': '{seg_step2_sia.checkpoint}',
              _pseudo: [_round1 + 'reliable']}),
    dict(name='seg_step5_sia', config=_cfg + 'seg_step5_sia.py',
         set={'model.inpainter': _coarse, 'load_from': '{seg_step4_sia.checkpoint}',
              _pseudo: ['{seg_step4_s0.work_dir}/pseudo_round2_unreliable',
                        _round1 + 'reliable']}),
    # The pseudo-labelling baseline without the consistency filter.
    dict(name='seg_nofilter_sia', config=_cfg + 'seg_nofilter_sia.py',
         set={'model.inpainter': _coarse, 'load_from': '{seg_step2_sia.checkpoint}',
              _pseudo: [_round1 + 'all']}),
    # mIoU on the clean and on the coarse-inpainted (I_inc) validation images.
    _seg_test('seg_step1_s0', 'S0 (step 1)', False),
    _seg_test('seg_step1_s0', 'S0 (step 1)', True),
    _seg_test('seg_step4_s0', 'S0 (step 4)', False),
    _seg_test('seg_step4_s0', 'S0 (step 4)', True),
    _seg_test('seg_step2_sia', 'S_ia (step 2)', True),
    _seg_test('seg_step4_sia', 'S_ia (step 4)', True),
    _seg_test('seg_step5_sia', 'S_ia (step 5, the method)', False),
    _seg_test('seg_step5_sia', 'S_ia (step 5, the method)', True),
    _seg_test('seg_nofilter_sia', 'S_ia, no consistency filter', True),
    # Stage 3: the method and its ablations, each a refiner trained on the same frozen G_c.
    dict(name='refine_sia', config=_cfg + 'refine_cpu.py', set=_refine(_sia)),
    dict(name='refine_s0', config=_cfg + 'refine_cpu.py', set=_refine(_s0)),
    dict(name='refine_noguide', config=_cfg + 'refine_cpu.py',
         set=_refine(None, {'model.guide': 'none'})),
    dict(name='refine_gtguide', config=_cfg + 'refine_cpu.py',
         set=_refine(None, {'model.guide': 'gt',
                            'train_dataloader.dataset.label_filter': 'labelled'})),
    # PSNR/SSIM/LPIPS per hole-ratio bucket on the same val images and masks.
    _inpaint_test('test_opencv_floor', None, 'OpenCV Telea (floor)',
                  config='configs/baselines/opencv_telea_camvid.py'),
    _inpaint_test('test_coarse', 'coarse', 'coarse G_c only'),
    _inpaint_test('test_refine_s0', 'refine_s0', 'refined, guided by plain S0'),
    _inpaint_test('test_refine_sia', 'refine_sia', 'refined, guided by S_ia (the method)'),
    _inpaint_test('test_refine_noguide', 'refine_noguide', 'refined, no guidance (w/o SCM)'),
    _inpaint_test('test_refine_gtguide', 'refine_gtguide', 'refined, ground-truth labels guide'),
]
tables = dict(
    inpainting=dict(
        title='Inpainting (CamVid val, 101 images x 3 masks): composited output, LPIPS AlexNet',
        columns=[f'{metric}@{bucket}' for metric in ('PSNR', 'SSIM', 'LPIPS')
                 for bucket in ('0-20', '20-40', '40-60', 'all')]),
    segmentation=dict(
        title='Segmentation (CamVid val, 11 classes): mIoU / aAcc on clean and coarse-inpainted images',
        columns=['clean mIoU', 'I_inc mIoU', 'clean aAcc', 'I_inc aAcc']))
