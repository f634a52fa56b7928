import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * KooDrive app authentication: the rule in the {@code appAuth} security scheme of
 * dist/koodrive-space.yaml, with the JDK alone. Copy this file as it is (add your package line).
 */
public final class Signer {
    public static final String SIGNED_HEADERS = "host;x-date;x-user-id";
    private static final DateTimeFormatter X_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of(); // lower case
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();
    // scheme://[userinfo@]authority path [?query] [#fragment]
    private static final Pattern URL_PARTS =
            Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://(?:[^@/?#]*@)?([^/?#]*)([^?#]*)(?:\\?([^#]*))?");

    /** The headers to add, and the intermediate steps for checking against the signing vectors. */
    public record Signed(String canonicalRequest, String stringToSign,
                         Map<String, String> headers) {}

    private record Pair(String name, String value) {}

    private Signer() {}

    /** {@code %Y%m%dT%H%M%SZ} in UTC, e.g. 20251103T070140Z; KooDrive accepts it for 15 minutes. */
    public static String xDate(Instant when) {
        return X_DATE.format(when);
    }

    /**
     * Sign one request. {@code uri} is the URI handed to java.net.http (it sends the raw path and
     * query as they are, and the Host without a default port); {@code body} is the bytes sent.
     */
    public static Signed sign(String method, URI uri, byte[] body,
                              String appId, String appSecret, String userId, String xDate) {
        return sign(method, uri.toString(), body, appId, appSecret, userId, xDate);
    }

    /**
     * Sign one request given as the URL string exactly as sent, split by hand: java.net.URI
     * refuses some URLs a server may still receive (a stray '%', for one).
     */
    public static Signed sign(String method, String url, byte[] body,
                              String appId, String appSecret, String userId, String xDate) {
        Matcher parts = URL_PARTS.matcher(url);
        if (!parts.find() || parts.group(2).isEmpty()) {
            throw new IllegalArgumentException("sign: not an absolute URL with a host: " + url);
        }
        String user = userId.strip();
        String canonicalRequest = String.join("\n",
                method.toUpperCase(Locale.ROOT),
                canonicalUri(parts.group(3)),
                canonicalQuery(parts.group(4)),
                // The header block ends with its own "\n"; the join adds another: an empty line.
                "host:" + host(parts.group(1), parts.group(2)) + "\nx-date:" + xDate.strip()
                        + "\nx-user-id:" + user + "\n",
                SIGNED_HEADERS,
                HEX.formatHex(sha256(body)));
        String stringToSign = "HMAC-SHA256\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        String signature = HEX.formatHex(hmacSha256(appSecret, stringToSign));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Date", xDate);
        headers.put("X-User-Id", user);
        headers.put("Authorization", "HMAC-SHA256 AppId=" + appId
                + ",SignedHeaders=" + SIGNED_HEADERS + ",Signature=" + signature);
        return new Signed(canonicalRequest, stringToSign, headers);
    }

    /** RFC 3986: the UTF-8 bytes, every byte but A-Z a-z 0-9 - _ . ~ as %XY, upper-case hex. */
    public static String percentEncode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The Host as sent: with :port unless the port is the scheme's default (443, 80). */
    private static String host(String scheme, String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.indexOf(']', colon) >= 0) return authority; // no port, or IPv6
        String port = authority.substring(colon + 1);
        String defaultPort = "https".equalsIgnoreCase(scheme) ? "443" : "80";
        boolean isDefault = port.isEmpty() || port.equals(defaultPort);
        return isDefault ? authority.substring(0, colon) : authority;
    }

    /** Each segment decoded once then encoded; empty and "." dropped, ".." drops the one before. */
    private static String canonicalUri(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : (rawPath == null ? "" : rawPath).split("/", -1)) {
            byte[] segment = percentDecode(raw);
            // Latin-1 maps each byte to one char: only compared with "." and "..".
            String text = new String(segment, StandardCharsets.ISO_8859_1);
            if (text.isEmpty() || text.equals(".")) continue;
            if (text.equals("..")) {
                if (!segments.isEmpty()) segments.remove(segments.size() - 1);
            } else {
                segments.add(encode(segment));
            }
        }
        return segments.isEmpty() ? "/" : "/" + String.join("/", segments) + "/";
    }

    /** Pairs form-decoded once (+ is a space), encoded, sorted by name then value as bytes. */
    private static String canonicalQuery(String rawQuery) {
        List<Pair> pairs = new ArrayList<>();
        for (String part : (rawQuery == null ? "" : rawQuery).split("&")) {
            if (part.isEmpty()) continue;
            int equals = part.indexOf('=');
            String name = equals < 0 ? part : part.substring(0, equals);
            String value = equals < 0 ? "" : part.substring(equals + 1);
            pairs.add(new Pair(encode(percentDecode(name.replace('+', ' '))),
                               encode(percentDecode(value.replace('+', ' ')))));
        }
        // Compare the pairs, not "name=value" strings: "a" sorts before "a-b" only as a name.
        // Encoded text is ASCII, so String order is byte order (upper case first).
        pairs.sort(Comparator.comparing(Pair::name).thenComparing(Pair::value));
        List<String> written = new ArrayList<>();
        for (Pair pair : pairs) written.add(pair.name() + "=" + pair.value());
        return String.join("&", written);
    }

    /** %XY becomes byte XY, once; anything else (a stray % too) stays as its UTF-8 bytes. */
    private static byte[] percentDecode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i++) {
            int high = i + 2 < bytes.length ? hex(bytes[i + 1]) : -1;
            int low = i + 2 < bytes.length ? hex(bytes[i + 2]) : -1;
            if (bytes[i] == '%' && high >= 0 && low >= 0) {
                out.write(high * 16 + low);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        return -1;
    }

    /** RFC 3986, per byte: unreserved bytes as they are, the rest as %XY. */
    private static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(UPPER_HEX.toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] hmacSha256(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
