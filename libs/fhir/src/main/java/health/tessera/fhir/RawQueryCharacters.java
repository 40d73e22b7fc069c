package health.tessera.fhir;

/**
 * FHIR search values carry characters that RFC 3986 does not allow unencoded, and clients send them anyway:
 * {@code code=http://loinc.org|8480-6} with a raw {@code |} is how the specification writes every token
 * search. The services start with Vert.x URI validation off (it answered such requests with an empty 400),
 * and the request filter re-encodes these characters here before anything parses the URI, so they mean
 * exactly what their percent-encoded forms mean.
 */
public final class RawQueryCharacters {

    private static final String UNSAFE = "|{}^`\"<>\\ ";

    private RawQueryCharacters() {}

    /** True when {@code uri} holds a character that must be percent-encoded first. */
    public static boolean present(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (UNSAFE.indexOf(c) >= 0 || c > 0x7e || c < 0x21) {
                return true;
            }
        }
        return false;
    }

    /** True when a {@code %} is not followed by two hex digits: such a URI cannot be decoded (a 400). */
    public static boolean malformedEscape(String uri) {
        for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
            if (i + 2 >= uri.length()
                    || Character.digit(uri.charAt(i + 1), 16) < 0
                    || Character.digit(uri.charAt(i + 2), 16) < 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code uri} with those characters percent-encoded (UTF-8), the rest left as sent. */
    public static String encode(String uri) {
        StringBuilder encoded = new StringBuilder(uri.length() + 16);
        for (byte b : uri.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (UNSAFE.indexOf((char) c) >= 0 || c > 0x7e || c < 0x21) {
                encoded.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                encoded.append((char) c);
            }
        }
        return encoded.toString();
    }
}
