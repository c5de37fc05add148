/**
 * @module @defi-sentiment/infra
 * The Pulumi program (Pulumi.yaml `main`). Reads the stack config, builds the stack and exports
 * its named outputs. The bearer token is never exported; only its parameter name is.
 *
 * Deploy: `npm run build -w @defi-sentiment/scorer -w @defi-sentiment/collector && pulumi up -s dev`
 */
import { loadInfraConfig, requireBearerToken } from "./config.ts";
import { createInfra } from "./program.ts";

const infra = createInfra(loadInfraConfig(), requireBearerToken());

export const bucketName = infra.outputs.bucketName;
export const streamName = infra.outputs.streamName;
export const rescoreStreamName = infra.outputs.rescoreStreamName;
export const databaseName = infra.outputs.databaseName;
export const tableName = infra.outputs.tableName;
export const workgroupName = infra.outputs.workgroupName;
export const dashboardUrl = infra.outputs.dashboardUrl;
export const tokenParameterName = infra.outputs.tokenParameterName;
export const collectorInstanceId = infra.outputs.collectorInstanceId;
export const alarmTopicArn = infra.outputs.alarmTopicArn;
