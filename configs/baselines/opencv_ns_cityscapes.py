# OpenCV Navier-Stokes inpainting on cityscapes's test buckets: a parameter-free floor.
#   python tools/test.py configs/baselines/opencv_ns_cityscapes.py --out results.json
_base_ = ['./opencv_telea_cityscapes.py']
model = dict(encdec=dict(method='ns'))
