"""Tiny data sets in the real layouts, written once per test session (read-only in tests)."""
import pytest

from .tiny_data import make_camvid, make_celebamask, make_cityscapes, make_masks

# Hole ratios of the tiny mask set: two per bucket (0,20%], (20,40%], (40,60%], and one outside.
MASK_RATIOS = (0.5, 0.125, 0.25, 0.0625, 0.375, 0.5625, 0.75)


@pytest.fixture(scope='session')
def camvid_root(tmp_path_factory):
    return make_camvid(tmp_path_factory.mktemp('camvid'))


@pytest.fixture(scope='session')
def celebamask_root(tmp_path_factory):
    return make_celebamask(tmp_path_factory.mktemp('celebamask'))


@pytest.fixture(scope='session')
def cityscapes_root(tmp_path_factory):
    return make_cityscapes(tmp_path_factory.mktemp('cityscapes'))


@pytest.fixture(scope='session')
def mask_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp('masks')
    make_masks(directory, MASK_RATIOS)
    return str(directory)


@pytest.fixture(autouse=True, scope='session')
def mmagic_scope():
    """Pipelines given as config dicts resolve their transform types in MMagic's scope, as
    they do under the Runner (default_scope='mmagic')."""
    from mmengine.registry import init_default_scope
    init_default_scope('mmagic')


@pytest.fixture(autouse=True)
def skip_full_garbage_collection(monkeypatch):
    """MMEngine's BaseDataset runs gc.collect() when it serialises its data list: ~0.4 s with
    torch and MMagic imported, which would make these tiny-dataset tests take most of a minute.
    It only frees memory, so the tests skip it."""
    import mmengine.dataset.base_dataset as base_dataset
    monkeypatch.setattr(base_dataset.gc, 'collect', lambda *args: 0)
