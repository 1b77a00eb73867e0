"""markdown_table and pipeline_tables."""
import math

from fr_inpaint_plugin.pipeline.report import (
    INPAINTING_COLUMNS,
    format_value,
    markdown_table,
    pipeline_tables,
)


def test_inpainting_columns():
    assert INPAINTING_COLUMNS[:4] == ('PSNR@0-20', 'PSNR@20-40', 'PSNR@40-60', 'PSNR@all')
    assert len(INPAINTING_COLUMNS) == 12 and INPAINTING_COLUMNS[-1] == 'LPIPS@all'


def test_values_are_formatted_by_metric():
    assert format_value('PSNR@all', 23.456) == '23.46'
    assert format_value('mIoU', 51.234) == '51.23' and format_value('aAcc', 90) == '90.00'
    assert format_value('SSIM@all', 0.81234) == '0.812'
    assert format_value('LPIPS@0-20', 0.1) == '0.100'
    assert format_value('x', math.nan) == '-' and format_value('x', None) == '-'
    assert format_value('x', 'n/a') == 'n/a'


def test_markdown_table_with_given_columns():
    rows = {'a': {'PSNR@all': 20.0, 'SSIM@all': 0.5, 'extra': 1.0},
            'b': {'PSNR@all': math.nan}}
    table = markdown_table(rows, ['PSNR@all', 'SSIM@all'], first='model')
    assert table.splitlines() == [
        '| model | PSNR@all | SSIM@all |',
        '|---|---|---|',
        '| a | 20.00 | 0.500 |',
        '| b | - | - |',
    ]


def test_markdown_table_columns_default_to_every_key_in_order():
    table = markdown_table({'a': {'x': 1.0}, 'b': {'y': 2.0, 'x': 3.0}})
    assert table.splitlines() == ['| run | x | y |', '|---|---|---|', '| a | 1.000 | - |',
                                  '| b | 3.000 | 2.000 |']
    assert markdown_table({}).splitlines() == ['| run |', '|---|']


def test_pipeline_tables_group_rows_with_prefixes():
    records = {
        'train': dict(checkpoint='/c.pth'),
        'test_clean': dict(metrics={'mIoU': 50.0, 'aAcc': 80.0}),
        'test_inc': dict(metrics={'mIoU': 40.0, 'aAcc': math.nan}),
        'test_other': dict(metrics={'mIoU': 30.0}),
        'inp': dict(metrics={'PSNR@all': 25.0, 'SSIM@all': 0.9}),
    }
    reports = {
        'test_clean': dict(table='seg', row='S0', prefix='clean '),
        'test_inc': dict(table='seg', row='S0', prefix='I_inc '),
        'test_other': dict(table='seg', row='S1', prefix='clean '),
        'inp': dict(table='inpainting', row='G_c'),
        'not_run': dict(table='seg', row='S2', prefix='clean '),
    }
    tables = dict(seg=dict(title='Segmentation',
                           columns=['clean mIoU', 'I_inc mIoU', 'clean aAcc', 'I_inc aAcc']))
    text = pipeline_tables(records, reports, tables)
    seg, inp = text.split('\n\n### ')
    assert seg.splitlines() == [
        '### Segmentation', '',
        '| run | clean mIoU | I_inc mIoU | clean aAcc | I_inc aAcc |',
        '|---|---|---|---|---|',
        '| S0 | 50.00 | 40.00 | 80.00 | - |',
        '| S1 | 30.00 | - | - | - |',
    ]
    # no spec: titled by its name, every metric a column
    assert inp.splitlines() == ['inpainting', '', '| run | PSNR@all | SSIM@all |',
                                '|---|---|---|', '| G_c | 25.00 | 0.900 |']


def test_prefixed_psnr_is_formatted_as_psnr():
    text = pipeline_tables({'t': dict(metrics={'PSNR@all': 25.0})},
                           {'t': dict(table='x', row='r', prefix='I_inc ')}, {})
    assert '| r | 25.00 |' in text


def test_no_finished_test_phase_no_table():
    assert pipeline_tables({'a': dict(checkpoint='c')}, {'t': dict(table='x', row='r')},
                           {}) == ''
