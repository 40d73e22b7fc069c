package health.tessera.system;

import static health.tessera.testkit.KeycloakTokens.CLINIC_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.TesseraEndpoints;
import health.tessera.tools.SyntheaIngest;
import health.tessera.tools.SyntheaIngest.EntryOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole Synthea population (20 patients, fixed seed) through the gateway with the ingest tool: every entry of
 * every Bundle is accepted; the resources created, per type, are as many as the patient Bundles hold, and the
 * server has each of them; and each patient's {@code $everything} returns exactly the resources made from that
 * patient's Bundle, plus the Patient.
 *
 * <p>The population is generated once with {@code ./tessera synthea} and kept in
 * {@code .tessera/synthea/it-<count>-<seed>} (a fresh clone generates it, about a minute). Every run loads it
 * again into clinic-a: the Patients are found again by their Synthea identifier (patient-service registers
 * idempotently) while Synthea's other entries are plain creates, so {@code $everything} is asked with
 * {@code _since} = the start of this run's ingest, which leaves out what earlier runs (or other loads of the same
 * population) made for the same patients. Hospital and practitioner Bundles (Organization, Location,
 * Practitioner, PractitionerRole, conditional on identifiers) are not in any patient's compartment; $everything
 * may add those its records reference, and only those.
 *
 * <p>{@code -Dtessera.synthea.count=3} (and {@code -Dtessera.synthea.seed=...}) try it on a smaller population;
 * {@code -Dtessera.synthea.dir=DIR} on an existing Synthea output folder. Run only this test, without restarting
 * the services: {@code ./mvnw -pl system-tests verify -P '!start-services' -Dit.test=SyntheaPopulationIT
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SyntheaPopulationIT {

    private static final int COUNT = Integer.getInteger("tessera.synthea.count", 20);
    private static final long SEED = Long.getLong("tessera.synthea.seed", 42);
    /** Ids per {@code _id} search: the request line stays well under the HTTP server's 4 KB limit. */
    private static final int IDS_PER_SEARCH = 60;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    Path copy;

    @Test
    void everyResourceIsCreatedOnceAndEachPatientsEverythingIsExactlyItsBundle() throws Exception {
        Path population = population();
        List<Path> files = SyntheaIngest.ordered(
                Files.isDirectory(population.resolve("fhir")) ? population.resolve("fhir") : population);
        assertThat(files.stream().filter(SyntheaIngest::isPatientBundle)).isNotEmpty();

        // What the files hold: each entry's resource type, in order.
        Path fhir = Files.createDirectories(copy.resolve("fhir"));
        Map<String, List<String>> typesPerFile = new LinkedHashMap<>();
        long entries = 0;
        for (Path file : files) {
            Files.copy(file, fhir.resolve(file.getFileName()));
            List<String> types = new ArrayList<>();
            for (JsonNode entry : JSON.readTree(file.toFile()).path("entry")) {
                types.add(entry.path("resource").path("resourceType").asText());
            }
            typesPerFile.put(file.getFileName().toString(), types);
            entries += types.size();
        }

        // A second early: last_updated is stamped by records-service, on this machine's clock.
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        SyntheaIngest.Summary summary =
                SyntheaIngest.run(copy, TesseraEndpoints.gateway(), CLINIC_A, false, true, System.out);

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(summary.failures()).as("Bundles or entries refused").isEmpty();
        soft.assertThat(summary.accepted())
                .as("accepted entries, of %d in the files", entries)
                .isEqualTo(entries);

        // The rest is checked on the Bundles that were applied (a refused one is reported above).
        // Every entry answered with the location of a resource of its own type; every patient-Bundle record new.
        List<String> wrongAnswers = new ArrayList<>();
        Map<String, Long> inPatientBundles = new TreeMap<>();
        Map<String, Set<String>> createdPerType = new TreeMap<>();
        for (var file : typesPerFile.entrySet()) {
            List<String> types = file.getValue();
            List<EntryOutcome> outcomes = summary.outcomes().get(file.getKey());
            if (outcomes == null) {
                continue;
            }
            if (outcomes.size() != types.size()) {
                wrongAnswers.add(file.getKey() + ": " + outcomes.size() + " answers to " + types.size() + " entries");
                continue;
            }
            boolean patientBundle = SyntheaIngest.isPatientBundle(Path.of(file.getKey()));
            for (int i = 0; i < types.size(); i++) {
                String type = types.get(i);
                EntryOutcome outcome = outcomes.get(i);
                if (!type.equals(outcome.resourceType())) {
                    wrongAnswers.add(file.getKey() + " entry " + i + " (" + type + "): " + outcome);
                } else if (patientBundle
                        && !type.equals("Patient")
                        && !outcome.status().startsWith("201")) {
                    wrongAnswers.add(file.getKey() + " entry " + i + " (" + type + "): " + outcome.status()
                            + ", expected 201 Created");
                }
                if (patientBundle) {
                    inPatientBundles.merge(type, 1L, Long::sum);
                    if (outcome.reference() != null) {
                        createdPerType
                                .computeIfAbsent(type, t -> new HashSet<>())
                                .add(outcome.reference());
                    }
                }
            }
        }
        soft.assertThat(wrongAnswers).as("entries answered wrongly").isEmpty();
        Map<String, Long> created = new TreeMap<>();
        createdPerType.forEach((type, ids) -> created.put(type, (long) ids.size()));
        soft.assertThat(created)
                .as("distinct resources made per type, against the entries of the patient Bundles")
                .isEqualTo(inPatientBundles);

        // The server has each of them, visible to clinic-a, per type (Patients: checked by $everything below).
        Map<String, Long> onServer = new TreeMap<>();
        for (var type : createdPerType.entrySet()) {
            if (!type.getKey().equals("Patient")) {
                onServer.put(type.getKey(), countById(type.getKey(), type.getValue()));
            }
        }
        System.out.println("resources per type in the patient Bundles applied: " + inPatientBundles);
        System.out.println("found on the server by _id: " + onServer);
        Map<String, Long> expectedOnServer = new TreeMap<>(inPatientBundles);
        expectedOnServer.remove("Patient");
        soft.assertThat(onServer)
                .as("records found on the server by _id, per type")
                .isEqualTo(expectedOnServer);

        // Each patient's $everything: exactly the resources of that patient's Bundle, the Patient included, plus
        // what they reference from the hospital and practitioner Bundles (the spec's "and any resource referenced
        // from those": the organisation, practitioners and locations of the encounters).
        Set<String> shared = summary.outcomes().entrySet().stream()
                .filter(file -> !SyntheaIngest.isPatientBundle(Path.of(file.getKey())))
                .flatMap(file -> file.getValue().stream())
                .map(EntryOutcome::reference)
                .collect(Collectors.toSet());
        List<String> notExactly = new ArrayList<>();
        for (var file : summary.outcomes().entrySet()) {
            if (!SyntheaIngest.isPatientBundle(Path.of(file.getKey()))) {
                continue;
            }
            Set<String> expected =
                    file.getValue().stream().map(EntryOutcome::reference).collect(Collectors.toSet());
            String patient = file.getValue().stream()
                    .filter(o -> "Patient".equals(o.resourceType()))
                    .map(o -> o.reference().substring("Patient/".length()))
                    .findFirst()
                    .orElseThrow();
            List<String> returned = everything(patient, start).stream()
                    .filter(reference -> !shared.contains(reference))
                    .toList();
            System.out.printf(
                    "$everything of Patient/%s (%s): %,d resources returned, %,d expected%n",
                    patient, file.getKey(), returned.size(), expected.size());
            String difference = difference(expected, returned);
            if (!difference.isEmpty()) {
                notExactly.add(file.getKey() + " (Patient/" + patient + ", " + expected.size() + " resources, "
                        + returned.size() + " returned): " + difference);
            }
        }
        soft.assertThat(notExactly)
                .as("patients whose $everything is not exactly their Bundle")
                .isEmpty();
        soft.assertAll();
    }

    /**
     * The population: {@code -Dtessera.synthea.dir} if given (a Synthea output folder, used as it is), else the
     * cached one, generated first when it is not complete.
     */
    static Path population() throws IOException, InterruptedException {
        String given = System.getProperty("tessera.synthea.dir");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        Path root = TesseraEndpoints.repositoryRoot();
        Path dir = root.resolve(".tessera").resolve("synthea").resolve("it-" + COUNT + "-" + SEED);
        Path complete = dir.resolve(".complete");
        if (Files.exists(complete)) {
            return dir;
        }
        System.out.printf("generating %d Synthea patients (seed %d) into %s%n", COUNT, SEED, dir);
        Process synthea = new ProcessBuilder(
                        root.resolve("tessera").toString(),
                        "synthea",
                        String.valueOf(COUNT),
                        String.valueOf(SEED),
                        dir.toString())
                .directory(root.toFile())
                .inheritIO()
                .start();
        if (!synthea.waitFor(30, TimeUnit.MINUTES)) {
            synthea.destroyForcibly();
            throw new IllegalStateException("./tessera synthea did not finish within 30 minutes");
        }
        assertThat(synthea.exitValue()).as("./tessera synthea exit code").isZero();
        Files.writeString(complete, "./tessera synthea " + COUNT + " " + SEED + "\n");
        return dir;
    }

    /** How many of {@code references} ({@code Type/id}) of one type a search by {@code _id} finds. */
    private static long countById(String type, Set<String> references) throws Exception {
        List<String> ids = references.stream()
                .map(r -> r.substring(r.indexOf('/') + 1))
                .sorted()
                .toList();
        long found = 0;
        for (int from = 0; from < ids.size(); from += IDS_PER_SEARCH) {
            String chunk = String.join(",", ids.subList(from, Math.min(ids.size(), from + IDS_PER_SEARCH)));
            JsonNode bundle = get(TesseraEndpoints.gateway() + "/fhir/" + type + "?_id=" + chunk + "&_summary=count");
            assertThat(bundle.has("total"))
                    .as("total of a search of %s by _id", type)
                    .isTrue();
            found += bundle.path("total").asLong();
        }
        return found;
    }

    /** {@code Type/id} of every resource of the patient's {@code $everything} since {@code since}, all pages. */
    private static List<String> everything(String patient, Instant since) throws Exception {
        String first =
                TesseraEndpoints.gateway() + "/fhir/Patient/" + patient + "/$everything?_count=1000&_since=" + since;
        // The Patient reaches records-service as an event (its projection): wait for it.
        Awaitility.await("Patient/" + patient + " known to records-service")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> send(first).statusCode() != 404);
        List<String> returned = new ArrayList<>();
        String next = first;
        while (next != null) {
            JsonNode page = get(next);
            for (JsonNode entry : page.path("entry")) {
                JsonNode resource = entry.path("resource");
                returned.add(resource.path("resourceType").asText() + "/"
                        + resource.path("id").asText());
            }
            next = null;
            for (JsonNode link : page.path("link")) {
                if (link.path("relation").asText().equals("next")) {
                    next = link.path("url").asText();
                }
            }
        }
        return returned;
    }

    /** What is missing from and what is extra (or repeated) in {@code returned}, counted per type; "" if none. */
    static String difference(Set<String> expected, List<String> returned) {
        Set<String> returnedOnce = new HashSet<>(returned);
        Map<String, Long> missing = expected.stream()
                .filter(r -> !returnedOnce.contains(r))
                .collect(Collectors.groupingBy(SyntheaPopulationIT::type, TreeMap::new, Collectors.counting()));
        Set<String> seen = new HashSet<>();
        Map<String, Long> extra = returned.stream()
                .filter(r -> !expected.contains(r) || !seen.add(r))
                .collect(Collectors.groupingBy(SyntheaPopulationIT::type, TreeMap::new, Collectors.counting()));
        return Stream.of(
                        missing.isEmpty() ? null : "missing " + missing,
                        extra.isEmpty() ? null : "unexpected or repeated " + extra)
                .filter(s -> s != null)
                .collect(Collectors.joining("; "));
    }

    private static String type(String reference) {
        return reference.substring(0, reference.indexOf('/'));
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = send(url);
        String body = response.body() == null ? "" : response.body();
        assertThat(response.statusCode())
                .as("GET %s: %s", url, body.substring(0, Math.min(body.length(), 1000)))
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofMinutes(2))
                        .header("Authorization", KeycloakTokens.bearer(CLINIC_A))
                        .header("Accept", "application/fhir+json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
