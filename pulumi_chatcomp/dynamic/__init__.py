"""The dynamic face's machinery: what ``resource``, ``provider`` and ``data_sources`` need
beyond the core to serve Python programs through Pulumi's dynamic provider mechanism.

In the program: the pickled provider (``_pickling``), the data sources' settings
(``_settings``), results (``_records``), Outputs (``_outputs``) and error boundary
(``_errors``). In the dynamic provider host: the provider's methods (``_operations``) and the
guarded adaptations of the host itself (``_host``).
"""
