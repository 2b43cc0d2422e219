"""The carried OpenAPI spec is the upstream file that spec/openai/SOURCE.md names."""

from __future__ import annotations

import hashlib
import re

from tests.helpers import SPEC_DIR, SPEC_PATH


def test_the_spec_is_unchanged_from_the_upstream_file_its_source_names() -> None:
    source = (SPEC_DIR / "SOURCE.md").read_text()
    recorded = re.search(r"sha256: `([0-9a-f]{64})`", source)
    assert recorded, "SOURCE.md must record the file's sha256"
    assert hashlib.sha256(SPEC_PATH.read_bytes()).hexdigest() == recorded[1]
    assert re.search(r"Commit: `[0-9a-f]{40}`", source)
    assert "MIT License" in (SPEC_DIR / "LICENSE").read_text()
