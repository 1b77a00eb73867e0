"""A smooth, parameter-free first guess for the holes: push-pull (pyramid) interpolation.

Known pixels are averaged down a 2x2 pyramid until nothing is missing (push); then, from the
coarsest level up, every level keeps its known part, takes the rest from the up-sampled coarser
level and relaxes it with a few Jacobi steps of Laplace's equation (pull), as in the Lumigraph's
pull-push (Gortler et al. 1996) with multigrid smoothing. Pure torch (pooling, interpolation,
shifted sums), so it batches, runs on any device and exports to ONNX inside the whole
pipeline's graph, which OpenCV's inpainting cannot.
"""
import torch
import torch.nn.functional as F


def laplace_step(image: torch.Tensor) -> torch.Tensor:
    """Each pixel replaced by the mean of its 4 neighbours (borders replicated)."""
    padded = F.pad(image, (1, 1, 1, 1), mode='replicate')
    return (padded[..., :-2, 1:-1] + padded[..., 2:, 1:-1] + padded[..., 1:-1, :-2] +
            padded[..., 1:-1, 2:]) / 4


def pyramid_fill(img: torch.Tensor, mask: torch.Tensor, smoothing_steps: int = 5,
                 eps: float = 1e-6) -> torch.Tensor:
    """``img`` (N,C,H,W) with the pixels where ``mask`` (N,1,H,W, 1 = hole) is set replaced by
    a smooth interpolation of the known ones; known pixels are returned unchanged. Pixels of
    ``img`` inside holes are never read; an image with no known pixel is filled with zeros.

    ``smoothing_steps`` Jacobi steps per pyramid level (0: plain bilinear pull). On CamVid's
    128x128 test buckets 5 steps score 0.45 dB above OpenCV Telea on PSNR@all and 0.012 worse
    on LPIPS@all (docs/results.md).
    """
    known = 1. - mask.to(img.dtype)
    values, weights = [img * known], [known]
    while min(values[-1].shape[-2:]) > 1:  # push: weight-averaged 2x2 pooling
        weighted = F.avg_pool2d(values[-1] * weights[-1], 2, ceil_mode=True)
        weight = F.avg_pool2d(weights[-1], 2, ceil_mode=True)
        values.append(weighted / weight.clamp(min=eps))
        weights.append(weight)
    filled = values[-1]
    for value, weight in zip(values[-2::-1], weights[-2::-1]):  # pull
        coverage = weight.clamp(max=1.)  # the fraction of known pixels under each cell
        coarser = F.interpolate(filled, size=value.shape[-2:], mode='bilinear',
                                align_corners=False)
        filled = value * coverage + coarser * (1. - coverage)
        for _ in range(smoothing_steps):
            filled = value * coverage + laplace_step(filled) * (1. - coverage)
    return img * known + filled * (1. - known)
