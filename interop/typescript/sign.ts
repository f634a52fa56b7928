// KooDrive app authentication: the rule in the `appAuth` security scheme of
// dist/koodrive-space.yaml, with node:crypto only. Copy this file as it is.
import { createHash, createHmac } from "node:crypto";

export interface AppCredentials {
  appId: string;
  appSecret: string;
  userId: string;
}

export interface Signed {
  /** The headers to add to the request. */
  headers: { "X-Date": string; "X-User-Id": string; Authorization: string };
  /** The intermediate steps, for checking against dist/koodrive-signing-vectors.json. */
  canonicalRequest: string;
  stringToSign: string;
}

const SIGNED_HEADERS = "host;x-date;x-user-id";
const DEFAULT_PORT: Record<string, string> = { http: "80", https: "443" };
// scheme://[userinfo@]authority path [?query] [#fragment]
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#]*)([^?#]*)(?:\?([^#]*))?/;
const HOST_AND_PORT = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/;

/**
 * Sign one request. `url` is the URL exactly as it goes on the wire (with fetch: `request.url`,
 * which the URL parser has already normalized); `body` is the bytes sent (UTF-8 for a string).
 * `xDate` defaults to now; KooDrive accepts it for 15 minutes.
 */
export function sign(
  method: string,
  url: string,
  body: string | Uint8Array,
  credentials: AppCredentials,
  xDate: string = formatXDate(new Date()),
): Signed {
  const { host, path, query } = splitUrl(url);
  const userId = credentials.userId.trim();
  const canonicalRequest = [
    method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    // The header block ends with its own "\n"; the join adds another, so an empty line follows.
    `host:${host}\nx-date:${xDate.trim()}\nx-user-id:${userId}\n`,
    SIGNED_HEADERS,
    sha256Hex(body),
  ].join("\n");
  const stringToSign = `HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac("sha256", Buffer.from(credentials.appSecret, "utf8"))
    .update(stringToSign, "utf8")
    .digest("hex");
  const authorization =
    `HMAC-SHA256 AppId=${credentials.appId},SignedHeaders=${SIGNED_HEADERS},Signature=${signature}`;
  return {
    headers: { "X-Date": xDate, "X-User-Id": userId, Authorization: authorization },
    canonicalRequest,
    stringToSign,
  };
}

/** `%Y%m%dT%H%M%SZ` in UTC, e.g. 20251103T070140Z. */
export function formatXDate(when: Date): string {
  return when.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
}

/** Host (with `:port` unless it is the scheme's default), raw path and raw query of a URL. */
function splitUrl(url: string): { host: string; path: string; query: string } {
  // Split by hand: `new URL()` would resolve dot segments and re-encode, and we sign what is sent.
  const [, scheme = "", authority = "", path = "", query = ""] = URL_PARTS.exec(url) ?? [];
  const [, hostname, port = ""] = HOST_AND_PORT.exec(authority) ?? [];
  if (!scheme || !hostname) throw new Error(`sign: not an absolute URL with a host: ${url}`);
  const isDefault = port === "" || port === DEFAULT_PORT[scheme.toLowerCase()];
  return { host: isDefault ? hostname : `${hostname}:${port}`, path, query };
}

/** Each segment decoded once then encoded; empty and `.` dropped, `..` drops the one before. */
function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const raw of path.split("/")) {
    const segment = percentDecode(raw);
    const text = segment.toString("latin1"); // only compared with "." and ".."
    if (text === "" || text === ".") continue;
    if (text === "..") segments.pop();
    else segments.push(encode(segment));
  }
  return segments.length === 0 ? "/" : `/${segments.join("/")}/`;
}

/** Pairs form-decoded once (`+` is a space), encoded, sorted by name then value as bytes. */
function canonicalQuery(query: string): string {
  const formDecode = (text: string) => percentDecode(text.replaceAll("+", " "));
  const pairs = query
    .split("&")
    .filter((part) => part !== "")
    .map((part) => {
      const equals = part.indexOf("=");
      const name = equals < 0 ? part : part.slice(0, equals);
      const value = equals < 0 ? "" : part.slice(equals + 1);
      return [encode(formDecode(name)), encode(formDecode(value))] as const;
    });
  // Compare the pairs, not "name=value" strings: "a" sorts before "a-b" only as a name.
  // Encoded text is ASCII, so comparing UTF-16 code units compares bytes (upper case first).
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  pairs.sort(([n1, v1], [n2, v2]) => compare(n1, n2) || compare(v1, v2));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

/** `%XY` becomes byte XY, once; anything else (a stray `%` too) stays as its UTF-8 bytes. */
function percentDecode(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes.subarray(i + 1, i + 3).toString("latin1");
    if (bytes[i] === 0x25 && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      out.push(bytes[i] ?? 0);
    }
  }
  return Buffer.from(out);
}

/** RFC 3986: every byte but A-Z a-z 0-9 - _ . ~ as %XY, upper-case hex. */
function encode(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(char)) out += char;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
