"""What the Python faces need inside a Pulumi program, beyond the core: the call shapes of
generated SDKs (``_arguments``), the data sources' settings (``_settings``), results
(``_records``), Outputs (``_outputs``) and the error boundary that prints a message alone
(``_errors``). Used by ``resource``, ``data_sources`` and ``native``.
"""
