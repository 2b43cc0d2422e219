"""One ChatCompletion whose prompt, metadata, options and face come from stack config."""

import json

import pulumi

import pulumi_chatcomp as chatcomp
from pulumi_chatcomp import native

config = pulumi.Config()
args = json.loads(config.get("args") or "{}")
ChatCompletion = (
    native.ChatCompletion if config.get("face") == "plugin" else chatcomp.ChatCompletion
)
completion = ChatCompletion(
    "answer",
    chatcomp.ChatCompletionArgs(
        model=config.get("model") or "gpt-4o-mini",
        messages=[{"role": "user", "content": config.get("prompt") or "Say hello."}],
        metadata=json.loads(config.get("metadata") or '{"owner": "e2e"}'),
        **args,
    ),
    secret_outputs=config.get_bool("secretOutputs") or False,
)
pulumi.export("id", completion.id)
pulumi.export("content", completion.content)
pulumi.export("metadata", completion.metadata)
pulumi.export("usage", completion.usage)
