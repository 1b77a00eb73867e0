"""ConsistencySegmentor: building from configs (incl. mmseg:: bases and scopes), features +
logits, the [-1, 1] -> segmentor normalisation, batches from our datasets."""
import copy

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.structures import PixelData
from mmseg.models.data_preprocessor import SegDataPreProcessor
from mmseg.registry import MODELS as SEG_MODELS
from mmseg.structures import SegDataSample

from fr_inpaint_plugin.consistency.cross_image_loss import cross_image_consistency_loss
from fr_inpaint_plugin.consistency.query_pool import (
    QueryPool,
    class_mean_normalised,
    pixel_weights,
    save_query_pool,
)
from fr_inpaint_plugin.models.segmentors import (
    ConsistencySegmentor,
    InpaintSegDataPreprocessor,
    inpaint_to_seg_input,
    seg_input_to_inpaint,
)

from .conftest import build_in_mmagic_scope, demo_batch
from .tiny_segmentors import BN, CE, DEEPLABV3PLUS_TINY, NUM_CLASSES, SEG_PREPROCESSOR, fcn_cfg


def deeplabv3plus_from_base(tmp_path):
    """The tiny model of a config inheriting mmseg::_base_/models/deeplabv3plus_r50-d8.py."""
    path = tmp_path / 'seg_tiny.py'
    path.write_text("_base_ = ['mmseg::_base_/models/deeplabv3plus_r50-d8.py']\n"
                    f'model = {DEEPLABV3PLUS_TINY!r}\n')
    return Config.fromfile(str(path)).model


def test_build_in_mmseg_scope_from_an_mmagic_process():
    model = build_in_mmagic_scope(fcn_cfg())
    assert isinstance(model, ConsistencySegmentor)
    # Nested parts resolve in MMSeg's registry, not MMagic's.
    assert type(model.backbone).__module__.startswith('mmseg.models.backbones')
    assert type(model.decode_head).__module__.startswith('mmseg.models.decode_heads')
    # MMSeg's SegDataPreProcessor config is upgraded to ours (same arguments).
    assert isinstance(model.data_preprocessor, InpaintSegDataPreprocessor)
    assert model.data_preprocessor.bgr_to_rgb
    assert not model.inpainting_aware


def test_type_prefix_alone_does_not_switch_nested_builds():
    """Why configs say _scope_='mmseg': with only a type prefix, the backbone is looked up in
    MMagic's registry."""
    cfg = fcn_cfg(type='mmseg.ConsistencySegmentor')
    cfg.pop('_scope_')
    with pytest.raises(KeyError, match='mmagic'):
        build_in_mmagic_scope(cfg)


def test_build_from_mmseg_base_config(tmp_path):
    cfg = deeplabv3plus_from_base(tmp_path)
    assert cfg.backbone.type == 'ResNetV1c' and cfg.decode_head.type == 'DepthwiseSeparableASPPHead'
    model = build_in_mmagic_scope(cfg)
    assert type(model.backbone).__name__ == 'ResNetV1c' and model.backbone.depth == 18
    model.init_weights()
    model.eval()
    inputs = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        features, logits = model.extract_seg_features(inputs)
    # The fused 16-d decoder feature (after ReLU) at the c1 level (stride 4), logits beside it.
    assert features.shape == (2, 16, 16, 16)
    assert logits.shape == (2, NUM_CLASSES, 16, 16)
    assert features.min() >= 0
    # The features are the classifier's input: conv_seg(features) gives the logits.
    torch.testing.assert_close(model.decode_head.conv_seg(features), logits)
    # Same logits as the plain MMSeg path.
    with torch.no_grad():
        torch.testing.assert_close(model.decode_head(model.extract_feat(inputs)), logits)


def test_pseudo_labels_are_the_upsampled_argmax_with_its_probability_and_the_features(
        tmp_path):
    model = build_in_mmagic_scope(deeplabv3plus_from_base(tmp_path))
    model.init_weights()
    model.eval()
    inputs = torch.randn(2, 3, 64, 64)
    teacher = model.predict_pseudo_labels(inputs)
    features, logits = model.extract_seg_features(inputs)
    upsampled = torch.nn.functional.interpolate(logits, size=(64, 64), mode='bilinear',
                                                align_corners=False)
    assert teacher.labels.shape == (2, 64, 64) and teacher.labels.dtype == torch.int64
    # Two float paths to the same logits may order near-ties differently: compare the rest.
    top2 = upsampled.topk(2, dim=1).values
    clear = top2[:, 0] - top2[:, 1] > 1e-5
    assert clear.float().mean() > 0.5
    torch.testing.assert_close(teacher.labels[clear], upsampled.argmax(dim=1)[clear])
    probabilities = upsampled.softmax(dim=1)
    torch.testing.assert_close(teacher.confidence,
                               probabilities.gather(1, teacher.labels[:, None])[:, 0])
    assert teacher.confidence.min() >= 1 / probabilities.shape[1] - 1e-6
    torch.testing.assert_close(teacher.features, features)
    torch.testing.assert_close(teacher.probabilities, probabilities)
    assert not teacher.features.requires_grad

    adjustment = torch.linspace(-2, 2, probabilities.shape[1])
    shifted = model.predict_pseudo_labels(inputs, logit_adjustment=adjustment)
    expected = (upsampled + adjustment.view(1, -1, 1, 1)).softmax(dim=1)
    torch.testing.assert_close(shifted.probabilities, expected)
    top2 = expected.topk(2, dim=1).values
    clear = top2[:, 0] - top2[:, 1] > 1e-5
    torch.testing.assert_close(shifted.labels[clear], expected.argmax(dim=1)[clear])
    with pytest.raises(ValueError, match='one value per class'):
        model.predict_pseudo_labels(inputs, logit_adjustment=adjustment[:-1])


def test_backbone_ranking_features_are_the_decode_heads_deep_input(tmp_path):
    cfg = deeplabv3plus_from_base(tmp_path)
    torch.manual_seed(0)
    decoder = build_in_mmagic_scope(cfg)
    backbone = build_in_mmagic_scope(dict(cfg, ranking_features='backbone'))
    backbone.load_state_dict(decoder.state_dict())
    decoder.eval(), backbone.eval()
    inputs = torch.randn(2, 3, 64, 64)
    by_decoder, by_backbone = (decoder.predict_pseudo_labels(inputs),
                               backbone.predict_pseudo_labels(inputs))
    torch.testing.assert_close(by_backbone.labels, by_decoder.labels)  # same segmentation
    deep = backbone.extract_feat(inputs)[cfg['decode_head']['in_index']]
    torch.testing.assert_close(by_backbone.features, deep)
    assert by_backbone.features.shape[1] == cfg['decode_head']['in_channels']
    with pytest.raises(ValueError, match='ranking_features'):
        build_in_mmagic_scope(dict(cfg, ranking_features='aspp'))


@pytest.mark.parametrize('head', [
    dict(type='FCNHead', in_channels=64, in_index=3, channels=16, num_convs=2),
    dict(type='ASPPHead', in_channels=64, in_index=3, channels=16, dilations=(1, 2)),
    dict(type='PSPHead', in_channels=64, in_index=3, channels=16, pool_scales=(1, 2)),
    dict(type='UPerHead', in_channels=[8, 16, 32, 64], in_index=[0, 1, 2, 3], channels=16,
         pool_scales=(1, 2)),
])
def test_features_of_other_heads(head):
    head = dict(head, num_classes=NUM_CLASSES, norm_cfg=BN, dropout_ratio=0.1)
    model = build_in_mmagic_scope(fcn_cfg(decode_head=head))
    model.eval()
    with torch.no_grad():
        features, logits = model.extract_seg_features(torch.randn(1, 3, 64, 64))
    assert features.shape[:2] == (1, 16) and logits.shape[:2] == (1, NUM_CLASSES)
    assert features.shape[2:] == logits.shape[2:]
    torch.testing.assert_close(model.decode_head.conv_seg(features), logits)


def test_features_are_taken_before_dropout():
    model = build_in_mmagic_scope(fcn_cfg())
    model.train()  # dropout active
    features, logits = model.extract_seg_features(torch.randn(1, 3, 64, 64))
    # Dropout2d zeroes whole channels of the classifier input, never of the exposed features.
    assert (features.abs().sum(dim=(2, 3)) > 0).all()


def test_head_with_several_outputs_is_refused():
    head = dict(type='DAHead', in_channels=64, in_index=3, channels=16, pam_channels=8,
                num_classes=NUM_CLASSES, norm_cfg=BN)
    model = build_in_mmagic_scope(fcn_cfg(decode_head=head))
    with pytest.raises(TypeError, match='DAHead'):
        model.extract_seg_features(torch.randn(1, 3, 64, 64))


def test_plain_preprocessor_module_is_refused():
    with pytest.raises(TypeError, match='channel order'):
        build_in_mmagic_scope(fcn_cfg(data_preprocessor=SegDataPreProcessor(
            mean=[0.] * 3, std=[1.] * 3, bgr_to_rgb=True)))


@pytest.mark.parametrize('bgr_to_rgb', [True, False])
def test_normalisation_matches_mmseg_preprocessor(bgr_to_rgb):
    """Our [-1, 1] RGB -> segmentor conversion equals MMSeg's preprocessing of the same image
    loaded as MMSeg loads it (BGR uint8)."""
    cfg = dict(SEG_PREPROCESSOR, bgr_to_rgb=bgr_to_rgb)
    cfg.pop('type')
    ours, mmseg = InpaintSegDataPreprocessor(**cfg), SegDataPreProcessor(**cfg)
    rgb = torch.from_numpy(np.random.default_rng(0).integers(0, 256, (2, 3, 8, 8), np.uint8))
    expected = mmseg(dict(inputs=list(rgb.flip(1)), data_samples=None))['inputs']
    converted = inpaint_to_seg_input(rgb.float() / 127.5 - 1., ours)
    torch.testing.assert_close(converted, expected)
    torch.testing.assert_close(seg_input_to_inpaint(converted, ours), rgb.float() / 127.5 - 1.)


def test_model_conversion_round_trip():
    model = build_in_mmagic_scope(fcn_cfg())
    image = torch.rand(2, 3, 8, 8) * 2 - 1
    torch.testing.assert_close(model.from_seg_input(model.to_seg_input(image)), image)
    # Mean grey in RGB lands near 0 in every channel after MMSeg's ImageNet normalisation.
    grey = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1) / 127.5 - 1
    assert model.to_seg_input(grey.expand(1, 3, 2, 2)).abs().max() < 1e-5


def test_preprocessor_takes_our_dataset_batches(demo_train_set):
    model = build_in_mmagic_scope(fcn_cfg())
    batch = demo_batch(demo_train_set, [0, 1])
    out = model.data_preprocessor(copy.deepcopy(batch), True)
    inputs, samples = out['inputs'], out['data_samples']
    assert inputs.shape == (2, 3, 64, 64)
    # The clean image (gt_img, RGB), never the masked input, through the one conversion.
    expected = model.to_seg_input(torch.stack([s.gt_img for s in batch['data_samples']]).float()
                                  / 127.5 - 1)
    torch.testing.assert_close(inputs, expected)
    for sample, source in zip(samples, batch['data_samples']):
        assert isinstance(sample, SegDataSample)
        assert sample.gt_sem_seg.data.dtype == torch.int64
        assert torch.equal(sample.gt_sem_seg.data, source.gt_seg_map.long())
        assert torch.equal(sample.hole_mask.data, source.mask.float())
        assert sample.img_shape == (64, 64) and sample.ori_shape == (64, 64)
        assert sample.metainfo['labelled'] == source.metainfo['labelled']
    # Test mode: predictions come back at the working size, as SegDataSamples.
    model.eval()
    predictions = model.test_step(copy.deepcopy(batch))
    assert predictions[0].pred_sem_seg.data.shape == (1, 64, 64)


def test_preprocessor_pads_labels_and_masks(demo_train_set):
    cfg = dict(SEG_PREPROCESSOR, size=(72, 80))
    model = build_in_mmagic_scope(fcn_cfg(data_preprocessor=cfg))
    batch = demo_batch(demo_train_set, [0])
    source = batch['data_samples'][0]
    out = model.data_preprocessor(copy.deepcopy(batch), True)
    sample = out['data_samples'][0]
    assert out['inputs'].shape == (1, 3, 72, 80)
    label, mask = sample.gt_sem_seg.data, sample.hole_mask.data
    assert label.shape == (1, 72, 80) and mask.shape == (1, 72, 80)
    # Right/bottom padding: ignored labels, known (0) mask pixels.
    assert (label[:, 64:] == 255).all() and (label[:, :, 64:] == 255).all()
    assert (mask[:, 64:] == 0).all() and (mask[:, :, 64:] == 0).all()
    torch.testing.assert_close(mask[:, :64, :64], source.mask.float())
    torch.testing.assert_close(label[:, :64, :64], source.gt_seg_map.long())


def test_mmseg_batches_still_work():
    model = build_in_mmagic_scope(fcn_cfg(data_preprocessor=dict(SEG_PREPROCESSOR,
                                                                 size=(64, 64))))
    sample = SegDataSample(metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64)))
    sample.gt_sem_seg = PixelData(data=torch.zeros(1, 64, 64, dtype=torch.long))
    data = dict(inputs=[torch.randint(0, 256, (3, 64, 64), dtype=torch.uint8)],
                data_samples=[sample])
    losses = model.loss(**model.data_preprocessor(data, True))
    assert torch.isfinite(losses['decode.loss_ce'])


def test_unlabelled_items_give_no_loss(demo_train_set):
    unlabelled = [i for i in range(len(demo_train_set))
                  if not demo_train_set.get_data_info(i)['labelled']]
    assert unlabelled
    model = build_in_mmagic_scope(fcn_cfg(auxiliary_head=dict(
        type='FCNHead', in_channels=32, in_index=2, channels=8, num_convs=1,
        num_classes=NUM_CLASSES, norm_cfg=BN,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=0.4, avg_non_ignore=True))))
    data = model.data_preprocessor(demo_batch(demo_train_set, unlabelled), True)
    assert all((s.gt_sem_seg.data == 255).all() for s in data['data_samples'])
    losses = model.loss(**data)
    loss, _ = model.parse_losses(losses)
    assert loss.item() == 0
    loss.backward()
    assert all(p.grad is None or not p.grad.any() for p in model.parameters())


def test_registered_in_mmseg_models():
    assert SEG_MODELS.get('ConsistencySegmentor') is ConsistencySegmentor
    assert SEG_MODELS.get('InpaintSegDataPreprocessor') is InpaintSegDataPreprocessor


def test_consistency_loss_joins_the_decode_losses_on_labelled_items(demo_train_set):
    labelled = [i for i in range(len(demo_train_set))
                if demo_train_set.get_data_info(i)['labelled']][:3]
    torch.manual_seed(0)
    plain = build_in_mmagic_scope(fcn_cfg())
    weighted = build_in_mmagic_scope(fcn_cfg(consistency_loss_weight=0.5))
    weighted.load_state_dict(plain.state_dict())
    data = plain.data_preprocessor(demo_batch(demo_train_set, labelled), True)
    torch.manual_seed(1)
    plain_losses = plain.loss(**data)
    torch.manual_seed(1)
    losses = weighted.loss(**data)
    assert 'decode.loss_consistency' not in plain_losses
    assert torch.equal(losses['decode.loss_ce'], plain_losses['decode.loss_ce'])
    # the same value as the function on the same forward pass's features (and random draws:
    # the head's dropout, then the pair's class)
    labels = torch.stack([s.gt_sem_seg.data[0] for s in data['data_samples']])
    torch.manual_seed(1)
    with torch.no_grad():
        features, _ = weighted.extract_seg_features(data['inputs'])
    expected = 0.5 * cross_image_consistency_loss(features, labels, NUM_CLASSES)
    assert losses['decode.loss_consistency'].item() == pytest.approx(expected.item(), rel=1e-5)
    assert losses['decode.loss_consistency'].item() > 0
    losses['decode.loss_consistency'].backward()
    assert weighted.decode_head.convs[0].conv.weight.grad.abs().sum() > 0


def test_negative_consistency_weight_is_refused():
    with pytest.raises(ValueError, match='consistency_loss_weight'):
        build_in_mmagic_scope(fcn_cfg(consistency_loss_weight=-1))


def weighted_segmentor(tmp_path, teacher, normalise=None, **kwargs):
    pool = QueryPool([torch.rand(2, 16) for _ in range(NUM_CLASSES)],
                     [['a', 'b']] * NUM_CLASSES)
    save_query_pool(pool, str(tmp_path / 'query_pool.pth'))
    weighting = dict(teacher=teacher, query_pool=str(tmp_path / 'query_pool.pth'))
    if normalise is not None:
        weighting['normalise'] = normalise
    return build_in_mmagic_scope(fcn_cfg(pseudo_label_weighting=weighting, **kwargs)), pool


def test_pseudo_labels_are_recorrected_by_the_frozen_teacher(demo_train_set, tmp_path):
    labelled = [i for i in range(len(demo_train_set))
                if demo_train_set.get_data_info(i)['labelled']][:2]
    torch.manual_seed(0)
    teacher = build_in_mmagic_scope(fcn_cfg())
    student, pool = weighted_segmentor(tmp_path, teacher)
    plain = build_in_mmagic_scope(fcn_cfg())
    plain.load_state_dict(student.state_dict())
    data = student.data_preprocessor(demo_batch(demo_train_set, labelled), True)
    data['data_samples'][1].set_metainfo(dict(labelled=False))  # as if pseudo-labelled
    student.eval(), plain.eval()  # no dropout: the two forward passes agree
    torch.manual_seed(3)
    losses = student.loss(**data)
    # the weights: 1 on the labelled item, the teacher's recorrection on the other
    weights = torch.stack([s.pixel_weight.data[0] for s in data['data_samples']])
    assert torch.equal(weights[0], torch.ones_like(weights[0]))
    torch.manual_seed(3)
    with torch.no_grad():
        features, _ = teacher.extract_seg_features(data['inputs'][1:])
    labels = torch.stack([s.gt_sem_seg.data[0] for s in data['data_samples']])
    assert torch.allclose(weights[1:], pixel_weights(features, labels[1:], pool))
    assert weights[1].min() < 1
    # the decode CE is the weighted mean over the labelled pixels
    logits = plain.eval()(data['inputs'], mode='tensor')
    logits = torch.nn.functional.interpolate(logits, labels.shape[-2:], mode='bilinear')
    ce = torch.nn.functional.cross_entropy(logits, labels, ignore_index=255, reduction='none')
    expected = (ce * weights).sum() / (labels != 255).sum()
    assert losses['decode.loss_ce'].item() == pytest.approx(expected.item(), rel=1e-4)


def pseudo_labelled_batch(model, demo_train_set, num_labelled=1):
    """``num_labelled`` + 1 labelled demo items, the last marked as if pseudo-labelled."""
    labelled = [i for i in range(len(demo_train_set))
                if demo_train_set.get_data_info(i)['labelled']][:num_labelled + 1]
    data = model.data_preprocessor(demo_batch(demo_train_set, labelled), True)
    data['data_samples'][-1].set_metainfo(dict(labelled=False))
    return data


def test_pseudo_label_loss_weight_scales_the_recorrection(demo_train_set, tmp_path):
    torch.manual_seed(0)
    teacher = build_in_mmagic_scope(fcn_cfg())
    student, pool = weighted_segmentor(tmp_path, teacher, pseudo_label_loss_weight=0.25)
    data = pseudo_labelled_batch(student, demo_train_set)
    torch.manual_seed(3)  # the same prototypes drawn from the pool in both computations
    student.attach_pixel_weights(data['inputs'], data['data_samples'])
    weights = torch.stack([s.pixel_weight.data[0] for s in data['data_samples']])
    torch.manual_seed(3)
    with torch.no_grad():
        features, _ = teacher.extract_seg_features(data['inputs'][1:])
    labels = torch.stack([s.gt_sem_seg.data[0] for s in data['data_samples']])
    assert torch.equal(weights[0], torch.ones_like(weights[0]))
    assert torch.allclose(weights[1:], 0.25 * pixel_weights(features, labels[1:], pool))


def test_class_mean_normalisation_rescales_the_recorrection(demo_train_set, tmp_path):
    torch.manual_seed(0)
    teacher = build_in_mmagic_scope(fcn_cfg())
    student, pool = weighted_segmentor(tmp_path, teacher, normalise='class_mean',
                                       pseudo_label_loss_weight=0.5)
    data = pseudo_labelled_batch(student, demo_train_set, num_labelled=1)
    data['data_samples'][0].set_metainfo(dict(labelled=False))  # two pseudo-labelled items
    torch.manual_seed(3)
    student.attach_pixel_weights(data['inputs'], data['data_samples'])
    weights = torch.stack([s.pixel_weight.data[0] for s in data['data_samples']])
    torch.manual_seed(3)
    with torch.no_grad():
        features, _ = teacher.extract_seg_features(data['inputs'])
    labels = torch.stack([s.gt_sem_seg.data[0] for s in data['data_samples']])
    raw = pixel_weights(features, labels, pool)
    # one mean per class over both items, then the loss weight
    assert torch.allclose(weights, 0.5 * class_mean_normalised(raw, labels))
    for c in labels[labels != 255].unique():
        assert weights[labels == c].mean().item() == pytest.approx(0.5, rel=1e-5)
    assert not torch.allclose(weights, 0.5 * raw)


@pytest.mark.parametrize('average', ['batch', 'separate'])
def test_pseudo_label_loss_weight_and_average_apply_to_every_head(demo_train_set, average):
    torch.manual_seed(0)
    auxiliary_head = dict(type='FCNHead', in_channels=32, in_index=2, channels=8, num_convs=1,
                          concat_input=False, num_classes=NUM_CLASSES, norm_cfg=BN,
                          loss_decode=dict(CE, loss_weight=0.4))
    student = build_in_mmagic_scope(fcn_cfg(pseudo_label_loss_weight=0.5,
                                            pseudo_label_loss_average=average,
                                            auxiliary_head=auxiliary_head))
    data = pseudo_labelled_batch(student, demo_train_set, num_labelled=2)
    student.eval()  # no dropout: the loss and the hand computation see the same logits
    losses = student.loss(**data)
    weights = torch.stack([s.pixel_weight.data[0] for s in data['data_samples']])
    assert torch.equal(weights[:2], torch.ones_like(weights[:2]))
    assert torch.equal(weights[2], torch.full_like(weights[2], 0.5))
    labels = torch.stack([s.gt_sem_seg.data[0] for s in data['data_samples']])
    scored = (labels != 255).flatten(1).sum(1)

    def expected_ce(logits):
        # the pseudo-labelled item's pixels count half; 'batch': one mean over all labelled
        # pixels, 'separate': the labelled items' mean + the pseudo-labelled item's
        logits = torch.nn.functional.interpolate(logits, labels.shape[-2:], mode='bilinear')
        ce = torch.nn.functional.cross_entropy(logits, labels, ignore_index=255,
                                               reduction='none').flatten(1).sum(1)
        if average == 'batch':
            return (ce[0] + ce[1] + 0.5 * ce[2]) / scored.sum()
        return (ce[0] + ce[1]) / (scored[0] + scored[1]) + 0.5 * ce[2] / scored[2]

    with torch.no_grad():
        features = student.extract_feat(data['inputs'])
        decode, auxiliary = student.decode_head(features), student.auxiliary_head(features)
    assert losses['decode.loss_ce'].item() == pytest.approx(expected_ce(decode).item(), rel=1e-4)
    assert losses['aux.loss_ce'].item() == pytest.approx(
        0.4 * expected_ce(auxiliary).item(), rel=1e-4)


def test_separate_average_alone_changes_the_loss_only_with_pseudo_labelled_items(
        demo_train_set):
    torch.manual_seed(0)
    plain = build_in_mmagic_scope(fcn_cfg())
    separate = build_in_mmagic_scope(fcn_cfg(pseudo_label_loss_average='separate'))
    separate.load_state_dict(plain.state_dict())
    plain.eval(), separate.eval()
    labelled_only = pseudo_labelled_batch(plain, demo_train_set, num_labelled=2)
    labelled_only['data_samples'][-1].set_metainfo(dict(labelled=True))
    mixed = pseudo_labelled_batch(plain, demo_train_set, num_labelled=2)
    assert separate.loss(**copy.deepcopy(labelled_only))['decode.loss_ce'].item() == \
        pytest.approx(plain.loss(**copy.deepcopy(labelled_only))['decode.loss_ce'].item())
    assert separate.loss(**copy.deepcopy(mixed))['decode.loss_ce'].item() > \
        plain.loss(**copy.deepcopy(mixed))['decode.loss_ce'].item()


def test_bad_pseudo_label_loss_options_are_refused():
    with pytest.raises(ValueError, match='pseudo_label_loss_weight'):
        build_in_mmagic_scope(fcn_cfg(pseudo_label_loss_weight=-0.5))
    with pytest.raises(ValueError, match='pseudo_label_loss_average'):
        build_in_mmagic_scope(fcn_cfg(pseudo_label_loss_average='pixels'))


def test_the_teacher_stays_frozen_and_out_of_checkpoints(tmp_path):
    teacher = build_in_mmagic_scope(fcn_cfg())
    student, _ = weighted_segmentor(tmp_path, teacher)
    assert not any(key.startswith('pseudo_label_teacher.') for key in student.state_dict())
    assert not any(p.requires_grad for p in student.pseudo_label_teacher.parameters())
    student.train()
    assert not student.pseudo_label_teacher.training
    before = {k: v.clone() for k, v in student.pseudo_label_teacher.state_dict().items()}
    student.init_weights()
    student.load_state_dict(build_in_mmagic_scope(fcn_cfg()).state_dict())
    after = student.pseudo_label_teacher.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_bad_pseudo_label_weighting_is_refused(tmp_path):
    with pytest.raises(ValueError, match='pseudo_label_weighting'):
        build_in_mmagic_scope(fcn_cfg(pseudo_label_weighting=dict(teacher=None)))
    with pytest.raises(ValueError, match='normalise'):
        weighted_segmentor(tmp_path, build_in_mmagic_scope(fcn_cfg()), normalise='image')
    with pytest.raises(FileNotFoundError, match='query pool'):
        build_in_mmagic_scope(fcn_cfg(pseudo_label_weighting=dict(
            teacher=build_in_mmagic_scope(fcn_cfg()), query_pool=str(tmp_path / 'no.pth'))))


def test_unlabelled_items_without_pseudo_labels_skip_the_teacher(demo_train_set, tmp_path):
    unlabelled = [i for i in range(len(demo_train_set))
                  if not demo_train_set.get_data_info(i)['labelled']][:2]
    calls = []
    teacher = build_in_mmagic_scope(fcn_cfg())
    student, _ = weighted_segmentor(tmp_path, teacher)
    original = teacher.extract_seg_features
    teacher.extract_seg_features = lambda inputs: calls.append(1) or original(inputs)
    data = student.data_preprocessor(demo_batch(demo_train_set, unlabelled), True)
    student.attach_pixel_weights(data['inputs'], data['data_samples'])
    assert not calls  # all-ignore labels: nothing to recorrect
    assert all(torch.equal(s.pixel_weight.data, torch.ones_like(s.pixel_weight.data))
               for s in data['data_samples'])
