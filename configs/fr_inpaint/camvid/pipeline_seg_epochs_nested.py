# pipeline_seg_epochs.py on nested label-ratio splits (split_draw='nested'; each smaller ratio's
# labelled images among each larger one's): do the students of steps 4-5 keep the rise from 1/8
# to 1/4 that step 2's S_ia shows on these splits (docs/results.md, "Nested label-ratio splits")?
# Run from the repository root, once per ratio and seed, as pipeline_seg_epochs.py:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_epochs_nested.py \
#       --label-ratio 0.125 --until test_seg_step5_sia_i_inc
_base_ = ['./pipeline_seg_epochs.py']
name = 'camvid_seg_epochs_nested'
split_draw = 'nested'
