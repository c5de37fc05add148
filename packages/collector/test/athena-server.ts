/**
 * A server on 127.0.0.1 speaking Athena's JSON 1.1 protocol (StartQueryExecution,
 * GetQueryExecution, GetQueryResults) over a tiny in-memory table, so the Athena deletion target
 * is tested through the real SDK client. It understands the statements the target sends (held
 * ids, counts per partition, DELETE by id or author), answers RUNNING once before SUCCEEDED, and
 * records every statement with its workgroup and database. `failOn` fails matching statements.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { AthenaClient } from "@aws-sdk/client-athena";
import { LOCAL_CREDENTIALS } from "./s3-server.ts";

export interface AthenaRow {
  id: string;
  dt: string;
  author_id: string;
}

export interface LocalAthena {
  url: string;
  client: AthenaClient;
  /** Every statement's SQL, in order. */
  statements: string[];
  /** Every statement with where it ran. */
  calls: { sql: string; workGroup: string | undefined; database: string | undefined }[];
  close(): Promise<void>;
}

export async function startAthenaServer(table: AthenaRow[], failOn?: RegExp): Promise<LocalAthena> {
  const queries = new Map<string, { sql: string; polls: number; rows: string[][] }>();
  const statements: string[] = [];
  const calls: LocalAthena["calls"] = [];
  let seq = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"]);
      const input = JSON.parse(body || "{}");
      const reply = (o: unknown, status = 200) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(o));
      };
      if (target.endsWith("StartQueryExecution")) {
        const sql: string = input.QueryString;
        statements.push(sql);
        calls.push({ sql, workGroup: input.WorkGroup, database: input.QueryExecutionContext?.Database });
        const ids = [...(/IN \(([^)]*)\)/.exec(sql)?.[1] ?? "").matchAll(/'(\d+)'/g)].map((m) => m[1]);
        const col = /WHERE (\w+) IN/.exec(sql)?.[1] as "id" | "author_id" | undefined;
        let rows: string[][] = [];
        if (sql.startsWith("SELECT id FROM")) {
          const [from, to] = [...sql.matchAll(/DATE '([\d-]+)'/g)].map((m) => m[1]!);
          rows = [["id"], ...table.filter((r) => r.dt >= from! && r.dt <= to!).map((r) => [r.id])];
        } else if (sql.startsWith("SELECT") && col) {
          const byDt = new Map<string, number>();
          for (const r of table) if (ids.includes(r[col])) byDt.set(r.dt, (byDt.get(r.dt) ?? 0) + 1);
          rows = [["dt", "n"], ...[...byDt].map(([d, n]) => [d, String(n)])];
        } else if (sql.startsWith("DELETE") && col && !failOn?.test(sql)) {
          for (let i = table.length - 1; i >= 0; i--) if (ids.includes(table[i]![col])) table.splice(i, 1);
        }
        const id = `q-${++seq}`;
        queries.set(id, { sql, polls: 0, rows });
        return reply({ QueryExecutionId: id });
      }
      if (target.endsWith("GetQueryExecution")) {
        const q = queries.get(input.QueryExecutionId)!;
        q.polls++;
        const State = q.polls < 2 ? "RUNNING" : failOn?.test(q.sql) ? "FAILED" : "SUCCEEDED";
        return reply({ QueryExecution: { QueryExecutionId: input.QueryExecutionId, Status: { State, ...(State === "FAILED" ? { StateChangeReason: "ICEBERG_COMMIT_ERROR" } : {}) } } });
      }
      if (target.endsWith("GetQueryResults")) {
        const q = queries.get(input.QueryExecutionId)!;
        return reply({ ResultSet: { Rows: q.rows.map((r) => ({ Data: r.map((v) => ({ VarCharValue: v })) })), ResultSetMetadata: { ColumnInfo: [] } } });
      }
      reply({ __type: "InvalidRequestException", Message: target }, 400);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new AthenaClient({ endpoint: url, region: "us-east-1", credentials: LOCAL_CREDENTIALS });
  return {
    url,
    client,
    statements,
    calls,
    close: () => {
      client.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
