// One stored chat completion, and the stored completions of this stack read back through
// the plugin's function. The SDK comes from `pulumi package add` (see the README).
import * as pulumi from "@pulumi/pulumi";
import * as chatcomp from "@pulumi-chatcomp/chatcomp";

const stack = pulumi.getStack();

const haiku = new chatcomp.ChatCompletion("haiku", {
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "A haiku about infrastructure as code." }],
    maxCompletionTokens: 64,
    metadata: { owner: "examples", stack },
});

const mine = chatcomp.getChatCompletionsOutput({ metadata: haiku.metadata.apply((m) => m ?? {}) });

export const id = haiku.id;
export const content = haiku.content;
export const tokens = haiku.usage.apply((usage) => usage?.totalTokens);
export const listed = mine.data.apply((data) => data.map((completion) => completion.id));
