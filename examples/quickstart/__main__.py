"""Quickstart: one stored chat completion, with its content, usage and id exported.

Runs against the local server by default (see the README); point `chatcomp:baseUrl` and
`chatcomp:apiKey` at https://api.openai.com/v1 to use the real API.
"""

import pulumi

import pulumi_chatcomp as chatcomp

config = pulumi.Config()

haiku = chatcomp.ChatCompletion(
    "haiku",
    chatcomp.ChatCompletionArgs(
        model=config.get("model") or "gpt-4o-mini",
        messages=[
            {"role": "developer", "content": "You write short, concrete haiku."},
            {"role": "user", "content": "A haiku about infrastructure as code."},
        ],
        max_completion_tokens=64,
        metadata={"owner": "quickstart", "purpose": "demo"},
    ),
)

pulumi.export("id", haiku.id)
pulumi.export("content", haiku.content)
pulumi.export("usage", haiku.usage)
