"""The recorrection audit against hand-computed values."""
import json
import math
import os.path as osp

import numpy as np
import pytest

from fr_inpaint_plugin.evaluation.recorrection_audit import (
    JSON_FILE,
    MARKDOWN_FILE,
    recorrection_audit,
    recorrection_markdown,
    separation_auc,
    write_recorrection_audit,
)

IGNORE = 255


def test_separation_auc_by_hand():
    # right {0.9, 0.8} against wrong {0.8, 0.1}: 1 + 1 + 1/2 (the tie) + 1 of 4 pairs
    assert separation_auc([0.9, 0.8, 0.8, 0.1], [True, True, False, False]) == 0.875
    assert separation_auc([0.1, 0.9], [True, False]) == 0.0
    assert math.isnan(separation_auc([0.3, 0.4], [True, True]))


def small_audit():
    # the last pixel carries no pseudo-label, so only the first four count: pseudo 0 0 1 1
    # against truth 0 1 1 1, weights 1.0 0.5 0.8 0.4
    return recorrection_audit(weights=np.array([[1.0, 0.5, 0.8], [0.4, 0.9, 0.7]]),
                              pseudo=np.array([[0, 0, 1], [1, IGNORE, 2]]),
                              truth=np.array([[0, 1, 1], [1, 0, IGNORE]]),
                              num_classes=3, class_names=['a', 'b', 'c'])


def test_pooled_figures_by_hand():
    s = small_audit()['summary']
    assert s['pixels'] == 4
    assert s['accuracy'] == 0.75
    assert s['weighted_accuracy'] == pytest.approx(2.2 / 2.7)
    assert s['mean_weight'] == pytest.approx(0.675)
    assert s['mean_weight_right'] == pytest.approx(2.2 / 3)
    assert s['mean_weight_wrong'] == pytest.approx(0.5)
    assert s['auc'] == pytest.approx(2 / 3)  # right 1.0 and 0.8 above the wrong 0.5, 0.4 not
    assert s['within_class_auc'] == 1.0  # only class a has right and wrong pixels


def test_per_class_figures_by_hand():
    a, b = small_audit()['classes']  # class c: its one pixel has no true label
    assert (a['name'], a['share'], a['accuracy'], a['auc']) == ('a', 0.5, 0.5, 1.0)
    assert (a['mean_weight'], a['mean_weight_right'], a['mean_weight_wrong']) == pytest.approx(
        (0.75, 1.0, 0.5))
    assert (b['name'], b['share'], b['accuracy']) == ('b', 0.5, 1.0)
    assert b['mean_weight'] == pytest.approx(0.6)
    assert math.isnan(b['auc']) and math.isnan(b['mean_weight_wrong'])


def test_mismatched_or_empty_inputs_are_refused():
    with pytest.raises(ValueError, match='differ in shape'):
        recorrection_audit(np.ones((2, 2)), np.zeros((2, 2)), np.zeros((2, 3)), 2)
    with pytest.raises(ValueError, match='nothing to audit'):
        recorrection_audit(np.ones(2), np.array([0, IGNORE]), np.array([IGNORE, 1]), 2)


def test_written_files(tmp_path):
    audit = small_audit()
    paths = write_recorrection_audit(audit, str(tmp_path), title='step 5')
    assert [osp.basename(p) for p in paths] == [JSON_FILE, MARKDOWN_FILE]
    assert json.loads(open(paths[0]).read())['summary']['pixels'] == 4
    markdown = open(paths[1]).read()
    assert markdown == recorrection_markdown(audit, 'step 5')
    assert '| a | 50.00 | 50.00 | 0.750 | 1.000 | 0.500 | 1.000 |' in markdown
    assert '| b | 50.00 | 100.00 | 0.600 | 0.600 | - | - |' in markdown
