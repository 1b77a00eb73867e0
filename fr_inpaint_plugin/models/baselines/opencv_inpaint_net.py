"""A classical floor: OpenCV's Telea / Navier-Stokes inpainting as a parameter-free generator.

Plugged into MMagic's ``OneStageInpaintor`` as ``encdec`` it is evaluated exactly like a
learned inpaintor (same data pipeline, masks, composite and evaluator), with no checkpoint.
"""
import cv2
import numpy as np
import torch
from mmagic.registry import MODELS
from torch import nn

OPENCV_METHODS = {'telea': cv2.INPAINT_TELEA, 'ns': cv2.INPAINT_NS}


@MODELS.register_module()
class OpenCVInpaintNet(nn.Module):
    """Input (N, 4, H, W): masked image in [-1, 1] + mask (1 = hole); output (N, 3, H, W) in
    [-1, 1]. Each image is inpainted as 8-bit RGB with ``cv2.inpaint``.

    Args:
        method: ``'telea'`` (Telea 2004, fast marching) or ``'ns'`` (Bertalmio et al. 2001).
        radius: neighbourhood radius in pixels.
    """

    def __init__(self, method: str = 'telea', radius: int = 3):
        super().__init__()
        if method not in OPENCV_METHODS:
            raise ValueError(f'method must be one of {sorted(OPENCV_METHODS)}, got {method!r}')
        self.method = method
        self.radius = radius

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        images, masks = x[:, :3], x[:, 3:]
        images_u8 = ((images.detach().float().clamp(-1, 1) + 1) * 127.5).round().byte()
        masks_u8 = (masks.detach() > 0.5).byte().mul(255)
        outputs = []
        for image, mask in zip(images_u8.permute(0, 2, 3, 1).cpu().numpy(),
                               masks_u8[:, 0].cpu().numpy()):
            outputs.append(cv2.inpaint(np.ascontiguousarray(image), mask, self.radius,
                                       OPENCV_METHODS[self.method]))
        result = torch.from_numpy(np.stack(outputs)).permute(0, 3, 1, 2)
        return result.to(device=x.device, dtype=x.dtype) / 127.5 - 1
