"""S of the method: any MMSeg encoder-decoder that also exposes its per-pixel decoder features,
with an inpainting-aware mode (S_ia) that trains on coarse-inpainted images."""
import copy
from typing import List, NamedTuple, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import ConfigDict
from mmengine.structures import PixelData
from mmseg.models.losses import accuracy
from mmseg.models.segmentors import EncoderDecoder
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.utils import add_prefix
from torch import Tensor, nn

from ...consistency.cross_image_loss import cross_image_consistency_loss
from ...consistency.query_pool import class_mean_normalised, load_query_pool, pixel_weights
from ...datasets.hole_masks import make_irregular_mask
from ..frozen_stage import FrozenStagesMixin, StageCfg, build_frozen_inpainter, build_frozen_stage
from .data_preprocessor import HOLE_MASK_KEY
from .normalisation import inpaint_to_seg_input, seg_channel_order, seg_input_to_inpaint

# Decode heads checked by the tests; any head whose forward ends with ``cls_seg`` (one call of
# ``conv_seg`` whose output is returned as is) works the same way.
SUPPORTED_HEADS = ('FCNHead', 'ASPPHead', 'DepthwiseSeparableASPPHead', 'PSPHead', 'UPerHead')
TRAIN_MASK_SOURCES = ('batch', 'random')
RANKING_FEATURES = ('decoder', 'backbone')
PSEUDO_LABEL_LOSS_AVERAGES = ('batch', 'separate')
PSEUDO_LABEL_NORMALISATIONS = (None, 'class_mean')
INPAINTER_PREFIX = 'inpainter.'
TEACHER_PREFIX = 'pseudo_label_teacher.'
# Frozen parts that checkpoints leave out: they come from their own config + checkpoint.
FROZEN_PREFIXES = (INPAINTER_PREFIX, TEACHER_PREFIX)
# MMSeg's preprocessor (registered as ``SegDataPreProcessor``): upgraded to ours, same arguments.
PLAIN_PREPROCESSORS = ('SegDataPreProcessor', 'mmseg.SegDataPreProcessor', 'SegDataPreprocessor',
                       'mmseg.SegDataPreprocessor')


def _draw_irregular_masks(num: int, size: Tuple[int, int], hole_ratio_range) -> Tensor:
    """(num,1,H,W) float masks, 1 = hole, drawn like the ``GenerateIrregularMask`` transform
    (numpy's global state seeds the generator, so MMEngine's ``randomness.seed`` fixes them)."""
    masks = [make_irregular_mask(np.random.default_rng(np.random.randint(2**31)), size,
                                 hole_ratio_range) > 0 for _ in range(num)]
    return torch.from_numpy(np.stack(masks)[:, None].astype(np.float32))


def _drop_frozen_state(module, state_dict, prefix, local_metadata) -> None:
    for key in [k for k in state_dict
                if any(k.startswith(prefix + frozen) for frozen in FROZEN_PREFIXES)]:
        del state_dict[key]


def _keep_frozen_state(module, state_dict, prefix, local_metadata, strict, missing_keys,
                       unexpected_keys, error_msgs) -> None:
    """Loading a segmentor checkpoint keeps the frozen inpainter and teacher as they are
    (checkpoints without their weights load strictly; older ones with them do not overwrite
    them)."""
    for frozen in FROZEN_PREFIXES:
        stage = getattr(module, frozen[:-1])
        if stage is not None:
            for key, value in stage.state_dict().items():
                state_dict[prefix + frozen + key] = value


class PseudoLabels(NamedTuple):
    """A teacher's view of a batch: ``labels`` (N,H,W) int64, the argmax of the logits upsampled
    (bilinear) to the input size; ``features`` (N,C,h,w), the per-pixel features the segmentor's
    ``ranking_features`` names, at their own resolution; ``confidence`` (N,H,W), the softmax
    probability of each pixel's label; ``probabilities`` (N,K,H,W), the whole softmax."""
    labels: Tensor
    features: Tensor
    confidence: Tensor
    probabilities: Tensor


@MODELS.register_module()
class ConsistencySegmentor(FrozenStagesMixin, EncoderDecoder):
    """An MMSeg ``EncoderDecoder`` (any backbone/neck/decode head from configs) that exposes the
    decode head's per-pixel features next to its logits, and optionally trains on images
    inpainted by a frozen coarse inpainter (the paper's inpainting-aware segmentor S_ia).

    Build it in MMSeg's scope: ``dict(_scope_='mmseg', type='ConsistencySegmentor', ...)``. A
    ``'mmseg.ConsistencySegmentor'`` type switches scope for this class only: its backbone and
    heads would then be looked up in the caller's scope (MMagic's: ``ResNetV1c`` is not found,
    and a name both registries know would silently resolve to MMagic's class).

    Features: :meth:`extract_seg_features` returns the input of the decode head's classifier
    (``conv_seg``; before its dropout when the head has one) and the logits it produced. Works
    for every decode head whose ``forward`` returns the output of its one ``cls_seg`` call
    (FCN, ASPP, DeepLabV3+ (``DepthwiseSeparableASPPHead``: its fused decoder feature after
    ReLU, 256-d at full size, as in CISC-R), PSP, UPerNet, and by the same rule FPN, Segformer,
    SETR, LRASPP, ...). Refused with a clear error: heads without ``conv_seg`` (MaskFormer,
    Mask2Former; at build time) and heads that return several outputs or post-process the
    classifier output (DAHead, DDRHead in training; when features are asked for). Cascade
    segmentors (OCRNet, PointRend) are not ``EncoderDecoder`` models and are not covered.

    Data: ``data_preprocessor`` defaults to ``InpaintSegDataPreprocessor`` (a plain
    ``SegDataPreProcessor`` config is upgraded to it, same arguments), which takes batches from
    our InpaintSegDataset family (MMagic ``DataSample``: the clean ``gt_img`` is segmented,
    ``gt_seg_map`` is the label, ``mask`` travels as ``hole_mask``) and MMSeg batches alike.
    Unlabelled items are all-ignore (255) and contribute no loss with MMSeg's CrossEntropyLoss
    (set ``avg_non_ignore=True`` so they do not dilute the labelled pixels of their batch).

    Inpainting-aware mode (``inpainter`` given): during training (``forward(mode='loss')``) the
    clean inputs are masked with the batch's hole masks (``train_masks='batch'``; items without
    one get a random irregular mask) or always with random irregular masks
    (``train_masks='random'``), inpainted by the frozen inpainter, and the segmentor learns on the
    composites ``I_inc`` against the original labels. The inpainter stays in eval mode even when
    ``train()`` is called, has ``requires_grad=False`` (it receives no gradient, so the optimizer
    never changes it), is never re-initialised by :meth:`init_weights`, and is left out of
    ``state_dict()`` (checkpoints hold the segmentor; loading one keeps the inpainter). At
    test time the input is segmented as given (the caller passes ``I_inc``) unless
    ``inpaint_on_test=True``, which inpaints the batch's hole masks first.

    Args:
        backbone, decode_head, neck, auxiliary_head, train_cfg, test_cfg, pretrained, init_cfg:
            as MMSeg's ``EncoderDecoder``.
        data_preprocessor: ``InpaintSegDataPreprocessor`` config (or a ``SegDataPreProcessor``
            config, upgraded), or a built module recording ``bgr_to_rgb``.
        inpainter: the frozen coarse stage (see :func:`build_frozen_inpainter`); None = plain
            segmentor (S0).
        train_masks: ``'batch'`` or ``'random'`` (inpainting-aware mode only).
        hole_ratio_range: ``(low, high]`` hole ratio of the random masks.
        inpaint_on_test: inpaint the batch's hole masks before segmenting in ``predict``.
        consistency_loss_weight: weight of CISC-R's cross-image consistency loss on the decode
            head's features of the batch's labelled items
            (:func:`~fr_inpaint_plugin.consistency.cross_image_consistency_loss`), added to the
            decode head's losses as ``decode.loss_consistency``; 0 = off.
        pseudo_label_weighting: CISC-R's pixel-level recorrection of pseudo-labels (steps 4-5):
            ``dict(teacher=dict(config=..., checkpoint=...), query_pool='<round>/query_pool.pth')``.
            The frozen teacher (the segmentor that made the pseudo-labels) gives the features
            of each pseudo-labelled item of a batch (its clean image), and the decode head's
            cross-entropy on that item is weighted per pixel by its agreement with a prototype
            drawn from the query pool (:func:`~fr_inpaint_plugin.consistency.pixel_weights`);
            labelled items keep weight 1. None = plain cross-entropy on pseudo-labels. An
            optional ``normalise='class_mean'`` (not CISC-R) divides the batch's weights by
            their mean over each pseudo-label class
            (:func:`~fr_inpaint_plugin.consistency.query_pool.class_mean_normalised`), keeping
            only how they rank the pixels of a class; None (default) = CISC-R's weights.
        pseudo_label_loss_weight: factor on every head's cross-entropy of pseudo-labelled
            items (on the decode head's, times their recorrection weights, if any), so the
            teacher's mistakes can count less than the true labels; 1 = CISC-R. The
            recorrection weights stay with the decode head (CISC-R has no auxiliary head).
        pseudo_label_loss_average: how each head's CE is averaged over a batch holding
            labelled and pseudo-labelled items: ``'batch'``, over all the batch's (non-ignored)
            pixels, so the more pseudo-labelled items a batch holds, the less its true labels
            weigh; ``'separate'``, over the labelled items' pixels and over the pseudo-labelled
            items' pixels apart, the two means summed, as CISC-R's ``seg_loss + un_loss``
            (its batches hold as many of each; see ``LabelledPseudoBatchSampler``).
        ranking_features: the features a teacher's pseudo-labels are compared by (class
            anchors, reliability ranking, query pool, recorrection weights; see
            :meth:`teacher_features`): ``'decoder'``, the decode head's classifier input
            (CISC-R's fused decoder feature), or ``'backbone'``, the backbone/neck output the
            decode head reads (its ``in_index``: for DeepLabV3+ the deep, output-stride-16
            feature). Training is the same either way.
    """

    def __init__(self,
                 backbone: dict,
                 decode_head: dict,
                 neck: Optional[dict] = None,
                 auxiliary_head: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 data_preprocessor=None,
                 pretrained: Optional[str] = None,
                 init_cfg=None,
                 inpainter: Optional[StageCfg] = None,
                 train_masks: str = 'batch',
                 hole_ratio_range: Sequence[float] = (0.05, 0.6),
                 inpaint_on_test: bool = False,
                 consistency_loss_weight: float = 0.,
                 pseudo_label_weighting: Optional[dict] = None,
                 pseudo_label_loss_weight: float = 1.,
                 pseudo_label_loss_average: str = 'batch',
                 ranking_features: str = 'decoder'):
        if train_masks not in TRAIN_MASK_SOURCES:
            raise ValueError(f'train_masks must be one of {TRAIN_MASK_SOURCES}, '
                             f'got {train_masks!r}')
        if ranking_features not in RANKING_FEATURES:
            raise ValueError(f'ranking_features must be one of {RANKING_FEATURES}, '
                             f'got {ranking_features!r}')
        if pseudo_label_loss_average not in PSEUDO_LABEL_LOSS_AVERAGES:
            raise ValueError(f'pseudo_label_loss_average must be one of '
                             f'{PSEUDO_LABEL_LOSS_AVERAGES}, got {pseudo_label_loss_average!r}')
        self.ranking_features = ranking_features
        self.pseudo_label_loss_average = pseudo_label_loss_average
        super().__init__(
            backbone=backbone, decode_head=decode_head, neck=neck,
            auxiliary_head=auxiliary_head, train_cfg=train_cfg,
            # EncoderDecoder reads test_cfg.mode: a plain dict (direct construction) fails there.
            test_cfg=ConfigDict(test_cfg) if isinstance(test_cfg, dict) else test_cfg,
            data_preprocessor=self._build_preprocessor(data_preprocessor),
            pretrained=pretrained, init_cfg=init_cfg)
        seg_channel_order(self.data_preprocessor)  # fails early without a recorded order
        if not isinstance(getattr(self.decode_head, 'conv_seg', None), nn.Module):
            raise TypeError(
                f'{type(self.decode_head).__name__} has no conv_seg classifier, so its per-pixel '
                f'features cannot be exposed; use a head like {", ".join(SUPPORTED_HEADS)}')
        self.inpainter = build_frozen_inpainter(inpainter, 'inpainter')
        self.pseudo_label_teacher, self.query_pool = None, None
        self.pseudo_label_normalise = None
        if pseudo_label_weighting is not None:
            keys = set(pseudo_label_weighting)
            if not {'teacher', 'query_pool'} <= keys <= {'teacher', 'query_pool', 'normalise'}:
                raise ValueError('pseudo_label_weighting must be dict(teacher=dict(config=..., '
                                 "checkpoint=...), query_pool=...[, normalise='class_mean']), "
                                 f'got {pseudo_label_weighting}')
            self.pseudo_label_normalise = pseudo_label_weighting.get('normalise')
            if self.pseudo_label_normalise not in PSEUDO_LABEL_NORMALISATIONS:
                raise ValueError(f'pseudo_label_weighting.normalise must be one of '
                                 f'{PSEUDO_LABEL_NORMALISATIONS}, got '
                                 f'{self.pseudo_label_normalise!r}')
            self.pseudo_label_teacher = build_frozen_stage(
                pseudo_label_weighting['teacher'], MODELS, 'pseudo_label_weighting.teacher',
                drop_keys=('inpainter', 'pseudo_label_weighting', 'inpaint_on_test'))
            self.query_pool = load_query_pool(pseudo_label_weighting['query_pool'])
        if self.frozen_stages():
            # Checkpoints hold the segmentor only: the frozen parts come from their own config
            # + checkpoint, and checkpoints load with or without them.
            self.register_state_dict_post_hook(_drop_frozen_state)
            self.register_load_state_dict_pre_hook(_keep_frozen_state)
        self.train_masks = train_masks
        self.hole_ratio_range = tuple(hole_ratio_range)
        self.inpaint_on_test = inpaint_on_test
        if consistency_loss_weight < 0:
            raise ValueError(f'consistency_loss_weight must be >= 0, got {consistency_loss_weight}')
        self.consistency_loss_weight = float(consistency_loss_weight)
        if pseudo_label_loss_weight < 0:
            raise ValueError('pseudo_label_loss_weight must be >= 0, '
                             f'got {pseudo_label_loss_weight}')
        self.pseudo_label_loss_weight = float(pseudo_label_loss_weight)
        if inpaint_on_test and self.inpainter is None:
            raise ValueError('inpaint_on_test needs an inpainter')

    @staticmethod
    def _build_preprocessor(cfg):
        if isinstance(cfg, nn.Module):
            return cfg
        cfg = copy.deepcopy(dict(cfg)) if cfg is not None else dict()
        if cfg.get('type', 'SegDataPreProcessor') in PLAIN_PREPROCESSORS:
            cfg['type'] = 'InpaintSegDataPreprocessor'
        cfg.setdefault('_scope_', 'mmseg')  # the caller's scope may be MMagic's
        return MODELS.build(cfg)

    # --------------------------------------------------------------------- frozen inpainter
    @property
    def inpainting_aware(self) -> bool:
        return self.inpainter is not None

    def frozen_stages(self) -> List[nn.Module]:
        return [stage for stage in (self.inpainter, self.pseudo_label_teacher)
                if stage is not None]

    # ------------------------------------------------------------------ image conversion
    def to_seg_input(self, img: Tensor) -> Tensor:
        """RGB (N,3,H,W) in [-1, 1] (our models' range) -> this segmentor's normalised input."""
        return inpaint_to_seg_input(img, self.data_preprocessor)

    def from_seg_input(self, inputs: Tensor) -> Tensor:
        """Inverse of :meth:`to_seg_input`."""
        return seg_input_to_inpaint(inputs, self.data_preprocessor)

    # ------------------------------------------------------------------------- features
    def extract_seg_features(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """``(features (N,C,h,w), logits (N,K,h,w))`` at the decode head's resolution for
        normalised ``inputs`` (see :meth:`to_seg_input`); ``features`` are the input of the
        classifier that produced ``logits``."""
        return self.decode_features(self.extract_feat(inputs))

    def teacher_features(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """``(features, logits)`` as :meth:`extract_seg_features`, the features taken where
        ``ranking_features`` says: what a teacher's pseudo-labels are compared by."""
        if self.ranking_features == 'decoder':
            return self.extract_seg_features(inputs)
        feats = self.extract_feat(inputs)
        _, logits = self.decode_features(feats)
        deep = self.decode_head._transform_inputs(feats)
        return (deep if isinstance(deep, Tensor) else deep[-1]), logits

    @torch.no_grad()
    def predict_pseudo_labels(self, inputs: Tensor,
                              logit_adjustment: Optional[Tensor] = None) -> PseudoLabels:
        """Labels and features of normalised ``inputs`` (N,3,H,W), as a teacher gives them: the
        cross-image consistency ranks the labels by how well the features agree with them, and
        the refiner of the feedback model is guided by the labels. ``logit_adjustment`` (K,),
        added to every pixel's logits before the softmax, shifts the teacher's class prior
        (the pseudo-label hook's distribution alignment)."""
        features, logits = self.teacher_features(inputs)
        logits = F.interpolate(logits.float(), size=inputs.shape[-2:], mode='bilinear',
                               align_corners=self.align_corners)
        if logit_adjustment is not None:
            if logit_adjustment.shape != (logits.shape[1],):
                raise ValueError(f'logit_adjustment must have shape ({logits.shape[1]},), one '
                                 f'value per class, got {tuple(logit_adjustment.shape)}')
            logits = logits + logit_adjustment.to(logits).view(1, -1, 1, 1)
        probabilities = logits.softmax(dim=1)
        confidence, labels = probabilities.max(dim=1)
        return PseudoLabels(labels, features, confidence, probabilities)

    def decode_features(self, feats: List[Tensor]) -> Tuple[Tensor, Tensor]:
        """Run the decode head on backbone/neck features, capturing its classifier input."""
        head = self.decode_head
        seen = dict(inputs=[], outputs=[], dropped=[])
        hooks = [
            head.conv_seg.register_forward_pre_hook(lambda m, a: seen['inputs'].append(a[0])),
            head.conv_seg.register_forward_hook(lambda m, a, o: seen['outputs'].append(o)),
        ]
        if isinstance(getattr(head, 'dropout', None), nn.Module):
            hooks.append(head.dropout.register_forward_pre_hook(
                lambda m, a: seen['dropped'].append(a[0])))
        try:
            logits = head(feats)
        finally:
            for hook in hooks:
                hook.remove()
        if len(seen['inputs']) != 1 or seen['outputs'][0] is not logits:
            raise TypeError(
                f'{type(head).__name__} does not return the output of a single conv_seg call '
                f'(conv_seg ran {len(seen["inputs"])} times, forward returned '
                f'{type(logits).__name__}); its per-pixel features are not supported. Supported '
                f'heads include {", ".join(SUPPORTED_HEADS)}')
        features = seen['dropped'][0] if len(seen['dropped']) == 1 else seen['inputs'][0]
        return features, logits

    # ----------------------------------------------------------- inpainting-aware mode
    def hole_masks(self, data_samples, size, random_if_missing: bool) -> Tensor:
        """(N,1,H,W) masks for a batch: each sample's ``hole_mask`` (padded to ``size``), or a
        random irregular mask where it has none and ``random_if_missing``."""
        masks = []
        for index, sample in enumerate(data_samples):
            mask = sample.get(HOLE_MASK_KEY) if sample is not None else None
            if mask is None:
                if not random_if_missing:
                    raise ValueError(f'data sample {index} has no {HOLE_MASK_KEY} to inpaint')
                masks.append(_draw_irregular_masks(1, size, self.hole_ratio_range)[0])
            else:
                data = mask.data.float().reshape(1, *mask.shape[-2:])
                if tuple(data.shape[-2:]) != tuple(size):
                    raise ValueError(f'{HOLE_MASK_KEY} of data sample {index} is '
                                     f'{tuple(data.shape[-2:])}, the input is {tuple(size)}')
                masks.append(data)
        return torch.stack(masks)

    @torch.no_grad()
    def inpaint_inputs(self, inputs: Tensor, masks: Tensor) -> Tensor:
        """Mask normalised ``inputs`` with ``masks`` (1 = hole), inpaint them with the frozen
        inpainter and return the composites ``I_inc``, normalised for this segmentor."""
        if self.inpainter is None:
            raise RuntimeError('inpaint_inputs needs an inpainter (inpainting-aware mode)')
        self.inpainter.eval()
        _, composite = self.inpainter.inpaint(self.from_seg_input(inputs),
                                              masks.to(inputs))
        return self.to_seg_input(composite.clamp(-1., 1.)).detach()

    def attach_pixel_weights(self, inputs: Tensor, data_samples) -> None:
        """Give each sample its per-pixel CE weight (``pixel_weight``): 1 on labelled items
        (and on unlabelled ones without a pseudo-label: they carry no loss),
        ``pseudo_label_loss_weight`` times the recorrection weights of the frozen teacher (if
        any; it runs on these only) on pseudo-labelled ones."""
        labels = torch.stack([sample.gt_sem_seg.data[0] for sample in data_samples])
        pseudo = self.pseudo_labelled(data_samples)
        weights = torch.ones(labels.shape, dtype=inputs.dtype, device=inputs.device)
        if pseudo.any() and self.pseudo_label_teacher is not None:
            self.pseudo_label_teacher.eval()
            with torch.no_grad():
                features, _ = self.pseudo_label_teacher.teacher_features(inputs[pseudo])
            pseudo_labels = labels[pseudo].to(features.device)
            weights[pseudo] = pixel_weights(features, pseudo_labels, self.query_pool,
                                            self.decode_head.ignore_index)
            if self.pseudo_label_normalise == 'class_mean':
                weights[pseudo] = class_mean_normalised(weights[pseudo], pseudo_labels,
                                                        self.decode_head.ignore_index)
        weights[pseudo] *= self.pseudo_label_loss_weight
        for sample, weight in zip(data_samples, weights):
            sample.pixel_weight = PixelData(data=weight[None])

    def pseudo_labelled(self, data_samples) -> Tensor:
        """Which items of a batch carry a pseudo-label: unlabelled, not all-ignore (CPU)."""
        labels = torch.stack([sample.gt_sem_seg.data[0] for sample in data_samples])
        unlabelled = torch.tensor([not sample.metainfo.get('labelled', True)
                                   for sample in data_samples])
        return unlabelled & (labels != self.decode_head.ignore_index).flatten(1).any(1).cpu()

    @property
    def reweights_pseudo_labels(self) -> bool:
        """Whether the heads' CE departs from MMSeg's plain batch mean on pseudo-labelled
        items."""
        return (self.pseudo_label_teacher is not None or self.pseudo_label_loss_weight != 1
                or self.pseudo_label_loss_average != 'batch')

    def loss(self, inputs: Tensor, data_samples) -> dict:
        if self.reweights_pseudo_labels:
            self.attach_pixel_weights(inputs, data_samples)  # on the clean images
        if self.inpainter is not None:
            size = tuple(inputs.shape[-2:])
            if self.train_masks == 'random':
                masks = _draw_irregular_masks(len(inputs), size, self.hole_ratio_range)
            else:
                masks = self.hole_masks(data_samples, size, random_if_missing=True)
            inputs = self.inpaint_inputs(inputs, masks)
        return super().loss(inputs, data_samples)

    def _decode_head_forward_train(self, inputs: List[Tensor], data_samples) -> dict:
        """MMSeg's decode-head losses (``decode.*``; the CE weighted per pixel where the
        samples carry ``pixel_weight``), plus the cross-image consistency loss on the same
        forward pass's features when ``consistency_loss_weight`` > 0."""
        weighted = 'pixel_weight' in data_samples[0]
        if not self.consistency_loss_weight and not weighted:
            return super()._decode_head_forward_train(inputs, data_samples)
        features, logits = self.decode_features(inputs)
        losses = (self.weighted_decode_losses(logits, data_samples) if weighted else
                  self.decode_head.loss_by_feat(logits, data_samples))
        if not self.consistency_loss_weight:
            return add_prefix(losses, 'decode')
        labels = torch.stack([sample.gt_sem_seg.data[0] for sample in data_samples])
        labelled = torch.tensor([bool(sample.metainfo.get('labelled', True))
                                 for sample in data_samples])
        losses['loss_consistency'] = self.consistency_loss_weight * cross_image_consistency_loss(
            features, labels.to(features.device), self.num_classes, labelled,
            self.decode_head.ignore_index)
        return add_prefix(losses, 'decode')

    def _auxiliary_head_forward_train(self, inputs: List[Tensor], data_samples) -> dict:
        """MMSeg's auxiliary losses, the CE of pseudo-labelled items scaled by
        ``pseudo_label_loss_weight`` and averaged as ``pseudo_label_loss_average`` says
        (unchanged when they are 1 and ``'batch'``)."""
        if self.pseudo_label_loss_weight == 1 and self.pseudo_label_loss_average == 'batch':
            return super()._auxiliary_head_forward_train(inputs, data_samples)
        labels = torch.stack([sample.gt_sem_seg.data[0] for sample in data_samples])
        pseudo = self.pseudo_labelled(data_samples)
        weights = torch.ones(labels.shape, dtype=inputs[0].dtype, device=inputs[0].device)
        weights[pseudo] = self.pseudo_label_loss_weight
        heads = (self.auxiliary_head if isinstance(self.auxiliary_head, nn.ModuleList)
                 else [self.auxiliary_head])
        losses = {}
        for index, head in enumerate(heads):
            prefix = f'aux_{index}' if isinstance(self.auxiliary_head, nn.ModuleList) else 'aux'
            losses.update(add_prefix(self.weighted_head_losses(
                head, head(inputs), labels, weights, self.loss_groups(pseudo)), prefix))
        return losses

    def loss_groups(self, pseudo: Tensor) -> List[Tensor]:
        """The item masks a head's CE is averaged over apart: the whole batch, or (``'separate'``)
        the labelled and the pseudo-labelled items, each where the batch has some."""
        if self.pseudo_label_loss_average == 'batch':
            return [torch.ones_like(pseudo)]
        return [group for group in (~pseudo, pseudo) if group.any()]

    def weighted_decode_losses(self, logits: Tensor, data_samples) -> dict:
        """The decode head's ``loss_by_feat`` with each pixel's CE weighted by the samples'
        ``pixel_weight``."""
        labels = torch.stack([sample.gt_sem_seg.data[0] for sample in data_samples])
        weights = torch.stack([sample.pixel_weight.data[0] for sample in data_samples])
        return self.weighted_head_losses(self.decode_head, logits, labels, weights,
                                         self.loss_groups(self.pseudo_labelled(data_samples)))

    @staticmethod
    def weighted_head_losses(head, logits: Tensor, labels: Tensor, weights: Tensor,
                             groups: Sequence[Tensor]) -> dict:
        """A head's ``loss_by_feat`` with each pixel's CE weighted by ``weights`` (MMSeg's
        losses take an element-wise weight; its heads pass none), each loss the sum of its
        means over the ``groups`` of items (boolean masks over the batch)."""
        logits = resize(logits, size=labels.shape[-2:], mode='bilinear',
                        align_corners=head.align_corners)
        losses = {}
        loss_modules = (head.loss_decode if isinstance(head.loss_decode, nn.ModuleList)
                        else [head.loss_decode])
        for loss_module in loss_modules:
            for group in groups:
                group = group.to(logits.device)
                losses[loss_module.loss_name] = losses.get(loss_module.loss_name, 0) + loss_module(
                    logits[group], labels[group], weight=weights[group],
                    ignore_index=head.ignore_index)
        losses['acc_seg'] = accuracy(logits, labels, ignore_index=head.ignore_index)
        return losses

    def predict(self, inputs: Tensor, data_samples=None):
        if self.inpaint_on_test:
            if data_samples is None:
                raise ValueError('inpaint_on_test needs data samples with hole masks')
            masks = self.hole_masks(data_samples, tuple(inputs.shape[-2:]),
                                    random_if_missing=False)
            inputs = self.inpaint_inputs(inputs, masks)
        return super().predict(inputs, data_samples)
