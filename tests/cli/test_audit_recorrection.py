"""tools/audit_recorrection.py on a tiny teacher's pseudo-label round over the demo data."""
import os.path as osp

import pytest
from mmengine.config import Config

from fr_inpaint_plugin.cli.audit_pseudo_labels import pseudo_label_reader
from fr_inpaint_plugin.cli.audit_recorrection import audit, main
from fr_inpaint_plugin.evaluation.pseudo_label_audit import TrueLabels
from fr_inpaint_plugin.evaluation.recorrection_audit import JSON_FILE, MARKDOWN_FILE


def test_audit_scores_the_weights_of_every_pseudo_labelled_pixel(recorrection_student_config,
                                                                 capsys):
    config, round_dir, teacher_config = recorrection_student_config
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


def test_a_phase_without_recorrection_is_refused(recorrection_student_config, tmp_path):
    cfg = Config.fromfile(recorrection_student_config[0])
    cfg.model.pseudo_label_weighting = None
    cfg.dump(str(tmp_path / 'phase_config.py'))
    with pytest.raises(ValueError, match='without model.pseudo_label_weighting'):
        audit(str(tmp_path / 'phase_config.py'))
    with pytest.raises(FileNotFoundError, match='does not exist'):
        audit(str(tmp_path / 'missing.py'))
