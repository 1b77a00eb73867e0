"""tools/check_configs.py: every config's model built and run once, frozen stages whose
checkpoints the pipeline sets built untrained."""
import importlib.util
import os.path as osp

from mmengine.config import Config

from tests.conftest import REPO_ROOT, TINY_SIZE, set_img_size

spec = importlib.util.spec_from_file_location('check_configs',
                                              osp.join(REPO_ROOT, 'tools', 'check_configs.py'))
check_configs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_configs)


def test_stages_without_a_usable_checkpoint_are_built_untrained(tmp_path):
    given = tmp_path / 'coarse.pth'
    given.write_bytes(b'')
    model = dict(coarse=dict(config='c.py', checkpoint=str(given)),
                 segmentor=dict(config='s.py'),
                 nested=dict(inpainter=dict(config='i.py', checkpoint='missing.pth')),
                 other=dict(config_like='x'))
    assert check_configs.untrain_stages(model) == ['model.segmentor',
                                                   'model.nested.inpainter']
    assert model['coarse']['checkpoint'] == str(given)
    assert model['segmentor']['checkpoint'] is None
    assert model['nested']['inpainter']['checkpoint'] is None


def test_refine_config_runs_with_untrained_stages(demo_root, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO_ROOT)  # stage configs are named by repository paths
    cfg = Config.fromfile('configs/fr_inpaint/demo/refine.py')
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = demo_root
    set_img_size(cfg, (TINY_SIZE, TINY_SIZE))
    path = str(tmp_path / 'refine.py')
    cfg.dump(path)
    status = check_configs.check(path)
    assert status.startswith('ok   FeedbackInpaintor')
    assert status.endswith('(untrained stages: model.coarse, model.segmentor)')


def test_pipeline_configs_are_validated():
    status = check_configs.check(osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/pipeline.py'))
    # the method's 26 phases, plus the 4 refiners and their 4 tests for seeds 1 and 2
    assert status == 'ok   pipeline of 42 phases (tools/train_pipeline.py)'
