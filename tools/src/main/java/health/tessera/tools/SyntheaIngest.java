package health.tessera.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.testkit.KeycloakTokens;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads a Synthea output folder through the gateway: hospital and practitioner Bundles first (patients
 * reference them conditionally), then every patient Bundle, with progress, a summary (resources/s, failures
 * with their reasons) and resumability (finished files are listed in {@code .tessera-ingest} in the folder
 * and skipped next time). A Bundle that finds the server restarting (no connection, or a quick 503) is sent
 * again after a short wait, a few times.
 *
 * <p>Usage: {@code ./tessera ingest DIR [--validate]} (profile validation is off for bulk loads by default).
 */
public final class SyntheaIngest {

    static final String STATE_FILE = ".tessera-ingest";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How many times a Bundle is sent at most when the server was not reached or quickly answered 503. */
    static final int ATTEMPTS = 8;
    /** A 503 sooner than this is a service not (yet) there, not a timeout. */
    static final Duration QUICK_ANSWER = Duration.ofSeconds(10);

    /**
     * What a run did. {@code outcomes} holds, when asked for, the answer to every entry of every file sent in
     * this run (file name to the entries' outcomes, in the order of the file's entries); otherwise it is empty.
     * {@code retries} counts the Bundles sent again because the server was briefly unavailable.
     */
    public record Summary(
            int files,
            int skipped,
            long accepted,
            long rejected,
            double seconds,
            List<String> failures,
            int retries,
            Map<String, List<EntryOutcome>> outcomes) {
        public double resourcesPerSecond() {
            return seconds == 0 ? 0 : accepted / seconds;
        }
    }

    /** The answer to one Bundle entry: its {@code response.status} and {@code response.location} (may be null). */
    public record EntryOutcome(String status, String location) {
        public boolean accepted() {
            return status != null && status.startsWith("2");
        }

        /** The resource type named by the location ({@code Type/id/_history/n}), or null. */
        public String resourceType() {
            return location == null ? null : location.split("/")[0];
        }

        /** {@code Type/id} of the location without its version, or null. */
        public String reference() {
            if (location == null) {
                return null;
            }
            String[] parts = location.split("/");
            return parts.length < 2 ? null : parts[0] + "/" + parts[1];
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ./tessera ingest DIR [--validate]");
            System.exit(2);
        }
        boolean validate = List.of(args).contains("--validate");
        Summary summary = run(
                Path.of(args[0]),
                health.tessera.testkit.TesseraEndpoints.gateway(),
                KeycloakTokens.CLINIC_A,
                validate,
                System.out);
        System.exit(summary.failures().isEmpty() ? 0 : 1);
    }

    public static Summary run(
            Path folder, String gateway, KeycloakTokens.Client client, boolean validate, PrintStream out)
            throws IOException, InterruptedException {
        return run(folder, gateway, client, validate, false, out);
    }

    /**
     * Loads {@code folder} (or its {@code fhir} sub-folder) by posting each Bundle to {@code baseUrl + "/fhir"}
     * (the gateway, or a service that takes Bundles itself). With {@code keepOutcomes}, the summary holds every
     * entry's status and location, per file.
     */
    public static Summary run(
            Path folder,
            String baseUrl,
            KeycloakTokens.Client client,
            boolean validate,
            boolean keepOutcomes,
            PrintStream out)
            throws IOException, InterruptedException {
        Path dir = Files.isDirectory(folder.resolve("fhir")) ? folder.resolve("fhir") : folder;
        List<Path> bundles = ordered(dir);
        Path state = dir.resolve(STATE_FILE);
        Set<String> done = new HashSet<>(Files.exists(state) ? Files.readAllLines(state) : List.of());
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> failures = new ArrayList<>();
        Map<String, List<EntryOutcome>> outcomes = new LinkedHashMap<>();
        int retries = 0;
        long accepted = 0;
        long rejected = 0;
        int skipped = 0;
        long start = System.nanoTime();
        for (int i = 0; i < bundles.size(); i++) {
            Path bundle = bundles.get(i);
            String name = bundle.getFileName().toString();
            if (done.contains(name)) {
                skipped++;
                continue;
            }
            HttpResponse<String> response = null;
            IOException unreachable = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/fhir"))
                        .timeout(Duration.ofMinutes(10))
                        .header("Authorization", KeycloakTokens.bearer(client))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofFile(bundle));
                if (!validate) {
                    request.header("X-Tessera-Validation", "skip");
                }
                long sent = System.nanoTime();
                try {
                    response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    unreachable = null;
                } catch (ConnectException e) {
                    // nothing was sent: the service is restarting
                    response = null;
                    unreachable = e;
                } catch (IOException e) {
                    // e.g. the server refused a body over its size limit and closed the connection
                    response = null;
                    unreachable = e;
                    break;
                }
                // A quick 503 is a service that is not there (yet): nothing was applied (a transaction is all or
                // nothing, patients are found again). A slow one may be the gateway giving up waiting for a
                // Bundle that records-service still applies: sending it again could load it twice.
                boolean unavailable = response == null
                        || (response.statusCode() == 503 && System.nanoTime() - sent < QUICK_ANSWER.toNanos());
                if (!unavailable || attempt == ATTEMPTS) {
                    break;
                }
                retries++;
                out.printf(
                        "[%d/%d] %-60s %s; trying again in %d s%n",
                        i + 1,
                        bundles.size(),
                        name,
                        response == null ? "server not reachable" : "503 unavailable",
                        Math.min(2 * attempt, 10));
                Thread.sleep(Math.min(2000L * attempt, 10_000L));
            }
            if (response == null) {
                failures.add(name + ": not accepted (" + unreachable + ")");
                out.printf("[%d/%d] %-60s FAILED (%s)%n", i + 1, bundles.size(), name, unreachable);
                continue;
            }
            JsonNode body = parse(response.body());
            if (response.statusCode() == 200
                    && "Bundle".equals(body.path("resourceType").asText())) {
                long ok = 0;
                List<EntryOutcome> entries = new ArrayList<>();
                for (JsonNode entry : body.path("entry")) {
                    String status = entry.path("response").path("status").asText();
                    if (keepOutcomes) {
                        JsonNode location = entry.path("response").path("location");
                        entries.add(new EntryOutcome(status, location.isTextual() ? location.asText() : null));
                    }
                    if (status.startsWith("2")) {
                        ok++;
                    } else {
                        rejected++;
                        failures.add(name + ": " + status + " "
                                + entry.path("response")
                                        .path("outcome")
                                        .path("issue")
                                        .path(0)
                                        .path("diagnostics")
                                        .asText());
                    }
                }
                accepted += ok;
                if (keepOutcomes) {
                    outcomes.put(name, entries);
                }
                Files.writeString(state, name + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } else {
                failures.add(name + ": " + response.statusCode() + " "
                        + body.path("issue").path(0).path("diagnostics").asText());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(
                    "[%d/%d] %-60s %s  %,d resources, %.0f/s%n",
                    i + 1,
                    bundles.size(),
                    name,
                    response.statusCode() == 200 ? "ok" : "FAILED " + response.statusCode(),
                    accepted,
                    accepted / Math.max(seconds, 1e-9));
        }
        Summary summary = new Summary(
                bundles.size(),
                skipped,
                accepted,
                rejected,
                (System.nanoTime() - start) / 1e9,
                failures,
                retries,
                outcomes);
        out.printf(
                "ingested %,d resources from %d files (%d already done) in %.1f s: %.0f resources/s; %d failures%n",
                summary.accepted(),
                summary.files() - summary.skipped(),
                summary.skipped(),
                summary.seconds(),
                summary.resourcesPerSecond(),
                failures.size());
        failures.forEach(f -> out.println("  failed: " + f));
        return summary;
    }

    /** Hospital and practitioner Bundles first, then the patients, each group by name. */
    public static List<Path> ordered(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparingInt(SyntheaIngest::rank)
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    /** Whether {@code file} is a patient's Bundle (not a hospital or practitioner Bundle). */
    public static boolean isPatientBundle(Path file) {
        return rank(file) == 2;
    }

    private static int rank(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("hospitalInformation") ? 0 : name.startsWith("practitionerInformation") ? 1 : 2;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
