"""RecorrectionAuditHook on a tiny student whose teacher pseudo-labelled the demo data."""
import json
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.runner import Runner

from fr_inpaint_plugin.cli.audit_recorrection import audit
from fr_inpaint_plugin.engine.hooks import RecorrectionAuditHook
from fr_inpaint_plugin.evaluation.recorrection_audit import JSON_FILE, MARKDOWN_FILE


def student_runner(config: str, work_dir, weighting: bool = True,
                   true_labels: bool = True) -> Runner:
    cfg = Config.fromfile(config)
    cfg.work_dir = str(work_dir)
    if not weighting:
        cfg.model.pseudo_label_weighting = None
    if not true_labels:  # the demo's kept-apart labels out of reach, as with real unlabelled data
        cfg.train_dataloader.dataset.audit_label_dir = None
    cfg.custom_hooks = [dict(type='RecorrectionAuditHook')]
    return Runner.from_cfg(cfg)


def the_hook(runner) -> RecorrectionAuditHook:
    return next(h for h in runner.hooks if isinstance(h, RecorrectionAuditHook))


def test_writes_the_tools_audit_and_leaves_the_training_rng_alone(recorrection_student_config,
                                                                   tmp_path):
    config = recorrection_student_config[0]
    runner = student_runner(config, tmp_path / 'student')
    torch.manual_seed(123)
    rng = torch.get_rng_state()
    the_hook(runner).before_train(runner)
    assert torch.equal(torch.get_rng_state(), rng)  # training draws what it would have
    assert osp.isfile(osp.join(runner.work_dir, MARKDOWN_FILE))
    with open(osp.join(runner.work_dir, JSON_FILE)) as file:
        written = json.load(file)
    # the same figures as tools/audit_recorrection.py on the same phase: the weights depend on
    # the frozen teacher and the pool only, not on the student's (untrained) weights
    expected = audit(config, out_dir=str(tmp_path / 'tool'))
    assert written['summary'] == expected['summary']
    assert written['summary']['images'] == 2


def test_a_resumed_run_keeps_its_audit(recorrection_student_config, tmp_path):
    runner = student_runner(recorrection_student_config[0], tmp_path / 'student')
    path = osp.join(runner.work_dir, JSON_FILE)
    with open(path, 'w') as file:
        file.write('{"written": "before the resume"}')
    the_hook(runner).before_train(runner)
    with open(path) as file:
        assert json.load(file) == {'written': 'before the resume'}


def test_a_student_without_recorrection_is_skipped(recorrection_student_config, tmp_path):
    runner = student_runner(recorrection_student_config[0], tmp_path / 'student',
                            weighting=False)
    the_hook(runner).before_train(runner)
    assert not osp.exists(osp.join(runner.work_dir, JSON_FILE))


def test_a_student_without_true_labels_is_skipped(recorrection_student_config, tmp_path):
    runner = student_runner(recorrection_student_config[0], tmp_path / 'student',
                            true_labels=False)
    the_hook(runner).before_train(runner)
    assert not osp.exists(osp.join(runner.work_dir, JSON_FILE))
