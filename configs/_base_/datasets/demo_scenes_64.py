# The demo scenes at 64x64: the quickstart's working size (the images are written at 256x256 and
# resized on load; every demo table says 64x64). The fixed test masks are paired at this size
# (mask_list_val_64x64.txt, built in data_root on first use).
_base_ = ['./demo_scenes.py']
img_size = (64, 64)
train_dataloader = dict(dataset=dict(img_size=img_size))
val_dataloader = dict(dataset=dict(img_size=img_size))
test_dataloader = val_dataloader
