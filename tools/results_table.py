# Print metric JSON files written by tools/test.py --out as one Markdown table (a row per run,
# PSNR/SSIM/LPIPS per hole-ratio bucket and on average), for the README.
#   python tools/results_table.py "OpenCV Telea=results/telea.json" "Coarse=results/coarse.json"
import argparse
import json

METRICS = (('PSNR', '{:.2f}'), ('SSIM', '{:.3f}'), ('LPIPS', '{:.3f}'))
BUCKETS = ('0-20', '20-40', '40-60', 'all')


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('runs', nargs='+', help='NAME=PATH of a tools/test.py --out JSON file')
    args = parser.parse_args()
    header = ['run'] + [f'{metric} {bucket}' for metric, _ in METRICS for bucket in BUCKETS]
    print('| ' + ' | '.join(header) + ' |')
    print('|' + '---|' * len(header))
    for run in args.runs:
        name, path = run.split('=', 1)
        with open(path) as f:
            metrics = json.load(f)
        cells = [fmt.format(metrics[f'{metric}@{bucket}'])
                 for metric, fmt in METRICS for bucket in BUCKETS]
        print(f'| {name} | ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main()
