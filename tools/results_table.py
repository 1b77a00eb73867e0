"""Print metric files written by tools/test.py --out as one Markdown table: a row per run,
PSNR/SSIM/LPIPS per hole-ratio bucket and over all images, formatted as the pipeline's
results.md (fr_inpaint_plugin.pipeline.report).

    python tools/results_table.py "OpenCV Telea=results/telea.json" "Coarse=results/coarse.json"
"""
import argparse
import json

from fr_inpaint_plugin.pipeline.report import INPAINTING_COLUMNS, markdown_table


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('runs', nargs='+', help='NAME=PATH of a tools/test.py --out JSON file')
    parser.add_argument('--columns', nargs='+', default=INPAINTING_COLUMNS,
                        help='metric keys to show (default: PSNR/SSIM/LPIPS per bucket)')
    args = parser.parse_args()
    rows = {}
    for run in args.runs:
        name, separator, path = run.partition('=')
        if not separator:
            parser.error(f'{run!r}: give each run as NAME=PATH')
        with open(path) as file:
            rows[name] = json.load(file)
    print(markdown_table(rows, args.columns))


if __name__ == '__main__':
    main()
