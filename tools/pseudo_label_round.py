# Write a pseudo-label round from a trained teacher with chosen hook settings, and audit it:
#   python tools/pseudo_label_round.py CONFIG CHECKPOINT OUT_DIR [--hook-options k=v ...]
#   (= python -m fr_inpaint_plugin.cli.pseudo_label_round)
from fr_inpaint_plugin.cli.pseudo_label_round import main

if __name__ == '__main__':
    main()
