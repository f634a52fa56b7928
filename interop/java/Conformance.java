import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Does this kit speak KooDrive? `make interop-java` runs it against the emulator; by hand:
 *
 * <pre>java -cp build/interop/java Conformance [dist/koodrive-signing-vectors.json]</pre>
 *
 * 1. Every signing vector: the canonical request, string to sign and Authorization must all equal.
 * 2. With KOODRIVE_BASE_URL set (and KOODRIVE_APP_ID, KOODRIVE_APP_SECRET, KOODRIVE_USER_ID,
 *    KOODRIVE_TOKEN, the variables the emulator reads): all five operations, with token auth and
 *    with app auth, each answering code 0 with its data.
 * Exit status 0 only when everything passed; each failure is a FAIL line naming what failed.
 * Replies are read with MiniJson, test scaffolding (a real client uses Jackson).
 */
public final class Conformance {
    private static final List<String> CREDENTIALS = List.of(
            "KOODRIVE_APP_ID", "KOODRIVE_APP_SECRET", "KOODRIVE_USER_ID", "KOODRIVE_TOKEN");

    private final List<String> failures = new ArrayList<>();

    /** One operation called and its reply checked; throws with the reason when it fails. */
    private interface Check {
        void run(KooDriveClient client, String userId) throws Exception;
    }

    public static void main(String[] args) {
        Conformance run = new Conformance();
        run.checkVectors(Path.of(args.length > 0 ? args[0] : "dist/koodrive-signing-vectors.json"));
        run.checkOperations();
        if (!run.failures.isEmpty()) {
            System.out.println(run.failures.size() + " failure(s): "
                    + String.join("; ", run.failures));
            System.exit(1);
        }
    }

    private void fail(String what, String why) {
        failures.add(what);
        System.out.println("FAIL " + what + ": " + why);
    }

    private void checkVectors(Path file) {
        List<Object> vectors;
        try {
            vectors = list(object(MiniJson.parse(Files.readString(file)), "file").get("vectors"),
                    "vectors");
            if (vectors.isEmpty()) throw new IllegalArgumentException("no vectors in it");
        } catch (Exception e) {
            fail("vectors file " + file, String.valueOf(e));
            return;
        }
        int passed = 0;
        for (Object item : vectors) {
            String name = item instanceof Map<?, ?> fields ? "" + fields.get("name") : "" + item;
            try {
                if (matches(name, object(item, "the vector"))) passed++;
            } catch (RuntimeException e) {
                fail("vector " + name, e.toString());
            }
        }
        System.out.println(passed + " of " + vectors.size() + " vectors passed (" + file + ")");
    }

    /** Whether signing the vector's request gives each of its three expected steps. */
    private boolean matches(String name, Map<String, Object> vector) {
        Map<String, Object> request = object(vector.get("request"), "request");
        Signer.Signed got = Signer.sign(text(request, "method"), text(request, "url"),
                text(request, "body").getBytes(StandardCharsets.UTF_8),
                text(vector, "app_id"), text(vector, "app_secret"),
                text(vector, "user_id"), text(vector, "x_date"));
        Map<String, String> steps = new LinkedHashMap<>();
        steps.put("canonical_request", got.canonicalRequest());
        steps.put("string_to_sign", got.stringToSign());
        steps.put("authorization", got.headers().get("Authorization"));
        boolean same = true;
        for (Map.Entry<String, String> step : steps.entrySet()) {
            String want = text(vector, step.getKey());
            if (!step.getValue().equals(want)) {
                same = false;
                fail("vector " + name, step.getKey() + " differs\n  want " + quoted(want)
                        + "\n  got  " + quoted(step.getValue()));
            }
        }
        return same;
    }

    private void checkOperations() {
        Map<String, String> env = System.getenv();
        String baseUrl = env.getOrDefault("KOODRIVE_BASE_URL", "");
        if (baseUrl.isEmpty()) {
            System.out.println("operations not called: KOODRIVE_BASE_URL is not set");
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String name : CREDENTIALS) {
            if (env.getOrDefault(name, "").isEmpty()) missing.add(name);
        }
        if (!missing.isEmpty()) {
            fail("operations", String.join(", ", missing) + " not set");
            return;
        }
        String userId = env.get("KOODRIVE_USER_ID");
        Map<String, KooDriveClient.Auth> modes = new LinkedHashMap<>();
        modes.put("token", new KooDriveClient.TokenAuth(env.get("KOODRIVE_TOKEN"), userId));
        modes.put("app", new KooDriveClient.AppAuth(
                env.get("KOODRIVE_APP_ID"), env.get("KOODRIVE_APP_SECRET"), userId));
        Map<String, Check> operations = operations();
        int passed = 0;
        for (Map.Entry<String, KooDriveClient.Auth> mode : modes.entrySet()) {
            KooDriveClient client = new KooDriveClient(baseUrl, mode.getValue());
            for (Map.Entry<String, Check> operation : operations.entrySet()) {
                String what = operation.getKey() + " with " + mode.getKey() + " auth";
                try {
                    operation.getValue().run(client, userId);
                    passed++;
                    System.out.println("ok   " + what);
                } catch (Exception e) {
                    fail(what, e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }
        }
        int calls = operations.size() * modes.size();
        System.out.println(passed + " of " + calls + " calls passed (" + operations.size()
                + " operations x " + modes.size() + " auth modes)");
    }

    // Each operation called once, its reply checked for the fields the spec promises. Replies
    // come in either documented shape (openapi/DISCREPANCIES.md), so the checks accept both.
    private static Map<String, Check> operations() {
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("getSpaceInfo", (client, userId) -> {
            Map<String, Object> data = object(ok(client.getSpaceInfo(userId, null)).get("data"),
                    "data");
            Object ownerId = data.get("ownerId");
            expect(userId.equals(ownerId), "data.ownerId is " + ownerId + ", not " + userId);
            expect(data.get("capacity") != null, "no data.capacity");
            expect(data.get("containerId") != null, "no data.containerId");
        });
        checks.put("querySpaceUsageByUser", (client, userId) -> {
            Map<String, Object> reply = ok(client.querySpaceUsageByUser(List.of(userId)));
            Map<String, Object> record = null;
            for (Object user : list(reply.get("data"), "data")) {
                Map<String, Object> fields = object(user, "a data record");
                if (userId.equals(fields.get("userId"))) record = fields;
            }
            expect(record != null, "no record for " + userId + " in data");
            expect(record.get("quota") != null, "no quota in the user's record");
        });
        checks.put("getSpaceUsageOverview", (client, userId) -> {
            Map<String, Object> data = object(ok(client.getSpaceUsageOverview()).get("data"),
                    "data");
            expect(data.get("totalCapacity") instanceof BigDecimal,
                    "data.totalCapacity is not a number");
            expect(data.get("totalUsed") instanceof BigDecimal, "data.totalUsed is not a number");
        });
        checks.put("listTeamSpaces", (client, userId) -> {
            int limit = 5;
            Map<String, Object> reply = ok(client.listTeamSpaces(0, limit, null));
            // The spaces come in `teams`, or one space in `data`.
            List<Object> teams = reply.get("teams") != null ? list(reply.get("teams"), "teams")
                    : reply.get("data") != null ? List.of(reply.get("data")) : List.of();
            expect(!teams.isEmpty() && teams.size() <= limit,
                    teams.size() + " team spaces, wanted 1 to " + limit);
            for (Object team : teams) {
                expect(object(team, "a team space").get("capacity") != null,
                        "a team space without capacity");
            }
        });
        checks.put("getSpaceAllocation", (client, userId) -> {
            Object data = ok(client.getSpaceAllocation()).get("data");
            // One record or an array of them.
            List<Object> records = data instanceof List<?> ? list(data, "data")
                    : data != null ? List.of(data) : List.of();
            expect(!records.isEmpty(), "no allocation records in data");
            for (Object record : records) {
                Map<String, Object> fields = object(record, "a data record");
                expect(fields.get("allocateCapacity") != null, "a record without allocateCapacity");
                expect(fields.get("totalCapacity") != null, "a record without totalCapacity");
            }
        });
        return checks;
    }

    /** The reply of a call that must succeed: HTTP 200 and code 0 (sent as 0 or "0"). */
    private static Map<String, Object> ok(KooDriveClient.Reply reply) {
        if (reply.status() != 200) {
            throw new IllegalStateException("HTTP " + reply.status() + ": " + reply.body());
        }
        Map<String, Object> body = object(MiniJson.parse(reply.body()), "the reply");
        Object code = body.get("code");
        boolean zero = code instanceof BigDecimal n ? n.signum() == 0 : "0".equals(code);
        if (!zero) throw new IllegalStateException("code " + code + ": " + body.get("msg"));
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?>) return (Map<String, Object>) value;
        throw new IllegalStateException(what + " is not an object: " + value);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String what) {
        if (value instanceof List<?>) return (List<Object>) value;
        throw new IllegalStateException(what + " is not an array: " + value);
    }

    private static String text(Map<String, Object> fields, String name) {
        if (fields.get(name) instanceof String value) return value;
        throw new IllegalStateException(name + " is not a string: " + fields.get(name));
    }

    private static void expect(boolean condition, String problem) {
        if (!condition) throw new IllegalStateException(problem);
    }

    /** A string as a JSON literal, so a difference in "\n" shows. */
    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
