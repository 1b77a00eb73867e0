"""ProgressBarHook on a tiny coarse-inpainter run (64x64 demo data, 2 iterations)."""
import copy
import re
import warnings

from mmengine.runner import Runner

from fr_inpaint_plugin.engine.hooks import ProgressBarHook


def drawn(stderr: str, label: str):
    """Every state ('done/total') tqdm drew of the bars named ``label``, in order."""
    return [re.search(r'(\d+)/(\d+|\?)', part).group(0)
            for part in re.split(r'[\r\n]', stderr) if part.startswith(label + ':')]


def test_bars_follow_training_resume_validation_and_test(tiny_coarse_cfg, capsys):
    cfg = copy.deepcopy(tiny_coarse_cfg)
    cfg.train_cfg.max_iters = 2
    cfg.train_cfg.val_interval = 2
    cfg.default_hooks.logger.interval = 10
    cfg.custom_hooks = [dict(type='ProgressBarHook', desc='coarse')]
    runner = Runner.from_cfg(cfg)
    assert any(isinstance(h, ProgressBarHook) for h in runner.hooks)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        runner.train()
    assert not [w for w in caught if 'requires_grad' in str(w.message)]  # loss shown detached
    err = capsys.readouterr().err
    train = drawn(err, 'coarse train')
    assert train[0] == '0/2' and train[-1] == '2/2' and set(train) <= {'0/2', '1/2', '2/2'}
    num_val = len(runner.val_loop.dataloaders[0])  # 2 images x 3 hole buckets
    val = drawn(err, 'coarse val')
    assert val[0] == f'0/{num_val}' and val[-1] == f'{num_val}/{num_val}'
    assert 'loss=' in err

    cfg.train_cfg.max_iters = 3
    cfg.resume = True
    runner = Runner.from_cfg(cfg)  # resumes from iter_2.pth in the same work dir
    runner.train()
    err = capsys.readouterr().err
    train = drawn(err, 'coarse train')
    assert train[0] == '2/3' and train[-1] == '3/3'  # starts at the resumed iteration

    runner.test()
    err = capsys.readouterr().err
    test = drawn(err, 'coarse test')
    num_test = len(runner.test_loop.dataloaders[0])
    assert test[0] == f'0/{num_test}' and test[-1] == f'{num_test}/{num_test}'
    assert not drawn(err, 'coarse train')


def test_bars_only_on_rank_0(tiny_coarse_cfg, capsys):
    class FakeRunner:
        rank, max_iters, iter = 1, 5, 0

    hook = ProgressBarHook('x')
    hook.before_train(FakeRunner())
    hook.after_train_iter(FakeRunner(), 0, outputs=dict(loss=1.0))
    hook.after_train(FakeRunner())
    assert capsys.readouterr().err == ''
