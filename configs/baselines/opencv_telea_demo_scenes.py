# OpenCV Telea (fast marching) inpainting on demo_scenes's test buckets at 64x64 (the quickstart's
# working size): a parameter-free floor.
#   python tools/test.py configs/baselines/opencv_telea_demo_scenes.py --out results.json
_base_ = [
    '../_base_/models/opencv_inpaint.py',
    '../_base_/datasets/demo_scenes_64.py',
    '../_base_/default_runtime.py',
]
