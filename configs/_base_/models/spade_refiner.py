# Stage 3: G_s (SPADE U-Net with an RGB pyramid) + PatchGAN, trained inside FeedbackInpaintor on
# the frozen coarse stage's composites and the frozen segmentor's maps (Ye et al. 2025, §3.4-3.5):
#   L_Gs = 0.1 hinge GAN + 1.0 pyramid L1 + 0.1 perceptual + 250 style + 1.0 L1.
# Configs using this base set encdec.num_classes (the dataset's classes, = the segmentor's) and
#   coarse=dict(config=<coarse config>, checkpoint=<its .pth>),
#   segmentor=dict(config=<S_ia (or S0) config>, checkpoint=<its .pth>).
# guide: 'segmentor' (the method), 'none' (no semantic guidance, "w/o SCM") or 'gt' (labels as
# guide, needs labelled items only). type='RefineInpaintor' (without coarse/segmentor/guide)
# trains G_s alone on hole-filled inputs guided by the labels.
model_wrapper_cfg = dict(type='MMSeparateDistributedDataParallel')

model = dict(
    type='FeedbackInpaintor',
    data_preprocessor=dict(type='DataPreprocessor', mean=[127.5], std=[127.5]),
    guide='segmentor',
    # residual=True: G_s corrects I_inc (zero-initialised heads: untrained, it returns I_inc);
    # residual=False is the paper's form, the whole image predicted. input_skip='identity' lets
    # the raw I_inc + mask reach the RGB head without SPADE's normalisation.
    encdec=dict(type='SPADEUNetGenerator', in_channels=4, out_channels=3,
                channels=(64, 128, 256, 512, 512, 512), num_pyramid=3,
                spade_hidden_channels=128, spade_norm='batch', residual=True,
                input_skip='spade'),
    disc=dict(type='PatchGANDiscriminator', in_channels=3, base_channels=64, num_convs=4,
              negative_slope=0.2, with_spectral_norm=True),
    loss_gan=dict(type='GANLoss', gan_type='hinge', loss_weight=0.1),
    loss_pyramid=dict(type='PyramidL1Loss', loss_weight=1.0),
    # VGG16 with the offline weights (tools/prepare_weights.py); the paper's VGG19 needs
    # backbone='vgg19' and pretrained_path.
    loss_vgg=dict(type='VGGPerceptualStyleLoss', perceptual_weight=0.1, style_weight=250.,
                  backbone='vgg16'),
    loss_l1=dict(type='L1Loss', loss_weight=1.0),
    train_cfg=dict(disc_step=1),
)

# Adam, lr 1e-4 G / 4e-4 D (TTUR; the paper gives no lr: our choice, as for the coarse stage).
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.999))),
    disc=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=4e-4, betas=(0.5, 0.999))))
