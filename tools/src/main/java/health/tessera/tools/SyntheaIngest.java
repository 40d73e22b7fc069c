package health.tessera.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.testkit.KeycloakTokens;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads a Synthea output folder through the gateway: hospital and practitioner Bundles first (patients
 * reference them conditionally), then every patient Bundle, with progress, a summary (resources/s, failures
 * with their reasons) and resumability (finished files are listed in {@code .tessera-ingest} in the folder
 * and skipped next time).
 *
 * <p>Usage: {@code ./tessera ingest DIR [--validate]} (profile validation is off for bulk loads by default).
 */
public final class SyntheaIngest {

    static final String STATE_FILE = ".tessera-ingest";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run did. */
    public record Summary(int files, int skipped, long accepted, long rejected, double seconds, List<String> failures) {
        public double resourcesPerSecond() {
            return seconds == 0 ? 0 : accepted / seconds;
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
        Path dir = Files.isDirectory(folder.resolve("fhir")) ? folder.resolve("fhir") : folder;
        List<Path> bundles = ordered(dir);
        Path state = dir.resolve(STATE_FILE);
        Set<String> done = new HashSet<>(Files.exists(state) ? Files.readAllLines(state) : List.of());
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> failures = new ArrayList<>();
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
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + "/fhir"))
                    .timeout(Duration.ofMinutes(10))
                    .header("Authorization", KeycloakTokens.bearer(client))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofFile(bundle));
            if (!validate) {
                request.header("X-Tessera-Validation", "skip");
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // e.g. the server refused a body over its size limit and closed the connection
                failures.add(name + ": not accepted (" + e + ")");
                out.printf("[%d/%d] %-60s FAILED (%s)%n", i + 1, bundles.size(), name, e);
                continue;
            }
            JsonNode body = parse(response.body());
            if (response.statusCode() == 200
                    && "Bundle".equals(body.path("resourceType").asText())) {
                long ok = 0;
                for (JsonNode entry : body.path("entry")) {
                    String status = entry.path("response").path("status").asText();
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
        Summary summary =
                new Summary(bundles.size(), skipped, accepted, rejected, (System.nanoTime() - start) / 1e9, failures);
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
    static List<Path> ordered(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparingInt(SyntheaIngest::rank)
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        }
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
