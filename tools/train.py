# Train a model from an MMEngine config, with the options of MMagic's and MMSeg's
# tools/train.py (--work-dir, --resume, --amp, --cfg-options, --launcher):
#   python tools/train.py CONFIG [options]      (= python -m fr_inpaint_plugin.cli.train)
from fr_inpaint_plugin.cli.train import main

if __name__ == '__main__':
    main()
