import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The five Space Management operations over java.net.http, with token or app authentication.
 * Each returns the HTTP status and the JSON text of the reply: read it with your JSON library
 * (KooDrive's success is {@code code} 0, sent as 0 or "0"; see openapi/DISCREPANCIES.md).
 */
public final class KooDriveClient {
    public sealed interface Auth permits AppAuth, TokenAuth {}

    /** AppId and AppSecret: every request signed by {@link Signer}. */
    public record AppAuth(String appId, String appSecret, String userId) implements Auth {}

    /** An access token, sent as {@code Bearer <token>} (RFC 6750) with X-User-Id. */
    public record TokenAuth(String token, String userId) implements Auth {}

    public record Reply(int status, String body) {}

    private static final String API = "/koodrive/ose/v1/space";
    private static final byte[] NO_BODY = new byte[0];

    // HTTP/1.1: on plain http (the emulator) the default HTTP/2 would first try an h2c upgrade.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String baseUrl;
    private final Auth auth;

    public KooDriveClient(String baseUrl, Auth auth) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.auth = auth;
    }

    /** getSpaceInfo: an individual space; {@code containerId} may be null. */
    public Reply getSpaceInfo(String ownerId, String containerId)
            throws IOException, InterruptedException {
        String query = "?type=1";
        if (containerId != null) query += "&containerId=" + Signer.percentEncode(containerId);
        return send("GET", API + "/" + Signer.percentEncode(ownerId) + query, NO_BODY);
    }

    /** querySpaceUsageByUser: quota and usage of up to 50 users. */
    public Reply querySpaceUsageByUser(List<String> userIds)
            throws IOException, InterruptedException {
        List<String> quoted = new ArrayList<>();
        for (String userId : userIds) quoted.add(jsonString(userId));
        String body = "{\"userIds\":[" + String.join(",", quoted) + "]}";
        return send("POST", API + "/usage/user", body.getBytes(StandardCharsets.UTF_8));
    }

    /** getSpaceUsageOverview: the tenant's totals. */
    public Reply getSpaceUsageOverview() throws IOException, InterruptedException {
        return send("GET", API + "/usage/overview", NO_BODY);
    }

    /** listTeamSpaces: a page of team spaces; {@code keyWord} may be null. */
    public Reply listTeamSpaces(int offset, int limit, String keyWord)
            throws IOException, InterruptedException {
        String query = "?offset=" + offset + "&limit=" + limit;
        if (keyWord != null) query += "&keyWord=" + Signer.percentEncode(keyWord);
        return send("GET", API + "/teamList" + query, NO_BODY);
    }

    /** getSpaceAllocation: the tenant's allocated and total capacity. */
    public Reply getSpaceAllocation() throws IOException, InterruptedException {
        return send("GET", API + "/allocation/get", NO_BODY);
    }

    private Reply send(String method, String pathAndQuery, byte[] body)
            throws IOException, InterruptedException {
        URI uri = URI.create(baseUrl + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length > 0) request.header("Content-Type", "application/json");
        if (auth instanceof AppAuth app) {
            // Signed over the URI and bytes the client sends (it derives Host from the URI too).
            String now = Signer.xDate(Instant.now());
            Signer.sign(method, uri, body, app.appId(), app.appSecret(), app.userId(), now)
                    .headers().forEach(request::header);
        } else if (auth instanceof TokenAuth token) {
            request.header("Authorization", "Bearer " + token.token());
            request.header("X-User-Id", token.userId());
        }
        HttpResponse<String> response = http.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body());
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
