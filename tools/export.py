# Export a trained pipeline as one ONNX graph (image + mask in, inpainted + semantic out):
#   python tools/export.py CHECKPOINT --format onnx --out model.onnx [--img-size H W]
#   (= python -m fr_inpaint_plugin.cli.export)
from fr_inpaint_plugin.cli.export import main

if __name__ == '__main__':
    main()
