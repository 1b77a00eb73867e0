"""tools/audit_recorrection.py on a tiny teacher's pseudo-label round over the demo data."""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from fr_inpaint_plugin.cli.audit_pseudo_labels import pseudo_label_reader
from fr_inpaint_plugin.cli.audit_recorrection import audit, main
from fr_inpaint_plugin.evaluation.pseudo_label_audit import TrueLabels
from fr_inpaint_plugin.evaluation.recorrection_audit import JSON_FILE, MARKDOWN_FILE
from tests.engine.hooks.test_pseudo_label_hook import the_hook, tiny_runner


@pytest.fixture(scope='module')
def student_config(demo_root, tmp_path_factory):
    """A student phase's config, as the pipeline writes it: trained on the round a tiny teacher
    wrote (keep='all', with its query pool), its CE recorrected by that teacher."""
    root = tmp_path_factory.mktemp('recorrection')
    runner = tiny_runner(demo_root, root / 'teacher', keep='all')
    the_hook(runner).run(runner)
    round_dir = osp.join(runner.work_dir, 'pseudo_labels/round1')
    teacher_config, checkpoint = str(root / 'teacher.py'), str(root / 'teacher.pth')
    runner.cfg.dump(teacher_config)
    torch.save(dict(state_dict=runner.model.state_dict()), checkpoint)
    cfg = Config(copy.deepcopy(runner.cfg.to_dict()))
    cfg.model.pseudo_label_weighting = dict(
        teacher=dict(config=teacher_config, checkpoint=checkpoint),
        query_pool=osp.join(round_dir, 'query_pool.pth'))
    cfg.train_dataloader.dataset.update(label_filter='pseudo_labelled',
                                        pseudo_label_dirs=[round_dir])
    cfg.custom_hooks = []
    (root / 'student').mkdir()
    path = str(root / 'student' / 'phase_config.py')
    cfg.dump(path)
    return path, round_dir, teacher_config


def test_audit_scores_the_weights_of_every_pseudo_labelled_pixel(student_config, capsys):
    config, round_dir, teacher_config = student_config
    main([config])
    out_dir = osp.dirname(config)
    assert osp.isfile(osp.join(out_dir, JSON_FILE)) and osp.isfile(osp.join(out_dir,
                                                                           MARKDOWN_FILE))
    assert 'pseudo-labelled pixels' in capsys.readouterr().out
    result = audit(config, out_dir=osp.join(out_dir, 'again'))
    s = result['summary']
    # the pseudo-labels and true labels it pairs are the round's and the kept-apart ones
    truth = TrueLabels(Config.fromfile(teacher_config).train_dataloader.dataset)
    read = pseudo_label_reader(round_dir)
    pairs = [(read(key), truth(key)) for key in truth.index_of]
    valid = [(p != 255) & (t != 255) for p, t in pairs]
    assert s['images'] == len(pairs) == 2
    assert s['pixels'] == sum(int(v.sum()) for v in valid)
    assert s['accuracy'] == pytest.approx(
        sum(int((p == t)[v].sum()) for (p, t), v in zip(pairs, valid)) / s['pixels'])
    assert 0 <= s['mean_weight'] <= 1 and s['seed'] == 0
    assert sum(c['share'] for c in result['classes']) == pytest.approx(1)
    # one prototype drawn per image, from the seed: the same seed, the same weights
    assert audit(config, out_dir=osp.join(out_dir, 'again'))['summary'] == s


def test_a_phase_without_recorrection_is_refused(student_config, tmp_path):
    cfg = Config.fromfile(student_config[0])
    cfg.model.pseudo_label_weighting = None
    cfg.dump(str(tmp_path / 'phase_config.py'))
    with pytest.raises(ValueError, match='without model.pseudo_label_weighting'):
        audit(str(tmp_path / 'phase_config.py'))
    with pytest.raises(FileNotFoundError, match='does not exist'):
        audit(str(tmp_path / 'missing.py'))
