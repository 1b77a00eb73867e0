"""Segmentors (registered in MMSeg's ``MODELS``; build with ``_scope_='mmseg'``)."""
from .consistency_segmentor import SUPPORTED_HEADS, ConsistencySegmentor, PseudoLabels
from .data_preprocessor import HOLE_MASK_KEY, InpaintSegDataPreprocessor
from .normalisation import inpaint_to_seg_input, seg_channel_order, seg_input_to_inpaint

__all__ = [
    'ConsistencySegmentor', 'HOLE_MASK_KEY', 'InpaintSegDataPreprocessor', 'PseudoLabels',
    'SUPPORTED_HEADS', 'inpaint_to_seg_input', 'seg_channel_order',
    'seg_input_to_inpaint'
]
