# Runtime shared by every config of the plugin (MMagic scope; our components register there).
default_scope = 'mmagic'
custom_imports = dict(imports=['fr_inpaint_plugin'], allow_failed_imports=False)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=10),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1000, by_epoch=False, max_keep_ckpts=3,
                    save_last=True),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # Multi-process runs (tools/dist_train.sh) need GPUs: mmengine's pytorch launcher sets a
    # CUDA device per process.
    dist_cfg=dict(backend='nccl'),
)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='ConcatImageVisualizer',
    vis_backends=vis_backends,
    fn_key='vis_name',  # image stem + hole-ratio bucket: one grid per test item
    img_keys=['gt_img', 'input', 'pred_img'],
    bgr2rgb=True)
custom_hooks = [dict(type='BasicVisualizationHook', interval=1)]

log_level = 'INFO'
log_processor = dict(type='LogProcessor', by_epoch=False)

randomness = dict(seed=0, deterministic=False)
load_from = None
resume = False
