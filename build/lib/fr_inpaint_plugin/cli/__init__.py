"""Command-line entry points, run as ``python -m fr_inpaint_plugin.cli.<name>`` (the pipeline
driver runs ``train`` and ``test`` that way, one process per phase) or through the thin
``tools/<name>.py`` wrappers: ``train`` and ``test`` with the options of MMagic's and MMSeg's
tools, ``train_pipeline`` for the whole method."""
