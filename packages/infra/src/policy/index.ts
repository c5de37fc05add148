/**
 * The defi-sentiment policy pack. Nothing else belongs here: constructing a PolicyPack starts a
 * gRPC server, so tests import ./policies.ts instead.
 *
 *   pulumi preview -s dev --policy-pack packages/infra/src/policy
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies.ts";

new PolicyPack("defi-sentiment", { policies: POLICIES });
