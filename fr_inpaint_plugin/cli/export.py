"""Export a trained pipeline (the final checkpoint of a refine phase) for deployment: the
whole coarse -> segmentor -> refiner inference as one ONNX graph at a fixed working size,
checked in onnxruntime against PyTorch.

    python tools/export.py work_dirs/.../refine_sia/iter_240.pth --format onnx --out model.onnx
"""
import argparse
import json
import sys
from typing import List, Optional

from ..apis import FeedbackInpaintingInferencer
from ..apis.export import INPUT_NAMES, OUTPUT_NAMES, check_onnx, export_onnx

FORMATS = ('onnx', )


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('checkpoint', help='pipeline checkpoint (a refine phase\'s iter_N.pth)')
    parser.add_argument('--format', choices=FORMATS, default='onnx')
    parser.add_argument('--out', required=True, help='output file, e.g. model.onnx')
    parser.add_argument('--config', help='the refine config, when the checkpoint has none')
    parser.add_argument('--img-size', type=int, nargs=2, metavar=('H', 'W'),
                        help='working size (default: the config\'s; multiples of 64)')
    parser.add_argument('--opset', type=int, default=17)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    try:
        inferencer = FeedbackInpaintingInferencer(args.checkpoint, args.config,
                                                  img_size=args.img_size)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'error: {error}')
    export_onnx(inferencer.model, inferencer.img_size, args.out, args.opset)
    check = check_onnx(inferencer.model, args.out, inferencer.img_size)
    height, width = inferencer.img_size
    print(f'wrote {args.out}: inputs {INPUT_NAMES} (N,3,{height},{width}) in [-1, 1] and '
          f'(N,1,{height},{width}) 1 = hole; outputs {OUTPUT_NAMES}')
    print('onnxruntime vs PyTorch: ' + json.dumps(check))


if __name__ == '__main__':
    main()
