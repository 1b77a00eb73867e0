# Test (evaluate) a model from an MMEngine config, like MMagic's and MMSeg's tools/test.py:
#   python tools/test.py CONFIG [CHECKPOINT] [--out metrics.json] [options]
#   (= python -m fr_inpaint_plugin.cli.test)
from fr_inpaint_plugin.cli.test import main

if __name__ == '__main__':
    main()
