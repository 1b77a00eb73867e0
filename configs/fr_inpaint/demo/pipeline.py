# The whole method on the embedded demo scenes (python tools/make_demo_data.py), quickstart-sized,
# one command; the same phases as configs/fr_inpaint/camvid/pipeline.py plus stage 3 and its
# ablations, and the inpainting table:
#   python tools/train_pipeline.py configs/fr_inpaint/demo/pipeline.py \
#       --work-root work_dirs/quickstart/demo
# The demo's labelled/unlabelled split is fixed by the data (train/unlabelled.txt: half of the
# training images), so label_ratio changes nothing here. Work dirs: <work-root>/<phase>/; the
# tables land in <work-root>/results.md.
name = 'demo'
data_root = 'data/demo'
label_ratio = 0.5

_cfg = 'configs/fr_inpaint/demo/'
_coarse = dict(config=_cfg + 'coarse.py', checkpoint='{coarse.checkpoint}')
_round1 = '{seg_step1_s0.work_dir}/pseudo_round1_'
_pseudo = 'train_dataloader.dataset.pseudo_label_dirs'
_inpainted = {'model.inpainter': _coarse, 'model.inpaint_on_test': True}
_clean = {'model.inpaint_on_test': False}
# The train phases skip validation: the test phases score the same val images (a 48-image pass
# with LPIPS costs as much as ~10 training iterations here; the quickstart's time goes to training).
_no_val = {'val_cfg': None, 'val_dataloader': None, 'val_evaluator': None}


def _seg_test(phase, row, inpainted):
    view = 'I_inc' if inpainted else 'clean'
    return dict(name=f'test_{phase}_{view.lower()}', test=phase,
                set=_inpainted if inpainted else _clean,
                report=dict(table='segmentation', row=row, prefix=f'{view} '))


def _refine(name, segmentor=None, extra=None):
    """A stage-3 phase: demo/refine.py on the coarse phase's G_c, guided by the segmentor
    ``(config, phase)``, or without one (model.segmentor=None) by ``extra``'s model.guide."""
    guide = {'model.segmentor': None} if segmentor is None else {
        'model.segmentor': dict(config=_cfg + segmentor[0],
                                checkpoint='{' + segmentor[1] + '.checkpoint}')}
    return dict(name=name, config=_cfg + 'refine.py',
                set={'model.coarse': _coarse, **guide, **_no_val, **(extra or {})})


def _inpainting_test(phase, row):
    return dict(name=f'test_{phase}', test=phase, report=dict(table='inpainting', row=row))


phases = [
    # Stage 1: G_c + PatchGAN.
    dict(name='coarse', config=_cfg + 'coarse.py', set=_no_val),
    # Stage 2, steps 1-5 (step 3 and the step-5 relabelling run as the teachers' last act).
    dict(name='seg_step1_s0', config=_cfg + 'seg_step1_s0.py', set=_no_val),
    dict(name='seg_step2_sia', config=_cfg + 'seg_step2_sia.py',
         set={'model.inpainter': _coarse, **_no_val}),
    dict(name='seg_step4_s0', config=_cfg + 'seg_step4_s0.py',
         set={'load_from': '{seg_step1_s0.checkpoint}', _pseudo: [_round1 + 'reliable'],
              **_no_val}),
    dict(name='seg_step4_sia', config=_cfg + 'seg_step4_sia.py',
         set={'model.inpainter': _coarse, 'load_from': '{seg_step2_sia.checkpoint}',
              _pseudo: [_round1 + 'reliable'], **_no_val}),
    dict(name='seg_step5_sia', config=_cfg + 'seg_step5_sia.py',
         set={'model.inpainter': _coarse, 'load_from': '{seg_step4_sia.checkpoint}',
              _pseudo: ['{seg_step4_s0.work_dir}/pseudo_round2_unreliable',
                        _round1 + 'reliable'], **_no_val}),
    # The pseudo-labelling baseline without the consistency filter.
    dict(name='seg_nofilter_sia', config=_cfg + 'seg_nofilter_sia.py',
         set={'model.inpainter': _coarse, 'load_from': '{seg_step2_sia.checkpoint}',
              _pseudo: [_round1 + 'all'], **_no_val}),
    # Stage 3: the method (guided by the step-5 S_ia) and the ablations of the guide.
    _refine('refine_sia', ('seg_step5_sia.py', 'seg_step5_sia')),
    _refine('refine_s0', ('seg_step1_s0.py', 'seg_step1_s0')),
    _refine('refine_noguide', extra={'model.guide': 'none'}),
    # Labels as the guide: an upper bound, trained on the labelled images only.
    _refine('refine_gtguide', extra={'model.guide': 'gt',
                                     'train_dataloader.dataset.label_filter': 'labelled'}),
    # PSNR/SSIM/LPIPS per hole-ratio bucket on the val images with their fixed masks.
    dict(name='test_coarse', test='coarse', report=dict(table='inpainting', row='coarse only')),
    _inpainting_test('refine_sia', 'refined, S_ia step 5 guide (the method)'),
    _inpainting_test('refine_s0', 'refined, guided by plain S0 (step 1)'),
    _inpainting_test('refine_noguide', 'refined, no semantic guide'),
    _inpainting_test('refine_gtguide', 'refined, ground-truth labels as guide'),
    # mIoU on the clean and on the coarse-inpainted (I_inc) validation images.
    _seg_test('seg_step1_s0', 'S0 (step 1)', False),
    _seg_test('seg_step1_s0', 'S0 (step 1)', True),
    _seg_test('seg_step4_s0', 'S0 (step 4)', True),
    _seg_test('seg_step2_sia', 'S_ia (step 2)', True),
    _seg_test('seg_step5_sia', 'S_ia (step 5, the method)', True),
    _seg_test('seg_nofilter_sia', 'S_ia, no consistency filter', True),
]
tables = dict(
    inpainting=dict(
        title='Inpainting (demo val, fixed masks): PSNR / SSIM / LPIPS per hole-ratio bucket',
        columns=['PSNR@0-20', 'PSNR@20-40', 'PSNR@40-60', 'PSNR@all', 'SSIM@0-20', 'SSIM@20-40',
                 'SSIM@40-60', 'SSIM@all', 'LPIPS@0-20', 'LPIPS@20-40', 'LPIPS@40-60',
                 'LPIPS@all']),
    segmentation=dict(
        title='Segmentation (demo val, 6 classes): mIoU / aAcc on clean and coarse-inpainted '
        'images',
        columns=['clean mIoU', 'I_inc mIoU', 'clean aAcc', 'I_inc aAcc']))
