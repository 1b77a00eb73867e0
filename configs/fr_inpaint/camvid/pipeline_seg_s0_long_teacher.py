# pipeline_seg_s0.py with the step-1 teacher (S0) trained three times as long, 1800 iterations
# on the same poly schedule stretched, so that a step-4 student is measured against a teacher
# that more training on the labelled images alone no longer improves much (a labelled-only
# fine-tune of the 600-iteration teacher gains 1.35 points; docs/results.md, "What the step-4 S0
# loses to"). Run from the repository root, in its own work root (about 1 h on 2 cores):
#   python tools/train_pipeline.py \
#       configs/fr_inpaint/camvid/pipeline_seg_s0_long_teacher.py --seeds 0
_base_ = ['./pipeline_seg_s0.py']
name = 'camvid_seg_s0_long_teacher'
_teacher_iters = 1800
phase_settings = dict(seg_step1_s0={
    'train_cfg.max_iters': _teacher_iters,
    'param_scheduler': [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0,
                             end=_teacher_iters, by_epoch=False)],
    'default_hooks.checkpoint.interval': 300})
