"""Feed a segmentor from our inpainting datasets (MMagic ``DataSample``) as well as from MMSeg's.

Why a data preprocessor and not a pipeline variant: the same dataset config (and pipeline) then
feeds the coarse inpainter, the segmentors and the feedback model, the batch keeps its hole
masks for the inpainting-aware mode, and a plain MMSeg batch (``SegDataSample``) still works.
"""
from typing import Any, Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.structures import PixelData
from mmseg.models.data_preprocessor import SegDataPreProcessor
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import stack_batch

from .normalisation import inpaint_to_seg_input

HOLE_MASK_KEY = 'hole_mask'  # the SegDataSample field carrying our (1,H,W) mask, 1 = hole


def is_inpaint_sample(sample) -> bool:
    """True for the MMagic ``DataSample`` items of our datasets (they carry ``gt_img``)."""
    return not isinstance(sample, SegDataSample) and 'gt_img' in sample


@MODELS.register_module()
class InpaintSegDataPreprocessor(SegDataPreProcessor):
    """MMSeg's ``SegDataPreProcessor`` that also takes batches of our InpaintSegDataset family.

    MMSeg batches (``SegDataSample`` items) are processed exactly as by ``SegDataPreProcessor``.
    For MMagic ``DataSample`` items (``gt_img`` (3,H,W) 0-255 with ``gt_channel_order`` in the
    metainfo, ``gt_seg_map`` (1,H,W) uint8 with 255 = ignore, ``mask`` (1,H,W) 1 = hole):

    * the network input is the *clean* image ``gt_img`` (never the masked ``inputs``), brought
      to [-1, 1] RGB and normalised by :func:`inpaint_to_seg_input` (the one conversion);
    * each item becomes a ``SegDataSample`` with ``gt_sem_seg`` (int64, 255 = ignore, so
      unlabelled items are all-ignore), the hole mask as ``hole_mask`` (``PixelData``), and the
      item's metainfo plus ``img_shape``/``ori_shape`` = the working size (predictions come
      back at that size);
    * padding (``size``/``size_divisor``, right/bottom) pads ``gt_sem_seg`` with
      ``seg_pad_val`` and ``hole_mask`` with 0 (known), as MMSeg pads its own fields.

    Unlike MMSeg's class it records ``bgr_to_rgb``/``rgb_to_bgr`` (the network's channel order
    is needed to convert inpainting-range tensors).
    """

    def __init__(self, *args, bgr_to_rgb: bool = False, rgb_to_bgr: bool = False, **kwargs):
        super().__init__(*args, bgr_to_rgb=bgr_to_rgb, rgb_to_bgr=rgb_to_bgr, **kwargs)
        self.bgr_to_rgb = bgr_to_rgb
        self.rgb_to_bgr = rgb_to_bgr

    def forward(self, data: dict, training: bool = False) -> Dict[str, Any]:
        samples = data.get('data_samples')
        if not samples or not any(is_inpaint_sample(s) for s in samples):
            return super().forward(data, training)
        if not all(is_inpaint_sample(s) for s in samples):
            raise TypeError('a batch mixes MMagic DataSamples and MMSeg SegDataSamples')
        data = self.cast_data(data)
        inputs, seg_samples, masks = [], [], []
        for sample in data['data_samples']:
            image = sample.gt_img.float()
            if str(sample.metainfo.get('gt_channel_order', 'rgb')).lower() == 'bgr':
                image = image.flip(0)
            inputs.append(inpaint_to_seg_input(image[None] / 127.5 - 1., self)[0])
            seg_samples.append(self._to_seg_sample(sample, image.shape[-2:]))
            masks.append(sample.mask.float().reshape(1, *image.shape[-2:])
                         if 'mask' in sample else None)

        padded = self.size is not None or self.size_divisor is not None
        if training and padded:
            inputs, seg_samples = stack_batch(
                inputs=inputs, data_samples=seg_samples, size=self.size,
                size_divisor=self.size_divisor, pad_val=self.pad_val,
                seg_pad_val=self.seg_pad_val)
        elif training:  # no padding asked for (MMSeg's stack_batch would fail)
            inputs = self._stack_same_size(inputs)
            for sample in seg_samples:
                sample.set_metainfo(dict(pad_shape=tuple(inputs.shape[-2:])))
        elif self.test_cfg:
            self._stack_same_size(inputs)  # checks the sizes, as MMSeg does in test mode
            inputs, pad_info = stack_batch(
                inputs=inputs, size=self.test_cfg.get('size', None),
                size_divisor=self.test_cfg.get('size_divisor', None),
                pad_val=self.pad_val, seg_pad_val=self.seg_pad_val)
            for sample, info in zip(seg_samples, pad_info):
                sample.set_metainfo({**info})
        else:
            inputs = self._stack_same_size(inputs)
        if training and self.batch_augments is not None:
            inputs, seg_samples = self.batch_augments(inputs, seg_samples)
        self._attach_masks(seg_samples, masks, inputs.shape[-2:])
        return dict(inputs=inputs, data_samples=seg_samples)

    @staticmethod
    def _stack_same_size(inputs: List[torch.Tensor]) -> torch.Tensor:
        sizes = sorted({tuple(x.shape[1:]) for x in inputs})
        if len(sizes) > 1:
            raise ValueError(f'the images of a batch differ in size ({sizes}); resize them to '
                             "one working size (the dataset's img_size) or set size/size_divisor")
        return torch.stack(inputs, dim=0)

    @staticmethod
    def _to_seg_sample(sample, size) -> SegDataSample:
        size = tuple(int(s) for s in size)
        seg = SegDataSample(metainfo={**sample.metainfo, 'img_shape': size, 'ori_shape': size})
        if 'gt_seg_map' in sample:
            seg.gt_sem_seg = PixelData(data=sample.gt_seg_map.long().reshape(1, *size))
        return seg

    @staticmethod
    def _attach_masks(samples: Sequence[SegDataSample], masks: List[Optional[torch.Tensor]],
                      padded_size) -> None:
        for sample, mask in zip(samples, masks):
            if mask is None:
                continue
            height, width = mask.shape[-2:]
            mask = F.pad(mask, (0, padded_size[1] - width, 0, padded_size[0] - height), value=0.)
            sample.set_field(PixelData(data=mask), HOLE_MASK_KEY)
