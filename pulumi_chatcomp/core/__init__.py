"""The core: what a ChatCompletion is and what each operation on it does, as plain functions
over the model layer and the API client, with no Pulumi provider type in sight.

Property names (``_names``), the moves between inputs, requests and outputs
(``_properties``), ``check`` (``_check``), ``diff`` (``_diff``), create, read, update and
delete (``_operations``), the three reads behind the data sources (``_reads``) and the
functions every face makes of them (``_functions``), structured outputs: ``parsed`` and the
strict ``json_schema`` checks of a create (``_structured``), fine-tuning examples from
stored completions (``_datasets``), recovery of pending creates (``_recovery``), prices
(``_prices``) and what completions spent (``_spend``). Every face (the dynamic provider,
the data sources, the plugin, the CLI) adapts these to its own mechanism.
"""
