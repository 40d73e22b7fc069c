package health.tessera.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * People in the test realm and how their apps sign them in: users are created through Keycloak's admin API
 * (with the attributes an administrator sets: the patient they are, their organisation), and a SMART app gets
 * their token with the authorization code flow and PKCE, as a browser would (the login form is filled in).
 */
public final class KeycloakUsers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REALM = "tessera";

    private KeycloakUsers() {}

    /** Creates (or replaces) user {@code username} with {@code password} and these attributes. */
    public static void create(String username, String password, Map<String, String> attributes) {
        String admin = adminToken();
        String users = TesseraEndpoints.keycloak() + "/admin/realms/" + REALM + "/users";
        HttpClient http = HttpClient.newHttpClient();
        try {
            JsonNode existing = JSON.readTree(send(
                            http,
                            HttpRequest.newBuilder(URI.create(users + "?exact=true&username=" + encode(username)))
                                    .header("Authorization", "Bearer " + admin)
                                    .GET())
                    .body());
            for (JsonNode user : existing) {
                send(
                        http,
                        HttpRequest.newBuilder(
                                        URI.create(users + "/" + user.get("id").asText()))
                                .header("Authorization", "Bearer " + admin)
                                .DELETE());
            }
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("username", username);
            user.put("enabled", true);
            user.put("email", username + "@example.org");
            user.put("emailVerified", true);
            user.put("firstName", username);
            user.put("lastName", "Test");
            user.put(
                    "attributes",
                    attributes.entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))));
            user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
            HttpResponse<String> created = send(
                    http,
                    HttpRequest.newBuilder(URI.create(users))
                            .header("Authorization", "Bearer " + admin)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(user))));
            if (created.statusCode() != 201) {
                throw new IllegalStateException(
                        "creating user " + username + ": " + created.statusCode() + " " + created.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach Keycloak's admin API", e);
        }
    }

    /**
     * The access token {@code clientId} (a public SMART app) gets for {@code username}: the authorization code
     * flow with PKCE (S256) and the given scopes, the login form filled in as the user would.
     */
    public static String signIn(String clientId, String username, String password, String scope) {
        String redirect = "http://127.0.0.1/callback";
        String verifier = randomUrlSafe(48);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
        String state = randomUrlSafe(12);
        String oidc = TesseraEndpoints.keycloak() + "/realms/" + REALM + "/protocol/openid-connect";
        // Keycloak marks its session cookies Secure; browsers send them to http://127.0.0.1 (a secure context),
        // Java's CookieManager would not, so the cookies are carried by hand.
        HttpClient browser = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        try {
            HttpResponse<String> loginPage = send(
                    browser,
                    HttpRequest.newBuilder(URI.create(oidc + "/auth?response_type=code&client_id=" + encode(clientId)
                                    + "&redirect_uri=" + encode(redirect) + "&scope=" + encode(scope) + "&state="
                                    + state
                                    + "&code_challenge=" + challenge + "&code_challenge_method=S256"))
                            .GET());
            Matcher action = Pattern.compile("id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"")
                    .matcher(loginPage.body());
            if (!action.find()) {
                throw new IllegalStateException("no login form (" + loginPage.statusCode() + "): " + loginPage.body());
            }
            String cookies = loginPage.headers().allValues("Set-Cookie").stream()
                    .map(cookie -> cookie.substring(0, cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';')))
                    .collect(Collectors.joining("; "));
            HttpResponse<String> afterLogin = send(
                    browser,
                    HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Cookie", cookies)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    form(Map.of("username", username, "password", password)))));
            String location = afterLogin.headers().firstValue("Location").orElse("");
            Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
            if (afterLogin.statusCode() != 302 || !code.find() || !location.contains("state=" + state)) {
                throw new IllegalStateException(
                        "sign-in of " + username + " failed (" + afterLogin.statusCode() + ", " + location + ")");
            }
            HttpResponse<String> token = send(
                    browser,
                    HttpRequest.newBuilder(URI.create(oidc + "/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form(Map.of(
                                    "grant_type", "authorization_code",
                                    "client_id", clientId,
                                    "code", URLDecoder.decode(code.group(1), StandardCharsets.UTF_8),
                                    "redirect_uri", redirect,
                                    "code_verifier", verifier)))));
            if (token.statusCode() != 200) {
                throw new IllegalStateException("code exchange failed: " + token.statusCode() + " " + token.body());
            }
            return JSON.readTree(token.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach Keycloak", e);
        }
    }

    /** A token of the master realm's administrator (./tessera starts Keycloak with admin/admin). */
    public static String adminToken() {
        return masterRealmToken();
    }

    /** A valid token with another issuer (the master realm), for wrong-issuer tests. */
    public static String masterRealmToken() {
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> answer = send(
                    http,
                    HttpRequest.newBuilder(URI.create(
                                    TesseraEndpoints.keycloak() + "/realms/master/protocol/openid-connect/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form(Map.of(
                                    "grant_type", "password",
                                    "client_id", "admin-cli",
                                    "username", "admin",
                                    "password", "admin")))));
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("no admin token: " + answer.statusCode() + " " + answer.body());
            }
            return JSON.readTree(answer.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach Keycloak", e);
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
