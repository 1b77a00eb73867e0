"""markdown_table and pipeline_tables."""
import math

from fr_inpaint_plugin.pipeline.report import (
    INPAINTING_COLUMNS,
    bucket_chart_png,
    format_value,
    markdown_table,
    pipeline_tables,
)


def test_inpainting_columns():
    assert INPAINTING_COLUMNS[:4] == ('PSNR@0-20', 'PSNR@20-40', 'PSNR@40-60', 'PSNR@all')
    assert len(INPAINTING_COLUMNS) == 12 and INPAINTING_COLUMNS[-1] == 'LPIPS@all'


def test_values_are_formatted_by_metric():
    assert format_value('PSNR@all', 23.456) == '23.46'
    assert format_value('mIoU', 51.234) == '51.23' and format_value('aAcc', 90.) == '90.00'
    assert format_value('SSIM@all', 0.81234) == '0.812'
    assert format_value('images', 183) == '183'  # a count
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


def test_cells_of_several_seeds_show_mean_and_std():
    assert format_value('PSNR@all', [20.0, 22.0]) == '21.00 ± 1.41'
    assert format_value('LPIPS@all', [0.2]) == '0.200'
    records = {f'test_seed{s}': dict(metrics={'PSNR@all': 20.0 + 2 * s, 'LPIPS@all': 0.3})
               for s in range(3)}
    records['floor'] = dict(metrics={'PSNR@all': 25.0, 'LPIPS@all': 0.2})
    reports = {name: dict(table='inpainting', row='refined' if 'seed' in name else 'floor')
               for name in records}
    text = pipeline_tables(records, reports, dict(inpainting=dict(title='Inpainting')))
    assert text.splitlines()[0] == ('### Inpainting (mean ± std over 3 seeds where a row has '
                                    'several)')
    assert '| refined | 22.00 ± 2.00 | 0.300 ± 0.000 |' in text
    assert '| floor | 25.00 | 0.200 |' in text


def test_bucket_chart_is_a_png_of_every_row():
    rows = {name: {key: [value, value + 0.1] for key in INPAINTING_COLUMNS}
            for name, value in (('coarse', 1.0), ('refined', 2.0))}
    rows['floor'] = {'PSNR@all': [25.0]}  # missing cells draw nothing
    png = bucket_chart_png(rows)
    assert png.startswith(b'\x89PNG\r\n\x1a\n') and len(png) > 10_000
