"""The whole three-stage inference as one ONNX graph: image + mask in, inpainted image +
semantic map out, at a fixed working size (``tools/export.py``)."""
import os
import os.path as osp
import tempfile
from typing import Tuple

import numpy as np
import torch
from torch import nn

INPUT_NAMES = ('image', 'mask')
OUTPUT_NAMES = ('inpainted', 'semantic')


class InpaintingGraph(nn.Module):
    """``FeedbackInpaintor.inpaint`` as a plain graph: ``image`` (N,3,H,W float32 in [-1, 1]),
    ``mask`` (N,1,H,W float32, 1 = hole) -> ``inpainted`` (the composite, N,3,H,W in [-1, 1]),
    ``semantic`` (N,1,H,W int64 class ids of the guide)."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model
        # The exporter restores the wrapper's mode afterwards: eval, or BatchNorm would be left
        # training in the caller's model.
        self.eval()

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        output = self.model.inpaint(image, mask)
        return output.refined, output.semantic


def example_inputs(img_size: Tuple[int, int], batch: int = 1, seed: int = 0):
    generator = torch.Generator().manual_seed(seed)
    image = torch.rand(batch, 3, *img_size, generator=generator) * 2 - 1
    mask = torch.zeros(batch, 1, *img_size)
    height, width = img_size
    mask[..., height // 4:height // 2, width // 3:2 * width // 3] = 1
    return image, mask


def export_onnx(model: nn.Module, img_size: Tuple[int, int], path: str,
                opset: int = 17) -> None:
    """Write the graph of ``model`` at ``img_size`` to ``path`` (atomically: a failed export
    leaves no file). The batch dimension is dynamic; height and width are fixed."""
    graph = InpaintingGraph(model)
    inputs = example_inputs(img_size)
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix='.onnx.tmp')
    os.close(handle)
    try:
        with torch.no_grad():
            # The TorchScript-based exporter: torch.export (dynamo=True) cannot trace the
            # frozen stages' input checks, which are data-dependent Python conditionals.
            torch.onnx.export(
                graph, inputs, temporary, dynamo=False, opset_version=opset,
                input_names=list(INPUT_NAMES), output_names=list(OUTPUT_NAMES),
                dynamic_axes={name: {0: 'batch'} for name in INPUT_NAMES + OUTPUT_NAMES})
        os.replace(temporary, path)
    finally:
        if osp.exists(temporary):
            os.remove(temporary)


def check_onnx(model: nn.Module, path: str, img_size: Tuple[int, int], batch: int = 2) -> dict:
    """Run the exported graph in onnxruntime against the PyTorch model on the same inputs:
    the largest absolute difference of ``inpainted`` and the share of equal ``semantic``
    pixels."""
    import onnxruntime
    session = onnxruntime.InferenceSession(path, providers=['CPUExecutionProvider'])
    image, mask = example_inputs(img_size, batch, seed=1)
    inpainted, semantic = session.run(None, {'image': image.numpy(), 'mask': mask.numpy()})
    with torch.no_grad():
        expected = InpaintingGraph(model)(image, mask)
    return dict(max_abs_diff=float(np.abs(inpainted - expected[0].numpy()).max()),
                semantic_agreement=float((semantic == expected[1].numpy()).mean()),
                batch=batch)
