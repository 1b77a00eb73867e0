# Push-pull interpolation (the coarse stage's prefill, no parameters) on CamVid's test buckets at
# 128x128, beside OpenCV Telea (opencv_telea_camvid_128.py): how much of the floor a smooth fill
# alone reaches.
#   python tools/test.py configs/baselines/pyramid_fill_camvid_128.py --out results.json
_base_ = ['./opencv_telea_camvid_128.py']
model = dict(encdec=dict(_delete_=True, type='PyramidFillNet'))
