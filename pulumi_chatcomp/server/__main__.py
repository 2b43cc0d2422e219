"""``python -m pulumi_chatcomp.server`` (also the ``chatcomp-server`` console script)."""

from __future__ import annotations

from pulumi_chatcomp.server._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    main()
