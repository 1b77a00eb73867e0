"""tools/label_ratio_table.py on hand-written phase records of the demo pipeline."""
import json
import os
import os.path as osp

import pytest

from fr_inpaint_plugin.cli.label_ratio_table import label_ratio_tables, main, ratio_name
from tests.conftest import REPO_ROOT

PIPELINE = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/pipeline.py')


def finish(work_root, phase, metrics):
    os.makedirs(osp.join(work_root, phase))
    with open(osp.join(work_root, phase, 'phase_done.json'), 'w') as file:
        json.dump(dict(phase=phase, kind='test', metrics=metrics), file)


@pytest.mark.parametrize('ratio, name', [(0.125, '1/8'), (0.25, '1/4'), (0.5, '1/2'),
                                         (0.375, '3/8'), (0.3, '3/10'), (0.123456, '0.123456')])
def test_ratio_names(ratio, name):
    assert ratio_name(ratio) == name


def test_rows_side_by_side_per_ratio(tmp_path, capsys):
    eighth, half = str(tmp_path / 'r0.125'), str(tmp_path / 'r0.5')
    finish(eighth, 'test_seg_step5_sia_i_inc',
           {'mIoU': 30.0, 'aAcc': 80.0, 'hole/mIoU': 21.0, 'known/mIoU': 31.5})
    finish(half, 'test_seg_step5_sia_i_inc',
           {'mIoU': 40.0, 'aAcc': 85.0, 'hole/mIoU': 27.5, 'known/mIoU': 41.0})
    finish(half, 'test_seg_step5_sia_clean', {'mIoU': 45.5, 'aAcc': 88.0})
    finish(half, 'test_coarse', {'PSNR@all': 24.0, 'SSIM@all': 0.78, 'LPIPS@all': 0.17})
    main([PIPELINE, '--label-ratios', '0.125', '0.5', '--work-roots', eighth, half,
          '--out', str(tmp_path / 'ratios.md')])
    printed = capsys.readouterr().out
    assert (tmp_path / 'ratios.md').read_text() == printed
    lines = printed.splitlines()
    assert ('| run | 1/8 clean mIoU | 1/8 I_inc mIoU | 1/8 I_inc hole/mIoU '
            '| 1/8 I_inc known/mIoU | 1/2 clean mIoU | 1/2 I_inc mIoU | 1/2 I_inc hole/mIoU '
            '| 1/2 I_inc known/mIoU |' in lines)
    # rows without a finished test at any ratio are left out; a missing cell is '-'
    step5 = [line for line in lines if line.startswith('| S_ia (step 5')]
    assert len(step5) == 1 and step5[0].endswith(
        '| - | 30.00 | 21.00 | 31.50 | 45.50 | 40.00 | 27.50 | 41.00 |')
    assert not any(line.startswith('| S0 (step 1)') for line in lines)
    assert '| coarse G_c only | - | - | - | 24.00 | 0.780 | 0.170 |' in lines
    # a run without the region scores (an older record) shows '-' there
    finish(str(tmp_path / 'old'), 'test_seg_step5_sia_i_inc', {'mIoU': 35.0})
    old = label_ratio_tables(PIPELINE, [0.25], [str(tmp_path / 'old')]).splitlines()
    assert any(line.startswith('| S_ia (step 5') and line.endswith('| - | 35.00 | - | - |')
               for line in old)


def test_a_ratios_seeds_in_roots_of_their_own_give_mean_and_std(tmp_path, capsys):
    seed0, seed1, half = (str(tmp_path / name) for name in ('r0.125', 'r0.125_s1', 'r0.5'))
    finish(seed0, 'test_seg_step5_sia_i_inc', {'mIoU': 30.0, 'hole/mIoU': 21.0})
    finish(seed1, 'test_seg_step5_sia_i_inc', {'mIoU': 32.0, 'hole/mIoU': 22.0})
    finish(half, 'test_seg_step5_sia_i_inc', {'mIoU': 40.0, 'hole/mIoU': 27.5})
    main([PIPELINE, '--label-ratios', '0.125', '0.5', '--work-roots', f'{seed0},{seed1}', half])
    lines = capsys.readouterr().out.splitlines()
    assert any(line.endswith("by label ratio (mean ± std over a ratio's seeds where it has "
                             'several)') for line in lines)
    step5 = [line for line in lines if line.startswith('| S_ia (step 5')]
    assert step5[0].endswith('| - | 31.00 ± 1.41 | 21.50 ± 0.71 | - | - | 40.00 | 27.50 | - |')
    # a seed's root with nothing finished would leave the mean a seed short: an error
    with pytest.raises(FileNotFoundError, match='r0.125_s2: no finished test phase'):
        label_ratio_tables(PIPELINE, [0.125], [[seed0, str(tmp_path / 'r0.125_s2')]])


def test_no_finished_run_is_an_error_naming_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match='run tools/train_pipeline.py'):
        label_ratio_tables(PIPELINE, [0.25], [str(tmp_path / 'nothing')])


def test_work_roots_must_match_the_ratios(tmp_path):
    with pytest.raises(SystemExit):
        main([PIPELINE, '--label-ratios', '0.125', '0.5', '--work-roots', str(tmp_path)])
