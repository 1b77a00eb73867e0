"""Inference entry points: trained pipeline in, images of any size out."""
from .feedback_inpainter import FeedbackInpainter, InpaintResult

__all__ = ['FeedbackInpainter', 'InpaintResult']
