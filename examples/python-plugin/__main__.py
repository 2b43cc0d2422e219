"""One stored chat completion through the provider plugin (pulumi_chatcomp.native), whose
preview of the dependent completion stays truthful when only metadata changes."""

import pulumi

from pulumi_chatcomp import native

config = pulumi.Config()
colour = native.ChatCompletion(
    "colour",
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Name a colour."}],
    metadata={"stage": config.get("stage") or "one"},
)
description = native.ChatCompletion(
    "description",
    model="gpt-4o-mini",
    messages=colour.content.apply(lambda name: [{"role": "user", "content": f"Describe {name}."}]),
)
stored = native.get_chat_completion_output(colour.id)
pulumi.export("colour", colour.content)
pulumi.export("description", description.content)
pulumi.export("tokens", stored.usage.total_tokens)
