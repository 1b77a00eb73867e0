# Stage 1 on CamVid, CPU-sized: the CPU recipe (configs/fr_inpaint/_base_/coarse_cpu.py: half
# widths, a residual G_c over the push-pull fill, GAN 0.1, 3000 iterations) at 128x128, batch 8.
# Figures: docs/results.md.
#   python tools/train.py configs/fr_inpaint/camvid/coarse_cpu_pyramid.py
_base_ = ['../_base_/coarse_cpu.py', '../../_base_/datasets/camvid_128.py']
train_dataloader = dict(batch_size=8, num_workers=2)
val_dataloader = dict(num_workers=2)
test_dataloader = dict(num_workers=2)
experiment_name = 'coarse_camvid_cpu_pyramid'
