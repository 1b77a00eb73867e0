# pipeline_seg_sia.py on nested label-ratio splits: each smaller ratio's labelled images are among
# each larger one's (split_draw='nested'; data/splits/camvid_ratio<r>_seed0_nested.txt), so the
# 1/8 and 1/4 step-2 S_ia differ by more labels, not by other labels. The default independent
# draw gives 1/8 and 1/4 splits that share 12 of 1/8's 46 labelled images, which the ratio study
# of docs/results.md ("Label ratios") cannot tell apart from the ratio itself. Run from the
# repository root, once per ratio, linking one G_c (it never reads a label):
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_sia_nested.py \
#       --label-ratio 0.125
_base_ = ['./pipeline_seg_sia.py']
name = 'camvid_seg_sia_nested'
split_draw = 'nested'
