package health.tessera.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.tessera.bench.matching.DataSet;
import health.tessera.bench.matching.LabeledRecord;
import health.tessera.bench.matching.Metrics;
import health.tessera.bench.matching.Truth;
import health.tessera.patient.matching.Identifier;
import health.tessera.patient.matching.MatchModel;
import health.tessera.patient.matching.PatientMatcher;
import health.tessera.patient.matching.PersonRecord;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.TesseraEndpoints;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The master patient index through patient-service's API: a generated population registered one record per
 * request ({@code POST /fhir/Patient}, 8 clients), the identities the service formed scored against the truth
 * (from its database), then {@code POST Patient/$match} latency at that size. The baseline, in the same run, is
 * the engine alone in this process on the same records ({@link PatientMatcher#register} and
 * {@link PatientMatcher#match}): the ratio is what the service's HTTP, token, database, lock and events cost.
 */
final class PatientServiceRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 8;

    private PatientServiceRun() {}

    /**
     * @param trainAfter when above 0, the service trains its matching model on what it holds after this many
     *     registrations ({@code POST /mpi/model/train}, EM without labels) and registers the rest with it
     */
    static void run(DataSet data, int registrations, int probes, int trainAfter) throws Exception {
        List<LabeledRecord> records =
                data.left().subList(0, Math.min(registrations, data.left().size() - probes));
        List<LabeledRecord> probeRecords =
                data.left().subList(records.size(), Math.min(data.left().size(), records.size() + probes));
        System.out.printf(
                "%n[service] %d generated records registered through patient-service (%s), %d clients;"
                        + " then %d $match probes (other records of the same population)%n",
                records.size(), TesseraEndpoints.patientService(), CLIENTS, probeRecords.size());

        // baseline: the engine alone, same records, same order
        PatientMatcher engine = new PatientMatcher(MatchModel.defaults());
        long t0 = System.nanoTime();
        for (LabeledRecord r : records) {
            engine.register(r.record());
        }
        double engineSeconds = (System.nanoTime() - t0) / 1e9;
        double[] engineMatch = new double[probeRecords.size()];
        for (int i = 0; i < probeRecords.size(); i++) {
            long s = System.nanoTime();
            engine.match(probeRecords.get(i).record());
            engineMatch[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(engineMatch);

        // every run starts from the built-in model (a trained one is stored and would outlive the run)
        HttpClient admin = PlatformHttp.client();
        PlatformHttp.expect(
                admin,
                PlatformHttp.request(TesseraEndpoints.patientService() + "/mpi/model", KeycloakTokens.OPERATOR)
                        .setHeader("Accept", "application/json")
                        .DELETE()
                        .build(),
                200);
        String[] ids = new String[records.size()];
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int first = trainAfter > 0 ? Math.min(trainAfter, records.size()) : records.size();
        ConcurrentRequests.Request<HttpClient> register = (http, i) -> {
            LabeledRecord r = records.get(i);
            HttpRequest request = PlatformHttp.request(
                            TesseraEndpoints.patientService() + "/fhir/Patient", clientOf(r.record()))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(patient(r.record())))
                    .build();
            HttpResponse<String> response = PlatformHttp.send(http, request);
            if (response.statusCode() == 409) {
                conflicts.incrementAndGet(); // an identifier of another person: refused, as the API should
            } else if (response.statusCode() >= 400 && response.statusCode() < 500) {
                // invalid input the generator makes on purpose (29 February of a common year): refused
                if (rejected.getAndIncrement() == 0) {
                    System.out.println(
                            "  first refused registration: " + response.statusCode() + " " + response.body());
                }
            } else if (response.statusCode() != 201) {
                throw new IllegalStateException(
                        "registration answered " + response.statusCode() + ": " + response.body());
            } else {
                ids[i] = JSON.readTree(response.body()).path("id").asText();
            }
            int n = done.incrementAndGet();
            if (n % 10_000 == 0) {
                System.out.printf("  %,d registered%n", n);
            }
        };
        ConcurrentRequests.Latencies registered =
                ConcurrentRequests.run(first, CLIENTS, PlatformHttp::client, register);
        if (first < records.size()) {
            long t = System.nanoTime();
            String model = PlatformHttp.expect(
                    admin,
                    PlatformHttp.request(
                                    TesseraEndpoints.patientService() + "/mpi/model/train", KeycloakTokens.OPERATOR)
                            .setHeader("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    200);
            System.out.printf(
                    "  model trained on the first %,d registrations in %.1f s: %s%n",
                    first,
                    (System.nanoTime() - t) / 1e9,
                    JSON.readTree(model).path("summary").asText());
            registered = ConcurrentRequests.run(
                    records.size() - first, CLIENTS, PlatformHttp::client, (http, i) -> register.send(http, first + i));
            System.out.printf("  (registration figures below: the %,d after training)%n", records.size() - first);
        }

        Map<String, String> enterprise = enterprises(ids);
        int[] label = new int[records.size()];
        Map<String, Integer> labels = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            String e = ids[i] == null ? "refused-" + i : enterprise.getOrDefault(ids[i], "unknown-" + i);
            label[i] = labels.computeIfAbsent(e, k -> labels.size());
        }
        Truth.Scored scored =
                Truth.score(new DataSet(data.name(), records, null, data.twins(), data.juniorSenior()), label);
        Metrics.Counts clustered = scored.clustered();

        HttpClient http = PlatformHttp.client();
        double[] matchMs = new double[probeRecords.size()];
        for (int i = 0; i < probeRecords.size(); i++) {
            PersonRecord probe = probeRecords.get(i).record();
            ObjectNode parameters = JSON.createObjectNode().put("resourceType", "Parameters");
            parameters
                    .putArray("parameter")
                    .addObject()
                    .put("name", "resource")
                    .set("resource", JSON.readTree(patient(probe)));
            HttpRequest request = PlatformHttp.request(
                            TesseraEndpoints.patientService() + "/fhir/Patient/$match", clientOf(probe))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(parameters.toString()))
                    .build();
            long s = System.nanoTime();
            PlatformHttp.expect(http, request, 200);
            matchMs[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(matchMs);

        System.out.printf(
                "  registrations: %,.0f/s through the service, %,.0f/s engine alone (ratio %.3f); latency p50 %.1f,"
                        + " p95 %.1f, p99 %.1f ms; %d refused with 409, %d other 4xx%n",
                registered.perSecond(),
                records.size() / engineSeconds,
                registered.perSecond() / (records.size() / engineSeconds),
                registered.percentile(50),
                registered.percentile(95),
                registered.percentile(99),
                conflicts.get(),
                rejected.get());
        System.out.printf(
                "  identities the service formed: precision %.4f, recall %.4f, F1 %.4f; twin merges %d, Jr/Sr merges"
                        + " %d%n",
                clustered.precision(),
                clustered.recall(),
                clustered.f1(),
                scored.twinMerges(),
                scored.juniorSeniorMerges());
        System.out.printf(
                "  $match at %,d records, 1 client: p50 %.1f, p95 %.1f, p99 %.1f ms (target p95 < 25 ms: %s);"
                        + " engine alone p50 %.2f, p95 %.2f ms (service/engine at p95: %.1f)%n",
                records.size(),
                percentile(matchMs, 50),
                percentile(matchMs, 95),
                percentile(matchMs, 99),
                percentile(matchMs, 95) < 25 ? "met" : "NOT met",
                percentile(engineMatch, 50),
                percentile(engineMatch, 95),
                percentile(matchMs, 95) / Math.max(percentile(engineMatch, 95), 1e-3));
    }

    /** Generated organisations 0, 2, 4… register as clinic-a, the others as clinic-b (the realm's two providers). */
    private static KeycloakTokens.Client clientOf(PersonRecord record) {
        String source = record.source();
        int org = source.startsWith("org-") ? Integer.parseInt(source.substring(4)) : 0;
        return org % 2 == 0 ? KeycloakTokens.CLINIC_A : KeycloakTokens.CLINIC_B;
    }

    /** The record as a FHIR Patient. */
    static String patient(PersonRecord r) {
        ObjectNode p = JSON.createObjectNode().put("resourceType", "Patient");
        ArrayNode identifiers = p.putArray("identifier");
        for (Identifier id : r.identifiers()) {
            identifiers.addObject().put("system", id.system()).put("value", id.value());
        }
        ArrayNode names = p.putArray("name");
        ObjectNode name = names.addObject().put("use", "official");
        putIfPresent(name, "family", r.familyName());
        ArrayNode given = name.putArray("given");
        r.givenNames().stream().filter(g -> !g.isBlank()).forEach(given::add);
        if (r.suffix() != null && !r.suffix().isBlank()) {
            name.putArray("suffix").add(r.suffix());
        }
        if (given.isEmpty()) {
            name.remove("given");
        }
        for (String previous : r.previousFamilyNames()) {
            names.addObject().put("use", "maiden").put("family", previous);
        }
        switch (r.sex()) {
            case MALE -> p.put("gender", "male");
            case FEMALE -> p.put("gender", "female");
            case OTHER -> p.put("gender", "other");
            default -> {}
        }
        if (r.birthDate().year() > 0) {
            p.put("birthDate", r.birthDate().toString());
        }
        ArrayNode telecom = p.putArray("telecom");
        r.phones().forEach(phone -> telecom.addObject().put("system", "phone").put("value", phone));
        r.emails().forEach(email -> telecom.addObject().put("system", "email").put("value", email));
        if (!r.address().isEmpty()) {
            ObjectNode address = p.putArray("address").addObject();
            ArrayNode lines = address.putArray("line");
            r.address().lines().stream().filter(l -> !l.isBlank()).forEach(lines::add);
            putIfPresent(address, "city", r.address().city());
            putIfPresent(address, "postalCode", r.address().postcode());
            putIfPresent(address, "state", r.address().state());
        }
        if (identifiers.isEmpty()) {
            p.remove("identifier");
        }
        if (telecom.isEmpty()) {
            p.remove("telecom");
        }
        return p.toString();
    }

    /** FHIR has no empty strings: a missing value is left out. */
    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null && !value.isBlank()) {
            node.put(name, value);
        }
    }

    /** The enterprise id of each registered record, from patient-service's database. */
    private static Map<String, String> enterprises(String[] ids) throws Exception {
        Map<String, String> enterprise = new HashMap<>();
        try (Connection c =
                        DriverManager.getConnection(TesseraEndpoints.jdbcUrl("tessera_patient"), "tessera", "tessera");
                PreparedStatement select = c.prepareStatement(
                        "SELECT id::text, enterprise_id::text FROM patient WHERE id = ANY (?::uuid[])")) {
            select.setArray(
                    1,
                    c.createArrayOf(
                            "text",
                            Arrays.stream(ids)
                                    .filter(java.util.Objects::nonNull)
                                    .toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    enterprise.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return enterprise;
    }

    private static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
