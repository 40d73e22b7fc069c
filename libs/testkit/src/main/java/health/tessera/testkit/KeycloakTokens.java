package health.tessera.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Real access tokens from the local Keycloak's {@code tessera} realm (client credentials grant). */
public final class KeycloakTokens {

    /** A provider system of organisation {@code org-a} (deploy/keycloak/tessera-realm.json). */
    public static final Client CLINIC_A = new Client("clinic-a", "clinic-a-secret");
    /** A provider system of organisation {@code org-b}. */
    public static final Client CLINIC_B = new Client("clinic-b", "clinic-b-secret");
    /** A read-only system of {@code org-a}: SMART scope {@code system/*.rs}. */
    public static final Client CLINIC_A_READER = new Client("clinic-a-reader", "clinic-a-reader-secret");
    /** A lab system of {@code org-a}: SMART scope {@code system/Observation.cruds}, nothing else. */
    public static final Client CLINIC_A_LAB = new Client("clinic-a-lab", "clinic-a-lab-secret");
    /** An integration partner ({@code partner-acme}): SMART scope {@code system/Subscription.cruds}, no records. */
    public static final Client PARTNER = new Client("tessera-partner", "tessera-partner-secret");
    /** A system of {@code org-b} whose gateway rate limit is 5 requests a second (for the 429 test). */
    public static final Client CLINIC_B_BURST = new Client("clinic-b-burst", "clinic-b-burst-secret");
    /** Operator tooling: the {@code admin} realm role, no organisation. */
    public static final Client OPERATOR = new Client("tessera-operator", "tessera-operator-secret");
    /** A valid client of the realm whose tokens lack the {@code tessera-api} audience. */
    /** org-a's provider system with tokens that expire after 2 seconds (expired-token tests). */
    public static final Client SHORT_LIVED = new Client("clinic-a-short-lived", "clinic-a-short-lived-secret");
    /** The patient portal (public SMART app, authorization code with PKCE). */
    public static final String PORTAL_CLIENT = "tessera-portal";
    /** The clinicians' SMART app (public, authorization code with PKCE). */
    public static final String CLINICIAN_CLIENT = "tessera-clinician";

    public static final Client NO_AUDIENCE = new Client("no-audience-client", "no-audience-secret");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Client, Cached> CACHE = new ConcurrentHashMap<>();

    private KeycloakTokens() {}

    public record Client(String clientId, String secret) {}

    private record Cached(String token, long expiresAtMillis) {}

    /** A token for {@code client}, reused while it has more than 30 s to live. */
    public static String accessToken(Client client) {
        Cached cached = CACHE.get(client);
        if (cached != null && cached.expiresAtMillis - System.currentTimeMillis() > 30_000) {
            return cached.token;
        }
        JsonNode answer = requestToken(client);
        Cached fresh = new Cached(
                answer.get("access_token").asText(),
                System.currentTimeMillis() + answer.get("expires_in").asLong() * 1000);
        CACHE.put(client, fresh);
        return fresh.token;
    }

    /** A fresh token for {@code client}, never a cached one (tests that wait for it to expire). */
    public static String freshAccessToken(Client client) {
        return requestToken(client).get("access_token").asText();
    }

    /** {@code Authorization} header value for {@code client}. */
    public static String bearer(Client client) {
        return "Bearer " + accessToken(client);
    }

    private static JsonNode requestToken(Client client) {
        String form = Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        client.clientId(),
                        "client_secret",
                        client.secret())
                .entrySet()
                .stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(TesseraEndpoints.keycloak() + "/realms/tessera/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token for " + client.clientId() + ": "
                        + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Keycloak is not reachable at " + TesseraEndpoints.keycloak() + " (start it with ./tessera infra)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
