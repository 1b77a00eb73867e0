# Audit a pseudo-label round against the true labels of the same images (audit.md/.png/.json):
#   python tools/audit_pseudo_labels.py ROUND_DIR [--config PHASE_CONFIG] [--out DIR]
#   (= python -m fr_inpaint_plugin.cli.audit_pseudo_labels)
from fr_inpaint_plugin.cli.audit_pseudo_labels import main

if __name__ == '__main__':
    main()
