"""What the benchmark times: the method's stages (built from a refine config, frozen stages
untrained: weights do not change speed), MMagic's inpaintors built from their ``mmagic::``
configs, and OpenCV's classical inpainting, each as a call on fixed inputs on its device (the
torch models on the one asked for; OpenCV and ONNX Runtime on the CPU)."""
import copy
import inspect
import os.path as osp
import tempfile
from typing import Callable, ContextManager, NamedTuple, Sequence, Tuple

import numpy as np
import torch
from mmengine.config import Config
from mmengine.hub import get_config
from mmengine.registry import DefaultScope

from ..apis.inference_speedups import compiled_inpaint, optimized_for_inference
from .timing import Device


class Subject(NamedTuple):
    """One timed thing: ``call(batch)`` runs it on ``batch`` images prepared beforehand on
    ``device``; ``torch_model`` False for OpenCV and ONNX Runtime (no FLOPs). Inputs are
    prepared and calls timed under ``grad_mode()`` (autograd off; inference mode by default,
    the cheapest, ``torch.no_grad`` for the row that measures what it saves)."""
    name: str
    group: str  # 'ours' | 'mmagic' | 'opencv'
    call: Callable[[int], Callable[[], object]]
    torch_model: bool = True
    device: Device = 'cpu'
    grad_mode: Callable[[], ContextManager] = torch.inference_mode


def example_inputs(batch: int, size: Tuple[int, int], seed: int = 0,
                   device: Device = 'cpu'):
    """Images in [-1, 1] (N,3,H,W) and masks (N,1,H,W, 1 = hole) with a centred hole of a
    quarter of the image, on ``device``: the same for every subject (drawn on the CPU, whose
    generator gives the same numbers on every machine)."""
    generator = torch.Generator().manual_seed(seed)
    img = torch.rand(batch, 3, *size, generator=generator) * 2 - 1
    mask = torch.zeros(batch, 1, *size)
    height, width = size
    mask[..., height // 4:3 * height // 4, width // 4:3 * width // 4] = 1
    return img.to(device), mask.to(device)


def _untrained(config: Config) -> Config:
    for stage in ('coarse', 'segmentor'):
        if config.model.get(stage) is not None:
            config.model[stage].checkpoint = None
    return config


def build_pipeline(refine_config: str) -> torch.nn.Module:
    """``FeedbackInpaintor`` of ``refine_config`` with its frozen stages untrained."""
    from mmagic.registry import MODELS
    cfg = _untrained(Config.fromfile(refine_config))
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    return model.eval()


def ours(refine_config: str, size: Tuple[int, int], device: Device = 'cpu',
         torch_compile: bool = False) -> Sequence[Subject]:
    """G_c, S, G_s and the whole pipeline of ``refine_config``, plain and with each inference
    rewrite (``torch_compile`` adds the opt-in compiled pipeline), and its ONNX export."""
    model = build_pipeline(refine_config)
    onnx = onnx_pipeline(model, size)  # the exporter traces on the CPU
    model.to(device)

    def coarse(batch):
        img, mask = example_inputs(batch, size, device=device)
        return lambda: model.coarse.inpaint(img, mask)

    def segmentor(batch):
        img, _ = example_inputs(batch, size, device=device)
        return lambda: model.segment(img)

    def refiner(batch):
        img, mask = example_inputs(batch, size, device=device)
        coarse_img, guide = model.coarse_and_guide(img, mask)
        return lambda: model.refine(coarse_img, guide, mask)

    def pipeline(batch, variant=model):
        img, mask = example_inputs(batch, size, device=device)
        return lambda: variant.inpaint(img, mask)

    folded = optimized_for_inference(model, fold_bn=True)
    channels_last = optimized_for_inference(model, fold_bn=False, channels_last=True)

    subjects = [Subject('coarse G_c', 'ours', coarse, device=device),
            Subject('segmentor S', 'ours', segmentor, device=device),
            Subject('refiner G_s', 'ours', refiner, device=device),
            Subject('whole pipeline (G_c + S + G_s)', 'ours', pipeline, device=device),
            Subject('whole pipeline, no_grad instead of inference_mode', 'ours', pipeline,
                    device=device, grad_mode=torch.no_grad),
            Subject('whole pipeline, BatchNorm folded', 'ours',
                    lambda batch: pipeline(batch, folded), device=device),
            Subject('whole pipeline, channels-last', 'ours',
                    lambda batch: pipeline(batch, channels_last), device=device),
            onnx]
    if torch_compile:
        compiled = compiled_inpaint(copy.deepcopy(model))

        def compiled_pipeline(batch):
            img, mask = example_inputs(batch, size, device=device)
            return lambda: compiled(img, mask)

        # The warm-up calls compile (minutes on a CPU); FLOPs are the plain pipeline's.
        subjects.append(Subject('whole pipeline, torch.compile', 'ours', compiled_pipeline,
                                torch_model=False, device=device))
    return subjects


def onnx_pipeline(model: torch.nn.Module, size: Tuple[int, int]) -> Subject:
    """The whole pipeline exported by ``tools/export.py``'s code (from ``model`` on the CPU),
    run in onnxruntime on the CPU (its FLOPs are the PyTorch pipeline's: not counted again)."""
    import onnxruntime

    from ..apis.export import export_onnx
    with tempfile.TemporaryDirectory() as folder:
        path = osp.join(folder, 'pipeline.onnx')
        export_onnx(model, size, path)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        session = onnxruntime.InferenceSession(path, options,
                                               providers=['CPUExecutionProvider'])

    def call(batch):
        img, mask = example_inputs(batch, size)
        feed = {'image': img.numpy(), 'mask': mask.numpy()}
        return lambda: session.run(None, feed)

    return Subject('whole pipeline, ONNX Runtime', 'ours', call, torch_model=False)


def mmagic_inpaintor(name: str, config: str, size: Tuple[int, int],
                     device: Device = 'cpu') -> Subject:
    """An MMagic inpaintor's generator (its config's ``model.encdec``, what inference runs;
    the losses, whose VGG weights would download, are not built) on the masked image + mask."""
    from mmagic.registry import MODELS
    cfg = get_config(config) if '::' in config else Config.fromfile(config)
    with DefaultScope.overwrite_default_scope('mmagic'):
        generator = MODELS.build(cfg.model.encdec).eval().to(device)
        # Two-stage inpaintors (DeepFill) feed an extra ones channel unless told otherwise.
        option = inspect.signature(MODELS.get(cfg.model.type).__init__).parameters.get(
            'input_with_ones')
    with_ones = cfg.model.get('input_with_ones', option.default if option else False)

    def call(batch):
        img, mask = example_inputs(batch, size, device=device)
        parts = [img * (1 - mask)] + ([torch.ones_like(mask)] if with_ones else []) + [mask]
        inputs = torch.cat(parts, dim=1)
        return lambda: generator(inputs)

    return Subject(name, 'mmagic', call, device=device)


def opencv_inpaint(method: str, size: Tuple[int, int], radius: int = 3) -> Subject:
    """OpenCV's inpainting, on the CPU whatever the benchmark's device (``cv2.inpaint`` is CPU
    code)."""
    import cv2
    flags = dict(telea=cv2.INPAINT_TELEA, ns=cv2.INPAINT_NS)[method]

    def call(batch):
        img, mask = example_inputs(batch, size)
        images = [((i.permute(1, 2, 0).numpy() + 1) * 127.5).astype(np.uint8) for i in img]
        masks = [(m[0].numpy() * 255).astype(np.uint8) for m in mask]
        return lambda: [cv2.inpaint(i, m, radius, flags) for i, m in zip(images, masks)]

    return Subject(f'OpenCV {method.upper() if method == "ns" else method.title()}', 'opencv',
                   call, torch_model=False)


def build_subjects(cfg: Config, device: Device = 'cpu') -> Sequence[Subject]:
    """Every subject of benchmark config ``cfg``, its torch models on ``device``."""
    size = tuple(cfg.img_size)
    subjects = list(ours(cfg.pipeline, size, device, cfg.get('torch_compile', False)))
    subjects += [mmagic_inpaintor(name, config, size, device)
                 for name, config in cfg.get('mmagic_inpaintors', {}).items()]
    subjects += [opencv_inpaint(method, size) for method in cfg.get('opencv', ())]
    return subjects


