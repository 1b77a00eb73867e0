import warnings

import lpips
import numpy as np
import pytest
import torch
from mmagic.registry import METRICS
from mmengine.registry import DefaultScope

from fr_inpaint_plugin.evaluation import MaskRatioLPIPS, lpips_distance
from fr_inpaint_plugin.weights import WEIGHTS_ENV_VAR, load_backbone_features

from .samples import hole_mask, make_sample, perturbed, smooth_image

SIZE = 64
BACKBONES = {'alex': 'alexnet', 'vgg': 'vgg16'}


def reference_lpips(net: str) -> lpips.LPIPS:
    """The lpips package's own model as its README builds it (linear heads shipped in the
    package), its random trunk replaced by our offline conv weights, mapped here by hand:
    torchvision's ``features.N`` is child ``N`` of one of lpips' ``slice1..5``."""
    with warnings.catch_warnings():  # torchvision deprecates lpips' `pretrained=False`
        warnings.simplefilter('ignore', UserWarning)
        model = lpips.LPIPS(net=net, pnet_rand=True, verbose=False)
    state = load_backbone_features(BACKBONES[net])
    mapped = {}
    for slice_name, module in model.net.named_children():
        for index in module._modules:
            for kind in ('weight', 'bias'):
                if f'{index}.{kind}' in state:
                    mapped[f'{slice_name}.{index}.{kind}'] = state[f'{index}.{kind}']
    model.net.load_state_dict(mapped)  # strict: every conv of the trunk is covered
    return model.eval()


def reference_distance(model, a: np.ndarray, b: np.ndarray) -> float:
    """The documented way for 8-bit RGB images: ``lpips.im2tensor`` ([-1, 1]) then forward."""
    with torch.no_grad():
        return float(model(lpips.im2tensor(a), lpips.im2tensor(b)))


def image_pairs(count: int = 6):
    pairs = []
    for i in range(count):
        reference = smooth_image(SIZE, i)
        pairs.append((reference, perturbed(reference, 100 + i, 2 + 8 * i)))
    pairs.append((smooth_image(SIZE, 7), smooth_image(SIZE, 8)))  # unrelated images
    return pairs


# 64x64 = 4096 pixels; hole counts spread over the three buckets (and their edges).
HOLES = [400, 819, 1200, 1638, 2000, 2457, 300]


@pytest.mark.parametrize('net', ['alex', 'vgg'])
def test_metric_and_lpips_distance_match_reference_lpips(net):
    reference = reference_lpips(net)
    pairs = image_pairs()
    expected = [reference_distance(reference, gt, pred) for gt, pred in pairs]
    assert len(set(np.round(expected, 3))) == len(expected)  # the pairs are really different
    assert expected[-1] > expected[0]

    metric = MaskRatioLPIPS(net=net, batch_size=3)
    samples = [make_sample(gt, pred, hole_mask(SIZE, SIZE, holes)).to_dict()
               for (gt, pred), holes in zip(pairs, HOLES)]
    metric.process(None, samples[:4])
    metric.process(None, samples[4:])
    assert [result['LPIPS'] for result in metric.results] == pytest.approx(expected, abs=1e-4)
    results = metric.evaluate()
    by_bucket = {'0-20': [0, 1, 6], '20-40': [2, 3], '40-60': [4, 5]}  # 819/4096 < 0.2 < 1200
    for label, indices in by_bucket.items():
        assert results[f'LPIPS@{label}'] == pytest.approx(
            np.mean([expected[i] for i in indices]), abs=1e-4)
    assert results['LPIPS@all'] == pytest.approx(np.mean(expected), abs=1e-4)

    for (gt, pred), value in zip(pairs, expected):
        assert lpips_distance(gt, pred, net=net) == pytest.approx(value, abs=1e-4)


def test_lpips_distance_basics():
    a, b = image_pairs(2)[1]
    assert lpips_distance(a, a) == pytest.approx(0.0, abs=1e-6)
    assert lpips_distance(a, b) == pytest.approx(lpips_distance(b, a), abs=1e-6)
    assert isinstance(lpips_distance(a, b), float)


@pytest.mark.parametrize('a, b, message', [
    (np.zeros((32, 32, 3), np.uint8), np.zeros((32, 33, 3), np.uint8), 'differ in size'),
    (np.zeros((32, 32, 3), np.float32), np.zeros((32, 32, 3), np.float32), 'uint8'),
    (np.zeros((32, 32), np.uint8), np.zeros((32, 32), np.uint8), 'HxWx3'),
    (np.zeros((3, 32, 32), np.uint8), np.zeros((3, 32, 32), np.uint8), 'HxWx3'),
    (np.zeros((32, 32, 4), np.uint8), np.zeros((32, 32, 4), np.uint8), 'HxWx3'),
    ([[0]], np.zeros((32, 32, 3), np.uint8), 'numpy array'),
    (np.zeros((30, 64, 3), np.uint8), np.zeros((30, 64, 3), np.uint8), 'at least 31x31'),
])
def test_lpips_distance_rejects_bad_inputs(a, b, message):
    with pytest.raises(ValueError, match=message):
        lpips_distance(a, b)


def test_unknown_net_is_rejected():
    image = np.zeros((32, 32, 3), np.uint8)
    with pytest.raises(ValueError, match="'alex', 'vgg'"):
        lpips_distance(image, image, net='squeeze')
    with pytest.raises(ValueError, match="'alex', 'vgg'"):
        MaskRatioLPIPS(net='squeeze')


def test_missing_weights_name_the_prepare_tool(monkeypatch, tmp_path):
    monkeypatch.setenv(WEIGHTS_ENV_VAR, str(tmp_path))
    image = np.zeros((32, 32, 3), np.uint8)
    for build in (lambda: lpips_distance(image, image),
                  lambda: MaskRatioLPIPS(net='vgg'),
                  lambda: METRICS.build(dict(type='LPIPS'))):
        with pytest.raises(FileNotFoundError) as error:
            build()
        assert 'tools/prepare_weights.py' in str(error.value)
        assert str(tmp_path) in str(error.value)


def test_registered_names_and_backbone_description():
    assert METRICS.get('LPIPS') is MaskRatioLPIPS
    assert METRICS.get('MaskRatioLPIPS') is MaskRatioLPIPS
    with DefaultScope.overwrite_default_scope('mmagic'):
        metric = METRICS.build(dict(type='LPIPS', net='vgg'))
    assert metric.net == 'vgg'
    assert 'net=vgg' in metric.describe() and 'vgg16' in metric.describe()
    assert not any(parameter.requires_grad for parameter in metric.model.parameters())


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA device')
def test_runs_where_the_data_is_and_matches_cpu():
    pairs = image_pairs(3)
    samples = [make_sample(gt, pred, hole_mask(SIZE, SIZE, 500)).to_dict() for gt, pred in pairs]
    cpu_metric = MaskRatioLPIPS()
    cpu_metric.process(None, samples)
    cuda_samples = [dict(sample, gt_img=sample['gt_img'].cuda(),
                         output={'pred_img': sample['output']['pred_img'].cuda()})
                    for sample in samples]
    cuda_metric = MaskRatioLPIPS()
    cuda_metric.process(None, cuda_samples)
    assert next(cuda_metric.model.parameters()).is_cuda
    assert next(cpu_metric.model.parameters()).device.type == 'cpu'
    assert [r['LPIPS'] for r in cuda_metric.results] == pytest.approx(
        [r['LPIPS'] for r in cpu_metric.results], abs=1e-4)
    forced = MaskRatioLPIPS(device='cuda')
    forced.process(None, samples)
    assert next(forced.model.parameters()).is_cuda
    assert [r['LPIPS'] for r in forced.results] == pytest.approx(
        [r['LPIPS'] for r in cpu_metric.results], abs=1e-4)


@pytest.mark.parametrize('net', ['alex', 'vgg'])
def test_building_never_downloads(monkeypatch, net):
    def no_download(*args, **kwargs):
        raise AssertionError(f'tried to download {args or kwargs}')

    monkeypatch.setattr(torch.hub, 'load_state_dict_from_url', no_download)
    monkeypatch.setattr(torch.hub, 'download_url_to_file', no_download)
    metric = MaskRatioLPIPS(net=net)
    assert metric.model.pnet_rand and metric.model.pnet_type == net
