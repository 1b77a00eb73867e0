# The method of Ye et al. 2025 as pipeline phases, defined once for every data set (METHOD.md):
# the coarse inpainter, segmentation steps 1-5 (+ the no-filter baseline), the refiner guided by
# S_ia (+ its guide ablations), and the tests that fill the results tables. A data set's
# pipeline.py inherits this and names its stage configs and budgets:
#   name, data_root          the run's name (work_dirs/fr_inpaint/<name>_r<label_ratio>) and data
#   stages                   coarse / segmentor / refiner / floor: the data set's stage configs
#   phase_settings           per-phase config overrides on top of the method's (e.g. iterations)
#   tables                   titles of the results tables
# Only this file wires the phases together: {<phase>.checkpoint} is the final checkpoint of an
# earlier train phase, {<phase>.config} its config file, {<phase>.work_dir} its work dir.
#   python tools/train_pipeline.py configs/fr_inpaint/<dataset>/pipeline.py [--label-ratio R]
label_ratio = 0.5
# The refiners (and their tests) run under 3 seeds: results.md gives mean ± std. A data set may
# narrow this (seeds = [0]: one run of each).
seeds = [0, 1, 2]
seeded_phases = ['refine_sia', 'refine_s0', 'refine_noguide', 'refine_gtguide']

# The train phases skip validation: the test phases score every checkpoint on the same val
# images (a validation pass costs as much as many training iterations on a CPU).
_no_val = {'val_cfg': None, 'val_dataloader': None, 'val_evaluator': None}
_coarse = dict(config='{coarse.config}', checkpoint='{coarse.checkpoint}')
# S_ia: each image masked and inpainted by the frozen coarse stage (training and testing).
_inpainting_aware = {'model.inpainter': _coarse, 'model.inpaint_on_test': True}
_labelled_only = {'train_dataloader.dataset.label_filter': 'labelled'}
_pseudo = 'train_dataloader.dataset.pseudo_label_dirs'
_round1 = '{seg_step1_s0.work_dir}/pseudo_round1_'
_round2 = '{seg_step4_s0.work_dir}/pseudo_round2_unreliable'
# Steps 4-5 and the baseline: students (each phase's student=dict(teacher=...)) trained on the
# labelled images plus the unlabelled ones that the named rounds pseudo-label, the labelled list
# repeated to outnumber them, the pseudo-labelled images strongly augmented
# (PseudoLabelStrongAugment in the training pipeline), as CISC-R and ST++ train their students.
# By default each is retrained from the stage config's initial (ImageNet) weights with its own
# schedule (CISC-R); a data set's student_finetune = dict(iterations=N, lr=LR) fine-tunes each
# from its teacher's checkpoint instead (N iterations; the no-filter baseline, standing for
# steps 4 + 5, 2N), where retraining six segmentors does not fit the budget. (Not set here:
# MMEngine would not let a data set's dict replace a None.)
_student = {'train_dataloader.dataset.label_filter': 'pseudo_labelled',
            'train_dataloader.dataset.balance_labelled': True}


def _recorrected_by(teacher, round_dir, hooks=()):
    """CISC-R's pixel-level recorrection of a student's pseudo-labels: the frozen ``teacher``
    phase's features against prototypes from the query pool written with its round; audited
    against the true labels, where the data has them, as the student starts (after ``hooks``,
    the phase's other custom hooks)."""
    return {'model.pseudo_label_weighting': dict(
        teacher=dict(config='{%s.config}' % teacher, checkpoint='{%s.checkpoint}' % teacher),
        query_pool='{%s.work_dir}/%s/query_pool.pth' % (teacher, round_dir)),
        'custom_hooks': [*hooks, dict(type='RecorrectionAuditHook')]}
# Step 3 runs as step 1's last act: S0 is the teacher of the first pseudo-label round over the
# unlabelled images, written twice from the same predictions: the most consistent 50% (steps 4-5
# read these) and every pseudo-label, unfiltered (the no-filter baseline reads these). Where the
# data has the true labels of the unlabelled images, the first also audits the ranking (audit.md).
_round1_hooks = [
    dict(type='CrossImagePseudoLabelHook', when='after_train', reliable_ratio=0.5,
         out_dir='pseudo_round1_reliable', keep='reliable', audit=True),
    dict(type='CrossImagePseudoLabelHook', when='after_train', reliable_ratio=0.5,
         out_dir='pseudo_round1_all', keep='all'),
]
# Step 5's relabelling, as step 4's (S0) last act: the retrained S0 labels round 1's unreliable
# set again.
_round2_hooks = [
    dict(type='CrossImagePseudoLabelHook', when='after_train', reliable_ratio=0.5,
         out_dir='pseudo_round2_unreliable', keep='all', audit=True,
         restrict_to=dict(split_file='../seg_step1_s0/pseudo_round1_reliable/split.json',
                          part='unreliable')),
]


# On I_inc, mIoU over the whole image and apart inside the holes (what G_c painted in) and on
# the known pixels around them.
_i_inc_evaluator = {'test_evaluator': [
    dict(type='SegIoU'), dict(type='SegIoU', region='hole', prefix='hole'),
    dict(type='SegIoU', region='known', prefix='known')]}


def _seg_test(phase, row, inpainted):
    """mIoU of a segmentation phase on the clean or the coarse-inpainted (I_inc) val images."""
    view = 'I_inc' if inpainted else 'clean'
    return dict(name=f'test_{phase}_{view.lower()}', test=phase,
                set={**_inpainting_aware, **_i_inc_evaluator} if inpainted
                else {'model.inpaint_on_test': False},
                report=dict(table='segmentation', row=row, prefix=f'{view} '))


def _refine(name, guide_phase=None, extra=None):
    """A stage-3 phase: the refiner on the coarse phase's G_c, guided by the segmentor trained
    in ``guide_phase``, or without a segmentor by ``extra``'s model.guide."""
    segmentor = None if guide_phase is None else dict(
        config='{%s.config}' % guide_phase, checkpoint='{%s.checkpoint}' % guide_phase)
    return dict(name=name, stage='refiner',
                set={'model.coarse': _coarse, 'model.segmentor': segmentor, **_no_val,
                     **(extra or {})})


def _inpainting_test(name, phase, row, **spec):
    return dict(name=name, test=phase, report=dict(table='inpainting', row=row), **spec)


phases = [
    # Stage 1: G_c + PatchGAN.
    dict(name='coarse', stage='coarse', set=_no_val),
    # Stage 2. Step 1 (+ step 3): S0 on the labelled clean images.
    dict(name='seg_step1_s0', stage='segmentor',
         set={**_labelled_only, 'custom_hooks': _round1_hooks, **_no_val}),
    # Step 4 (S0 side, + step 5's relabelling): S0 on labelled + reliable pseudo-labels.
    dict(name='seg_step4_s0', stage='segmentor', student=dict(teacher='seg_step1_s0'),
         set={**_student,
              **_recorrected_by('seg_step1_s0', 'pseudo_round1_reliable', _round2_hooks),
              _pseudo: [_round1 + 'reliable'], **_no_val}),
    # Step 2: S_ia learns the labels on the coarse composites I_inc of the labelled images.
    dict(name='seg_step2_sia', stage='segmentor',
         set={**_labelled_only, **_inpainting_aware, **_no_val}),
    # Step 4 (S_ia side): S_ia on labelled + reliable pseudo-labels, every image inpainted.
    dict(name='seg_step4_sia', stage='segmentor', student=dict(teacher='seg_step2_sia'),
         set={**_student, **_inpainting_aware,
              **_recorrected_by('seg_step1_s0', 'pseudo_round1_reliable'),
              _pseudo: [_round1 + 'reliable'], **_no_val}),
    # Step 5: S_ia on labelled + every pseudo-label: the retrained S0's labels of the unreliable
    # set (round 2, searched first) and round 1's reliable set, recorrected by the retrained S0.
    # This S_ia guides the refiner.
    dict(name='seg_step5_sia', stage='segmentor', student=dict(teacher='seg_step4_sia'),
         set={**_student, **_inpainting_aware,
              **_recorrected_by('seg_step4_s0', 'pseudo_round2_unreliable'),
              _pseudo: [_round2, _round1 + 'reliable'], **_no_val}),
    # The plain pseudo-labelling baseline, without cross-image consistency on the pseudo-labels
    # (no filter, no recorrection): S_ia on labelled + every round-1 pseudo-label.
    dict(name='seg_nofilter_sia', stage='segmentor',
         student=dict(teacher='seg_step2_sia', steps=2),
         set={**_student, **_inpainting_aware, _pseudo: [_round1 + 'all'], **_no_val}),
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
    # Stage 3: the method and the ablations of its guide, each a refiner on the same frozen G_c.
    _refine('refine_sia', 'seg_step5_sia'),
    _refine('refine_s0', 'seg_step1_s0'),  # the plain segmentor of step 1, no feedback
    _refine('refine_noguide', extra={'model.guide': 'none'}),
    # Labels as the guide: an upper bound, trained on the labelled images only.
    _refine('refine_gtguide', extra={'model.guide': 'gt', **_labelled_only}),
    # PSNR/SSIM/LPIPS per hole-ratio bucket on the val images with their fixed masks.
    _inpainting_test('test_opencv_floor', None, 'OpenCV Telea (floor)', stage='floor'),
    _inpainting_test('test_coarse', 'coarse', 'coarse G_c only'),
    _inpainting_test('test_refine_s0', 'refine_s0', 'refined, guided by plain S0'),
    _inpainting_test('test_refine_sia', 'refine_sia', 'refined, guided by S_ia (the method)'),
    _inpainting_test('test_refine_noguide', 'refine_noguide', 'refined, no guidance (w/o SCM)'),
    _inpainting_test('test_refine_gtguide', 'refine_gtguide',
                     'refined, ground-truth labels guide'),
]
tables = dict(
    inpainting=dict(
        title='Inpainting: PSNR / SSIM / LPIPS (AlexNet) of the composited output per '
        'hole-ratio bucket',
        columns=[f'{metric}@{bucket}' for metric in ('PSNR', 'SSIM', 'LPIPS')
                 for bucket in ('0-20', '20-40', '40-60', 'all')]),
    segmentation=dict(
        title='Segmentation: mIoU / aAcc on clean and coarse-inpainted images',
        columns=['clean mIoU', 'I_inc mIoU', 'I_inc hole/mIoU', 'I_inc known/mIoU', 'clean aAcc',
                 'I_inc aAcc']))
