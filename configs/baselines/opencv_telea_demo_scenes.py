# OpenCV Telea (fast marching) inpainting on demo_scenes's test buckets: a parameter-free floor.
#   python tools/test.py configs/baselines/opencv_telea_demo_scenes.py --out results.json
_base_ = [
    '../_base_/models/opencv_inpaint.py',
    '../_base_/datasets/demo_scenes.py',
    '../_base_/default_runtime.py',
]
