// A TypeScript program for the test-only Node.js language host: ts-node (declared in
// package.json) compiles it with type checking, so a type error fails the run.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
export const greeting: string = `hello ${config.get("who") ?? "nobody"}`;
export const token = config.getSecret("token");
export const stack = pulumi.getStack();
