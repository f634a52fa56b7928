// A typed KooDrive client: openapi-fetch over the types openapi-typescript generates from
// dist/koodrive-space.yaml (`make interop`), with one middleware for authentication.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "./generated/koodrive-space.js";
import { type AppCredentials, sign } from "./sign.js";

export type Auth =
  | ({ kind: "app" } & AppCredentials)
  | { kind: "token"; token: string; userId: string };

export type KooDriveClient = Client<paths>;

export function createKooDriveClient(baseUrl: string, auth: Auth): KooDriveClient {
  const client = createClient<paths>({ baseUrl });
  client.use(auth.kind === "app" ? appAuth(auth) : tokenAuth(auth.token, auth.userId));
  return client;
}

/** Signs every request as it will be sent: the final URL and the serialized body. */
function appAuth(credentials: AppCredentials): Middleware {
  return {
    async onRequest({ request }) {
      // A clone, so reading the body here leaves it for fetch to send.
      const body = new Uint8Array(await request.clone().arrayBuffer());
      const { headers } = sign(request.method, request.url, body, credentials);
      for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
      return request;
    },
  };
}

function tokenAuth(token: string, userId: string): Middleware {
  return {
    onRequest({ request }) {
      // `Bearer <token>` is RFC 6750's form; some tenants want `Bearer+<token>` (tokenAuth).
      request.headers.set("Authorization", `Bearer ${token}`);
      request.headers.set("X-User-Id", userId);
      return request;
    },
  };
}
