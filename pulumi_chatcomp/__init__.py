"""Manage OpenAI stored Chat Completions from Pulumi.

The package, one line a part (faces first, then what they share):

- ``resource``, ``provider``: the ``ChatCompletion`` resource for Python programs, a Pulumi
  dynamic provider (``resource`` runs in the program, ``provider`` in the dynamic provider
  host, which unpickles it from each resource's state);
- ``data_sources``: ``get_chat_completion(s)`` and ``get_chat_completion_messages``, with
  their ``_output`` forms, run in the program;
- ``plugin``: the provider plugin ``pulumi-resource-chatcomp``, which serves the same
  resource and reads (as invokes) to every Pulumi language;
- ``__main__``: ``python -m pulumi_chatcomp``, that plugin as Pulumi runs the repository, a
  source-based plugin (``PulumiPlugin.yaml``);
- ``native``: that plugin's resource and functions for Python programs;
- ``cli``: ``chatcomp``, the command line (export, import-file, report, recover, serve);
- ``program``: what the Python faces share inside a program (call shapes, the data
  sources' settings, results and error boundary);
- ``dynamic``: the dynamic face's machinery in its host (operations, host adaptation,
  pickling);
- ``core``: the ChatCompletion's properties and every operation on them (check, diff,
  create, read, update, delete, the three reads, structured outputs, datasets, recovery,
  spend), free of Pulumi's provider types;
- ``client``: the HTTP client shared by every face (one retry loop, pages, streams,
  parsing, idempotent creates);
- ``models``: the pydantic model layer of the API's requests and responses;
- ``_config``: every ``chatcomp:*`` setting, declared once, and the key-pairing rule;
- ``_exceptions``, ``_redact``: the one error hierarchy, and the redaction that keeps keys
  out of its texts;
- ``_lifetime``: how the plugin and the dynamic provider host end when the engine that
  started them is gone;
- ``_sdk``: every place the package relies on what Pulumi's SDKs do not promise, with the
  versions checked and the test that fails when one changes;
- ``policy``: pulumi-policy rules for packs;
- ``server``: the local OpenAI-compatible server, for offline demos and tests.

A Pulumi program imports only the face it uses: ``import pulumi_chatcomp`` and
``ChatCompletion`` load neither pydantic, nor httpx, nor the models (the provider host loads
them with its first call); names load on first use from ``__init__.pyi``, which lists each
public name once (see ``_lazy``). ``tests/unit/test_resource.py`` keeps it so.
"""

from __future__ import annotations

from pulumi_chatcomp import _lazy

__version__ = "0.1.0"

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
