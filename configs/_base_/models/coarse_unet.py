# Stage 1: G_c (U-Net) + PatchGAN, L = 1.0 hinge GAN + 10.0 L1 (Ye et al. 2025, §3.5.1).
model_wrapper_cfg = dict(type='MMSeparateDistributedDataParallel')

model = dict(
    type='CoarseInpaintor',
    data_preprocessor=dict(type='DataPreprocessor', mean=[127.5], std=[127.5]),
    encdec=dict(type='CoarseUNet', in_channels=4, out_channels=3,
                channels=(64, 128, 256, 512, 512, 512)),
    disc=dict(type='PatchGANDiscriminator', in_channels=3, base_channels=64, num_convs=4,
              negative_slope=0.2, with_spectral_norm=True),
    loss_gan=dict(type='GANLoss', gan_type='hinge', loss_weight=1.0),
    loss_l1=dict(type='L1Loss', loss_weight=10.0),
    train_cfg=dict(disc_step=1),
)

# Adam, lr 1e-4 G / 4e-4 D (TTUR; the paper gives no lr: our choice).
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.999))),
    disc=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=4e-4, betas=(0.5, 0.999))))
