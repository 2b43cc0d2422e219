"""Every place the package relies on what Pulumi's SDKs do not promise, listed once.

Each ``Adaptation`` says where it lives, what it changes or relies on, the SDK versions it
was checked against, the upstream issue, and the test that fails when the SDK changes under
it. Nothing is patched when a module is imported: the dynamic provider host is adapted when
our provider is configured there (the host configures a provider it unpickled before it
calls anything else), the pickler is restored around the one call that replaces its
methods, and the plugin's servicer is our own subclass. The one exception is
``dynamic._startup``, run by the package's ``.pth`` file as the host starts, because
nothing of ours is loaded in the host that serves ``pulumi import``.

``tests/unit/test_sdk.py`` checks that every test named here exists, and that every module
touching an SDK's private names is listed.

>>> sorted({module for adaptation in ADAPTATIONS for module in adaptation.where})[:3]
['pulumi_chatcomp.dynamic._host', 'pulumi_chatcomp.dynamic._identity', \
'pulumi_chatcomp.dynamic._pickling']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ADAPTATIONS", "SUPPORTED_PULUMI", "Adaptation"]

SUPPORTED_PULUMI = ((3, 200), (4, 0))
"""The pulumi versions (from, up to but excluding) the package depends on; the dynamic host
is adapted only under one of them (``pyproject.toml``'s range, pinned by a test)."""

_PULUMI = "pulumi 3.272.0"
_POLICY = "pulumi-policy 1.21.0"
_NONE = "none filed"


@dataclass(frozen=True)
class Adaptation:
    """One reliance on an SDK's internals or undocumented behaviour.

    >>> ADAPTATIONS[0].where, ADAPTATIONS[0].upstream
    (('pulumi_chatcomp.dynamic._host',), 'none filed')
    """

    where: tuple[str, ...]
    """The modules that hold it."""
    changes: str
    """What it changes, or what it relies on."""
    checked: str
    """The SDK versions it was checked against."""
    upstream: str
    """The upstream issue, or "none filed"."""
    test: str
    """The test (``path::name``) that fails when the SDK changes under it."""


ADAPTATIONS = (
    Adaptation(
        where=("pulumi_chatcomp.dynamic._host",),
        changes=(
            "Widens the dynamic provider host's gRPC worker pool (four threads) to "
            "chatcomp:maxConcurrency: finds the host's one grpc._server._Server with "
            "gc.get_objects() and raises its ThreadPoolExecutor's _max_workers, which the "
            "pool reads at each submit. Applied by the provider's configure()."
        ),
        checked=_PULUMI,
        upstream=_NONE,
        test="tests/unit/dynamic/test_host.py::test_the_host_serves_from_a_pool_that_widens",
    ),
    Adaptation(
        where=("pulumi_chatcomp.dynamic._host",),
        changes=(
            "Replaces the host module's `traceback` global with one whose format_exc() gives "
            "a ChatCompError's message: the host's _abort_with_traceback sends "
            "traceback.format_exc() to the engine. Applied by the provider's configure(), "
            "which the host calls right after unpickling the provider, before any other "
            "method."
        ),
        checked=_PULUMI,
        upstream=(
            "none filed for the dynamic host; https://github.com/pulumi/pulumi/issues/10416 "
            "asks for shorter provider tracebacks in general"
        ),
        test="tests/unit/dynamic/test_host.py::test_the_host_sends_format_exc_after_configure",
    ),
    Adaptation(
        where=("pulumi_chatcomp.dynamic._host",),
        changes=(
            "Recognises the host by its __main__ (pulumi.dynamic.__main__) and the SDK's "
            "version by the private pulumi._version."
        ),
        checked=_PULUMI,
        upstream=_NONE,
        test="tests/unit/dynamic/test_host.py::test_the_host_is_recognised_by_its_main_module",
    ),
    Adaptation(
        where=("pulumi_chatcomp.dynamic._pickling",),
        changes=(
            "pulumi.dynamic's serialize_provider replaces pickle._Pickler._batch_setitems "
            "and save_dict with a sorting wrapper and never puts them back, so every dynamic "
            "resource adds a wrapper (RecursionError near 975 resources). pickler_restored "
            "puts them back after the one call that pickles our provider."
        ),
        checked=_PULUMI,
        upstream=("none filed; the wrapper comes from https://github.com/pulumi/pulumi/pull/9656"),
        test=(
            "tests/unit/dynamic/test_pickling.py"
            "::test_the_sdk_still_leaves_its_wrapper_on_the_pickler"
        ),
    ),
    Adaptation(
        where=("pulumi_chatcomp.dynamic._startup",),
        changes=(
            "Wraps traceback.format_exc in the dynamic provider host, from the package's .pth "
            "file as the host starts: the host's Read of a resource with no state (pulumi "
            "import) fails with KeyError('__provider'), which is worded as what to do."
        ),
        checked=_PULUMI,
        upstream="https://github.com/pulumi/pulumi/issues/16175",
        test=(
            "tests/unit/dynamic/test_host.py"
            "::test_the_host_reads_a_resource_through_its_pickled_provider"
        ),
    ),
    Adaptation(
        where=("pulumi_chatcomp.plugin._server",),
        changes=(
            "Subclasses pulumi.provider.experimental's ProviderServicer and wraps 11 of its "
            "RPCs (_RPCS), each an `async def (self, request, context)`, to wait for the "
            "provider and answer our errors with their message."
        ),
        checked=_PULUMI,
        upstream=_NONE,
        test=(
            "tests/unit/plugin/test_server.py::test_the_sdk_servicer_has_each_rpc_the_plugin_wraps"
        ),
    ),
    Adaptation(
        where=("pulumi_chatcomp.plugin._server",),
        changes=(
            "The servicer re-raises every error of a provider method as a plain Exception "
            "(message and stack in its text); the original is that exception's __context__, "
            "which the plugin reads to answer a ChatCompError or PartialState as itself."
        ),
        checked=_PULUMI,
        upstream=_NONE,
        test=(
            "tests/unit/plugin/test_server.py"
            "::test_the_sdk_servicer_keeps_the_original_error_as_the_context"
        ),
    ),
    Adaptation(
        where=("pulumi_chatcomp.plugin._server",),
        changes=(
            "Serves with the SDK's private gRPC server options "
            "(pulumi.runtime._grpc_settings._GRPC_CHANNEL_OPTIONS: message size, queue time)."
        ),
        checked=_PULUMI,
        upstream=_NONE,
        test=(
            "tests/unit/plugin/test_server.py"
            "::test_the_sdk_grpc_options_are_where_the_plugin_reads_them"
        ),
    ),
    Adaptation(
        where=("pulumi_chatcomp.plugin._sets",),
        changes=(
            "Recognises an asset the engine sends without its contents by the SDK's private "
            "signature names (pulumi.runtime.rpc._special_sig_key, _special_asset_sig)."
        ),
        checked=_PULUMI,
        upstream=_NONE,
        test="tests/unit/test_sdk.py::test_the_sdk_marks_assets_with_the_signature_sets_read",
    ),
    Adaptation(
        where=("pulumi_chatcomp.resource", "pulumi_chatcomp.dynamic._identity"),
        changes=(
            "ChatCompletion and StackAnchor do what pulumi.dynamic.Resource.__init__ does "
            "(the pickled provider under __provider, not a secret when "
            "serialize_as_secret_always is False, the type pulumi-python:<module>:<name>) "
            "with the provider pickled once per program, and call "
            "pulumi.CustomResource.__init__ themselves."
        ),
        checked=_PULUMI,
        upstream=_NONE,
        test=(
            "tests/unit/test_sdk.py::test_a_dynamic_resource_is_a_custom_resource_with_its_provider"
        ),
    ),
    Adaptation(
        where=("pulumi_chatcomp.policy._serve",),
        changes=(
            "Puts a subclass in place of pulumi_policy.policy._PolicyAnalyzerServicer while a "
            "pack serves, so that the engine's notes name the pack's version, not 0.0.1."
        ),
        checked=_POLICY,
        upstream=_NONE,
        test=(
            "tests/unit/policy/test_policy_pack.py"
            "::test_the_pack_names_the_package_version_in_its_info_and_its_notes"
        ),
    ),
)
"""Every adaptation, by module."""
