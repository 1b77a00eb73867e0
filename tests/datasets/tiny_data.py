"""Writers of tiny data sets in the real layouts (CamVid, CelebAMask-HQ, Cityscapes, masks)."""
from pathlib import Path
from typing import Sequence, Tuple

import cv2
import numpy as np


def write_image(path, rgb: np.ndarray) -> str:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return str(path)


def write_gray(path, array: np.ndarray) -> str:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), array)
    return str(path)


def position_image(height: int, width: int) -> np.ndarray:
    """R = 4 * column, G = 4 * row, B = 128: every pixel says where it came from."""
    rows, cols = np.mgrid[:height, :width]
    return np.stack([4 * cols, 4 * rows, np.full_like(rows, 128)], -1).astype(np.uint8)


def random_image(rng: np.random.Generator, hw: Tuple[int, int]) -> np.ndarray:
    return rng.integers(0, 256, hw + (3, ), dtype=np.uint8)


def make_camvid(root, num_train: int = 4, num_val: int = 2, hw=(24, 32), seed: int = 0):
    """{train,val}/img/*.jpg + label/*.png, labels 0..11 (11 = Unlabelled)."""
    rng = np.random.default_rng(seed)
    for split, count in (('train', num_train), ('val', num_val)):
        for index in range(count):
            stem = f'{split}_{index:03d}'
            write_image(Path(root, split, 'img', stem + '.jpg'), random_image(rng, hw))
            label = rng.integers(0, 12, hw, dtype=np.uint8)
            write_gray(Path(root, split, 'label', stem + '.png'), label)
    return str(root)


def make_celebamask(root, num_labelled: int = 6, num_unlabelled: int = 2, hw=(32, 32),
                    seed: int = 0):
    """img/*.jpg + label/*.png (19 source classes) + unlabeled/*.jpg."""
    rng = np.random.default_rng(seed)
    for index in range(num_labelled):
        write_image(Path(root, 'img', f'{index:04x}.jpg'), random_image(rng, hw))
        label = np.arange(hw[0] * hw[1]).reshape(hw) % 19
        write_gray(Path(root, 'label', f'{index:04x}.png'), label.astype(np.uint8))
    for index in range(num_unlabelled):
        write_image(Path(root, 'unlabeled', f'u{index:03d}.jpg'), random_image(rng, hw))
    return str(root)


def make_cityscapes(root, cities: Sequence[str] = ('aachen', 'bremen'), per_city: int = 2,
                    num_test: int = 2, hw=(16, 32), seed: int = 0):
    """leftImg8bit/{train,val,test}/<city>/*_leftImg8bit.png, gtFine/{train,val}/<city>/
    *_gtFine_labelIds.png with every official label id 0..33."""
    rng = np.random.default_rng(seed)
    for split in ('train', 'val', 'test'):
        for city in (cities if split != 'test' else ('berlin', )):
            for index in range(per_city if split != 'test' else num_test):
                stem = f'{city}_{index:06d}_000019'
                write_image(Path(root, 'leftImg8bit', split, city, stem + '_leftImg8bit.png'),
                            random_image(rng, hw))
                if split != 'test':
                    label = (np.arange(hw[0] * hw[1]).reshape(hw) % 34).astype(np.uint8)
                    write_gray(Path(root, 'gtFine', split, city, stem + '_gtFine_labelIds.png'),
                               label)
    return str(root)


def row_mask(hw: Tuple[int, int], ratio: float) -> np.ndarray:
    """255 on the top rows covering ``ratio`` of the mask (whole rows, so the ratio survives
    integer nearest resizes)."""
    mask = np.zeros(hw, np.uint8)
    mask[:int(round(ratio * hw[0]))] = 255
    return mask


def make_masks(mask_dir, ratios: Sequence[float], hw=(32, 32)) -> list:
    """One row mask per ratio, named so that name order is not ratio order."""
    names = []
    for index, ratio in enumerate(ratios):
        name = f'{(7 * index + 3) % 97:05d}.png'
        write_gray(Path(mask_dir, name), row_mask(hw, ratio))
        names.append(name)
    return names
