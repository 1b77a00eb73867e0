# OpenCV Navier-Stokes inpainting on demo_scenes's test buckets: a parameter-free floor.
#   python tools/test.py configs/baselines/opencv_ns_demo_scenes.py --out results.json
_base_ = ['./opencv_telea_demo_scenes.py']
model = dict(encdec=dict(method='ns'))
