"""The pseudo-label audit against hand-computed values."""
import json
import math
import os.path as osp

import numpy as np
import pytest

from fr_inpaint_plugin.evaluation.pseudo_label_audit import (
    RANDOM_DRAWS,
    audit_markdown,
    audit_round,
    audit_summary_rows,
    confusion_matrix,
    image_audit,
    miou_of,
    write_audit,
)

IGNORE = 255


def test_confusion_matrix_skips_ignored_truth_pixels():
    pseudo = np.array([[0, 0], [1, 1]])
    truth = np.array([[0, 1], [1, IGNORE]])
    assert confusion_matrix(pseudo, truth, 3).tolist() == [[1, 0, 0], [1, 1, 0], [0, 0, 0]]


def test_confusion_matrix_skips_pixels_the_pseudo_label_ignores():
    # a pseudo-label thresholded by its teacher's confidence scores only the pixels it labels
    pseudo = np.array([[0, IGNORE], [1, IGNORE]])
    truth = np.array([[0, 1], [0, IGNORE]])
    assert confusion_matrix(pseudo, truth, 2).tolist() == [[1, 1], [0, 0]]


def test_image_audit_by_hand():
    # truth 0,1,1 (one ignored), pseudo 0,0,1: class 0 IoU 1/2, class 1 IoU 1/2, class 2 absent
    row = dict(img_key='a', distance='0.25', scored_classes='2', reliable='1')
    audit = image_audit(row, np.array([[0, 0], [1, 1]]), np.array([[0, 1], [1, IGNORE]]), 3)
    assert (audit.miou, audit.accuracy, audit.num_classes) == (0.5, pytest.approx(2 / 3), 2)
    assert audit.reliable and audit.distance == 0.25 and audit.scored_classes == 2


def test_a_predicted_class_absent_from_the_truth_counts_in_the_mean():
    # truth all 0; pseudo 0,0,0,2: class 0 IoU 3/4, class 2 IoU 0 -> mIoU 3/8
    confusion = confusion_matrix(np.array([0, 0, 0, 2]), np.zeros(4, int), 3)
    assert miou_of(confusion) == pytest.approx(3 / 8)


def test_size_mismatch_is_refused():
    with pytest.raises(ValueError, match='differ in size'):
        confusion_matrix(np.zeros((2, 2)), np.zeros((2, 3)), 2)


def four_images():
    """Four 2x2 images of class 0 whose pseudo-labels get 0, 1, 2 and 3 pixels wrong (class 1),
    ranked by distance in that order; the first two are the reliable set."""
    truth = np.zeros((2, 2), np.int64)
    pseudo = {}
    rows = []
    for index, wrong in enumerate(range(4)):
        label = np.zeros(4, np.int64)
        label[:wrong] = 1
        pseudo[f'img{index}'] = label.reshape(2, 2)
        rows.append(dict(img_key=f'img{index}', distance=float(index), scored_classes=1,
                         reliable=index < 2))
    return rows, pseudo, {key: truth for key in pseudo}


def test_audit_round_by_hand():
    rows, pseudo, truth = four_images()
    rows.append(dict(img_key='no_truth', distance=9., scored_classes=1, reliable=False))
    audit = audit_round(rows, pseudo.__getitem__, truth.get, num_classes=2)
    s = audit['summary']
    # image mIoUs: 1 (one class, all right), then {class 0: 3/4, class 1: 0} -> 3/8,
    # {2/4, 0} -> 1/4, {1/4, 0} -> 1/8
    mious = [1, 3 / 8, 1 / 4, 1 / 8]
    assert [i['miou'] for i in audit['images']] == pytest.approx(mious)
    assert (s['num_images'], s['num_audited'], s['num_without_truth']) == (5, 4, 1)
    assert s['reliable_miou'] == pytest.approx((1 + 3 / 8) / 2)
    assert s['unreliable_miou'] == pytest.approx((1 / 4 + 1 / 8) / 2)
    assert s['spearman_distance_miou_error'] == pytest.approx(1.0)
    assert s['reliable_accuracy'] == pytest.approx((1 + 3 / 4) / 2)
    # set mIoU of the reliable pair: truth all 0 (8 px), pseudo 7x0 1x1 -> {7/8, 0} -> 7/16
    assert s['reliable_set_miou'] == pytest.approx(7 / 16)
    # random pairs of the four: their mean image mIoU averages to the overall mean
    assert s['random_half_miou'] == pytest.approx(np.mean(mious), abs=0.02)
    assert s['random_half_p05'] < s['reliable_miou'] and s['random_draws'] == RANDOM_DRAWS
    assert s['random_half_p95'] == pytest.approx(s['reliable_miou'])  # the best pair
    # the ranking is perfect here, so the split by the true mIoU is the same
    assert s['oracle_reliable_miou'] == pytest.approx(s['reliable_miou'])
    assert s['oracle_unreliable_miou'] == pytest.approx(s['unreliable_miou'])


def test_per_class_figures_by_hand():
    rows, pseudo, truth = four_images()
    audit = audit_round(rows, pseudo.__getitem__, truth.get, num_classes=2,
                        class_names=['road', 'sign'])
    assert audit['classes'] == ['road', 'sign']
    reliable, unreliable = audit['per_class']['reliable'], audit['per_class']['unreliable']
    # reliable pair: truth 8 px of class 0; pseudo 7 x 0, 1 x 1
    assert reliable['true_share'] == pytest.approx([1, 0])
    assert reliable['pseudo_share'] == pytest.approx([7 / 8, 1 / 8])
    assert reliable['iou'] == pytest.approx([7 / 8, 0])
    # unreliable pair: pseudo 5 x 0 (of 8), 3 x 1
    assert unreliable['pseudo_share'] == pytest.approx([3 / 8, 5 / 8])
    assert unreliable['iou'] == pytest.approx([3 / 8, 0])
    markdown = audit_markdown(audit, 'round1')
    assert '| road | 100.00 | 87.50 | 87.50 | 100.00 | 37.50 | 37.50 |' in markdown
    assert "reliable set's true labels that its pseudo-labels never hold: none." in markdown


def test_a_class_the_reliable_pseudo_labels_never_hold_is_named():
    truth = np.array([[0, 0], [1, 1]])
    pseudo = {'a': np.zeros((2, 2), np.int64), 'b': truth.copy()}
    rows = [dict(img_key='a', distance=0., scored_classes=1, reliable=True),
            dict(img_key='b', distance=1., scored_classes=2, reliable=False)]
    audit = audit_round(rows, pseudo.__getitem__, lambda key: truth, num_classes=3,
                        class_names=['road', 'sign', 'pole'])
    assert math.isnan(audit['per_class']['reliable']['iou'][2])  # in neither label
    markdown = audit_markdown(audit, 'round1')
    assert "pseudo-labels never hold: sign." in markdown
    assert '| pole | 0.00 | 0.00 | - | 0.00 | 0.00 | - |' in markdown
    with pytest.raises(ValueError, match='2 class names for 3 classes'):
        audit_round(rows, pseudo.__getitem__, lambda key: truth, num_classes=3,
                    class_names=['road', 'sign'])


def test_a_ranking_against_quality_has_negative_spearman():
    rows, pseudo, truth = four_images()
    for row in rows:
        row['distance'] = -row['distance']
        row['reliable'] = not row['reliable']  # the two worst now rank first
    s = audit_round(rows, pseudo.__getitem__, truth.get, num_classes=2)['summary']
    assert s['spearman_distance_miou_error'] == pytest.approx(-1.0)
    # the true-mIoU split does not follow the ranking: the best two, whatever their distance
    assert s['reliable_miou'] == pytest.approx((1 / 4 + 1 / 8) / 2)
    assert s['oracle_reliable_miou'] == pytest.approx((1 + 3 / 8) / 2)
    assert s['oracle_unreliable_miou'] == pytest.approx((1 / 4 + 1 / 8) / 2)


def test_no_truth_at_all_is_refused():
    rows, pseudo, _ = four_images()
    with pytest.raises(ValueError, match='no image of the round has a true label'):
        audit_round(rows, pseudo.__getitem__, lambda key: None, num_classes=2)


def test_write_audit_files(tmp_path):
    rows, pseudo, truth = four_images()
    audit = audit_round(rows, pseudo.__getitem__, truth.get, num_classes=2)
    write_audit(audit, str(tmp_path), title='round1')
    assert json.loads((tmp_path / 'audit.json').read_text())['summary'] == audit['summary']
    markdown = (tmp_path / 'audit.md').read_text()
    assert '| reliable | 2 | 68.75 |' in markdown and '| 2 / 2 | 68.75 / 18.75 |' in markdown
    assert 'Spearman(distance, 1 - image mIoU) = 1.000' \
        in markdown
    assert (tmp_path / 'audit.png').read_bytes()[:4] == b'\x89PNG'
    assert not [p for p in tmp_path.iterdir() if p.name not in
                ('audit.json', 'audit.md', 'audit.png')]
    row = audit_summary_rows({'round 1': audit})['round 1']
    assert row['reliable mIoU'] == pytest.approx(68.75) and math.isclose(
        row['Spearman(dist, err)'], 1.0)
    assert osp.isfile(tmp_path / 'audit.md')
