package health.tessera.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Tokens for a SMART backend service ({@code clinic-a-backend}): the client authenticates with a JWT it signs
 * with its private key (RS384, {@code private_key_jwt}), not with a shared secret; Keycloak checks it against the
 * public key registered for the client. The key pair is a test fixture, committed for tests only.
 */
public final class BackendServiceTokens {

    public static final String CLIENT_ID = "clinic-a-backend";
    private static final String KEY_ID = "clinic-a-backend-1";
    private static final String KEY = "/keys/clinic-a-backend.test-only.pem";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BackendServiceTokens() {}

    /** An access token obtained with a freshly signed client assertion; {@code audience} is what it names as aud. */
    public static HttpResponse<String> requestToken(String audience, PrivateKey key) {
        String assertion = assertion(audience, key);
        String form = Map.of(
                        "grant_type", "client_credentials",
                        "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion", assertion)
                .entrySet()
                .stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                    HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach Keycloak", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The access token of a correctly signed assertion. */
    public static String accessToken() {
        HttpResponse<String> answer = requestToken(tokenEndpoint(), registeredKey());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("no token: " + answer.statusCode() + " " + answer.body());
        }
        try {
            return JSON.readTree(answer.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String tokenEndpoint() {
        return TesseraEndpoints.keycloak() + "/realms/tessera/protocol/openid-connect/token";
    }

    /** The private key whose public half is registered for the client in the realm. */
    public static PrivateKey registeredKey() {
        try (InputStream pem = BackendServiceTokens.class.getResourceAsStream(KEY)) {
            String base64 = new String(pem.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException | GeneralSecurityException | NullPointerException e) {
            throw new IllegalStateException("cannot read the test key " + KEY, e);
        }
    }

    /** A key Keycloak does not know (an attacker's). */
    public static PrivateKey unknownKey() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String assertion(String audience, PrivateKey key) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS384");
        header.put("typ", "JWT");
        header.put("kid", KEY_ID);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", CLIENT_ID);
        claims.put("sub", CLIENT_ID);
        claims.put("aud", audience);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", now);
        claims.put("exp", now + 60);
        try {
            String signed = base64(JSON.writeValueAsBytes(header)) + "." + base64(JSON.writeValueAsBytes(claims));
            Signature rs384 = Signature.getInstance("SHA384withRSA");
            rs384.initSign(key);
            rs384.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + base64(rs384.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the client assertion", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
