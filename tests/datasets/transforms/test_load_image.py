import numpy as np
import pytest

from fr_inpaint_plugin.datasets import LoadCheckedImage

from ..tiny_data import write_image


def test_loads_rgb(tmp_path):
    red = np.zeros((4, 5, 3), np.uint8)
    red[..., 0] = 255
    results = LoadCheckedImage()(dict(gt_path=write_image(tmp_path / 'red.png', red)))
    np.testing.assert_array_equal(results['gt'], red)
    assert results['ori_gt_shape'] == (4, 5, 3) and results['gt_channel_order'] == 'rgb'


@pytest.mark.parametrize('content', [b'', b'\x89PNG\r\n\x1a\n truncated', b'plain text'])
def test_corrupt_image_names_the_file(tmp_path, content):
    path = tmp_path / 'broken.jpg'
    path.write_bytes(content)
    with pytest.raises(ValueError, match=f'cannot decode image {path}.*corrupt'):
        LoadCheckedImage()(dict(gt_path=str(path)))


def test_missing_image_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=f'{tmp_path}/gone.png does not exist'):
        LoadCheckedImage()(dict(gt_path=str(tmp_path / 'gone.png')))
