"""``python -m pulumi_chatcomp.cli``: the same as ``chatcomp``."""

from __future__ import annotations

import sys

from pulumi_chatcomp.cli._app import main

sys.exit(main())
