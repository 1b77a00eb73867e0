"""The demo pipeline (configs/fr_inpaint/demo/pipeline.py), chained as the driver chains it:
each phase's config from ``phase_config`` (same ``set`` overrides, ``{phase.*}`` references
resolved to the earlier phases of this test), run by an in-process Runner on the tiny 64x64 demo
data: train phases for 2 iterations, test phases on the tested phase's checkpoint. Checks that
the pseudo-label rounds land where the next steps read them, that step 5 reads round 2 before
round 1, that every refine variant trains and that every test phase fills its table row. The
coarse phase runs coarse_tiny.py (same model type, narrow) to keep the chain fast."""
import csv
import json
import os.path as osp
from dataclasses import replace
from glob import glob

import pytest
from mmengine.dataset import Compose
from mmengine.hooks import Hook
from mmengine.registry import DATASETS
from mmengine.runner import Runner

from fr_inpaint_plugin.pipeline import INPAINTING_COLUMNS, load_plan, phase_config
from fr_inpaint_plugin.pipeline.run import last_checkpoint
from tests.conftest import REPO_ROOT, TINY_SIZE

DEMO = 'configs/fr_inpaint/demo/'
ITERS = 2


def tiny_plan(demo_root, work_root):
    """The demo plan on the tiny data, its coarse stage swapped for coarse_tiny.py everywhere
    (the coarse phase and every frozen-stage reference to it)."""
    plan = load_plan(osp.join(REPO_ROOT, DEMO, 'pipeline.py'), data_root=demo_root,
                     work_root=str(work_root))
    tiny = osp.join(DEMO, 'coarse_tiny.py')

    def swap(value):
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return tiny if value == osp.join(DEMO, 'coarse.py') else value

    plan.phases = [replace(p, config=swap(p.config), overrides=swap(p.overrides))
                   for p in plan.phases]
    return plan


def shrink(cfg, name):
    """2 iterations, one checkpoint, 64x64, no worker processes (the pseudo-label hooks take
    the train loader's), a Runner name of its own. (The train phases have no val loader; the
    parameter-free floor has no training part.)"""
    cfg.experiment_name = name
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(loader) is not None:
            cfg[loader].num_workers = 0
            cfg[loader].dataset.img_size = (TINY_SIZE, TINY_SIZE)
    if cfg.get('train_cfg') is None:
        return cfg
    cfg.train_dataloader.batch_size = 2
    cfg.train_cfg.update(max_iters=ITERS, val_interval=ITERS)
    for scheduler in cfg.get('param_scheduler') or []:
        scheduler['end'] = ITERS
    cfg.default_hooks.checkpoint.interval = ITERS
    cfg.default_hooks.logger.interval = 1
    return cfg


class KeepTestMetrics(Hook):
    """MMagic's MultiTestLoop returns no metrics (tools/test.py keeps them the same way)."""

    def after_test_epoch(self, runner, metrics=None):
        self.metrics = metrics


def run_phases(plan, adjust=lambda cfg: cfg):
    """Runs every phase of ``plan`` in order, each config shrunk (and ``adjust``-ed); returns
    each train phase's resolved config and each test phase's metrics."""
    checkpoints, configs, metrics = {}, {}, {}
    for phase in plan.phases:
        cfg = adjust(shrink(phase_config(plan, phase, checkpoints), phase.name))
        if phase.kind == 'test':  # as tools/test.py runs it
            cfg.load_from = checkpoints.get(phase.tested_phase)  # None: the OpenCV floor
            cfg.train_dataloader = cfg.train_cfg = cfg.optim_wrapper = cfg.param_scheduler = None
            runner, kept = Runner.from_cfg(cfg), KeepTestMetrics()
            runner.register_hook(kept)
            runner.test()
            metrics[phase.name] = kept.metrics
            continue
        Runner.from_cfg(cfg).train()
        checkpoints[phase.name] = last_checkpoint(cfg.work_dir)
        assert checkpoints[phase.name] is not None, phase.name
        configs[phase.name] = cfg
    return configs, metrics


@pytest.fixture(scope='module')
def chain(demo_root, tmp_path_factory):
    """The demo plan, each train phase's resolved config and each test phase's metrics."""
    plan = tiny_plan(demo_root, tmp_path_factory.mktemp('demo_pipeline'))
    return (plan, *run_phases(plan))


def round_files(folder):
    with open(osp.join(folder, 'split.json')) as file:
        split = json.load(file)
    with open(osp.join(folder, 'scores.csv')) as file:
        scores = list(csv.reader(file))
    return split, scores, pngs(folder)


def pngs(folder):
    """The pseudo-label PNGs of a round (the audit's chart beside them is not one)."""
    return sorted(path for path in glob(osp.join(folder, '**', '*.png'), recursive=True)
                  if path != osp.join(folder, 'audit.png'))


def test_pseudo_label_rounds_where_the_next_steps_read_them(chain):
    plan, configs, _ = chain
    step1 = plan.work_dir('seg_step1_s0')
    read_by = {name: list(configs[name].train_dataloader.dataset.pseudo_label_dirs)
               for name in ('seg_step4_s0', 'seg_step4_sia', 'seg_step5_sia',
                            'seg_nofilter_sia')}
    reliable, everything = osp.join(step1, 'pseudo_round1_reliable'), osp.join(
        step1, 'pseudo_round1_all')
    round2 = osp.join(plan.work_dir('seg_step4_s0'), 'pseudo_round2_unreliable')
    assert read_by['seg_step4_s0'] == read_by['seg_step4_sia'] == [reliable]
    assert read_by['seg_nofilter_sia'] == [everything]
    assert read_by['seg_step5_sia'] == [round2, reliable]  # round 2 searched first
    # the tiny data: 2 unlabelled images, half of them reliable
    for folder, count in ((reliable, 1), (everything, 2), (round2, 1)):
        split, scores, labels = round_files(folder)
        assert len(labels) == count, folder
        assert len(scores) >= count and split
    assert not set(map(osp.basename, pngs(reliable))) & set(
        map(osp.basename, pngs(round2)))  # round 2 relabels the unreliable part only
    # the demo keeps the unlabelled images' labels apart: rounds 1 and 2 are audited
    for folder, audited in ((reliable, 2), (round2, 1)):
        with open(osp.join(folder, 'audit.json')) as file:
            assert json.load(file)['summary']['num_audited'] == audited
        assert osp.isfile(osp.join(folder, 'audit.md'))
    assert not osp.exists(osp.join(everything, 'audit.json'))


def test_step5_items_take_round2_then_round1_labels(chain):
    """Round 2 relabelled round 1's unreliable image: step 5 must train on that new label
    (round 2 searched first) and on round 1's label of the reliable image."""
    plan, configs, _ = chain
    dataset_cfg = configs['seg_step5_sia'].train_dataloader.dataset.copy()
    dataset_cfg.pipeline = []
    dataset = DATASETS.build(dataset_cfg)
    load = Compose([dict(type='LoadCheckedImage', key='gt', channel_order='rgb'),
                    dict(type='LoadSemanticLabel'), dict(type='LoadPseudoLabel')])
    round2, round1 = dataset_cfg.pseudo_label_dirs
    used = [load(dataset.get_data_info(i))['pseudo_label_path'] for i in range(len(dataset))
            if not dataset.get_data_info(i)['labelled']]
    assert sorted(path.startswith(round2) for path in used) == [False, True]
    assert sorted(path.startswith(round1) for path in used) == [False, True]


def test_students_draw_labelled_and_pseudo_labelled_items_only(chain):
    """A student's training list: the labelled items repeated ceil(U / L) times and the U
    unlabelled items its rounds pseudo-label (step 4: round 1's reliable one of the two)."""
    _, configs, _ = chain
    for name, pseudo_labelled in (('seg_step4_s0', 1), ('seg_step5_sia', 2),
                                  ('seg_nofilter_sia', 2)):
        dataset_cfg = configs[name].train_dataloader.dataset.copy()
        assert dataset_cfg.label_filter == 'pseudo_labelled' and dataset_cfg.balance_labelled
        dataset_cfg.pipeline = []
        dataset = DATASETS.build(dataset_cfg)
        infos = [dataset.get_data_info(i) for i in range(len(dataset))]
        labelled = [info for info in infos if info['labelled']]
        unlabelled = [info for info in infos if not info['labelled']]
        assert len(unlabelled) == pseudo_labelled, name
        distinct = {info['img_key'] for info in labelled}
        assert len(labelled) == len(distinct) * -(-pseudo_labelled // len(distinct)), name


class RecordBatches(Hook):
    """Which items (labelled or not) each training batch held."""

    def __init__(self):
        self.batches = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.batches.append([sample.metainfo['labelled']
                             for sample in data_batch['data_samples']])


def test_a_student_trains_on_cisc_r_batches(chain, tmp_path):
    """The step-4 S0 with CISC-R's batches (LabelledPseudoBatchSampler, 2 + 2) and two CE means
    trains through the Runner on its real training list, recorrection included."""
    _, configs, _ = chain
    cfg = configs['seg_step4_s0'].copy()
    cfg.work_dir = str(tmp_path)
    cfg.experiment_name = 'cisc_r_batches'
    cfg.custom_hooks = []  # no round 2
    cfg.train_dataloader.batch_size = 4
    cfg.train_dataloader.batch_sampler = dict(type='LabelledPseudoBatchSampler')
    cfg.model.pseudo_label_loss_average = 'separate'
    runner, recorded = Runner.from_cfg(cfg), RecordBatches()
    runner.register_hook(recorded)
    runner.train()
    assert recorded.batches == [[True, True, False, False]] * ITERS
    assert last_checkpoint(str(tmp_path)) is not None


def test_every_refine_variant_trains_on_its_guide(chain):
    plan, configs, _ = chain
    guides = {name: (cfg.model.guide, cfg.model.segmentor and (
        cfg.model.segmentor.config, osp.relpath(cfg.model.segmentor.checkpoint, plan.work_root)))
        for name, cfg in configs.items() if name.startswith('refine')}
    assert guides == {'refine_sia': ('segmentor', (DEMO + 'seg.py', 'seg_step5_sia/iter_2.pth')),
                      'refine_s0': ('segmentor', (DEMO + 'seg.py', 'seg_step1_s0/iter_2.pth')),
                      'refine_noguide': ('none', None),
                      'refine_gtguide': ('gt', None)}
    assert configs['refine_gtguide'].train_dataloader.dataset.label_filter == 'labelled'


def test_every_test_phase_fills_its_table_row(chain):
    plan, _, metrics = chain
    for phase in plan.phases:
        if phase.kind != 'test':
            continue
        if phase.report['table'] == 'inpainting':
            assert set(INPAINTING_COLUMNS) <= set(metrics[phase.name]), phase.name
        else:
            scores = metrics[phase.name]
            assert {'mIoU', 'aAcc'} <= set(scores), phase.name
            if phase.name.endswith('_i_inc'):
                # the holes and the known pixels split the image: its accuracy lies between
                hole, known = scores['hole/aAcc'], scores['known/aAcc']
                assert min(hole, known) - 0.01 <= scores['aAcc'] <= max(hole, known) + 0.01
                assert {'hole/mIoU', 'known/mIoU'} <= set(scores), phase.name
            else:
                assert 'hole/mIoU' not in scores, phase.name
