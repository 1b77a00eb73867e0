import warnings

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint


class Untrusted:
    """A class no allow-list names: safe loading must keep refusing it."""


def test_mmagic_imports_on_numpy2():
    import mmagic.utils.trans_utils as trans_utils
    assert np.bool8 is np.bool_
    assert trans_utils.dtype_range[np.bool_] == (False, True)


def test_mmengine_loader_reads_message_hub_state_safely(tmp_path):
    buffer = HistoryBuffer()
    buffer.update(np.float64(1.5))
    buffer.update(2.0)
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(log_scalars={'train/loss': buffer}, iter=np.int64(3),
                    array=np.arange(4, dtype=np.float32)), path)
    loaded = _load_checkpoint(str(path), map_location='cpu')
    assert loaded['log_scalars']['train/loss'].current() == 2.0
    assert loaded['log_scalars']['train/loss'].mean() == 1.75
    assert np.array_equal(loaded['array'], np.arange(4, dtype=np.float32))


def test_safe_loading_stays_on(tmp_path):
    path = tmp_path / 'untrusted.pth'
    torch.save({'x': Untrusted()}, path)
    with pytest.raises(Exception, match='[Ww]eights only load failed'):
        _load_checkpoint(str(path), map_location='cpu')
    with pytest.raises(Exception, match='[Ww]eights only load failed'):
        torch.load(path)
    # The allow-list is scoped to mmengine's loader: plain torch.load is unchanged.
    buffer_path = tmp_path / 'buffer.pth'
    torch.save(HistoryBuffer(), buffer_path)
    with pytest.raises(Exception, match='[Ww]eights only load failed'):
        torch.load(buffer_path)


class OpensAFile:
    """Unpickling it calls ``open(path, 'w')``: what a malicious checkpoint would do."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return open, (self.path, 'w')


def test_a_checkpoint_that_would_run_code_is_refused_naming_the_file(tmp_path, monkeypatch):
    from mmengine.runner import load_checkpoint

    from fr_inpaint_plugin.consistency.query_pool import load_query_pool
    from fr_inpaint_plugin.weights import load_backbone_features

    marker = tmp_path / 'code_ran'
    path = tmp_path / 'malicious.pth'
    torch.save(dict(state_dict={'w': torch.zeros(1)}, payload=OpensAFile(marker)), path)
    # torch's own escape hatch must not turn the project's safe loading off
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    with pytest.raises(Exception, match=f'refused to load checkpoint {path}'):
        _load_checkpoint(str(path), map_location='cpu')
    with pytest.raises(Exception, match='refused to load checkpoint'):
        load_checkpoint(torch.nn.Linear(1, 1), str(path), map_location='cpu')
    with pytest.raises(Exception, match='refused to load checkpoint'):
        load_query_pool(str(path))
    with pytest.raises(Exception, match='refused to load checkpoint'):
        load_backbone_features('vgg16', path)
    assert not marker.exists()


@pytest.mark.parametrize('category, message', [
    (FutureWarning, '`UNet2DConditionModel` is deprecated and will be removed in version 0.29. '
     'Importing `UNet2DConditionModel` from `diffusers.models.unet_2d_condition` is deprecated'),
    (FutureWarning, '`torch.jit.script` is deprecated. Please switch to `torch.compile`'),
    (UserWarning, 'pkg_resources is deprecated as an API. See https://setuptools.pypa.io'),
    (UserWarning, '``build_loss`` would be deprecated soon, please use ``MODELS.build()``'),
])
def test_known_harmless_warnings_are_silenced_and_no_others(category, message):
    from fr_inpaint_plugin import compat
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        compat._silence_known_harmless_warnings()  # pytest resets the filters around each test
        warnings.warn(message, category)
        warnings.warn(f'a real problem: {message}', category)  # same library, another message
        warnings.warn('`Foo` is deprecated and will be removed in version 2.0.', category)
    assert [str(w.message) for w in caught] == [
        f'a real problem: {message}', '`Foo` is deprecated and will be removed in version 2.0.']


class _FailsWhenPickled:
    def __reduce__(self):
        raise RuntimeError('killed while saving')


def test_checkpoint_saves_are_atomic(tmp_path):
    """A save that dies part-way (here: while pickling) leaves the previous checkpoint intact
    and no partial or temporary file; the Runner saves through the same function."""
    from mmengine.runner import checkpoint, runner
    assert runner.save_checkpoint is checkpoint.save_checkpoint
    path = tmp_path / 'iter_2.pth'
    checkpoint.save_checkpoint({'weight': torch.ones(3)}, str(path))
    with pytest.raises(RuntimeError, match='killed while saving'):
        checkpoint.save_checkpoint({'weight': torch.zeros(3), 'bad': _FailsWhenPickled()},
                                   str(path))
    assert torch.equal(_load_checkpoint(str(path))['weight'], torch.ones(3))
    assert [p.name for p in tmp_path.iterdir()] == ['iter_2.pth']
