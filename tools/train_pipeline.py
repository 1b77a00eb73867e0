# Run the whole method from one pipeline config, phase by phase, skipping finished phases and
# resuming an interrupted one:
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline.py [--label-ratio 0.25]
#   (= python -m fr_inpaint_plugin.cli.train_pipeline)
from fr_inpaint_plugin.cli.train_pipeline import main

if __name__ == '__main__':
    main()
