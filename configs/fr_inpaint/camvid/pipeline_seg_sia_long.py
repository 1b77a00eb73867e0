# pipeline_seg_sia.py with step 2's S_ia trained twice as long, 1200 iterations on the same poly
# schedule stretched, to ask whether S_ia's I_inc mIoU rises with the label ratio once the
# budget no longer holds the larger ratios back (a 1200-iteration S_ia at 1/2 gains 3-4 points
# over 600; docs/results.md, "Why S_ia's I_inc mIoU is flat across ratios"). Over the CPU
# recipe's 25-min phase budget: about 40 min per seed on 2 cores. Run from the repository root,
# once per ratio, linking one run's coarse/ into the other ratio's work root:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_sia_long.py \
#       --label-ratio 0.125
_base_ = ['./pipeline_seg_sia.py']
name = 'camvid_seg_sia_long'
_sia_iters = 1200
phase_settings = dict(seg_step2_sia={
    'train_cfg.max_iters': _sia_iters,
    'param_scheduler': [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0,
                             end=_sia_iters, by_epoch=False)],
    'default_hooks.checkpoint.interval': 300})
