// Does this kit speak KooDrive? `make interop` compiles it; then, from the checkout's root:
//
//   node build/interop/typescript/conformance.js [dist/koodrive-signing-vectors.json]
//
// 1. Every signing vector: the canonical request, string to sign and Authorization must all equal.
// 2. With KOODRIVE_BASE_URL set (and KOODRIVE_APP_ID, KOODRIVE_APP_SECRET, KOODRIVE_USER_ID,
//    KOODRIVE_TOKEN, the variables the emulator reads): all five operations through the
//    openapi-fetch client, with token auth and with app auth, each answering code 0 with its data.
// Exit status 0 only when everything passed; each failure is a FAIL line naming what failed.
import { readFileSync } from "node:fs";
import { type Auth, createKooDriveClient, type KooDriveClient } from "./client.js";
import { sign } from "./sign.js";

interface Vector {
  name: string;
  app_id: string;
  app_secret: string;
  user_id: string;
  x_date: string;
  request: { method: string; url: string; body: string };
  canonical_request: string;
  string_to_sign: string;
  authorization: string;
}

const failures: string[] = [];

function fail(what: string, why: string): void {
  failures.push(what);
  console.log(`FAIL ${what}: ${why}`);
}

function checkVectors(file: string): void {
  let vectors: Vector[];
  try {
    vectors = (JSON.parse(readFileSync(file, "utf8")) as { vectors: Vector[] }).vectors;
    if (!Array.isArray(vectors) || vectors.length === 0) throw new Error("no vectors in it");
  } catch (error) {
    return fail(`vectors file ${file}`, describe(error));
  }
  let passed = 0;
  for (const [index, vector] of vectors.entries()) {
    try {
      if (matches(vector)) passed++;
    } catch (error) {
      // A vector too broken to sign, named by its place if it has no name.
      fail(`vector ${vector?.name ?? `#${index + 1}`}`, describe(error));
    }
  }
  console.log(`${passed} of ${vectors.length} vectors passed (${file})`);
}

/** Whether signing the vector's request gives each of its three expected steps. */
function matches(vector: Vector): boolean {
  const { method, url, body } = vector.request;
  const { app_id: appId, app_secret: appSecret, user_id: userId, x_date: xDate } = vector;
  const got = sign(method, url, body, { appId, appSecret, userId }, xDate);
  const steps: [string, string, string][] = [
    ["canonical_request", vector.canonical_request, got.canonicalRequest],
    ["string_to_sign", vector.string_to_sign, got.stringToSign],
    ["authorization", vector.authorization, got.headers.Authorization],
  ];
  const wrong = steps.filter(([, want, have]) => want !== have);
  for (const [step, want, have] of wrong) {
    const diff = `\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(have)}`;
    fail(`vector ${vector.name}`, `${step} differs${diff}`);
  }
  return wrong.length === 0;
}

/** The reply of a call that must succeed: HTTP 200 and code 0 (sent as 0 or "0"). */
function ok<T extends { code: number | string; msg?: string }>(result: {
  data?: T;
  error?: unknown;
  response: Response;
}): T {
  const { data, error, response } = result;
  if (response.status !== 200 || data === undefined) {
    throw new Error(`HTTP ${response.status}: ${JSON.stringify(error ?? data)}`);
  }
  if (String(data.code) !== "0") throw new Error(`code ${JSON.stringify(data.code)}: ${data.msg}`);
  return data;
}

function expect(condition: boolean, problem: string): void {
  if (!condition) throw new Error(problem);
}

// Each operation called once, its reply checked for the fields the spec promises. Replies come in
// either documented shape (openapi/DISCREPANCIES.md), so the checks accept both.
const OPERATIONS: Record<string, (client: KooDriveClient, userId: string) => Promise<void>> = {
  async getSpaceInfo(client, userId) {
    const reply = ok(
      await client.GET("/koodrive/ose/v1/space/{ownerId}", {
        params: { path: { ownerId: userId }, query: { type: "1" } },
      }),
    );
    const ownerId = reply.data?.ownerId;
    expect(ownerId === userId, `data.ownerId is ${ownerId}, not ${userId}`);
    expect(reply.data?.capacity !== undefined, "no data.capacity");
    expect(reply.data?.containerId !== undefined, "no data.containerId");
  },
  async querySpaceUsageByUser(client, userId) {
    const reply = ok(
      await client.POST("/koodrive/ose/v1/space/usage/user", { body: { userIds: [userId] } }),
    );
    const record = reply.data?.find((user) => user.userId === userId);
    expect(record !== undefined, `no record for ${userId} in data`);
    expect(record?.quota !== undefined, "no quota in the user's record");
  },
  async getSpaceUsageOverview(client) {
    const reply = ok(await client.GET("/koodrive/ose/v1/space/usage/overview"));
    expect(typeof reply.data?.totalCapacity === "number", "data.totalCapacity is not a number");
    expect(typeof reply.data?.totalUsed === "number", "data.totalUsed is not a number");
  },
  async listTeamSpaces(client) {
    const limit = 5;
    const reply = ok(
      await client.GET("/koodrive/ose/v1/space/teamList", {
        params: { query: { offset: 0, limit } },
      }),
    );
    // The spaces come in `teams`, or one space in `data`.
    const teams = reply.teams ?? (reply.data === undefined ? [] : [reply.data]);
    const count = teams.length;
    expect(count >= 1 && count <= limit, `${count} team spaces, wanted 1 to ${limit}`);
    expect(teams.every((team) => team.capacity !== undefined), "a team space without capacity");
  },
  async getSpaceAllocation(client) {
    const reply = ok(await client.GET("/koodrive/ose/v1/space/allocation/get"));
    // One record or an array of them.
    const data = reply.data;
    const records = data === undefined ? [] : Array.isArray(data) ? data : [data];
    expect(records.length >= 1, "no allocation records in data");
    expect(
      records.every((r) => r.allocateCapacity !== undefined && r.totalCapacity !== undefined),
      "a record without allocateCapacity or totalCapacity",
    );
  },
};

async function checkOperations(): Promise<void> {
  const baseUrl = process.env.KOODRIVE_BASE_URL;
  if (!baseUrl) {
    console.log("operations not called: KOODRIVE_BASE_URL is not set");
    return;
  }
  const names = ["KOODRIVE_APP_ID", "KOODRIVE_APP_SECRET", "KOODRIVE_USER_ID", "KOODRIVE_TOKEN"];
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) return fail("operations", `${missing.join(", ")} not set`);
  const env = (name: string) => process.env[name] ?? "";
  const userId = env("KOODRIVE_USER_ID");
  const modes: [string, Auth][] = [
    ["token", { kind: "token", token: env("KOODRIVE_TOKEN"), userId }],
    [
      "app",
      { kind: "app", appId: env("KOODRIVE_APP_ID"), appSecret: env("KOODRIVE_APP_SECRET"), userId },
    ],
  ];
  let passed = 0;
  for (const [mode, auth] of modes) {
    const client = createKooDriveClient(baseUrl, auth);
    for (const [operation, check] of Object.entries(OPERATIONS)) {
      try {
        await check(client, userId);
        passed++;
        console.log(`ok   ${operation} with ${mode} auth`);
      } catch (error) {
        fail(`${operation} with ${mode} auth`, describe(error));
      }
    }
  }
  const count = Object.keys(OPERATIONS).length;
  const calls = `${count * modes.length} calls`;
  console.log(`${passed} of ${calls} passed (${count} operations x ${modes.length} auth modes)`);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch hides the network's reason (refused, reset) in `cause`.
  return error.cause === undefined ? error.message : `${error.message} (${describe(error.cause)})`;
}

checkVectors(process.argv[2] ?? "dist/koodrive-signing-vectors.json");
await checkOperations();
if (failures.length > 0) {
  console.log(`${failures.length} failure(s): ${failures.join("; ")}`);
  process.exitCode = 1;
}
