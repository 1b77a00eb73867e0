"""Hand-made inpainting predictions in MMagic's val/test convention (shared by these tests)."""
import numpy as np
import torch
from mmagic.structures import DataSample


def bgr_chw(rgb_hwc) -> torch.Tensor:
    """An RGB HxWx3 image as MMagic's evaluator sees it: float (3,H,W) BGR in [0, 255]."""
    return torch.from_numpy(np.ascontiguousarray(np.asarray(rgb_hwc)[..., ::-1])).permute(
        2, 0, 1).float()


def hole_mask(height: int, width: int, holes: int) -> torch.Tensor:
    """A uint8 (1,H,W) mask whose first ``holes`` pixels (row-major) are holes (1)."""
    mask = torch.zeros(height * width, dtype=torch.uint8)
    mask[:holes] = 1
    return mask.view(1, height, width)


def make_sample(gt_rgb, pred_rgb, mask, with_metainfo: bool = True) -> DataSample:
    """A DataSample like MMagic's inpaintors hand to the evaluator (gt_img, mask, output)."""
    sample = DataSample(gt_img=bgr_chw(gt_rgb), mask=mask)
    if with_metainfo:
        sample.set_metainfo({'gt_img_output_channel_order': 'BGR'})
    sample.output = DataSample(pred_img=bgr_chw(pred_rgb))
    return sample


def smooth_image(size: int, seed: int) -> np.ndarray:
    """A deterministic natural-ish uint8 RGB image: shading, a disk, stripes."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size].astype(np.float64) / size
    phase, centre = rng.uniform(0, 2 * np.pi, 3), rng.uniform(0.3, 0.7, 2)
    disk = ((x - centre[0])**2 + (y - centre[1])**2) < 0.05
    channels = [128 + 80 * np.sin(2 * np.pi * (2 + c) * x + 3 * y + phase[c]) + 40 * disk
                for c in range(3)]
    return np.clip(np.stack(channels, axis=-1), 0, 255).astype(np.uint8)


def perturbed(image: np.ndarray, seed: int, noise: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(image + rng.normal(0, noise, image.shape), 0, 255).astype(np.uint8)
