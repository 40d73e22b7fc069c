package health.tessera.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.testkit.Databases;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.TesseraEndpoints;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The search a patient chart opens with — a patient's blood pressures, newest first — at volume, against the
 * running platform:
 * {@code GET /fhir/Observation?patient=X&code=http://loinc.org|85354-9&_sort=-date&_count=50} through the
 * gateway, for random patients, with {@code clients} concurrent clients; baseline in the same run: reading one
 * random Observation by id through the gateway with the same clients. Prints p50/p95/p99, searches/s, the
 * ratios to the read, and the target: search p95 &lt; 25 ms with at least 1,000,000 Observations stored.
 *
 * <p>First it makes sure records-service stores at least {@code target} Observations (counted by JDBC on
 * {@code tessera_records}, every organisation). The shortfall is loaded as synthetic but realistic Observations
 * of {@value #PATIENTS} synthetic patients (ids derived from their number, so the next run finds them again):
 * blood-pressure panels (85354-9 with systolic 8480-6 and diastolic 8462-4 components in mm[Hg]) and other
 * vital signs and labs (heart rate, respiratory rate, temperature, weight, height, glucose, HbA1c, cholesterol)
 * dated over the ten years before 2025, posted as transaction Bundles of 1,000 directly to records-service as
 * {@code clinic-a} with {@code X-Tessera-Validation: skip}, two Bundles at a time, with progress. The records
 * reference their patients without registering them first, which records-service accepts (checked with the
 * first Bundle; if it refused, the patients would be registered through the gateway first).
 *
 * <p>Args: {@code [target Observations, default 1000000] [searches, default 2000] [clients, default 8]}. Run:
 * {@code ./tessera bench ObservationSearchBench 1000000 2000 8}; loading a million takes a while, a rerun only
 * measures.
 */
public final class ObservationSearchBench {

    static final int PATIENTS = 5000;
    private static final int BUNDLE = 1000;
    private static final int LOADERS = 2;
    private static final double TARGET_P95_MS = 25;
    private static final long TARGET_OBSERVATIONS = 1_000_000;
    private static final String BP_PANEL = "85354-9";
    private static final Instant REFERENCE = Instant.parse("2025-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        long target = args.length > 0 ? Long.parseLong(args[0]) : TARGET_OBSERVATIONS;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        System.out.printf(
                "ObservationSearchBench: at least %,d Observations, %,d searches, %d concurrent clients%n",
                target, queries, clients);

        List<String> patients = benchPatients();
        long stored = countObservations();
        System.out.printf("records-service stores %,d Observations%n", stored);
        if (stored < target) {
            load(target - stored, patients);
            stored = countObservations();
            System.out.printf("records-service now stores %,d Observations%n", stored);
        }
        vacuumWhereAutovacuumIsOff();

        List<String> searched = patientsWithBloodPressures(patients);
        List<String> readable = observationIds(searched);
        if (searched.isEmpty() || readable.isEmpty()) {
            throw new IllegalStateException("no patient of clinic-a has blood-pressure panels to search for");
        }
        System.out.printf(
                "searching %,d patients with blood-pressure panels; reading among %,d of their Observations%n",
                searched.size(), readable.size());

        int warmUp = Math.min(queries, 500);
        AtomicLong matches = new AtomicLong();
        search(searched, warmUp, clients, new AtomicLong());
        boolean cpu = ProcessCpu.available();
        Map<String, Double> beforeSearch = cpu ? ProcessCpu.snapshot() : null;
        ConcurrentRequests.Latencies search = search(searched, queries, clients, matches);
        Map<String, Double> afterSearch = cpu ? ProcessCpu.snapshot() : null;
        read(readable, warmUp, clients);
        Map<String, Double> beforeRead = cpu ? ProcessCpu.snapshot() : null;
        ConcurrentRequests.Latencies read = read(readable, queries, clients);
        Map<String, Double> afterRead = cpu ? ProcessCpu.snapshot() : null;

        System.out.println();
        System.out.printf(
                "%-60s %8s %8s %8s %10s%n",
                "through the gateway (" + clients + " clients)", "p50 ms", "p95 ms", "p99 ms", "per s");
        row("baseline: GET Observation/{id}", read);
        row("Observation?patient&code=85354-9&_sort=-date&_count=50", search);
        System.out.printf(
                "%-60s %8.2f %8.2f %8.2f %10.2f%n",
                "search / read",
                search.percentile(50) / read.percentile(50),
                search.percentile(95) / read.percentile(95),
                search.percentile(99) / read.percentile(99),
                search.perSecond() / read.perSecond());
        System.out.printf(
                "(a search returned %.1f Observations on average; %,d Observations stored)%n",
                matches.get() / (double) queries, stored);
        double p95 = search.percentile(95);
        System.out.printf(
                "%ntarget: search p95 < %.0f ms with >= %,d Observations: %.1f ms with %,d %s%n",
                TARGET_P95_MS,
                TARGET_OBSERVATIONS,
                p95,
                stored,
                stored < TARGET_OBSERVATIONS
                        ? "(below the target volume: not conclusive)"
                        : p95 < TARGET_P95_MS ? "MET" : "NOT MET");
        if (cpu) {
            // Where a search's time goes, part by part: with several clients on two cores, CPU is latency.
            System.out.println();
            Map<String, Double> perSearch = ProcessCpu.perRequestMs(beforeSearch, afterSearch, queries);
            Map<String, Double> perRead = ProcessCpu.perRequestMs(beforeRead, afterRead, queries);
            ProcessCpu.printTable(
                    "CPU per request (ms, from /proc)",
                    60,
                    List.of("read", "search", "added"),
                    List.of(perRead, perSearch, ProcessCpu.difference(perSearch, perRead)));
        }
        if (PlatformHttp.RETRIES.get() > 0) {
            System.out.println("note: a service was briefly unavailable during the run (requests sent again "
                    + PlatformHttp.RETRIES.get() + " times): run again for clean figures");
        }
    }

    private static void row(String measure, ConcurrentRequests.Latencies l) {
        System.out.printf(
                "%-60s %8.2f %8.2f %8.2f %,10.0f%n",
                measure, l.percentile(50), l.percentile(95), l.percentile(99), l.perSecond());
    }

    static ConcurrentRequests.Latencies search(List<String> patients, int count, int clients, AtomicLong matches)
            throws Exception {
        String code = URLEncoder.encode("http://loinc.org|" + BP_PANEL, StandardCharsets.UTF_8);
        return HttpLoad.get(
                TesseraEndpoints.gateway(),
                count,
                clients,
                KeycloakTokens.bearer(KeycloakTokens.CLINIC_A),
                i -> "/fhir/Observation?patient="
                        + patients.get(ThreadLocalRandom.current().nextInt(patients.size())) + "&code=" + code
                        + "&_sort=-date&_count=50",
                body -> matches.addAndGet(
                        readTree(body.getBytes()).path("entry").size()));
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a searchset that is not JSON", e);
        }
    }

    static ConcurrentRequests.Latencies read(List<String> ids, int count, int clients) throws Exception {
        return HttpLoad.get(
                TesseraEndpoints.gateway(),
                count,
                clients,
                KeycloakTokens.bearer(KeycloakTokens.CLINIC_A),
                i -> "/fhir/Observation/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())),
                body -> {});
    }

    /**
     * On a server with {@code autovacuum = off} (the project machines run one) the tables a load filled are never
     * vacuumed: the index-only scans of a search then visit the table for every row, and the planner works from
     * no statistics. This does once what autovacuum would have done by now on any other server.
     */
    private static void vacuumWhereAutovacuumIsOff() throws Exception {
        try (Connection c = Databases.connect("tessera_records");
                java.sql.Statement statement = c.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SHOW autovacuum")) {
                if (!rs.next() || !"off".equals(rs.getString(1))) {
                    return;
                }
            }
            System.out.println("PostgreSQL runs with autovacuum = off: vacuuming and analysing the records tables as"
                    + " autovacuum would...");
            for (String table : List.of("record", "search_token", "search_reference", "search_date", "search_number")) {
                statement.execute("VACUUM (ANALYZE) " + table);
            }
        }
    }

    static long countObservations() throws Exception {
        return Databases.queryLong(
                "tessera_records", "SELECT count(*) FROM record WHERE resource_type = 'Observation'");
    }

    /** The synthetic patients' ids, derived from their number (the same in every run). */
    static List<String> benchPatients() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PATIENTS; i++) {
            ids.add(UUID.nameUUIDFromBytes(("tessera-bench:patient-" + i).getBytes(StandardCharsets.UTF_8))
                    .toString());
        }
        return ids;
    }

    /** Loads {@code missing} Observations spread over {@code patients}, {@value #LOADERS} Bundles at a time. */
    static void load(long missing, List<String> patients) throws Exception {
        int bundles = (int) ((missing + BUNDLE - 1) / BUNDLE);
        System.out.printf(
                "loading %,d Observations of %,d patients: %,d transaction Bundles of %,d directly to records-service%n",
                missing, patients.size(), bundles, BUNDLE);
        List<String> subjects = patients;
        try (HttpClient http = PlatformHttp.client()) {
            HttpResponse<String> probe = postBundle(http, bundle(1, subjects, new Random()));
            if (probe.statusCode() != 200) {
                System.out.printf(
                        "records-service refused an Observation of an unknown patient (%d %s); registering the %,d"
                                + " patients through the gateway first%n",
                        probe.statusCode(), abbreviated(probe.body()), patients.size());
                subjects = registerPatients(http, patients.size());
                requireAccepted(postBundle(http, bundle(1, subjects, new Random())));
            }
        }
        List<String> finalSubjects = subjects;
        AtomicLong loaded = new AtomicLong(1);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(LOADERS);
        try {
            List<Future<Object>> workers = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int w = 0; w < LOADERS; w++) {
                workers.add(pool.submit(() -> {
                    Random random = new Random();
                    try (HttpClient http = PlatformHttp.client()) {
                        for (int b = next.getAndIncrement(); b < bundles; b = next.getAndIncrement()) {
                            int size = (int) Math.min(BUNDLE, missing - (long) b * BUNDLE);
                            if (b == bundles - 1) {
                                size = Math.max(0, size - 1); // the probe's Observation
                            }
                            if (size == 0) {
                                continue;
                            }
                            requireAccepted(postBundle(http, bundle(size, finalSubjects, random)));
                            long done = loaded.addAndGet(size);
                            double seconds = (System.nanoTime() - start) / 1e9;
                            double rate = done / seconds;
                            long left = Math.round((missing - done) / rate);
                            System.out.printf(
                                    "  %,d / %,d Observations (%.0f%%), %,.0f/s, about %s left%n",
                                    done,
                                    missing,
                                    100.0 * done / missing,
                                    rate,
                                    left < 120 ? left + " s" : (left / 60) + " min");
                        }
                    }
                    return null;
                }));
            }
            for (Future<Object> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpResponse<String> postBundle(HttpClient http, String bundle) throws Exception {
        return PlatformHttp.send(
                http,
                PlatformHttp.request(TesseraEndpoints.recordsService() + "/fhir", KeycloakTokens.CLINIC_A)
                        .header("Content-Type", "application/fhir+json")
                        .header("X-Tessera-Validation", "skip")
                        .POST(HttpRequest.BodyPublishers.ofString(bundle))
                        .build());
    }

    private static void requireAccepted(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "records-service refused a Bundle: " + response.statusCode() + " " + abbreviated(response.body()));
        }
    }

    private static String abbreviated(String body) {
        return body == null ? "" : body.substring(0, Math.min(body.length(), 500));
    }

    /** Registers (or finds again) the synthetic patients through the gateway; their ids, in order. */
    private static List<String> registerPatients(HttpClient http, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String identifier = "https://tessera.health/bench/patient|" + i;
            String body = String.format(
                    Locale.ROOT, """
                    {"resourceType":"Patient","identifier":[{"system":"https://tessera.health/bench/patient","value":"%d"}],
                     "name":[{"family":"Bench%d","given":["Search"]}],"gender":"%s","birthDate":"%d-0%d-1%d"}""", i, i, i % 2 == 0 ? "female" : "male", 1940 + i % 60, 1 + i % 9, i % 10);
            String answer = PlatformHttp.send(
                            http,
                            PlatformHttp.request(TesseraEndpoints.gateway() + "/fhir/Patient", KeycloakTokens.CLINIC_A)
                                    .header("Content-Type", "application/fhir+json")
                                    .header("If-None-Exist", "identifier=" + identifier)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build())
                    .body();
            ids.add(JSON.readTree(answer).path("id").asText());
        }
        return ids;
    }

    /** A transaction Bundle of {@code size} Observations of random patients among {@code subjects}. */
    static String bundle(int size, List<String> subjects, Random random) {
        StringJoiner entries = new StringJoiner(",\n");
        for (int i = 0; i < size; i++) {
            String patient = subjects.get(random.nextInt(subjects.size()));
            entries.add("{\"resource\":" + observation(patient, random)
                    + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[\n" + entries + "]}";
    }

    /** A kind of measurement: LOINC code, display, UCUM unit, category, the range of its values. */
    private record Kind(
            String code, String display, String unit, String category, double low, double high, int weight) {}

    private static final List<Kind> KINDS = List.of(
            new Kind("8867-4", "Heart rate", "/min", "vital-signs", 52, 110, 15),
            new Kind("9279-1", "Respiratory rate", "/min", "vital-signs", 11, 22, 8),
            new Kind("8310-5", "Body temperature", "Cel", "vital-signs", 36.1, 38.4, 8),
            new Kind("29463-7", "Body weight", "kg", "vital-signs", 45, 125, 12),
            new Kind("8302-2", "Body height", "cm", "vital-signs", 150, 198, 5),
            new Kind("2339-0", "Glucose [Mass/volume] in Blood", "mg/dL", "laboratory", 68, 190, 10),
            new Kind("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", "laboratory", 4.6, 9.5, 6),
            new Kind("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", "laboratory", 140, 280, 6));

    private static final int KIND_WEIGHTS =
            KINDS.stream().mapToInt(Kind::weight).sum();
    /** Share of blood-pressure panels among the loaded Observations, in percent. */
    private static final int BP_SHARE = 30;

    static String observation(String patient, Random random) {
        Instant when = REFERENCE.minus(random.nextLong(3653L * 24 * 60), ChronoUnit.MINUTES);
        String common = """
                "resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"%s","display":"%s"}]}],
                 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"%s","issued":"%s\"""";
        if (random.nextInt(100) < BP_SHARE) {
            int systolic = 98 + random.nextInt(72);
            int diastolic = Math.min(systolic - 25, 58 + random.nextInt(45));
            return "{"
                    + String.format(Locale.ROOT, common, "vital-signs", "Vital signs", patient, when, when)
                    + String.format(Locale.ROOT, """
                            ,"code":{"coding":[{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure panel with all children optional"}],"text":"Blood pressure panel with all children optional"},
                             "component":[
                              {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic blood pressure"}],"text":"Systolic blood pressure"},
                               "valueQuantity":{"value":%d,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
                              {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4","display":"Diastolic blood pressure"}],"text":"Diastolic blood pressure"},
                               "valueQuantity":{"value":%d,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}""", systolic, diastolic);
        }
        int pick = random.nextInt(KIND_WEIGHTS);
        Kind kind = KINDS.get(0);
        for (Kind k : KINDS) {
            if (pick < k.weight()) {
                kind = k;
                break;
            }
            pick -= k.weight();
        }
        double value = kind.low() + (kind.high() - kind.low()) * random.nextDouble();
        return "{"
                + String.format(
                        Locale.ROOT,
                        common,
                        kind.category(),
                        kind.category().equals("laboratory") ? "Laboratory" : "Vital signs",
                        patient,
                        when,
                        when)
                + String.format(
                        Locale.ROOT, """
                        ,"code":{"coding":[{"system":"http://loinc.org","code":"%s","display":"%s"}],"text":"%s"},
                         "valueQuantity":{"value":%.1f,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}""", kind.code(), kind.display(), kind.display(), value, kind.unit(), kind.unit());
    }

    /**
     * The patients to search: the synthetic ones that have blood-pressure panels in clinic-a's records; if none
     * has (the volume came from other data), clinic-a's patients with the most blood-pressure panels.
     */
    static List<String> patientsWithBloodPressures(List<String> bench) throws Exception {
        String panels = "SELECT r.patient_id FROM search_token t"
                + " JOIN record r ON r.resource_type = t.resource_type AND r.id = t.id"
                + " WHERE t.resource_type = 'Observation' AND t.param = 'code' AND t.code = ?"
                + " AND r.organization = ? AND r.patient_id IS NOT NULL AND NOT r.deleted";
        try (Connection c = Databases.connect("tessera_records")) {
            List<String> found =
                    patientIds(c, panels + " AND r.patient_id = ANY (?) GROUP BY r.patient_id", bench.toArray());
            if (found.isEmpty()) {
                found = patientIds(c, panels + " GROUP BY r.patient_id ORDER BY count(*) DESC LIMIT " + PATIENTS);
            }
            return found;
        }
    }

    private static List<String> patientIds(Connection c, String sql, Object... among) throws Exception {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, BP_PANEL);
            select.setString(2, RecordsReadBench.ORG_A);
            if (among.length > 0) {
                select.setArray(3, c.createArrayOf("text", among));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** Up to 20,000 ids of Observations of {@code patients}, for the read baseline. */
    static List<String> observationIds(List<String> patients) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = Databases.connect("tessera_records");
                PreparedStatement select = c.prepareStatement("SELECT id FROM record WHERE patient_id = ANY (?)"
                        + " AND resource_type = 'Observation' AND organization = ? AND NOT deleted LIMIT 20000")) {
            select.setArray(1, c.createArrayOf("text", patients.toArray()));
            select.setString(2, RecordsReadBench.ORG_A);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
