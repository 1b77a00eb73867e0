"""Inference entry points: trained pipeline in, images of any size out (MMagic's inferencer
naming: ``FeedbackInpaintingInferencer`` runs ``FeedbackInpaintor`` checkpoints)."""
from .feedback_inpainting_inferencer import FeedbackInpaintingInferencer, InpaintResult

__all__ = ['FeedbackInpaintingInferencer', 'InpaintResult']
