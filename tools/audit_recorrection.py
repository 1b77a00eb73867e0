# Audit a student phase's pixel-level recorrection weights against the true labels of its
# pseudo-labelled images (recorrection_audit.md/.json):
#   python tools/audit_recorrection.py PHASE_CONFIG [--out DIR] [--seed 0]
#   (= python -m fr_inpaint_plugin.cli.audit_recorrection)
from fr_inpaint_plugin.cli.audit_recorrection import main

if __name__ == '__main__':
    main()
