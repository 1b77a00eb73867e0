"""load_plan, resolve_references, set_data and phase_config on small pipeline configs."""
import copy
import os.path as osp

import pytest

from fr_inpaint_plugin.pipeline.plan import load_plan, phase_config, resolve_references, set_data

from ..conftest import REPO_ROOT

COARSE = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/coarse_tiny.py')
SEG = osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/seg_cpu.py')


def write_pipeline(tmp_path, phases, name='tiny', **extra):
    lines = [f'name = {name!r}', "data_root = 'data/demo'", 'label_ratio = 0.5',
             f'phases = {phases!r}'] + [f'{k} = {v!r}' for k, v in extra.items()]
    path = tmp_path / 'pipeline.py'
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def two_phases(**test_extra):
    return [dict(name='coarse', config=COARSE, set={'train_cfg.max_iters': 2}),
            dict(name='test_coarse', test='coarse', **test_extra)]


def test_phases_kinds_and_defaults(tmp_path):
    path = write_pipeline(tmp_path, two_phases(set={'test_dataloader.batch_size': 1},
                                               report=dict(table='t', row='r')),
                          tables=dict(t=dict(title='T')))
    plan = load_plan(path)
    assert plan.name == 'tiny' and plan.data_root == 'data/demo' and plan.label_ratio == 0.5
    assert plan.work_root == osp.join('work_dirs', 'fr_inpaint', 'tiny_r0.5')
    assert plan.work_dir('coarse') == osp.join(plan.work_root, 'coarse')
    train, test = plan.phases
    assert (train.kind, train.config, train.tested_phase) == ('train', COARSE, None)
    assert (test.kind, test.config, test.tested_phase) == ('test', COARSE, 'coarse')
    # the tested phase's overrides first, then the test's own
    assert test.overrides == {'train_cfg.max_iters': 2, 'test_dataloader.batch_size': 1}
    assert test.report == dict(table='t', row='r') and train.report is None
    assert plan.tables == dict(t=dict(title='T'))
    assert plan.phase('test_coarse') is test
    with pytest.raises(KeyError, match='no phase named'):
        plan.phase('nope')


def test_arguments_replace_the_defaults(tmp_path):
    path = write_pipeline(tmp_path, two_phases())
    plan = load_plan(path, data_root='/d', label_ratio=0.125)
    assert plan.data_root == '/d' and plan.label_ratio == 0.125
    assert plan.work_root == osp.join('work_dirs', 'fr_inpaint', 'tiny_r0.125')
    assert load_plan(path, work_root=str(tmp_path / 'w')).work_root == str(tmp_path / 'w')
    with pytest.raises(ValueError, match='label ratio'):
        load_plan(path, label_ratio=1.5)


@pytest.mark.parametrize('dataset', ['camvid', 'demo'])
def test_real_pipelines_share_the_method_phases(dataset):
    plan = load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/{dataset}/pipeline.py'), seeds=[0])
    method = load_plan(osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/pipeline.py'), seeds=[0])
    names = [p.name for p in plan.phases]
    assert names[0] == 'coarse' and len(set(names)) == len(names)
    assert names == [p.name for p in method.phases]
    assert plan.work_root == osp.join('work_dirs', 'fr_inpaint', f'{dataset}_r0.5')
    stages = {p.config for p in plan.phases if p.kind == 'train'}
    assert stages == {f'configs/fr_inpaint/{dataset}/{name}.py' for name in
                      (('coarse_cpu', 'seg_cpu', 'refine_cpu') if dataset == 'camvid' else
                       ('coarse', 'seg', 'refine'))}
    step4 = plan.phase('seg_step4_sia').overrides
    assert step4['model.inpainter'] == dict(config='{coarse.config}',
                                            checkpoint='{coarse.checkpoint}')
    # Both CPU-sized pipelines fine-tune their students from their teachers (the method's
    # default, retraining from the ImageNet weights, is the GPU pipelines'); either way their
    # pseudo-labels are recorrected by the frozen teacher of their round.
    assert step4['load_from'] == '{seg_step2_sia.checkpoint}'
    assert step4['train_cfg.max_iters'] == (300 if dataset == 'camvid' else 20)
    assert plan.phase('seg_nofilter_sia').overrides['train_cfg.max_iters'] == (
        600 if dataset == 'camvid' else 40)
    assert step4['model.pseudo_label_weighting'] == dict(
        teacher=dict(config='{seg_step1_s0.config}', checkpoint='{seg_step1_s0.checkpoint}'),
        query_pool='{seg_step1_s0.work_dir}/pseudo_round1_reliable/query_pool.pth')
    step5 = plan.phase('seg_step5_sia').overrides['model.pseudo_label_weighting']
    assert step5['teacher']['checkpoint'] == '{seg_step4_s0.checkpoint}'
    assert 'model.pseudo_label_weighting' not in plan.phase('seg_nofilter_sia').overrides
    # every recorrected student audits its weights as it starts, after its own rounds
    for name in ('seg_step4_s0', 'seg_step4_sia', 'seg_step5_sia'):
        hooks = [hook['type'] for hook in plan.phase(name).overrides['custom_hooks']]
        assert hooks[-1] == 'RecorrectionAuditHook', name
        assert hooks[:-1] == (['CrossImagePseudoLabelHook'] if name == 'seg_step4_s0' else [])


def test_stages_and_phase_settings(tmp_path):
    phases = [dict(name='coarse', stage='coarse', set={'train_cfg.max_iters': 2, 'a': 1}),
              dict(name='refine', config=COARSE, set={'model.coarse': dict(
                  config='{coarse.config}', checkpoint='{coarse.checkpoint}')})]
    path = write_pipeline(tmp_path, phases, stages=dict(coarse=COARSE),
                          phase_settings=dict(coarse={'train_cfg.max_iters': 5}))
    plan = load_plan(path, work_root='/w')
    coarse, refine = plan.phases
    assert coarse.config == COARSE and coarse.kind == 'train'
    # the data set's settings come after the method's
    assert coarse.overrides == {'train_cfg.max_iters': 5, 'a': 1}
    assert resolve_references(refine.overrides, plan, dict(coarse='/ck/iter_5.pth')) == {
        'model.coarse': dict(config=COARSE, checkpoint='/ck/iter_5.pth')}


def student_phases():
    return [dict(name='teacher', config=SEG),
            dict(name='student', config=SEG, student=dict(teacher='teacher'), set={'a': 1}),
            dict(name='baseline', config=SEG, student=dict(teacher='teacher', steps=2))]


def test_students_are_retrained_unless_the_pipeline_fine_tunes_them(tmp_path):
    plan = load_plan(write_pipeline(tmp_path, student_phases()))
    assert plan.phase('student').overrides == {'a': 1}
    assert plan.phase('baseline').overrides == {}
    # the paper-setting pipelines retrain theirs (CISC-R)
    for dataset in ('celebamask_hq', 'cityscapes'):
        gpu = load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/{dataset}/pipeline.py'))
        assert 'load_from' not in gpu.phase('seg_step5_sia').overrides


def test_fine_tuned_students_start_from_their_teacher_on_a_shortened_schedule(tmp_path):
    path = write_pipeline(tmp_path, student_phases(),
                          student_finetune=dict(iterations=300, lr=0.0025),
                          phase_settings=dict(student={'optim_wrapper.optimizer.lr': 0.001}))
    plan = load_plan(path)
    # seg_cpu.py: 600 iterations, one PolyLR over them
    poly = dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, by_epoch=False)
    assert plan.phase('student').overrides == {
        'a': 1, 'load_from': '{teacher.checkpoint}', 'train_cfg.max_iters': 300,
        'param_scheduler': [dict(poly, end=300)],
        'optim_wrapper.optimizer.lr': 0.001}  # the data set's settings come last
    baseline = plan.phase('baseline').overrides
    assert baseline['train_cfg.max_iters'] == 600 and baseline['param_scheduler'] == [
        dict(poly, end=600)]
    assert baseline['optim_wrapper.optimizer.lr'] == 0.0025
    cfg = phase_config(plan, plan.phase('student'), dict(teacher='/t/iter_600.pth'))
    assert cfg.load_from == '/t/iter_600.pth' and cfg.train_cfg.max_iters == 300
    assert [s['end'] for s in cfg.param_scheduler] == [300]


def test_a_scheduler_not_ending_with_the_schedule_keeps_its_end(tmp_path):
    stage = tmp_path / 'stage.py'
    stage.write_text(f"_base_ = [{SEG!r}]\nparam_scheduler = [\n"
                     "    dict(type='LinearLR', start_factor=0.1, begin=0, end=50, "
                     "by_epoch=False),\n"
                     "    dict(type='PolyLR', begin=50, end=600, by_epoch=False)]\n")
    phases = [dict(name='teacher', config=SEG),
              dict(name='student', config=str(stage), student=dict(teacher='teacher'))]
    plan = load_plan(write_pipeline(tmp_path, phases,
                                    student_finetune=dict(iterations=200, lr=0.001)))
    assert [s['end'] for s in plan.phase('student').overrides['param_scheduler']] == [50, 200]


@pytest.mark.parametrize('ratio, iterations', [
    (0.125, 600), (0.25, 600), (0.3, 720), (0.5, 1200), (1.0, 2400)])
def test_a_ratio_budget_keeps_the_epochs_over_the_labelled_images(tmp_path, ratio, iterations):
    """max(minimum, ceil(iterations * ratio / at_ratio)): 1200 at 1/2 is 600 at 1/8 (the
    minimum, not 300), the poly scheduler stretched alike; phase_settings still come last."""
    phases = [dict(name='teacher', config=SEG, set={'a': 1}), dict(name='other', config=SEG)]
    path = write_pipeline(
        tmp_path, phases, phase_settings=dict(teacher={'optim_wrapper.optimizer.lr': 0.001}),
        ratio_budget=dict(teacher=dict(iterations=1200, at_ratio=0.5, minimum=600)))
    plan = load_plan(path, label_ratio=ratio)
    poly = dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, by_epoch=False)
    assert plan.phase('teacher').overrides == {
        'a': 1, 'train_cfg.max_iters': iterations, 'param_scheduler': [dict(poly, end=iterations)],
        'optim_wrapper.optimizer.lr': 0.001}
    assert plan.phase('other').overrides == {}
    cfg = phase_config(plan, plan.phase('teacher'), {})
    assert cfg.train_cfg.max_iters == iterations
    assert [s['end'] for s in cfg.param_scheduler] == [iterations]


@pytest.mark.parametrize('ratio, iterations', [(0.125, 300), (0.5, 600)])
def test_a_ratio_budget_sets_a_fine_tuned_students_iterations(tmp_path, ratio, iterations):
    """The budget replaces student_finetune's iterations (steps included); the student still
    starts from its teacher at student_finetune's learning rate."""
    path = write_pipeline(tmp_path, student_phases(),
                          student_finetune=dict(iterations=300, lr=0.0025),
                          ratio_budget=dict(baseline=dict(iterations=600, at_ratio=0.5,
                                                          minimum=300)))
    plan = load_plan(path, label_ratio=ratio)
    poly = dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, by_epoch=False)
    assert plan.phase('baseline').overrides == {
        'load_from': '{teacher.checkpoint}', 'optim_wrapper.optimizer.lr': 0.0025,
        'train_cfg.max_iters': iterations, 'param_scheduler': [dict(poly, end=iterations)]}
    assert plan.phase('student').overrides['train_cfg.max_iters'] == 300


@pytest.mark.parametrize('phases, budget, error, match', [
    ([dict(name='t', config=SEG)], dict(t=dict(iterations=1200, at_ratio=0.5)), ValueError,
     'takes iterations, at_ratio and minimum'),
    ([dict(name='t', config=SEG)], dict(t=dict(iterations=1200, at_ratio=0, minimum=600)),
     ValueError, r'at_ratio in \(0, 1\]'),
    ([dict(name='t', config=SEG)], dict(t=dict(iterations=12.5, at_ratio=0.5, minimum=600)),
     ValueError, 'integers >= 1'),
    ([dict(name='t', config=SEG)], dict(nope=dict(iterations=1200, at_ratio=0.5, minimum=600)),
     KeyError, r"ratio_budget names phases the pipeline does not have: \['nope'\]"),
])
def test_bad_ratio_budgets(tmp_path, phases, budget, error, match):
    path = write_pipeline(tmp_path, phases, ratio_budget=budget,
                          student_finetune=dict(iterations=300, lr=0.0025))
    with pytest.raises(error, match=match):
        load_plan(path)


@pytest.mark.parametrize('phases, extra, match', [
    ([dict(name='s', config=SEG, student=dict(teacher='t')), dict(name='t', config=SEG)], {},
     "student of 't', which is not an earlier train phase"),
    ([dict(name='t', config=SEG), dict(name='s', config=SEG, student=dict(teacher='t', k=1))],
     {}, 'student takes teacher'),
    ([dict(name='t', config=SEG), dict(name='s', config=SEG, student=dict(teacher='t',
                                                                           steps=0))],
     {}, 'student takes teacher'),
    ([dict(name='t', config=SEG)], dict(student_finetune=dict(iterations=10)),
     'student_finetune takes iterations and lr'),
    ([dict(name='t', config=SEG)], dict(student_finetune=dict(iterations=0, lr=0.1)),
     'iterations >= 1 and lr > 0'),
])
def test_bad_students(tmp_path, phases, extra, match):
    with pytest.raises(ValueError, match=match):
        load_plan(write_pipeline(tmp_path, phases, **extra))


@pytest.mark.parametrize('extra, match', [
    (dict(stages={}), r"trains the 'coarse' stage, but stages names only \[\]"),
    (dict(stages=dict(coarse=COARSE), phase_settings=dict(nope={})),
     r"phase_settings names phases the pipeline does not have: \['nope'\]"),
])
def test_bad_stages_and_settings(tmp_path, extra, match):
    path = write_pipeline(tmp_path, [dict(name='coarse', stage='coarse')], **extra)
    with pytest.raises(KeyError, match=match):
        load_plan(path)


@pytest.mark.parametrize('phases, error, match', [
    ([dict(config=COARSE)], ValueError, 'needs a name'),
    ([dict(name='a b', config=COARSE)], ValueError, 'needs a name'),
    ([dict(name='a', config=COARSE), dict(name='a', config=COARSE)], ValueError,
     "'a' appears twice"),
    ([dict(name='a', config=COARSE, set={'load_from': '{b.checkpoint}'}),
      dict(name='b', config=COARSE)], ValueError, "refers to 'b', which is not an earlier"),
    ([dict(name='a', config=COARSE, set={'x': ['{nope.work_dir}/x']})], ValueError,
     "refers to 'nope'"),
    ([dict(name='a', config=COARSE), dict(name='t', test='a'),
      dict(name='b', config=COARSE, set={'load_from': '{t.checkpoint}'})], ValueError,
     "refers to the checkpoint of 't', which is not a train phase"),
    ([dict(name='a', config=COARSE), dict(name='t', test='a'),
      dict(name='b', config=COARSE, set={'x': '{t.config}'})], ValueError,
     "refers to the config of 't', which is not a train phase"),
    ([dict(name='a', stage='x', config=COARSE)], ValueError, 'both stage= and config='),
    ([dict(name='t', test='a'), dict(name='a', config=COARSE)], ValueError,
     "tests 'a', which is not an earlier train phase"),
    ([dict(name='a', config=COARSE), dict(name='t', test='a'), dict(name='t2', test='t')],
     ValueError, "tests 't', which is not an earlier train phase"),
    ([dict(name='a')], ValueError, 'needs config='),
    ([dict(name='a', config=COARSE, sett={})], ValueError, r"unknown keys \['sett'\]"),
    ([dict(name='a', config='configs/nope.py')], FileNotFoundError,
     'config configs/nope.py does not exist'),
])
def test_bad_phases(tmp_path, phases, error, match):
    path = write_pipeline(tmp_path, phases)
    with pytest.raises(error, match=match) as info:
        load_plan(path)
    assert path in str(info.value)


def test_work_dir_of_an_earlier_test_phase_may_be_named(tmp_path):
    phases = two_phases() + [dict(name='b', config=COARSE,
                                  set={'x': '{test_coarse.work_dir}/metrics.json'})]
    assert load_plan(write_pipeline(tmp_path, phases)).phases[-1].overrides == {
        'x': '{test_coarse.work_dir}/metrics.json'}


def test_missing_top_level_key(tmp_path):
    path = tmp_path / 'p.py'
    path.write_text("name = 'x'\nlabel_ratio = 0.5\nphases = []\n")
    with pytest.raises(KeyError, match='data_root'):
        load_plan(str(path))


@pytest.fixture
def plan(tmp_path):
    return load_plan(write_pipeline(tmp_path, two_phases()), work_root='/w')


def test_resolve_references(plan):
    value = dict(a='{coarse.checkpoint}', b=['{coarse.work_dir}/x', ('{work_root}/y', 3)],
                 c=dict(d='pre {coarse.checkpoint} post'), e=None, f=1.5)
    resolved = resolve_references(value, plan, dict(coarse='/ck/iter_2.pth'))
    assert resolved == dict(a='/ck/iter_2.pth', b=['/w/coarse/x', ('/w/y', 3)],
                            c=dict(d='pre /ck/iter_2.pth post'), e=None, f=1.5)
    assert value['a'] == '{coarse.checkpoint}'  # not modified in place
    # a work dir is known before its phase ran, a checkpoint is not
    assert resolve_references('{test_coarse.work_dir}', plan, {}) == '/w/test_coarse'
    with pytest.raises(KeyError, match=r'\{coarse.checkpoint\} is needed before'):
        resolve_references(['{coarse.checkpoint}'], plan, {})


def test_set_data_reaches_every_dataset():
    cfg = dict(
        data_root='old', label_ratio=0.5,
        train_dataloader=dict(dataset=dict(
            data_root='old', split_ratio=0.5, split_file='data/splits/camvid_ratio0.5_seed0.txt')),
        val_dataloader=dict(dataset=dict(data_root='old', split_ratio=None, split_file=None)),
        custom_hooks=[dict(type='H', loader=dict(dataset=dict(
            data_root='old', split_ratio=1, split_file='s/x_ratio1_seed0.txt')))],
        other=dict(split_file='../round1/split.json'))
    set_data(cfg, '/new', 0.125)
    assert cfg['data_root'] == '/new' and cfg['label_ratio'] == 0.125
    train = cfg['train_dataloader']['dataset']
    assert train == dict(data_root='/new', split_ratio=0.125,
                         split_file='data/splits/camvid_ratio0.125_seed0.txt')
    assert cfg['val_dataloader']['dataset'] == dict(data_root='/new', split_ratio=None,
                                                    split_file=None)
    hooked = cfg['custom_hooks'][0]['loader']['dataset']
    assert hooked == dict(data_root='/new', split_ratio=0.125,
                          split_file='s/x_ratio0.125_seed0.txt')
    assert cfg['other'] == dict(split_file='../round1/split.json')


def test_set_data_gives_a_nested_draw_its_own_split_files():
    cfg = dict(
        train_dataloader=dict(dataset=dict(
            split_ratio=0.5, split_file='data/splits/camvid_ratio0.5_seed0.txt')),
        pseudo=dict(dataset=dict(split_ratio=None, split_file='s/x_ratio0.5_seed0.txt')),
        other=dict(split_file='../round1/split.json'))
    set_data(cfg, 'root', 0.25, 'nested')
    assert cfg['train_dataloader']['dataset'] == dict(
        split_ratio=0.25, split_draw='nested',
        split_file='data/splits/camvid_ratio0.25_seed0_nested.txt')
    assert cfg['pseudo']['dataset'] == dict(split_ratio=None, split_draw='nested',
                                            split_file='s/x_ratio0.25_seed0_nested.txt')
    assert cfg['other'] == dict(split_file='../round1/split.json')
    set_data(cfg, 'root', 0.25, 'nested')  # a file already named for its draw keeps one suffix
    assert cfg['pseudo']['dataset']['split_file'] == 's/x_ratio0.25_seed0_nested.txt'


def test_set_data_gives_another_split_seed_its_own_split_files():
    cfg = dict(
        train_dataloader=dict(dataset=dict(
            split_ratio=0.5, split_file='data/seed0/camvid_ratio0.5_seed0.txt')),
        pseudo=dict(dataset=dict(split_ratio=None, split_file='s/x_ratio0.5.txt')),
        other=dict(split_file='../round1/split.json'))
    set_data(cfg, 'root', 0.25, 'nested', split_seed=3)
    assert cfg['train_dataloader']['dataset'] == dict(  # the folder's 'seed0' is not the split's
        split_ratio=0.25, split_draw='nested', split_seed=3,
        split_file='data/seed0/camvid_ratio0.25_seed3_nested.txt')
    assert cfg['pseudo']['dataset'] == dict(split_ratio=None, split_draw='nested', split_seed=3,
                                            split_file='s/x_ratio0.25_seed3_nested.txt')
    assert cfg['other'] == dict(split_file='../round1/split.json')
    set_data(cfg, 'root', 0.25, 'nested', split_seed=3)  # applying it twice changes nothing
    assert cfg['pseudo']['dataset']['split_file'] == 's/x_ratio0.25_seed3_nested.txt'


def test_split_seed_from_the_config_or_the_command_line(tmp_path):
    path = write_pipeline(tmp_path, [dict(name='seg', config=SEG)], split_seed=2)
    assert load_plan(path).split_seed == 2
    assert load_plan(path).work_root == osp.join('work_dirs', 'fr_inpaint', 'tiny_r0.5_s2')
    assert load_plan(path, split_seed=0).split_seed == 0
    plan = load_plan(path, split_seed=5, work_root='w')
    assert plan.split_seed == 5 and plan.work_root == 'w'
    dataset = phase_config(plan, plan.phase('seg'), {}).train_dataloader.dataset
    assert dataset.split_seed == 5
    assert dataset.split_file == 'data/splits/camvid_ratio0.5_seed5.txt'
    plain = load_plan(write_pipeline(tmp_path, [dict(name='seg', config=SEG)]))
    assert plain.split_seed == 0
    dataset = phase_config(plain, plain.phase('seg'), {}).train_dataloader.dataset
    assert dataset.split_file == 'data/splits/camvid_ratio0.5_seed0.txt'
    assert 'split_seed' not in dataset  # the configs of earlier runs stay as they were


@pytest.mark.parametrize('split_seed', [-1, 1.5, True, '1'])
def test_bad_split_seed_is_refused(tmp_path, split_seed):
    with pytest.raises(ValueError, match='split_seed must be a non-negative integer'):
        load_plan(write_pipeline(tmp_path, two_phases(), split_seed=split_seed))


def test_phase_config_of_a_train_phase(tmp_path):
    round2 = dict(type='CrossImagePseudoLabelHook', when='after_train', reliable_ratio=0.25,
                  out_dir='pseudo_round2_unreliable', keep='all', restrict_to=dict(
                      split_file='../seg_step1_s0/pseudo_round1_reliable/split.json',
                      part='unreliable'))
    path = write_pipeline(tmp_path, [
        dict(name='seg_step1_s0', config=COARSE),
        dict(name='seg_step4_s0', config=SEG, set={
            'load_from': '{seg_step1_s0.checkpoint}',
            'train_dataloader.dataset.pseudo_label_dirs': [
                '{seg_step1_s0.work_dir}/pseudo_round1_reliable'],
            'custom_hooks': [round2]})])
    plan = load_plan(path, data_root='/data/camvid', label_ratio=0.25,
                     work_root=str(tmp_path / 'w'))
    cfg = phase_config(plan, plan.phase('seg_step4_s0'), dict(seg_step1_s0='/ck/iter_9.pth'))
    assert cfg.load_from == '/ck/iter_9.pth'
    assert cfg.work_dir == str(tmp_path / 'w' / 'seg_step4_s0')
    train = cfg.train_dataloader.dataset
    assert train.pseudo_label_dirs == [str(tmp_path / 'w' / 'seg_step1_s0')
                                       + '/pseudo_round1_reliable']
    assert train.data_root == '/data/camvid' and train.split_ratio == 0.25
    assert train.split_file == 'data/splits/camvid_ratio0.25_seed0.txt'
    assert cfg.label_ratio == 0.25  # seg_cpu.py's base says 0.5: the dump must not
    assert cfg.val_dataloader is None  # no validation while training: test phases score it
    assert cfg.test_dataloader.dataset.data_root == '/data/camvid'
    hook, bar = cfg.custom_hooks
    assert hook == round2  # the hook labels the phase's training set (data set above)
    assert hook.restrict_to.split_file == '../seg_step1_s0/pseudo_round1_reliable/split.json'
    assert bar == dict(type='ProgressBarHook', desc='seg_step4_s0')


def test_phase_config_keeps_one_progress_bar(tmp_path):
    path = write_pipeline(tmp_path, [dict(name='coarse', config=COARSE, set={
        'train_cfg.max_iters': 2,
        'custom_hooks': [dict(type='ProgressBarHook', desc='old')]})])
    plan = load_plan(path, work_root=str(tmp_path / 'w'))
    cfg = phase_config(plan, plan.phases[0], {})
    assert cfg.train_cfg.max_iters == 2
    assert cfg.custom_hooks == [dict(type='ProgressBarHook', desc='coarse')]
    assert cfg.train_dataloader.dataset.data_root == 'data/demo'
    # the file itself is untouched: a second resolution gives the same config
    assert phase_config(plan, plan.phases[0], {}).custom_hooks == cfg.custom_hooks


def test_seeded_phases_and_their_tests_repeat_per_seed(tmp_path):
    phases = two_phases(report=dict(table='t', row='r')) + [dict(name='other', config=COARSE)]
    path = write_pipeline(tmp_path, phases, seeded_phases=['coarse'], seeds=[0, 1, 2])
    plan = load_plan(path, work_root='/w')
    # the first seed keeps the names; the other seeds follow every other phase
    assert [p.name for p in plan.phases] == [
        'coarse', 'test_coarse', 'other', 'coarse_seed1', 'test_coarse_seed1', 'coarse_seed2',
        'test_coarse_seed2']
    assert plan.phase('coarse').overrides == {'train_cfg.max_iters': 2, 'randomness.seed': 0}
    seed1, test1 = plan.phase('coarse_seed1'), plan.phase('test_coarse_seed1')
    assert seed1.overrides == {'train_cfg.max_iters': 2, 'randomness.seed': 1}
    assert (seed1.seed, seed1.kind, seed1.config) == (1, 'train', COARSE)
    assert (test1.tested_phase, test1.seed, test1.report) == ('coarse_seed1', 1,
                                                              dict(table='t', row='r'))
    assert plan.work_dir('coarse_seed1') == '/w/coarse_seed1'
    assert plan.phase('other').seed is None
    assert phase_config(plan, seed1, {}).randomness.seed == 1


def test_seeds_from_the_command_line(tmp_path):
    path = write_pipeline(tmp_path, two_phases(), seeded_phases=['coarse'], seeds=[0, 1])
    assert [p.name for p in load_plan(path, seeds=[3, 4]).phases] == [
        'coarse', 'test_coarse', 'coarse_seed4', 'test_coarse_seed4']
    only_zero = load_plan(path, seeds=[0])  # the runtime's seed: configs exactly as written
    assert [p.name for p in only_zero.phases] == ['coarse', 'test_coarse']
    assert only_zero.phase('coarse').overrides == {'train_cfg.max_iters': 2}


@pytest.mark.parametrize('extra, match', [
    (dict(seeded_phases=['test_coarse']), r"seeded_phases must name train phases, got \['test"),
    (dict(seeded_phases=['coarse'], seeds=[1, 1]), 'seeds must be distinct'),
])
def test_bad_seeds(tmp_path, extra, match):
    with pytest.raises(ValueError, match=match):
        load_plan(write_pipeline(tmp_path, two_phases(), **extra))


def test_camvid_refiners_run_under_three_seeds():
    plan = load_plan(osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/pipeline.py'))
    names = [p.name for p in plan.phases]
    for refiner in ('refine_sia', 'refine_s0', 'refine_noguide', 'refine_gtguide'):
        for seed in (1, 2):
            assert f'{refiner}_seed{seed}' in names and f'test_{refiner}_seed{seed}' in names
    assert plan.phase('refine_sia_seed2').overrides['randomness.seed'] == 2
    assert not any(name.startswith('seg_') and '_seed' in name for name in names)


def test_segmentation_study_holds_the_s0_phases_only():
    plan = load_plan(osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/pipeline_seg_s0.py'))
    assert [p.name for p in plan.phases] == [
        'seg_step1_s0', 'seg_step4_s0', 'test_seg_step1_s0_clean', 'test_seg_step4_s0_clean',
        'seg_step1_s0_seed1', 'seg_step4_s0_seed1', 'test_seg_step1_s0_clean_seed1',
        'test_seg_step4_s0_clean_seed1']
    assert plan.phase('seg_step4_s0_seed1').overrides['randomness.seed'] == 1


def test_inpainting_aware_study_tests_step2_sia_on_both_views_per_seed():
    """pipeline_seg_sia.py: G_c once, then step 2's S_ia per seed, each tested on I_inc (whole,
    holes, known pixels) and on the clean images, with the method's phase settings."""
    study = load_plan(osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/pipeline_seg_sia.py'))
    assert [p.name for p in study.phases] == [
        'coarse', 'seg_step2_sia', 'test_seg_step2_sia_i_inc', 'test_seg_step2_sia_clean',
        'seg_step2_sia_seed1', 'test_seg_step2_sia_i_inc_seed1',
        'test_seg_step2_sia_clean_seed1']
    whole = load_plan(osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/pipeline.py'), seeds=[0])
    step2 = dict(study.phase('seg_step2_sia').overrides)
    assert step2.pop('randomness.seed') == 0
    assert step2 == whole.phase('seg_step2_sia').overrides
    assert study.phase('seg_step2_sia_seed1').overrides['randomness.seed'] == 1
    inpainted = study.phase('test_seg_step2_sia_i_inc').overrides
    assert [e.get('region') for e in inpainted['test_evaluator']] == [None, 'hole', 'known']
    clean = study.phase('test_seg_step2_sia_clean_seed1')
    assert clean.tested_phase == 'seg_step2_sia_seed1'
    assert clean.overrides['model.inpaint_on_test'] is False
    assert {p.report['prefix'] for p in study.phases if p.report} == {'I_inc ', 'clean '}


def test_long_inpainting_aware_study_stretches_only_sia_schedule_of_every_seed():
    """pipeline_seg_sia_long.py: pipeline_seg_sia.py with each seed's S_ia trained 1200
    iterations on the stretched poly schedule, all else (G_c, the tests) unchanged."""
    checkpoints = {'coarse': 'coarse.pth'}
    plans = {name: load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/camvid/{name}.py'),
                             work_root='runs')
             for name in ('pipeline_seg_sia', 'pipeline_seg_sia_long')}
    short, long = plans['pipeline_seg_sia'], plans['pipeline_seg_sia_long']
    assert [p.name for p in long.phases] == [p.name for p in short.phases]
    for name in ('seg_step2_sia', 'seg_step2_sia_seed1'):
        stretched = phase_config(long, long.phase(name), checkpoints).to_dict()
        plain = phase_config(short, short.phase(name), checkpoints).to_dict()
        assert (plain['train_cfg']['max_iters'], stretched['train_cfg']['max_iters']) == (
            600, 1200)
        assert [s['end'] for s in stretched['param_scheduler']] == [1200]
        assert stretched['default_hooks']['checkpoint']['interval'] == 300
        for key in ('train_cfg', 'param_scheduler', 'default_hooks'):
            stretched.pop(key), plain.pop(key)
        assert stretched == plain
    schedule = ('train_cfg.max_iters', 'param_scheduler', 'default_hooks.checkpoint.interval')
    for phase in short.phases:  # S_ia's tests read its config, schedule included
        stretched = {k: v for k, v in long.phase(phase.name).overrides.items()
                     if k not in schedule}
        assert stretched == phase.overrides, phase.name


@pytest.mark.parametrize('study', ['pipeline_seg_sia', 'pipeline_seg_epochs'])
def test_nested_split_study_changes_only_the_split_files(study):
    """<study>_nested.py: <study>.py with every label-ratio split drawn nested, in files of their
    own (every phase's datasets name one); nothing else in any phase differs."""
    plans = {name: load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/camvid/{name}.py'),
                             label_ratio=0.25, work_root='runs')
             for name in (study, f'{study}_nested')}
    independent, nested = plans[study], plans[f'{study}_nested']
    assert (independent.split_draw, nested.split_draw) == ('independent', 'nested')
    assert [p.name for p in nested.phases] == [p.name for p in independent.phases]
    checkpoints = {p.name: f'{p.name}.pth' for p in independent.phases if p.kind == 'train'}
    for phase in independent.phases:
        drawn = phase_config(nested, nested.phase(phase.name), checkpoints)
        plain = phase_config(independent, phase, checkpoints)
        assert 'split_draw' not in plain.pretty_text
        assert 'camvid_ratio0.25_seed0.txt' in plain.pretty_text, phase.name
        assert 'camvid_ratio0.25_seed0.txt' not in drawn.pretty_text
        assert 'camvid_ratio0.25_seed0_nested.txt' in drawn.pretty_text, phase.name
        expected = plain.to_dict()
        set_data(expected, nested.data_root, 0.25, 'nested')
        assert drawn.to_dict() == expected, phase.name


@pytest.mark.parametrize('ratio, iterations', [(0.125, 600), (0.25, 600), (0.5, 1200)])
def test_budgeted_step2_study_is_the_nested_chains_step2(ratio, iterations):
    """pipeline_seg_sia_nested_epochs.py: the phases of pipeline_seg_sia_nested.py, with step 2
    and its tests resolving to the configs of pipeline_seg_epochs_nested.py's (1200 iterations at
    1/2, 600 at 1/8 and 1/4), at another split seed as well."""
    plans = {name: load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/camvid/{name}.py'),
                             label_ratio=ratio, work_root='runs', split_seed=2)
             for name in ('pipeline_seg_sia_nested', 'pipeline_seg_sia_nested_epochs',
                          'pipeline_seg_epochs_nested')}
    alone, study = plans['pipeline_seg_sia_nested'], plans['pipeline_seg_sia_nested_epochs']
    chain = plans['pipeline_seg_epochs_nested']
    assert [p.name for p in study.phases] == [p.name for p in alone.phases]
    checkpoints = {p.name: f'{p.name}.pth' for p in chain.phases if p.kind == 'train'}
    for name in ('seg_step2_sia', 'test_seg_step2_sia_i_inc'):
        budgeted = phase_config(study, study.phase(name), checkpoints)
        assert budgeted.to_dict() == phase_config(chain, chain.phase(name), checkpoints).to_dict()
        assert f'camvid_ratio{ratio}_seed2_nested.txt' in budgeted.pretty_text
    assert phase_config(study, study.phase('seg_step2_sia'),
                        checkpoints).train_cfg.max_iters == iterations


def test_unknown_split_draw_is_refused(tmp_path):
    with pytest.raises(ValueError, match='split draw must be one of'):
        load_plan(write_pipeline(tmp_path, two_phases(), split_draw='stratified'))


@pytest.mark.parametrize('ratio, iterations', [(0.125, 600), (0.25, 600), (0.5, 1200)])
def test_epoch_budget_study_trains_the_method_segmentors_with_sia_by_labelled_images(
        ratio, iterations):
    """pipeline_seg_epochs.py: pipeline.py's segmentation phases (no refiners), the no-filter
    baseline last, and step 2's S_ia 1200 iterations at 1/2, 600 at 1/8 and 1/4; every other
    phase as in the method."""
    method, study = (load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/camvid/{name}.py'),
                               label_ratio=ratio, work_root='runs')
                     for name in ('pipeline', 'pipeline_seg_epochs'))
    names = [p.name for p in study.phases]
    assert names[-2:] == ['seg_nofilter_sia', 'test_seg_nofilter_sia_i_inc']
    assert sorted(names) == sorted(p.name for p in method.phases
                                   if p.name == 'coarse' or 'seg_' in p.name)
    assert names.index('test_seg_step5_sia_i_inc') < names.index('seg_nofilter_sia')
    assert (study.data_root, study.label_ratio) == (method.data_root, method.label_ratio)
    checkpoints = {name: f'{name}.pth' for name in names}
    for name in names:
        if name not in ('seg_step2_sia', 'test_seg_step2_sia_i_inc'):
            # the same phase resolves to the same config (phase_config reads nothing else)
            assert study.phase(name) == method.phase(name), name
            continue
        stretched = phase_config(study, study.phase(name), checkpoints).to_dict()
        plain = phase_config(method, method.phase(name), checkpoints).to_dict()
        assert stretched['train_cfg']['max_iters'] == iterations
        assert [s['end'] for s in stretched['param_scheduler']] == [iterations]
        for key in ('train_cfg', 'param_scheduler'):
            stretched.pop(key), plain.pop(key)
        assert stretched == plain, name


def test_epoch_budget_study_reseeds_its_whole_segmentation_chain():
    """pipeline_seg_epochs.py --seeds 1: every segmentation phase, tests included, at seed 1
    under its own name (each student beside its own seed's teacher); G_c stays as it is."""
    path = osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/pipeline_seg_epochs.py')
    seed0, seed1 = (load_plan(path, work_root='runs', seeds=seeds) for seeds in ([0], [1]))
    assert [p.name for p in seed1.phases] == [p.name for p in seed0.phases]
    for phase in seed1.phases:
        expected = None if phase.name == 'coarse' else 1
        assert phase.overrides.get('randomness.seed') == expected, phase.name
        plain = {k: v for k, v in phase.overrides.items() if k != 'randomness.seed'}
        assert plain == seed0.phase(phase.name).overrides, phase.name


def segmentation_study_configs(variant, base='pipeline_seg_s0'):
    """Step 1's and step 4's resolved configs in a segmentation study (pipeline_seg_s0.py unless
    told) and in a variant of it, each keyed by its config's name (the teacher's checkpoint a
    fixed name)."""
    checkpoints = {'seg_step1_s0': 'teacher.pth'}
    configs = {}
    for name in (base, variant):
        plan = load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/camvid/{name}.py'),
                         work_root='runs', seeds=[0])
        configs[name] = {phase: phase_config(plan, plan.phase(phase), checkpoints).to_dict()
                         for phase in ('seg_step1_s0', 'seg_step4_s0')}
    return configs


PER_CLASS_ALIGNED = dict(selection='per_class', align_class_distribution='labels')


@pytest.mark.parametrize('base, variant, options', [
    ('pipeline_seg_s0', 'pipeline_seg_s0_confidence', dict(ranking='confidence')),
    ('pipeline_seg_s0', 'pipeline_seg_s0_per_class', PER_CLASS_ALIGNED),
    ('pipeline_seg_s0_retrain', 'pipeline_seg_s0_retrain_per_class', PER_CLASS_ALIGNED),
])
def test_round1_variants_change_only_the_round1_hooks(base, variant, options):
    """The control (ranked by the teacher's confidence) and the per-class studies are their
    segmentation study with step 1's round-1 hooks given their options and nothing else."""
    configs = segmentation_study_configs(variant, base)
    method, study = configs[base], configs[variant]
    round1 = [h for h in study['seg_step1_s0']['custom_hooks']
              if h['type'] == 'CrossImagePseudoLabelHook']
    assert [h['out_dir'] for h in round1] == ['pseudo_round1_reliable', 'pseudo_round1_all']
    assert all(key not in hook for hook in method['seg_step1_s0']['custom_hooks']
               for key in options)
    for hook in round1:
        assert {key: hook.pop(key) for key in options} == options
    assert study == method


def test_long_teacher_study_changes_only_the_teachers_schedule():
    """The long-teacher study is the segmentation study with step 1 trained 1800 iterations on
    the stretched poly schedule; the student's phase is the same."""
    configs = segmentation_study_configs('pipeline_seg_s0_long_teacher')
    method, study = configs['pipeline_seg_s0'], configs['pipeline_seg_s0_long_teacher']
    teacher, plain = study['seg_step1_s0'], method['seg_step1_s0']
    assert (plain['train_cfg']['max_iters'], teacher['train_cfg']['max_iters']) == (600, 1800)
    assert [s['end'] for s in teacher['param_scheduler']] == [1800]
    assert teacher['default_hooks']['checkpoint']['interval'] == 300
    for key in ('train_cfg', 'param_scheduler', 'default_hooks'):
        teacher.pop(key), plain.pop(key)
    assert teacher == plain
    assert study['seg_step4_s0'] == method['seg_step4_s0']


def test_retrain_study_retrains_the_step4_s0_with_cisc_r_batches():
    """pipeline_seg_s0_retrain.py: G_c, the teacher and its tests as in the method; the step-4 S0
    retrained from the initial weights on the teacher's schedule (not fine-tuned from it), with
    8 labelled + 8 pseudo-labelled images a batch, the two CE means added, and no round 2."""
    plans = {name: load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/camvid/{name}.py'),
                             work_root='runs', seeds=[0])
             for name in ('pipeline', 'pipeline_seg_s0_retrain')}
    study = plans['pipeline_seg_s0_retrain']
    names = [p.name for p in study.phases]
    assert names == ['coarse', 'seg_step1_s0', 'seg_step4_s0', 'test_seg_step1_s0_clean',
                     'test_seg_step1_s0_i_inc', 'test_seg_step4_s0_clean',
                     'test_seg_step4_s0_i_inc']
    checkpoints = {name: f'{name}.pth' for name in names}
    method, retrain = ({name: phase_config(plan, plan.phase(name), checkpoints).to_dict()
                        for name in names} for plan in plans.values())
    for name in names:
        if 'step4' not in name:
            assert retrain[name] == method[name], name
    teacher, student, finetuned = (retrain['seg_step1_s0'], retrain['seg_step4_s0'],
                                   method['seg_step4_s0'])
    assert finetuned['load_from'] == 'seg_step1_s0.pth'
    assert student['load_from'] == teacher['load_from'] is None
    for key in ('train_cfg', 'param_scheduler', 'optim_wrapper'):
        assert student[key] == teacher[key], key
    loader = student['train_dataloader']
    assert (loader['batch_size'], loader['batch_sampler']) == (
        16, dict(type='LabelledPseudoBatchSampler'))
    assert student['model']['pseudo_label_loss_average'] == 'separate'
    def hooks(config):
        return [hook['type'] for hook in config['custom_hooks']]
    assert hooks(student) == ['ProgressBarHook']
    assert hooks(finetuned) == ['CrossImagePseudoLabelHook', 'RecorrectionAuditHook',
                               'ProgressBarHook']
    for key in ('load_from', 'train_cfg', 'param_scheduler', 'optim_wrapper', 'custom_hooks'):
        student.pop(key), finetuned.pop(key)
    student['train_dataloader'].pop('batch_sampler')
    student['train_dataloader']['batch_size'] = finetuned['train_dataloader']['batch_size']
    student['model'].pop('pseudo_label_loss_average')  # the model's default: one mean
    assert student == finetuned


STUDENTS = {'seg_step4_s0': 'seg_step1_s0', 'seg_step4_sia': 'seg_step2_sia',
            'seg_step5_sia': 'seg_step4_sia', 'seg_nofilter_sia': 'seg_step2_sia'}


def test_retrained_per_class_chain_carries_the_protocol_into_every_student():
    """pipeline_seg_retrain_per_class.py: the method's segmentation phases, each test right after
    the phase it scores; every pseudo-label round given the two switches; every student retrained
    on its teacher's schedule with CISC-R's batches; nothing else changed."""
    plans = {name: load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/camvid/{name}.py'),
                             work_root='runs', seeds=[0])
             for name in ('pipeline', 'pipeline_seg_retrain_per_class')}
    study = plans['pipeline_seg_retrain_per_class']
    names = [p.name for p in study.phases]
    assert sorted(names) == sorted(p.name for p in plans['pipeline'].phases
                                   if p.name == 'coarse' or 'seg_' in p.name)
    for phase in study.phases:
        if phase.kind == 'test':
            assert names.index(phase.tested_phase) < names.index(phase.name)
            following = names[names.index(phase.tested_phase) + 1:names.index(phase.name)]
            assert all(study.phase(n).kind == 'test' for n in following), phase.name
    checkpoints = {name: f'{name}.pth' for name in names}
    method, chain = ({name: phase_config(plan, plan.phase(name), checkpoints).to_dict()
                      for name in names} for plan in plans.values())
    teachers = copy.deepcopy(chain)  # the loop below takes chain's configs apart
    for name in names:
        trained = study.phase(name).tested_phase or name
        ours, theirs = chain[name], method[name]
        if trained in STUDENTS:
            teacher = teachers[STUDENTS[trained]]
            assert theirs['load_from'] == f'{STUDENTS[trained]}.pth'
            assert ours['load_from'] is teacher['load_from'] is None
            for key in ('train_cfg', 'param_scheduler', 'optim_wrapper'):
                assert ours.pop(key) == teacher[key], (name, key)
                theirs.pop(key)
            ours.pop('load_from'), theirs.pop('load_from')
            loader = ours['train_dataloader']
            assert (loader.pop('batch_size'), loader.pop('batch_sampler')) == (
                16, dict(type='LabelledPseudoBatchSampler'))
            theirs['train_dataloader'].pop('batch_size')
            assert ours['model'].pop('pseudo_label_loss_average') == 'separate'
        rounds = [hook for hook in ours['custom_hooks']
                  if hook['type'] == 'CrossImagePseudoLabelHook']
        assert len(rounds) == {'seg_step1_s0': 2, 'seg_step4_s0': 1}.get(trained, 0), name
        for hook in rounds:
            assert {key: hook.pop(key) for key in PER_CLASS_ALIGNED} == PER_CLASS_ALIGNED
        assert ours == theirs, name


def test_refiner_study_runs_the_guide_free_comparison_first():
    study = load_plan(osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/pipeline_refine_study.py'),
                      seeds=[0])
    names = [p.name for p in study.phases]
    assert names[:3] == ['coarse', 'refine_noguide', 'refine_gtguide']
    assert names.index('test_refine_gtguide') < names.index('seg_step1_s0')
    whole = load_plan(osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/pipeline.py'), seeds=[0])
    for name in names:  # the whole method's phases, unchanged but for step 3's rounds
        study_overrides = dict(study.phase(name).overrides)
        whole_overrides = dict(whole.phase(name).overrides)
        if 'seg_step1_s0' in name:  # the phase and its test (which reads its config)
            assert study_overrides.pop('custom_hooks') == []
            whole_overrides.pop('custom_hooks')
        assert study_overrides == whole_overrides, name


RECORRECTION_STUDIES = {
    # config: (its base chain, the step-5 variant it adds, that variant's recorrection)
    'pipeline_seg_retrain_no_recorrection': ('pipeline_seg_retrain_per_class', 'plain', None),
    'pipeline_seg_retrain_class_mean': ('pipeline_seg_retrain_no_recorrection', 'class_mean',
                                        'class_mean'),
}


@pytest.mark.parametrize('name', sorted(RECORRECTION_STUDIES))
def test_recorrection_studies_add_one_step5_variant(name):
    """pipeline_seg_retrain_no_recorrection.py: the retrained per-class chain unchanged, plus step
    5's student on the same pseudo-labels and schedule without the recorrection weights;
    pipeline_seg_retrain_class_mean.py: that, plus the same student with the weights normalised
    per class. Each variant is seeded like step 5 and tested on I_inc like it."""
    base_name, variant, normalise = RECORRECTION_STUDIES[name]
    chain, study = (load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/camvid/{config}.py'),
                              work_root='runs', seeds=[1]) for config in (base_name, name))
    phase_name = f'seg_step5_sia_{variant}'
    names = [p.name for p in study.phases]
    assert names == [p.name for p in chain.phases] + [phase_name, f'test_{phase_name}_i_inc']
    # the base chain's phases unchanged: phase_config is a function of the plan and the phase
    assert study.phases[:len(chain.phases)] == chain.phases
    assert (study.name, study.data_root, study.label_ratio, study.tables) == (
        chain.name, chain.data_root, chain.label_ratio, chain.tables)
    checkpoints = {name: f'{name}.pth' for name in names}
    ours, step5 = (phase_config(study, study.phase(name), checkpoints).to_dict()
                   for name in (phase_name, 'seg_step5_sia'))
    assert study.phase(phase_name).overrides['randomness.seed'] == 1
    weighting = step5['model'].pop('pseudo_label_weighting')
    assert weighting['teacher']['checkpoint'] == 'seg_step4_s0.pth'
    assert ours['model'].pop('pseudo_label_weighting') == (
        None if normalise is None else dict(weighting, normalise=normalise))
    for phase, config in ((phase_name, ours), ('seg_step5_sia', step5)):
        assert config.pop('work_dir') == f'runs/{phase}'
        # the audit hook stays; on the plain student it finds no recorrection and skips
        assert config.pop('custom_hooks') == [dict(type='RecorrectionAuditHook'),
                                              dict(type='ProgressBarHook', desc=phase)]
    assert ours == step5
    test = study.phase(f'test_{phase_name}_i_inc')
    assert test.tested_phase == phase_name
    ours, theirs = (dict(study.phase(name).overrides)
                    for name in (f'test_{phase_name}_i_inc', 'test_seg_step5_sia_i_inc'))
    ours.pop('model.pseudo_label_weighting', None)  # the tested phase's, unused in tests
    theirs.pop('model.pseudo_label_weighting')
    assert ours == theirs


@pytest.mark.parametrize('ratio, iterations', [(0.125, 300), (0.25, 300), (0.5, 600)])
def test_budgeted_students_study_is_the_nested_chain_but_its_sia_students(ratio, iterations):
    """pipeline_seg_epochs_nested_students.py: the nested chain's phases, each resolving to the
    chain's config but S_ia's students, fine-tuned from their teacher for half step 2's budget
    (300 at 1/8 and 1/4, as the chain's; 600 at 1/2), the two-step baseline for all of it."""
    chain, study = (load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/camvid/{name}.py'),
                              label_ratio=ratio, work_root='runs')
                    for name in ('pipeline_seg_epochs_nested',
                                 'pipeline_seg_epochs_nested_students'))
    assert [p.name for p in study.phases] == [p.name for p in chain.phases]
    checkpoints = {p.name: f'{p.name}.pth' for p in chain.phases if p.kind == 'train'}
    students = ('seg_step4_sia', 'seg_step5_sia', 'seg_nofilter_sia')
    for phase in study.phases:
        budgeted = phase_config(study, phase, checkpoints)
        same = budgeted.to_dict() == phase_config(chain, chain.phase(phase.name),
                                                  checkpoints).to_dict()
        trains_a_student = phase.name in students or phase.tested_phase in students
        assert same == (ratio < 0.5 or not trains_a_student), phase.name
    for name, teacher, steps in zip(students, ('seg_step2_sia', 'seg_step4_sia',
                                               'seg_step2_sia'), (1, 1, 2)):
        cfg = phase_config(study, study.phase(name), checkpoints)
        assert cfg.train_cfg.max_iters == iterations * steps
        assert [s['end'] for s in cfg.param_scheduler] == [iterations * steps]
        assert (cfg.load_from, cfg.optim_wrapper.optimizer.lr) == (f'{teacher}.pth', 0.0025)


@pytest.mark.parametrize('ratio, iterations', [(0.125, 600), (0.5, 1200)])
def test_students_baseline_study_is_the_students_chains_baseline_and_its_inputs(ratio,
                                                                                 iterations):
    """pipeline_seg_nested_students_nofilter.py: of pipeline_seg_epochs_nested_students.py's
    phases only step 1's S0, step 2's S_ia, the no-filter baseline and their tests, in the
    chain's order, each resolving to the chain's config (the baseline two students' budget)."""
    chain, study = (load_plan(osp.join(REPO_ROOT, f'configs/fr_inpaint/camvid/{name}.py'),
                              label_ratio=ratio, work_root='runs', seeds=[1])
                    for name in ('pipeline_seg_epochs_nested_students',
                                 'pipeline_seg_nested_students_nofilter'))
    kept = ('coarse', 'seg_step1_s0', 'seg_step2_sia', 'seg_nofilter_sia')
    assert [p.name for p in study.phases] == [
        p.name for p in chain.phases if p.name in kept or p.tested_phase in kept]
    assert len(study.phases) == 8
    checkpoints = {p.name: f'{p.name}.pth' for p in chain.phases if p.kind == 'train'}
    for phase in study.phases:
        assert (phase_config(study, phase, checkpoints).to_dict()
                == phase_config(chain, chain.phase(phase.name), checkpoints).to_dict()), phase.name
    baseline = phase_config(study, study.phase('seg_nofilter_sia'), checkpoints)
    assert baseline.train_cfg.max_iters == iterations
    assert baseline.load_from == 'seg_step2_sia.pth'
