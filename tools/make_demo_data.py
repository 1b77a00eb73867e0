# Write the embedded demo dataset (procedural street scenes, labels and hole masks) used by the
# quick start and the tests. Idempotent: a complete dataset with the same parameters is kept.
#   python tools/make_demo_data.py                      # -> data/demo
#   python tools/make_demo_data.py --out /tmp/demo --size 128 --force
import argparse
from pathlib import Path

from fr_inpaint_plugin.datasets import demo_scenes

REPO_ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description='Write the procedural demo dataset')
    parser.add_argument(
        '--out',
        type=Path,
        default=REPO_ROOT / 'data' / 'demo',
        help='output directory (default: data/demo in the repo)')
    parser.add_argument('--seed', type=int, default=0, help='base random seed (>= 0)')
    parser.add_argument(
        '--num-labelled', type=int, default=48, help='training images with labels')
    parser.add_argument(
        '--num-unlabelled',
        type=int,
        default=48,
        help='training images without labels (listed in train/unlabelled.txt)')
    parser.add_argument('--num-val', type=int, default=16, help='labelled validation images')
    parser.add_argument(
        '--num-masks',
        type=int,
        default=48,
        help='hole masks, a multiple of 3: equal shares with hole ratios in '
        '(0, 20%%], (20, 40%%], (40, 60%%]')
    parser.add_argument('--size', type=int, default=256, help='image and mask side in pixels')
    parser.add_argument(
        '--force', action='store_true', help='rewrite even if a complete dataset is there')
    return parser.parse_args()


def main():
    args = parse_args()
    summary = demo_scenes.write_demo_dataset(
        args.out,
        num_labelled=args.num_labelled,
        num_unlabelled=args.num_unlabelled,
        num_val=args.num_val,
        num_masks=args.num_masks,
        size=args.size,
        seed=args.seed,
        force=args.force)
    parameters = summary.parameters
    state = 'wrote' if summary.created else 'already complete, kept'
    print(f'demo dataset {state}: {summary.root}')
    print(f"  train: {parameters['num_labelled']} labelled + "
          f"{parameters['num_unlabelled']} unlabelled images (train/img, train/label, "
          f'train/{demo_scenes.UNLABELLED_LIST_NAME})')
    print(f"  val:   {parameters['num_val']} labelled images (val/img, val/label)")
    print(f"  masks: {parameters['num_masks']} (masks/, 255 = hole), hole-ratio buckets "
          f"{parameters['mask_hole_ratio_buckets']}")
    height, width = parameters['size']
    print(f"  size:  {height}x{width}, seed {parameters['seed']}")
    print(f"  classes: {', '.join(f'{i}={name}' for i, name in enumerate(parameters['classes']))}"
          f' (255 = ignore, unused)')


if __name__ == '__main__':
    main()
