"""The ChatCompletionSet: many stored completions kept as one resource, for datasets.

``_items`` expands and checks the items (shared fields, per-item overrides, a JSON Lines
file) and fingerprints each; ``_plan`` compares fingerprints with the set's state to decide,
per key and with no API call, what an ``up`` creates, replaces, updates and deletes;
``_run`` carries a plan out against the API, many items at once, each exactly once, every
item that worked kept when some fail; ``_operations`` is the set's lifecycle for the faces
(check, diff, create, read, update, delete).
"""
