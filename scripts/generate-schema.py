"""Write the plugin's package schema, pulumi_chatcomp/plugin/schema.json, from the model layer,
the config home, the API reference (spec/openai/openapi.yaml) and the example programs
(examples/).

    .venv/bin/python scripts/generate-schema.py

Run it after changing a model, a setting, the spec or an example program;
tests/unit/plugin/test_schema.py fails until the committed file is what this writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pulumi_chatcomp import __version__  # noqa: E402
from pulumi_chatcomp.plugin._casing import SCHEMA_PATH  # noqa: E402
from pulumi_chatcomp.plugin._docs import examples_from  # noqa: E402
from pulumi_chatcomp.plugin._schema import build_schema, descriptions_from_spec  # noqa: E402


def main() -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (REPO / "spec" / "openai" / "openapi.yaml").open(encoding="utf-8") as handle:
        spec = yaml.load(handle, Loader=loader)
    descriptions = descriptions_from_spec(spec, examples=examples_from(REPO / "examples"))
    schema = build_schema(descriptions, version=__version__)
    SCHEMA_PATH.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SCHEMA_PATH.relative_to(REPO)}")


if __name__ == "__main__":
    main()
