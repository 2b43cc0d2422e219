"""A ChatCompletion with a strict json_schema response format, its ``parsed`` output, and the
data sources' ``parsed``, for the face the stack config names (``face``: dynamic or plugin).

Config: ``run`` tags the completion's metadata (the test lists by it); ``format: text`` asks
for plain text instead; ``secretOutputs`` is the resource's option.
"""

import pulumi

import pulumi_chatcomp as chatcomp
from pulumi_chatcomp import native

config = pulumi.Config()
faces = native if config.get("face") == "plugin" else chatcomp
text = config.get("format") == "text"
run = config.require("run")

SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["title", "tags"],
    "additionalProperties": False,
}
response_format = (
    {"type": "text"}
    if text
    else {
        "type": "json_schema",
        "json_schema": {"name": "summary", "strict": True, "schema": SCHEMA},
    }
)

summary = faces.ChatCompletion(
    "summary",
    chatcomp.ChatCompletionArgs(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Summarise the weather as a title and tags."}],
        response_format=response_format,
        metadata={"run": run},
    ),
    secret_outputs=config.get_bool("secretOutputs") or False,
)
stored = faces.get_chat_completion_output(summary.id)
pulumi.export("id", summary.id)
pulumi.export("content", summary.content)
pulumi.export("stored_has_parsed", stored.apply(lambda found: found.parsed is not None))
if not text:
    pulumi.export("title", summary.parsed["title"])
    pulumi.export("parsed", summary.parsed)
    pulumi.export("stored_title", stored.parsed["title"])
    listed = faces.get_chat_completions_output(
        metadata={"run": run}, opts=pulumi.InvokeOutputOptions(depends_on=[summary])
    )
    pulumi.export("listed_titles", listed.data.apply(lambda found: [c.parsed.title for c in found]))
