from .progress_bar_hook import ProgressBarHook
from .pseudo_label_hook import CrossImagePseudoLabelHook, UnshardedSampler
from .recorrection_audit_hook import RecorrectionAuditHook

__all__ = ['CrossImagePseudoLabelHook', 'ProgressBarHook', 'RecorrectionAuditHook',
           'UnshardedSampler']
