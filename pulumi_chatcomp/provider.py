"""``ChatCompletionProvider``: the dynamic provider behind the ``ChatCompletion`` resource.

The engine runs it in the Python dynamic provider host (``python -m pulumi.dynamic``) after
unpickling it from the ``__provider`` property of each resource's state. So it holds nothing:
no credential, no client. Settings come at call time from ``configure()`` (the stack config
``chatcomp:*``) and then from ``OPENAI_*`` variables; one client per process and settings
serves every call.

Every Pulumi program imports this module too (each resource pickles a reference to the
class), so the work is in ``dynamic._operations``, imported by the first method the provider
host calls.

>>> import pickle
>>> len(pickle.dumps(ChatCompletionProvider())) < 200
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from pulumi_chatcomp import _config

if TYPE_CHECKING:
    from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

__all__ = ["ChatCompletionProvider", "StackAnchorProvider"]


class ChatCompletionProvider(ResourceProvider):
    """Create, read, update and delete stored chat completions for Pulumi.

    Used through ``pulumi_chatcomp.ChatCompletion``; it has no state of its own, so the
    pickled copy in every resource's state is a reference to this class and nothing more.

    >>> ChatCompletionProvider().diff("id", {"model": "a"}, {"model": "a"}).changes
    False
    """

    # Nothing secret is inside, so the pickled provider can stay readable in state: anyone
    # can check that it holds no key.
    serialize_as_secret_always = False

    # Each method imports `_operations` where it runs (a no-op after the first time), so
    # that a program importing this class never loads the model layer.

    def __getstate__(self) -> dict[str, Any]:
        # Whatever a subclass or a debugger attaches, the pickled provider stays empty.
        return {"version": 1}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        pass

    def configure(self, req: ConfigureRequest) -> None:
        from pulumi_chatcomp.dynamic import _operations

        _operations.configure({key.name: req.config.get(key.key) for key in _config.CONFIG_KEYS})

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        from pulumi_chatcomp.dynamic import _operations

        return _operations.check(olds, news)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        from pulumi_chatcomp.dynamic import _operations

        return _operations.diff(_id, olds, news)

    def create(self, props: dict[str, Any]) -> CreateResult:
        from pulumi_chatcomp.dynamic import _operations

        return _operations.create(props)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        from pulumi_chatcomp.dynamic import _operations

        return _operations.read(id_, props)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        from pulumi_chatcomp.dynamic import _operations

        return _operations.update(id_, olds, news)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        from pulumi_chatcomp.dynamic import _operations

        _operations.delete(id_, props)


class StackAnchorProvider(ResourceProvider):
    """The provider of a stack's ``StackAnchor``: a resource with a random id and nothing
    else, made once per stack, whose id tells the stack apart from any other stack of the
    same project and name (on another backend, say) when a create token is derived.

    The dynamic provider host gives our provider no id of its own (the plugin's provider
    resource plays this part for ``chatcomp:index:ChatCompletion``), so the program declares
    this resource instead. It calls no API and holds nothing; like
    ``ChatCompletionProvider``, its pickled copy in state is a reference to this class.

    >>> StackAnchorProvider().create({}).id != StackAnchorProvider().create({}).id
    True
    """

    serialize_as_secret_always = False

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        pass

    def create(self, props: dict[str, Any]) -> CreateResult:
        import uuid

        from pulumi.dynamic import CreateResult

        return CreateResult(uuid.uuid4().hex, {})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        from pulumi.dynamic import ReadResult

        return ReadResult(id_, {})

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        from pulumi.dynamic import DiffResult

        return DiffResult(changes=False)
