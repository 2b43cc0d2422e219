"""pytest plugin (entry point ``chatcomp``): fixtures that run a local chatcomp server."""

from __future__ import annotations
