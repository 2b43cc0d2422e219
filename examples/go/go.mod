module chatcomp-go

go 1.24

require (
	github.com/pulumi-chatcomp/pulumi-chatcomp/sdk/go v0.1.0
	github.com/pulumi/pulumi/sdk/v3 v3.274.1
)

// Where `pulumi package add` wrote the SDK (a module of its own, the package in chatcomp/).
replace github.com/pulumi-chatcomp/pulumi-chatcomp/sdk/go => ./sdks/chatcomp
