"""Manage OpenAI Chat Completions as Pulumi resources.

>>> import pulumi_chatcomp as chatcomp
>>> chatcomp.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
