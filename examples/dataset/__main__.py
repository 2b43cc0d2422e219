"""Dataset: stored completions tagged with metadata, read back with the data sources.

Creates a few completions tagged ``dataset=<name>`` and ``split=train|test``, then lists the
train split with ``get_chat_completions_output`` and reads the prompt of the first one with
``get_chat_completion_messages_output``. The reads wait for the completions
(``depends_on``), so in the first preview their results are unknown and nothing is read.

Every tag also carries the stack name, so several stacks can share one server (or account)
without reading each other's completions, and a ``revision`` made from the prompts: a
completion whose prompt is edited is replaced, and the old one is deleted only after the
program has read the list, so the list asks for this revision's completions alone (the
others get the new revision in place, a metadata update).
"""

import hashlib
import json

import pulumi

import pulumi_chatcomp as chatcomp

config = pulumi.Config()
dataset = config.get("dataset") or "greetings"
model = config.get("model") or "gpt-4o-mini"

examples = {
    "hello": ("train", "Say hello in English."),
    "bonjour": ("train", "Say hello in French."),
    "hola": ("test", "Say hello in Spanish."),
}
revision = hashlib.sha256(json.dumps([model, examples]).encode()).hexdigest()[:12]
tags = {"dataset": dataset, "stack": pulumi.get_stack(), "revision": revision}
completions = [
    chatcomp.ChatCompletion(
        name,
        chatcomp.ChatCompletionArgs(
            model=model,
            messages=[{"role": "user", "content": prompt}],
            max_completion_tokens=32,
            metadata={**tags, "split": split, "example": name},
        ),
    )
    for name, (split, prompt) in examples.items()
]

train = chatcomp.get_chat_completions_output(
    metadata={**tags, "split": "train"},
    order="asc",
    opts=pulumi.InvokeOutputOptions(depends_on=completions),
)
first_prompt = chatcomp.get_chat_completion_messages_output(completions[0].id)

pulumi.export("train_count", train.data.apply(len))
pulumi.export("train_ids", train.data.apply(lambda found: sorted(c.id for c in found)))
pulumi.export(
    "train_examples",
    train.data.apply(lambda found: sorted(c.metadata["example"] for c in found)),
)
pulumi.export(
    "train_contents",
    train.data.apply(lambda found: [c.choices[0].message.content for c in found]),
)
pulumi.export("first_prompt", first_prompt.data[0].content)
# A whole result exports as it is: a JSON object of the stored completion.
pulumi.export("first_stored", chatcomp.get_chat_completion_output(completions[0].id))
