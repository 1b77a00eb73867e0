# Write the label-ratio split of a config's training set: which images keep their labels in the
# 1/8, 1/4, 1/2 experiments (the rest are used as unlabelled). Seeded and saved, so every phase
# and run reads the same split; an existing file with another ratio or seed, or made for other
# images, is an error, never silently replaced. Datasets also make it on first use when given
# split_file + split_ratio; this tool makes it ahead of the runs. --draw nested puts each smaller
# ratio's labelled images among each larger one's (the same seed and draw at every ratio).
#   python tools/make_split.py configs/_base_/datasets/camvid.py --ratio 0.125 --seed 0 \
#       --out data/splits/camvid_ratio0.125_seed0.txt
# See fr_inpaint_plugin/datasets/label_ratio_split.py for the file format.
import argparse

from mmagic.registry import DATASETS
from mmengine.config import Config
from mmengine.registry import init_default_scope

import fr_inpaint_plugin  # noqa: F401  (applies compat shims, registers our components)
from fr_inpaint_plugin.cli.args import CfgOptionsAction
from fr_inpaint_plugin.datasets.label_ratio_split import SPLIT_DRAWS, ensure_label_ratio_split


def parse_args():
    parser = argparse.ArgumentParser(description='Write a seeded label-ratio split')
    parser.add_argument('config', help='config whose training dataset is split')
    parser.add_argument('--ratio', type=float, required=True,
                        help='labelled fraction of the training set, e.g. 0.125, 0.25, 0.5')
    parser.add_argument('--seed', type=int, default=0, help='seed of the split')
    parser.add_argument('--draw', choices=SPLIT_DRAWS, default='independent',
                        help='independent: each ratio drawn on its own; nested: smaller '
                        'ratios\' labelled images among larger ones\'')
    parser.add_argument('--out', required=True, help='split file (text) to write')
    parser.add_argument('--loader', default='train_dataloader',
                        help='dataloader of the config whose dataset is split')
    parser.add_argument('--cfg-options', nargs='+', action=CfgOptionsAction,
                        help='override settings in the config, e.g. '
                        'train_dataloader.dataset.data_root=...')
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmagic'))
    dataset_cfg = cfg[args.loader].dataset
    # The whole training set with its natural labels: no split, no filter, no mask pairing.
    dataset_cfg.update(split_file=None, split_ratio=None, label_filter='all', mask_list=None,
                       pipeline=[])
    dataset = DATASETS.build(dataset_cfg)
    items = [dataset.get_data_info(i) for i in range(len(dataset))]
    with_labels = [item['img_key'] for item in items if item['seg_map_path'] is not None]
    without_labels = [item['img_key'] for item in items if item['seg_map_path'] is None]
    split = ensure_label_ratio_split(args.out, with_labels, without_labels, args.ratio,
                                     args.seed, args.draw)
    print(f'{args.out}: ratio {split.ratio}, seed {split.seed}, draw {split.draw}: '
          f'{sum(split.labelled.values())} of {len(split.labelled)} images labelled')


if __name__ == '__main__':
    main()
