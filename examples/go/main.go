// One stored chat completion from Go. The SDK comes from `pulumi package add ../..` (see the
// README), which writes it into sdks/chatcomp and points go.mod at it with a replace directive.
package main

import (
	"github.com/pulumi-chatcomp/pulumi-chatcomp/sdk/go/chatcomp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		haiku, err := chatcomp.NewChatCompletion(ctx, "haiku", &chatcomp.ChatCompletionArgs{
			Model: pulumi.String("gpt-4o-mini"),
			Messages: chatcomp.MessageParamArray{
				chatcomp.MessageParamArgs{
					Role:    chatcomp.MessageParamRoleUser,
					Content: pulumi.String("A haiku about infrastructure as code."),
				},
			},
			MaxCompletionTokens: pulumi.Int(64),
			Metadata:            pulumi.StringMap{"owner": pulumi.String("examples")},
		})
		if err != nil {
			return err
		}
		ctx.Export("id", haiku.ID())
		ctx.Export("content", haiku.Content)
		return nil
	})
}
