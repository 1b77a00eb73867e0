"""CrossImagePseudoLabelHook on a tiny ConsistencySegmentor and the 64x64 demo data."""
import csv
import glob
import json
import math
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from PIL import Image

from fr_inpaint_plugin.datasets.transforms.load_pseudo_label import (
    LoadPseudoLabel,
    pseudo_label_relpath,
)
from fr_inpaint_plugin.engine.hooks import CrossImagePseudoLabelHook
from fr_inpaint_plugin.engine.hooks import pseudo_label_hook as hook_module

from ...conftest import REPO_ROOT, TINY_SIZE

SEG_TINY = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/seg_tiny.py')
NUM_CLASSES = 6  # DemoScenesDataset


def hook_cfg(**kwargs):
    return dict(type='CrossImagePseudoLabelHook', out_dir='pseudo_labels/round1', **kwargs)


def tiny_runner(demo_root, work_dir, train_dataset=None, **hook_kwargs) -> Runner:
    """seg_tiny.py on the 64x64 demo data; the hook labels its training set."""
    cfg = Config.fromfile(SEG_TINY)
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[name].dataset.data_root = demo_root
        cfg[name].dataset.img_size = (TINY_SIZE, TINY_SIZE)
        cfg[name].num_workers = 0
    cfg.train_dataloader.dataset.update(train_dataset or {})
    cfg.train_cfg.max_iters = 1
    cfg.work_dir = str(work_dir)
    cfg.custom_hooks = [hook_cfg(**hook_kwargs)]
    return Runner.from_cfg(cfg)


def the_hook(runner) -> CrossImagePseudoLabelHook:
    return next(h for h in runner.hooks if isinstance(h, CrossImagePseudoLabelHook))


def unlabelled_keys(demo_root):
    from mmagic.registry import DATASETS
    dataset = DATASETS.build(dict(type='DemoScenesDataset', data_root=demo_root, split='train',
                                  label_filter='unlabelled'))
    return sorted(dataset.get_data_info(i)['img_key'] for i in range(len(dataset)))


@pytest.fixture(scope='module')
def labelled_run(demo_root, tmp_path_factory):
    """One hook run (keep='all') on the untrained tiny segmentor, shared by the checks."""
    runner = tiny_runner(demo_root, tmp_path_factory.mktemp('work_dir'))
    runner.model.train()
    summary = the_hook(runner).run(runner)
    assert runner.model.training  # train mode restored
    return runner, summary, osp.join(runner.work_dir, 'pseudo_labels/round1')


def test_writes_one_png_per_unlabelled_item(labelled_run, demo_root):
    _, summary, out_dir = labelled_run
    keys = unlabelled_keys(demo_root)
    written = sorted(osp.relpath(osp.join(root, name), out_dir).replace(os.sep, '/')
                     for root, _, names in os.walk(out_dir) for name in names
                     if name.endswith('.png'))
    assert written == sorted(pseudo_label_relpath(k) for k in keys)
    assert summary['num_images'] == len(keys) == 2
    for name in written:
        label = np.array(Image.open(osp.join(out_dir, name)))
        assert label.dtype == np.uint8 and label.shape == (TINY_SIZE, TINY_SIZE)
        assert label.max() < NUM_CLASSES


def test_scores_are_ranked_and_split_is_floor_ratio(labelled_run, demo_root):
    _, summary, out_dir = labelled_run
    with open(osp.join(out_dir, 'scores.csv')) as file:
        rows = list(csv.DictReader(file))
    distances = [float(row['distance']) for row in rows]
    assert distances == sorted(distances) and all(not math.isnan(d) for d in distances)
    assert [int(row['rank']) for row in rows] == list(range(len(rows)))
    with open(osp.join(out_dir, 'split.json')) as file:
        split = json.load(file)
    assert split == summary
    assert len(split['reliable']) == math.floor(0.5 * len(rows)) == 1
    assert split['reliable'] + split['unreliable'] == [row['img_key'] for row in rows]
    assert sorted(split['reliable'] + split['unreliable']) == unlabelled_keys(demo_root)
    assert split['threshold'] == pytest.approx(distances[0])
    assert split['reliable_ratio'] == 0.5 and split['keep'] == 'all'


def test_no_temporary_files_left(labelled_run):
    _, _, out_dir = labelled_run
    names = [n for _, _, files in os.walk(out_dir) for n in files]
    assert names and not [n for n in names if n.endswith('.tmp')]


def test_transform_reads_pseudo_labels_back(labelled_run, demo_root):
    runner, summary, out_dir = labelled_run
    key = summary['reliable'][0]
    expected = np.array(Image.open(osp.join(out_dir, pseudo_label_relpath(key))))
    results = dict(gt=np.zeros((TINY_SIZE, TINY_SIZE, 3), np.uint8), labelled=False,
                   img_key=key, gt_seg_map=np.full((TINY_SIZE, TINY_SIZE), 255, np.uint8),
                   num_classes=NUM_CLASSES, ignore_index=255, gt_path=key)
    results = LoadPseudoLabel(out_dir)(results)
    np.testing.assert_array_equal(results['gt_seg_map'], expected)


def test_dataset_pipeline_loads_them_before_the_resize(labelled_run, demo_root):
    from mmagic.registry import DATASETS
    _, summary, out_dir = labelled_run
    pipeline = [dict(type='LoadCheckedImage', key='gt', channel_order='rgb'),
                dict(type='LoadSemanticLabel'),
                dict(type='LoadPseudoLabel', pseudo_label_dir=out_dir),
                dict(type='AlignedResize')]
    dataset = DATASETS.build(dict(type='DemoScenesDataset', data_root=demo_root, split='train',
                                  img_size=(TINY_SIZE // 2, TINY_SIZE // 2), pipeline=pipeline))
    assert len(dataset) == 6  # 4 labelled + 2 unlabelled, as without pseudo-labels
    for index in range(len(dataset)):
        item = dataset[index]
        assert item['gt_seg_map'].shape == (TINY_SIZE // 2, TINY_SIZE // 2)
        if not item['labelled']:
            assert item['pseudo_label_path'] is not None
            assert item['gt_seg_map'].max() < NUM_CLASSES


def test_labels_are_written_at_the_image_file_size(demo_root, tmp_path):
    half = (TINY_SIZE // 2, TINY_SIZE // 2)
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', dataset=dict(
        type='DemoScenesDataset', data_root=demo_root, split='train', img_size=half))
    summary = the_hook(runner).run(runner)
    for key in summary['reliable'] + summary['unreliable']:
        path = osp.join(runner.work_dir, 'pseudo_labels/round1', pseudo_label_relpath(key))
        assert np.array(Image.open(path)).shape == (TINY_SIZE, TINY_SIZE)


def test_keep_reliable_writes_only_reliable_and_removes_stale(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', keep='reliable')
    out_dir = osp.join(runner.work_dir, 'pseudo_labels/round1')
    stale = [osp.join(out_dir, pseudo_label_relpath(k)) for k in unlabelled_keys(demo_root)]
    for path in stale:  # a previous keep='all' run
        os.makedirs(osp.dirname(path), exist_ok=True)
        Image.fromarray(np.zeros((4, 4), np.uint8)).save(path)
    summary = the_hook(runner).run(runner)
    present = sorted(k for k in unlabelled_keys(demo_root)
                     if osp.isfile(osp.join(out_dir, pseudo_label_relpath(k))))
    assert present == sorted(summary['reliable']) and summary['num_written'] == 1


def test_failed_write_keeps_old_files_whole_and_marks_the_round_unfinished(demo_root, tmp_path,
                                                                           monkeypatch):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir')
    out_dir = osp.join(runner.work_dir, 'pseudo_labels/round1')
    old_png = osp.join(out_dir, pseudo_label_relpath(unlabelled_keys(demo_root)[0]))
    os.makedirs(osp.dirname(old_png))
    Image.fromarray(np.full((4, 4), 3, np.uint8)).save(old_png)
    with open(osp.join(out_dir, 'split.json'), 'w') as file:
        file.write('old')

    def failing_replace(src, dst):
        raise OSError('disk full')

    monkeypatch.setattr(hook_module.os, 'replace', failing_replace)
    runner.model.train()
    with pytest.raises(OSError, match='disk full'):
        the_hook(runner).run(runner)
    assert runner.model.training  # restored on error too
    np.testing.assert_array_equal(np.array(Image.open(old_png)), np.full((4, 4), 3))
    # the old round's split.json went first: a folder without one is an unfinished round
    names = sorted(n for _, _, files in os.walk(out_dir) for n in files)
    assert names == [osp.basename(old_png)]  # no temporary left


def test_runs_inside_runner_train_after_training(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', when='after_train')
    runner.train()  # 1 iteration, then the hook
    assert osp.isfile(osp.join(runner.work_dir, 'pseudo_labels/round1/split.json'))


def test_labels_the_whole_training_set_whatever_the_phase_trains_on(demo_root, tmp_path):
    """A step-1 phase trains on its labelled items only, a step-4 phase reads pseudo-labels:
    the teacher still sees every labelled and unlabelled item, without pseudo-labels."""
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', train_dataset=dict(
        label_filter='labelled', pseudo_label_dirs=[str(tmp_path / 'not_written_yet')]))
    summary = the_hook(runner).run(runner)
    assert sorted(summary['reliable'] + summary['unreliable']) == unlabelled_keys(demo_root)


def test_min_confidence_ignores_the_pixels_the_teacher_is_unsure_of(demo_root, tmp_path):
    """The teacher's confidence made 0.9 on the left half and 0.3 on the right: with
    min_confidence 0.5 the right half is written as ignore, the left half as the argmax; the
    ranking is the one without a threshold."""
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', min_confidence=0.5)
    predict = runner.model.predict_pseudo_labels

    def half_confident(inputs):
        teacher = predict(inputs)
        confidence = torch.full_like(teacher.confidence, 0.3)
        confidence[..., :TINY_SIZE // 2] = 0.9
        return teacher._replace(confidence=confidence)

    runner.model.predict_pseudo_labels = half_confident
    hook = the_hook(runner)
    summary = hook.run(runner)
    hook.min_confidence, hook.out_dir = None, 'plain'
    plain_summary = hook.run(runner)
    out_dir, plain_dir = (osp.join(runner.work_dir, name) for name in
                          ('pseudo_labels/round1', 'plain'))
    for key in unlabelled_keys(demo_root):
        plain = np.array(Image.open(osp.join(plain_dir, pseudo_label_relpath(key))))
        label = np.array(Image.open(osp.join(out_dir, pseudo_label_relpath(key))))
        assert (label[:, TINY_SIZE // 2:] == 255).all() and plain.max() < NUM_CLASSES
        np.testing.assert_array_equal(label[:, :TINY_SIZE // 2], plain[:, :TINY_SIZE // 2])
    assert summary['min_confidence'] == 0.5 and summary['ignored_pixel_share'] == 0.5
    assert plain_summary['min_confidence'] is None and plain_summary['ignored_pixel_share'] == 0
    with open(osp.join(plain_dir, 'scores.csv')) as plain, \
            open(osp.join(out_dir, 'scores.csv')) as thresholded:
        assert plain.read() == thresholded.read()


def labelled_class_shares(demo_root) -> np.ndarray:
    """The demo's labelled training pixels per class, as shares, at the tiny working size."""
    from mmagic.registry import DATASETS
    labelled = DATASETS.build(dict(type='DemoScenesDataset', data_root=demo_root, split='train',
                                   label_filter='labelled', img_size=(TINY_SIZE, TINY_SIZE)))
    pixels = np.zeros(NUM_CLASSES)
    for index in range(len(labelled)):
        label = np.array(Image.open(labelled.get_data_info(index)['seg_map_path']).resize(
            (TINY_SIZE, TINY_SIZE), Image.NEAREST))
        pixels += np.bincount(label[label < NUM_CLASSES], minlength=NUM_CLASSES)
    return pixels / pixels.sum()


def with_teacher_logits(runner, logits: torch.Tensor, calls: list) -> None:
    """Make the runner's model a teacher whose logits are ``logits`` (1,K,H,W) for every image,
    shifted by the hook's ``logit_adjustment``; ``calls`` records the shifts asked for."""
    predict = runner.model.predict_pseudo_labels

    def teacher_with_known_logits(inputs, logit_adjustment=None):
        calls.append(logit_adjustment)
        teacher = predict(inputs)
        shifted = logits.expand(len(inputs), -1, -1, -1)
        if logit_adjustment is not None:
            shifted = shifted + logit_adjustment.view(1, -1, 1, 1)
        probabilities = shifted.softmax(dim=1)
        confidence, labels = probabilities.max(dim=1)
        return teacher._replace(labels=labels, confidence=confidence,
                                probabilities=probabilities)

    runner.model.predict_pseudo_labels = teacher_with_known_logits


def written_labels(runner, demo_root) -> list:
    return [np.array(Image.open(osp.join(runner.work_dir, 'pseudo_labels/round1',
                                         pseudo_label_relpath(key))))
            for key in unlabelled_keys(demo_root)]


def test_softmax_alignment_moves_a_constant_teacher_to_the_labelled_majority(
        demo_root, tmp_path):
    """A teacher whose softmax is the same at every pixel (class 0 most likely) is shifted by
    log(labelled share) - log(its softmax): the argmax becomes the labelled pixels' most
    frequent class, everywhere."""
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', align_class_distribution='softmax',
                         query_pool_ratio=None)
    constant = torch.tensor([0.5, 0.2, 0.1, 0.1, 0.06, 0.04])
    calls = []
    with_teacher_logits(runner, constant.log().view(1, -1, 1, 1).expand(
        1, -1, TINY_SIZE, TINY_SIZE), calls)
    summary = the_hook(runner).run(runner)
    shares = np.maximum(labelled_class_shares(demo_root), 1e-8)
    assert summary['align_class_distribution'] == 'softmax'
    assert summary['logit_adjustment'] == pytest.approx(
        (np.log(shares) - np.log(constant.numpy())).tolist(), abs=1e-4)
    majority = int(shares.argmax())
    assert majority != 0
    assert all((label == majority).all() for label in written_labels(runner, demo_root))
    # the labelled items (anchors) and the unlabelled ones read plain, then the latter shifted
    adjusted = sum(call is not None for call in calls)
    assert 0 < adjusted < len(calls) - adjusted


def test_label_alignment_brings_the_pseudo_labels_class_shares_to_the_labelled_ones(
        demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', align_class_distribution='labels',
                         query_pool_ratio=None)
    logits = torch.randn(1, NUM_CLASSES, TINY_SIZE, TINY_SIZE,
                         generator=torch.Generator().manual_seed(0))
    logits[:, 0] += 1.5  # the teacher over-predicts class 0
    with_teacher_logits(runner, logits, [])
    summary = the_hook(runner).run(runner)
    target = labelled_class_shares(demo_root)

    def worst_gap(labels) -> float:
        shares = np.bincount(np.concatenate([label.ravel() for label in labels]),
                             minlength=NUM_CLASSES) / sum(label.size for label in labels)
        present = target > 0
        return float(np.abs(np.log(shares[present] + 1e-12) - np.log(target[present])).max())

    plain = logits.argmax(dim=1)[0].numpy()
    labels = written_labels(runner, demo_root)
    assert worst_gap([plain]) > 1 and worst_gap(labels) < 0.2
    shifted = (logits[0] + torch.tensor(summary['logit_adjustment']).view(-1, 1, 1)).argmax(0)
    assert all((label == shifted.numpy()).all() for label in labels)


@pytest.mark.parametrize('kwargs, error', [
    (dict(when='after_val'), 'when must be'), (dict(keep='some'), 'keep must be'),
    (dict(reliable_ratio=1.5), 'reliable ratio'), (dict(min_confidence=1.0), 'min_confidence'),
    (dict(min_confidence=0), 'min_confidence'), (dict(class_reduction='max'), 'class_reduction'),
    (dict(class_scope='all'), 'class_scope'), (dict(ranking='entropy'), 'ranking'),
    (dict(selection='balanced'), 'selection must be'),
    (dict(selection='per_class', ranking='confidence'), "ranking='consistency'")])
def test_bad_arguments(kwargs, error):
    cfg = hook_cfg(**kwargs)
    cfg.pop('type')
    with pytest.raises(ValueError, match=error):
        CrossImagePseudoLabelHook(**cfg)
    with pytest.raises(ValueError, match='align_class_distribution must be None or one of'):
        CrossImagePseudoLabelHook(out_dir='round', align_class_distribution=True)


def test_ignore_index_among_the_classes_is_refused(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', ignore_index=3)
    with pytest.raises(ValueError, match=r'6 classes.*ignore_index \(3\) outside them'):
        the_hook(runner).run(runner)


# ------------------------------------------------------------------ restrict_to (step 5)
def write_split(path, reliable, unreliable):
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as file:
        json.dump(dict(reliable=reliable, unreliable=unreliable), file)


def written_keys(out_dir, demo_root):
    return [k for k in unlabelled_keys(demo_root)
            if osp.isfile(osp.join(out_dir, pseudo_label_relpath(k)))]


def test_restrict_to_labels_only_that_part_of_an_earlier_round(demo_root, tmp_path):
    reliable, unreliable = unlabelled_keys(demo_root)
    restrict_to = dict(split_file='pseudo_labels/round1/split.json', part='unreliable')
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', restrict_to=restrict_to)
    write_split(osp.join(runner.work_dir, restrict_to['split_file']), [reliable], [unreliable])
    hook = the_hook(runner)
    hook.out_dir = 'pseudo_labels/round2'
    summary = hook.run(runner)
    out_dir = osp.join(runner.work_dir, 'pseudo_labels/round2')
    assert written_keys(out_dir, demo_root) == [unreliable]
    with open(osp.join(out_dir, 'scores.csv')) as file:
        assert [row['img_key'] for row in csv.DictReader(file)] == [unreliable]
    assert summary['num_images'] == 1 and summary['num_written'] == 1
    assert summary['reliable'] + summary['unreliable'] == [unreliable]  # ranked among itself
    assert summary['restrict_to'] == restrict_to
    # the other part, through an absolute split file path
    hook.restrict_to = dict(restrict_to, part='reliable',
                            split_file=osp.join(runner.work_dir, restrict_to['split_file']))
    hook.out_dir = 'pseudo_labels/round2_reliable'
    assert hook.run(runner)['num_images'] == 1
    assert written_keys(osp.join(runner.work_dir, hook.out_dir), demo_root) == [reliable]


@pytest.mark.parametrize('listed, error', [
    (['nowhere/x.png'], 'none of the 1 items of restrict_to'),
    (['nowhere/x.png', 'UNLABELLED'],
     r"1 items of restrict_to are not unlabelled items .*'nowhere/x.png'"),
])
def test_restrict_to_items_missing_from_the_unlabelled_set(demo_root, tmp_path, listed, error):
    listed = [unlabelled_keys(demo_root)[0] if k == 'UNLABELLED' else k for k in listed]
    restrict_to = dict(split_file='split.json', part='unreliable')
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', restrict_to=restrict_to)
    write_split(osp.join(runner.work_dir, 'split.json'), [], listed)
    with pytest.raises(ValueError, match=error):
        the_hook(runner).run(runner)
    assert not osp.exists(osp.join(runner.work_dir, 'pseudo_labels/round1'))


def test_restrict_to_missing_split_file(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir',
                         restrict_to=dict(split_file='../round1/split.json', part='unreliable'))
    with pytest.raises(FileNotFoundError, match=r'restrict_to.split_file .*round1/split.json '
                       'does not exist'):
        the_hook(runner).run(runner)


@pytest.mark.parametrize('restrict_to', [
    dict(split_file='s.json'), dict(split_file='s.json', part='all'),
    dict(split_file='s.json', part='unreliable', extra=1), 's.json'])
def test_bad_restrict_to(restrict_to):
    cfg = hook_cfg(restrict_to=restrict_to)
    cfg.pop('type')
    with pytest.raises(ValueError, match='restrict_to must be'):
        CrossImagePseudoLabelHook(**cfg)


# ---------------------------------------------------------------------- resuming
def test_before_train_labels_at_the_first_iteration(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir')
    assert runner.iter == 0
    the_hook(runner).before_train(runner)
    assert osp.isfile(osp.join(runner.work_dir, 'pseudo_labels/round1/split.json'))


def test_resumed_run_keeps_its_before_train_round(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir')
    runner.train_loop._iter = 3  # as after runner.resume()
    out_dir = osp.join(runner.work_dir, 'pseudo_labels/round1')
    with pytest.raises(FileNotFoundError, match=r'resumed at iteration 3 .*round1/split.json.* '
                       'never completed'):
        the_hook(runner).before_train(runner)
    write_split(osp.join(out_dir, 'split.json'), ['a'], ['b'])
    the_hook(runner).before_train(runner)  # the teacher's round stays, no relabelling
    assert sorted(os.listdir(out_dir)) == ['split.json']
    with open(osp.join(out_dir, 'split.json')) as file:
        assert json.load(file) == dict(reliable=['a'], unreliable=['b'])


def test_after_train_round_runs_also_when_resumed(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', when='after_train')
    runner.train_loop._iter = 1
    hook = the_hook(runner)
    hook.before_train(runner)
    assert not osp.exists(osp.join(runner.work_dir, 'pseudo_labels'))
    hook.after_train(runner)
    assert osp.isfile(osp.join(runner.work_dir, 'pseudo_labels/round1/split.json'))


def test_audit_scores_every_pseudo_label_against_the_kept_apart_labels(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', keep='reliable', audit=True)
    summary = the_hook(runner).run(runner)
    out_dir = osp.join(runner.work_dir, 'pseudo_labels/round1')
    audit = json.load(open(osp.join(out_dir, 'audit.json')))
    # every scored image is audited, the unreliable one too although keep='reliable'
    assert audit['summary']['num_audited'] == summary['num_images'] == 2
    assert [i['reliable'] for i in audit['images']] == [True, False]
    assert [i['img_key'] for i in audit['images']] == summary['reliable'] + summary['unreliable']
    assert all(0 <= i['miou'] <= 1 for i in audit['images'])
    assert osp.isfile(osp.join(out_dir, 'audit.md')) and osp.isfile(osp.join(out_dir,
                                                                             'audit.png'))


def test_audit_is_skipped_where_the_data_has_no_true_labels(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', audit=True,
                         train_dataset=dict(audit_label_dir='no_such_folder'))
    the_hook(runner).run(runner)
    assert not osp.exists(osp.join(runner.work_dir, 'pseudo_labels/round1/audit.json'))


def test_audit_tool_matches_the_hooks_audit(demo_root, tmp_path):
    from fr_inpaint_plugin.cli.audit_pseudo_labels import audit
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', audit=True)
    the_hook(runner).run(runner)
    out_dir = osp.join(runner.work_dir, 'pseudo_labels/round1')
    by_hook = json.load(open(osp.join(out_dir, 'audit.json')))
    runner.cfg.dump(osp.join(runner.work_dir, 'phase_config.py'))
    by_tool = audit(osp.join(runner.work_dir, 'pseudo_labels', 'round1'),
                    config=osp.join(runner.work_dir, 'phase_config.py'),
                    out_dir=str(tmp_path / 'tool'))
    assert json.loads(json.dumps(by_tool)) == by_hook


def test_rerank_by_the_mean_divides_each_distance_by_its_scored_classes():
    from fr_inpaint_plugin.cli.audit_pseudo_labels import reranked
    rows = [dict(img_key=key, rank=str(rank), distance=str(distance),
                 scored_classes=str(classes), reliable=reliable)
            for rank, (key, distance, classes, reliable) in enumerate([
                ('a', 0.6, 4, '1'), ('b', 0.9, 6, '1'), ('c', 1.2, 3, '0'),
                ('d', 'inf', 0, '0')])]
    assert reranked(rows, 'sum') is rows
    # means: a 0.15, b 0.15 (tie: the round's order), c 0.4, d inf (no class scored)
    mean = reranked(rows, 'mean')
    assert [r['img_key'] for r in mean] == ['a', 'b', 'c', 'd']
    assert [float(r['distance']) for r in mean] == pytest.approx([0.15, 0.15, 0.4, math.inf])
    assert [r['reliable'] for r in mean] == ['1', '1', '0', '0']
    rows[0]['distance'] = '2.0'  # a: 0.5
    rows[1]['distance'] = '1.8'  # b: 0.3, before c (0.4)
    mean = reranked(rows, 'mean')
    assert [r['img_key'] for r in mean] == ['b', 'c', 'a', 'd']
    assert [r['rank'] for r in mean] == ['0', '1', '2', '3']
    assert [r['reliable'] for r in mean] == ['1', '1', '0', '0']  # as many reliable as before
    with pytest.raises(ValueError, match='class_reduction'):
        reranked(rows, 'median')


def test_audit_tool_reranked_by_the_mean_writes_beside_the_rounds_audit(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', audit=True)
    the_hook(runner).run(runner)
    round_dir = osp.join(runner.work_dir, 'pseudo_labels', 'round1')
    own = json.load(open(osp.join(round_dir, 'audit.json')))
    runner.cfg.dump(osp.join(runner.work_dir, 'phase_config.py'))
    # a process of its own, as a user runs it: no Runner has set the registry scope there
    subprocess.run([sys.executable, osp.join(REPO_ROOT, 'tools/audit_pseudo_labels.py'),
                    round_dir, '--config', osp.join(runner.work_dir, 'phase_config.py'),
                    '--class-reduction', 'mean'], check=True, cwd=REPO_ROOT,
                   env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert json.load(open(osp.join(round_dir, 'audit.json'))) == own
    by_mean = json.load(open(osp.join(round_dir, 'rerank_mean', 'audit.json')))
    assert by_mean['summary']['num_audited'] == own['summary']['num_audited']
    for image in by_mean['images']:
        mine = next(i for i in own['images'] if i['img_key'] == image['img_key'])
        assert image['miou'] == mine['miou']
        assert image['distance'] == pytest.approx(mine['distance'] / mine['scored_classes'])
    assert 'ranked by the mean' in open(osp.join(round_dir, 'rerank_mean', 'audit.md')).read()


def test_audit_tool_refuses_a_partial_round(demo_root, tmp_path):
    from fr_inpaint_plugin.cli.audit_pseudo_labels import audit
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', keep='reliable')
    the_hook(runner).run(runner)
    runner.cfg.dump(osp.join(runner.work_dir, 'phase_config.py'))
    with pytest.raises(ValueError, match="keep='all'"):
        audit(osp.join(runner.work_dir, 'pseudo_labels', 'round1'),
              config=osp.join(runner.work_dir, 'phase_config.py'))


def test_anchored_scope_scores_every_image_on_every_anchored_class(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', class_scope='anchored')
    summary = the_hook(runner).run(runner)
    assert summary['class_scope'] == 'anchored' and summary['class_reduction'] == 'sum'
    with open(osp.join(runner.work_dir, 'pseudo_labels/round1/scores.csv')) as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == summary['num_images']
    assert {int(row['scored_classes']) for row in rows} == {len(summary['anchored_classes'])}


def test_confidence_ranking_orders_by_the_teachers_mean_confidence(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', ranking='confidence',
                         query_pool_ratio=None)
    consistency_run = tiny_runner(demo_root, tmp_path / 'consistency', query_pool_ratio=None)
    consistency_run.model.load_state_dict(runner.model.state_dict())
    predict = runner.model.predict_pseudo_labels
    given = []  # each image's constant confidence, in call order (labelled ones first)

    def predict_with_known_confidence(inputs):
        teacher = predict(inputs)
        values = torch.tensor([0.2 + 0.1 * (len(given) + i) for i in range(len(inputs))])
        given.extend(values.tolist())
        return teacher._replace(confidence=values[:, None, None].expand_as(teacher.confidence))

    runner.model.predict_pseudo_labels = predict_with_known_confidence
    summary = the_hook(runner).run(runner)
    the_hook(consistency_run).run(consistency_run)
    assert summary['ranking'] == 'confidence'

    def scores(run):
        with open(osp.join(run.work_dir, 'pseudo_labels/round1/scores.csv')) as file:
            return list(csv.DictReader(file))

    by_confidence, by_consistency = scores(runner), scores(consistency_run)
    expected = sorted(1 - value for value in given[-summary['num_images']:])
    assert [float(row['distance']) for row in by_confidence] == pytest.approx(expected)
    # the class counts are the consistency distance's either way
    assert ({row['img_key']: row['scored_classes'] for row in by_confidence}
            == {row['img_key']: row['scored_classes'] for row in by_consistency})


def test_audit_tool_reranks_by_the_mean_only_a_summed_consistency_round(demo_root, tmp_path):
    from fr_inpaint_plugin.cli.audit_pseudo_labels import audit
    for ranking, reduction in (('confidence', 'sum'), ('consistency', 'mean')):
        runner = tiny_runner(demo_root, tmp_path / ranking, ranking=ranking,
                             class_reduction=reduction)
        the_hook(runner).run(runner)
        runner.cfg.dump(osp.join(runner.work_dir, 'phase_config.py'))
        with pytest.raises(ValueError, match=f'ranked by {ranking} \\({reduction}'):
            audit(osp.join(runner.work_dir, 'pseudo_labels', 'round1'),
                  config=osp.join(runner.work_dir, 'phase_config.py'), class_reduction='mean')


def test_per_class_selection_splits_by_each_images_classes_and_terms(demo_root, tmp_path,
                                                                   monkeypatch):
    calls, split_per_class = [], hook_module.split_per_class

    def recording_split(*args):
        calls.append(args)
        return split_per_class(*args)

    monkeypatch.setattr(hook_module, 'split_per_class', recording_split)
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', selection='per_class',
                         query_pool_ratio=None)
    summary = the_hook(runner).run(runner)
    (ids, distances, terms, scored, ratio), = calls
    assert summary['selection'] == 'per_class' and summary['threshold'] is None
    assert len(summary['reliable']) == int(0.5 * len(ids)) and ratio == 0.5
    anchored = set(summary['anchored_classes'])
    out_dir = osp.join(runner.work_dir, 'pseudo_labels/round1')
    for key, image_scored in zip(ids, scored):
        label = np.array(Image.open(osp.join(out_dir, pseudo_label_relpath(key))))
        assert set(image_scored.nonzero().flatten().tolist()) == set(np.unique(label)) & anchored
    assert terms.shape == (len(ids), NUM_CLASSES) and distances == pytest.approx(
        [(terms[i] * scored[i]).sum().item() for i in range(len(ids))], rel=1e-4)
    assert (summary['reliable'], summary['unreliable']) == tuple(
        getattr(split_per_class(ids, distances, terms, scored, 0.5), part)
        for part in ('reliable_ids', 'unreliable_ids'))

    from fr_inpaint_plugin.cli.audit_pseudo_labels import audit
    runner.cfg.dump(osp.join(runner.work_dir, 'phase_config.py'))
    with pytest.raises(ValueError, match='re-rank would not be the split'):
        audit(out_dir, config=osp.join(runner.work_dir, 'phase_config.py'),
              class_reduction='mean')


def test_query_pool_holds_the_better_half_of_each_class_holders(labelled_run, demo_root):
    from mmagic.registry import DATASETS

    from fr_inpaint_plugin.consistency.query_pool import load_query_pool
    _, _, out_dir = labelled_run
    pool = load_query_pool(osp.join(out_dir, 'query_pool.pth'))
    dataset = DATASETS.build(dict(type='DemoScenesDataset', data_root=demo_root, split='train',
                                  label_filter='labelled', img_size=TINY_SIZE))
    holders = [0] * NUM_CLASSES
    for index in range(len(dataset)):
        label = np.array(Image.open(dataset.get_data_info(index)['seg_map_path']))
        for c in np.unique(label):
            holders[c] += 1
    assert [len(keys) for keys in pool.image_keys] == [math.ceil(n / 2) for n in holders]
    assert all(p.shape == (len(k), 16) for p, k in zip(pool.prototypes, pool.image_keys))
    labelled = {dataset.get_data_info(i)['img_key'] for i in range(len(dataset))}
    assert set(sum(pool.image_keys, [])) <= labelled


def test_no_query_pool_when_its_ratio_is_none(demo_root, tmp_path):
    runner = tiny_runner(demo_root, tmp_path / 'work_dir', query_pool_ratio=None)
    the_hook(runner).run(runner)
    assert not osp.exists(osp.join(runner.work_dir, 'pseudo_labels/round1/query_pool.pth'))


def test_round_tool_labels_from_a_teachers_checkpoint_with_the_options_given(demo_root,
                                                                             tmp_path):
    from fr_inpaint_plugin.cli.pseudo_label_round import main, write_round
    runner = tiny_runner(demo_root, tmp_path / 'teacher')
    config, checkpoint = str(tmp_path / 'phase_config.py'), str(tmp_path / 'iter_1.pth')
    runner.cfg.dump(config)
    torch.save(dict(state_dict=runner.model.state_dict()), checkpoint)
    out_dir = tmp_path / 'round'
    main([config, checkpoint, str(out_dir), '--hook-options', 'selection=per_class'])
    with open(out_dir / 'split.json') as file:
        split = json.load(file)
    assert split['selection'] == 'per_class' and split['keep'] == 'reliable'
    written = sorted(osp.relpath(path, out_dir) for path in
                     glob.glob(str(out_dir / '**' / '*.png'), recursive=True)
                     if osp.basename(path) != 'audit.png')
    assert written == sorted(pseudo_label_relpath(key) for key in split['reliable'])
    assert (out_dir / 'audit.md').is_file() and not (out_dir / 'query_pool.pth').exists()
    # the teacher's own labels, so the same round as the hook run on the same model
    direct = the_hook(runner)
    direct.selection, direct.keep, direct.query_pool_ratio = 'per_class', 'reliable', None
    assert direct.run(runner)['reliable'] == split['reliable']
    with pytest.raises(FileNotFoundError, match='checkpoint .* does not exist'):
        write_round(config, str(tmp_path / 'missing.pth'), str(out_dir))
