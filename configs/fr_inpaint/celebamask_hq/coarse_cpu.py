# Stage 1 on the CelebAMask-HQ faces subset, CPU-sized: the CPU recipe
# (configs/fr_inpaint/_base_/coarse_cpu.py: half widths, a residual G_c over the push-pull
# fill, GAN 0.1, 3000 iterations) at 128x128, batch 8.
#   python tools/train.py configs/fr_inpaint/celebamask_hq/coarse_cpu.py
_base_ = ['../_base_/coarse_cpu.py', '../../_base_/datasets/celebamask_hq_128.py']
train_dataloader = dict(batch_size=8, num_workers=2)
val_dataloader = dict(num_workers=2)
test_dataloader = dict(num_workers=2)
experiment_name = 'coarse_celebamask_hq_cpu'
