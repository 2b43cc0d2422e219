"""The core: what a ChatCompletion is and what each operation on it does, as plain functions
over the model layer and the API client, with no Pulumi provider type in sight.

Property names (``_names``), the moves between inputs, requests and outputs
(``_properties``), ``check`` (``_check``), ``diff`` (``_diff``), the arguments of the reads
(``_arguments``), fine-tuning examples from stored completions (``_datasets``). Every face
(the dynamic provider, the data sources, the plugin, the CLI) adapts these to its own
mechanism.
"""
