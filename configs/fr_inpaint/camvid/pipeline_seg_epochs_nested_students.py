# pipeline_seg_epochs_nested.py with S_ia's fine-tuned students budgeted as their teacher, step
# 2: half its iterations a step, as at 1/8 and 1/4 (300 of 600), so 600 at 1/2 instead of the
# recipe's 300. On the nested 1/2 split both training seeds' step-5 S_ia lost 0.64-0.88 of step
# 2's lead on I_inc where the students gained at 1/8 and 1/4 (docs/results.md, "The nested 1/2
# split"); this asks whether a 300-iteration fine-tune is too short after a 1200-iteration
# teacher. At 1/8 and 1/4 every phase resolves to pipeline_seg_epochs_nested.py's, and at 1/2
# every phase before seg_step4_sia does, so those runs' work dirs can be copied in and skipped:
#   cp -a E2/seg_step1_s0 E2/seg_step4_s0 E2/seg_step2_sia E2/coarse ES2/
#   python tools/train_pipeline.py \
#       configs/fr_inpaint/camvid/pipeline_seg_epochs_nested_students.py --label-ratio 0.5 \
#       --until test_seg_step5_sia_i_inc --work-root ES2
_base_ = ['./pipeline_seg_epochs_nested.py']
name = 'camvid_seg_epochs_nested_students'
ratio_budget = dict(
    seg_step4_sia=dict(iterations=600, at_ratio=0.5, minimum=300),
    seg_step5_sia=dict(iterations=600, at_ratio=0.5, minimum=300),
    # the no-filter baseline is a two-step student (student_finetune's 2 x 300 at every ratio)
    seg_nofilter_sia=dict(iterations=1200, at_ratio=0.5, minimum=600))
