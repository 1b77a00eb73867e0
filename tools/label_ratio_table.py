# A pipeline's runs at several label ratios side by side, one table per results table:
#   python tools/label_ratio_table.py configs/fr_inpaint/camvid/pipeline.py \
#       --label-ratios 0.125 0.25 0.5
#   (= python -m fr_inpaint_plugin.cli.label_ratio_table)
from fr_inpaint_plugin.cli.label_ratio_table import main

if __name__ == '__main__':
    main()
