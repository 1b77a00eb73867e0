import numpy as np
import pytest

from fr_inpaint_plugin.datasets import AlignedCrop, AlignedFlip, AlignedResize, FolderInpaintDataset

from ..tiny_data import position_image, write_gray, write_image


def positioned_sample(height=40, width=56):
    """Image pixels encode their source (row, col); the label is the source row; the mask is
    a hole on every second 4-column stripe of the source."""
    rows, cols = np.mgrid[:height, :width]
    return dict(gt=position_image(height, width), gt_seg_map=rows.astype(np.uint8),
                mask=((cols // 4) % 2 == 1)[..., None].astype(np.float32), gt_path='p.png',
                img_size=(24, 32))


def source_positions(image):
    """(row, col) each pixel of a geometrically transformed position image came from."""
    return image[..., 1] / 4.0, image[..., 0] / 4.0


def assert_aligned(results, pick=np.rint):
    rows, cols = source_positions(results['gt'].astype(np.float64))
    np.testing.assert_array_equal(results['gt_seg_map'], pick(rows))
    np.testing.assert_array_equal(results['mask'][..., 0], (pick(cols) // 4) % 2 == 1)


def test_crop_and_flip_move_image_label_and_mask_together():
    flips = set()
    for seed in range(12):
        np.random.seed(seed)
        results = AlignedCrop()(positioned_sample())
        results = AlignedFlip(prob=0.5)(results)
        flips.add(results['flip'])
        assert results['gt'].shape == (24, 32, 3) and results['mask'].shape == (24, 32, 1)
        assert_aligned(results)
    assert flips == {True, False}
    centre = AlignedCrop(crop_size=(20, 20), random=False)(positioned_sample())
    assert centre['crop_bbox'] == (10, 18, 20, 20)
    assert_aligned(centre)


@pytest.mark.parametrize('direction', ['horizontal', 'vertical'])
def test_flip_direction(direction):
    results = AlignedFlip(prob=1.0, direction=direction)(positioned_sample())
    rows, cols = source_positions(results['gt'])
    assert (cols[:, 0] == 55).all() if direction == 'horizontal' else (rows[0] == 39).all()
    assert_aligned(results)


def test_resize_down_and_up_keeps_alignment():
    # Down by 2: area averages two source rows (r + 0.5), nearest keeps the first (r).
    down = AlignedResize(scale=(20, 28))(positioned_sample())
    assert down['gt'].shape == (20, 28, 3) and down['img_shape'] == (20, 28)
    assert_aligned(down, pick=np.floor)
    assert set(np.unique(down['mask'])) <= {0.0, 1.0}
    # Up by 2: bilinear lands within a quarter pixel of the nearest source pixel.
    up = AlignedResize(scale=(80, 112))(positioned_sample())
    assert up['gt_seg_map'].dtype == np.uint8 and up['mask'].shape == (80, 112, 1)
    assert_aligned(up)


def test_sizes_default_to_the_dataset_img_size():
    results = AlignedResize()(positioned_sample())
    assert results['gt'].shape[:2] == results['gt_seg_map'].shape == (24, 32)
    covered = AlignedResize(keep_ratio=True)(dict(positioned_sample(), img_size=(16, 16)))
    assert covered['gt'].shape[:2] == (16, 22)  # 40x56 scaled to cover 16x16
    cropped = AlignedCrop()(dict(covered, img_size=(16, 16)))
    assert cropped['mask'].shape == (16, 16, 1)
    with pytest.raises(KeyError, match='img_size'):
        AlignedResize()({k: v for k, v in positioned_sample().items() if k != 'img_size'})


def test_crop_larger_than_the_image_and_misaligned_inputs_are_errors():
    with pytest.raises(ValueError, match='p.png is 40x56.*AlignedResize'):
        AlignedCrop(crop_size=64)(positioned_sample())
    sample = positioned_sample()
    sample['gt_seg_map'] = sample['gt_seg_map'][:-1]
    with pytest.raises(ValueError, match='p.png.*sizes differ'):
        AlignedFlip()(sample)


def test_dataset_pipeline_keeps_label_on_its_pixels(tmp_path):
    """Files through the real loaders, resize and random crop/flip: the label stays aligned."""
    rows = np.mgrid[:48, :60][0]
    write_image(tmp_path / 'img' / 'p.png', position_image(48, 60))
    write_gray(tmp_path / 'label' / 'p.png', rows.astype(np.uint8))
    dataset = FolderInpaintDataset(
        data_root=str(tmp_path), img_dir='img', label_dir='label', img_size=(24, 24),
        metainfo=dict(classes=tuple(str(i) for i in range(48))),
        pipeline=[dict(type='LoadCheckedImage'), dict(type='LoadSemanticLabel'),
                  dict(type='AlignedResize', keep_ratio=True),
                  dict(type='AlignedCrop'), dict(type='AlignedFlip')])
    for seed in range(6):
        np.random.seed(seed)
        results = dataset[0]
        assert results['gt'].shape == (24, 24, 3)
        source_rows = results['gt'][..., 1] / 4.0
        # area-averaged image rows (2r + 0.5) vs nearest label rows (2r)
        np.testing.assert_array_equal(results['gt_seg_map'], np.floor(source_rows))
