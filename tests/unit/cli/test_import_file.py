"""``chatcomp import-file``'s entries: the resource names a user's program will declare, one
per completion, taken from a metadata value when asked and usable in every language.

The command against the local server: ``tests/integration/test_cli.py``.
"""

from __future__ import annotations

from pulumi_chatcomp.cli._import_file import UniqueNames, import_entries
from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN


def test_each_entry_imports_one_completion_as_the_plugins_resource() -> None:
    entries = import_entries([{"id": "chatcmpl-1"}, {"id": "chatcmpl-2"}], None)
    assert entries == [
        {"type": PLUGIN_TYPE_TOKEN, "name": "chatcmpl-1", "id": "chatcmpl-1"},
        {"type": PLUGIN_TYPE_TOKEN, "name": "chatcmpl-2", "id": "chatcmpl-2"},
    ]


def test_a_completion_without_the_name_key_is_named_after_its_id() -> None:
    completions = [
        {"id": "chatcmpl-1", "metadata": {"slug": "welcome"}},
        {"id": "chatcmpl-2", "metadata": {"team": "ml"}},
        {"id": "chatcmpl-3", "metadata": None},
        {"id": "chatcmpl-4", "metadata": {"slug": ""}},
    ]
    names = [entry["name"] for entry in import_entries(completions, "slug")]
    assert names == ["welcome", "chatcmpl-2", "chatcmpl-3", "chatcmpl-4"]


def test_equal_values_give_distinct_names_in_the_order_met() -> None:
    completions = [{"id": f"chatcmpl-{n}", "metadata": {"slug": "faq"}} for n in range(3)]
    names = [entry["name"] for entry in import_entries(completions, "slug")]
    assert names == ["faq", "faq-2", "faq-3"]


def test_a_value_with_nothing_usable_is_named_completion_and_a_long_one_is_cut() -> None:
    names = UniqueNames()
    assert names("¿¡!?") == "completion"
    assert names("***") == "completion-2"
    assert names("_private_") == "private"
    assert names("x" * 100) == "x" * 60
