package health.tessera.exchange.subscription;

import health.tessera.fhir.FhirException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Which endpoints the exchange posts notifications to. A subscriber names any URL it likes, so without a rule the
 * exchange would post, from inside the cluster, to whatever that URL reaches (server-side request forgery). Endpoints
 * must be https and resolve to public addresses, unless local endpoints are allowed (development). The check runs
 * when the subscription is written and again before every delivery, as a name may resolve differently later; the
 * delivery then connects to the address that was checked ({@link Approved}).
 */
public final class EndpointPolicy {

    /** How host names become addresses: the system resolver, or a test's. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * An endpoint checked for one delivery: its URL, and the address its host had when it was checked, which is the
     * address the delivery connects to. Connecting to the name instead would look it up again, and a name that
     * answers with a public address for the check and an inside one a moment later (DNS rebinding) would lead the
     * exchange past the check.
     */
    public record Approved(URI uri, InetAddress address) {}

    private final boolean allowLocal;
    private final Resolver resolver;

    public EndpointPolicy(boolean allowLocal) {
        this(allowLocal, InetAddress::getAllByName);
    }

    EndpointPolicy(boolean allowLocal, Resolver resolver) {
        this.allowLocal = allowLocal;
        this.resolver = resolver;
    }

    /**
     * The endpoint as a URI, or a 422 naming {@code expression} saying why the exchange will not post there: the
     * check when a subscription is written. Where local endpoints are allowed the name need not resolve yet.
     */
    public URI require(String endpoint, String expression) {
        return allowLocal
                ? wellFormed(endpoint, expression)
                : approve(endpoint, expression).uri();
    }

    /** The check before a delivery: {@link #require}'s, with the name resolved once (see {@link Approved}). */
    public Approved approve(String endpoint, String expression) {
        URI uri = wellFormed(endpoint, expression);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            addresses = new InetAddress[0];
        }
        if (addresses.length == 0 || (!allowLocal && !allPublic(addresses))) {
            // One answer for every reason (no such name, loopback, private): the exchange's view of the
            // network is not the subscriber's business.
            throw FhirException.unprocessable(
                    "The endpoint's host " + uri.getHost() + " is not a public address the exchange can reach;"
                            + " notifications go to public https endpoints only",
                    expression);
        }
        return new Approved(uri, addresses[0]);
    }

    private URI wellFormed(String endpoint, String expression) {
        URI uri;
        try {
            uri = endpoint == null ? null : new URI(endpoint.strip());
        } catch (java.net.URISyntaxException e) {
            throw FhirException.unprocessable("The endpoint '" + endpoint + "' is not a URL", expression);
        }
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null) {
            throw FhirException.unprocessable("A rest-hook subscription needs an absolute endpoint URL", expression);
        }
        if (uri.getUserInfo() != null) {
            throw FhirException.unprocessable(
                    "The endpoint must not carry credentials in its URL; put them in channel.header", expression);
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !(allowLocal && scheme.equals("http"))) {
            throw FhirException.unprocessable("The endpoint must be an https URL", expression);
        }
        return uri;
    }

    /** Whether every address is public: none loopback, private, link-local, multicast, unspecified, ... */
    private static boolean allPublic(InetAddress[] addresses) {
        for (InetAddress address : addresses) {
            if (address.isLoopbackAddress()
                    || address.isAnyLocalAddress()
                    || address.isSiteLocalAddress()
                    || address.isLinkLocalAddress()
                    || address.isMulticastAddress()
                    || uniqueLocal(address)
                    || sharedOrBenchmark(address)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Carrier-grade NAT space (100.64.0.0/10, where some clouds put their metadata service) and the benchmarking
     * range (198.18.0.0/15): not public, and not covered by {@link InetAddress#isSiteLocalAddress()}.
     */
    private static boolean sharedOrBenchmark(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 4) {
            return false;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return (first == 100 && second >= 64 && second < 128) || (first == 198 && (second == 18 || second == 19));
    }

    /** IPv6 unique local addresses (fc00::/7), which {@link InetAddress#isSiteLocalAddress()} does not cover. */
    private static boolean uniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
