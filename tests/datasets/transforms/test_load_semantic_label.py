import numpy as np
import pytest
from PIL import Image

from fr_inpaint_plugin.datasets import LoadSemanticLabel

from ..tiny_data import write_gray, write_image


def sample(label_path, image_hw=(6, 8), label_map=None, num_classes=4):
    return dict(gt=np.zeros(image_hw + (3, ), np.uint8), gt_path='/data/img/x.jpg',
                seg_map_path=label_path, label_map=label_map, num_classes=num_classes,
                ignore_index=255)


def test_label_map_merges_ids_and_keeps_ignore(tmp_path):
    label = np.array([[0, 1, 2, 3, 255, 0, 0, 0]] * 6, np.uint8)
    path = write_gray(tmp_path / 'x.png', label)
    results = LoadSemanticLabel()(sample(path, label_map={0: 0, 1: 1, 2: 1, 3: 2}))
    assert results['gt_seg_map'].dtype == np.uint8
    np.testing.assert_array_equal(results['gt_seg_map'][0], [0, 1, 1, 2, 255, 0, 0, 0])


def test_palette_png_keeps_its_indices(tmp_path):
    label = np.tile(np.arange(4, dtype=np.uint8), (6, 2))
    image = Image.fromarray(label, mode='P')
    image.putpalette([200, 10, 10, 10, 200, 10, 10, 10, 200, 90, 90, 90] + [0] * 756)
    image.save(tmp_path / 'p.png')
    results = LoadSemanticLabel()(sample(str(tmp_path / 'p.png')))
    np.testing.assert_array_equal(results['gt_seg_map'], label)


def test_item_without_label_gets_all_ignore():
    results = LoadSemanticLabel()(sample(None))
    assert results['gt_seg_map'].shape == (6, 8) and (results['gt_seg_map'] == 255).all()


def test_missing_label_names_the_image_and_the_label(tmp_path):
    path = str(tmp_path / 'gone.png')
    with pytest.raises(FileNotFoundError, match=f'/data/img/x.jpg is marked labelled.*{path}'):
        LoadSemanticLabel()(sample(path))


def test_corrupt_label_names_the_file(tmp_path):
    path = tmp_path / 'x.png'
    path.write_bytes(b'garbage')
    with pytest.raises(ValueError, match=f'cannot decode label {path}'):
        LoadSemanticLabel()(sample(str(path)))


def test_colour_label_is_refused(tmp_path):
    path = write_image(tmp_path / 'rgb.png', np.zeros((6, 8, 3), np.uint8))
    with pytest.raises(ValueError, match=f'{path} has 3 channels.*single-channel'):
        LoadSemanticLabel()(sample(path))


def test_size_mismatch_names_label_and_image(tmp_path):
    path = write_gray(tmp_path / 'x.png', np.zeros((6, 9), np.uint8))
    with pytest.raises(ValueError, match=f'{path} is 6x9 but its image /data/img/x.jpg is 6x8'):
        LoadSemanticLabel()(sample(path))


def test_values_outside_the_classes_name_the_file(tmp_path):
    path = write_gray(tmp_path / 'x.png', np.full((6, 8), 4, np.uint8))
    with pytest.raises(ValueError, match=f'{path} holds ids \\[4\\] outside the 4 classes'):
        LoadSemanticLabel()(sample(path))
    # mapped into range it is fine; mapped out of range it is not
    assert (LoadSemanticLabel()(sample(path, label_map={4: 3}))['gt_seg_map'] == 3).all()
    with pytest.raises(ValueError, match=f'{path} holds ids \\[4\\] outside'):
        LoadSemanticLabel()(sample(path, label_map={4: 7}))
    with pytest.raises(ValueError, match=f'{path} holds ids \\[4\\] that the label_map'):
        LoadSemanticLabel()(sample(path, label_map={0: 0}))
