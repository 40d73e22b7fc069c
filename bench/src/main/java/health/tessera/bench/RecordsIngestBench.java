package health.tessera.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.testkit.Databases;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.TesseraEndpoints;
import health.tessera.tools.SyntheaIngest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Ingest of a Synthea population into records-service, against the running platform. In one run, on the same
 * folder (every Bundle of it, hospitals and practitioners first):
 *
 * <ol>
 *   <li>the ceiling: every resource of every Bundle inserted as a raw JSON row by plain JDBC ({@code
 *       raw_resource(id, resource_type, resource text)} in the scratch database {@code tessera_bench}, batches of
 *       1,000, one commit per Bundle file), the files read and parsed as part of the time;
 *   <li>the Bundles posted one after another directly to records-service ({@code POST /fhir}, as {@code
 *       clinic-b}, profile validation skipped as for every bulk load) with the ingest tool;
 *   <li>the same through the gateway (as {@code clinic-a});
 *   <li>with {@code --validate N}: the first N patient Bundles through the gateway again, with validation off and
 *       then on (what the base R4 profile validation costs).
 * </ol>
 *
 * A resource counts when its entry got a 2xx (a hospital found again by {@code ifNoneExist} answers 200 and
 * counts). Bundles the service refuses (e.g. over its size limits) are listed as failures. Each ingest posts a
 * copy (symbolic links) of the folder, so the ingest tool's resume file never skips anything and the run can be
 * repeated; every run adds the population again (Synthea's entries are plain creates).
 *
 * <p>Args: {@code DIR [--validate N]}; DIR is a Synthea output folder ({@code ./tessera synthea N SEED DIR}).
 * Run: {@code ./tessera bench RecordsIngestBench /tmp/syn20}.
 */
public final class RecordsIngestBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "tessera_bench";
    private static final int BATCH = 1000;
    /** Targets: one client posting Bundles one after another. */
    private static final double TARGET_RATIO = 0.40;

    private static final double TARGET_RATE = 1900;

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: RecordsIngestBench DIR [--validate N]");
            System.exit(2);
        }
        Path folder = Path.of(args[0]);
        Path dir = Files.isDirectory(folder.resolve("fhir")) ? folder.resolve("fhir") : folder;
        int validateBundles = 0;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--validate") && i + 1 < args.length) {
                validateBundles = Integer.parseInt(args[++i]);
            }
        }
        List<Path> files = SyntheaIngest.ordered(dir);
        if (files.isEmpty()) {
            System.err.println("no Bundles (*.json) in " + dir);
            System.exit(2);
        }
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        System.out.printf(
                "RecordsIngestBench: %d Bundles (%,d MB) in %s%s%n",
                files.size(),
                bytes >> 20,
                dir,
                validateBundles > 0 ? ", validation compared on " + validateBundles + " patient Bundles" : "");

        boolean cpu = ProcessCpu.available();
        Duration settling = Duration.ofMinutes(2);
        Map<String, Double> start = cpu ? ProcessCpu.afterSettling(settling) : null;
        System.out.println("\n[1/3] ceiling: raw JSON rows by plain JDBC into " + DATABASE + ".raw_resource");
        Raw raw = rawInsert(files);
        System.out.printf("  %,d resources in %.1f s%n", raw.resources, raw.seconds);
        Map<String, Double> afterRaw = cpu ? ProcessCpu.afterSettling(settling) : null;

        System.out.println("\n[2/3] Bundles posted directly to records-service (clinic-b)");
        SyntheaIngest.Summary direct = ingest(files, TesseraEndpoints.recordsService(), KeycloakTokens.CLINIC_B, false);
        Map<String, Double> afterDirect = cpu ? ProcessCpu.afterSettling(settling) : null;

        System.out.println("\n[3/3] Bundles posted through the gateway (clinic-a)");
        SyntheaIngest.Summary gateway = ingest(files, TesseraEndpoints.gateway(), KeycloakTokens.CLINIC_A, false);
        Map<String, Double> afterGateway = cpu ? ProcessCpu.afterSettling(settling) : null;

        SyntheaIngest.Summary off = null;
        SyntheaIngest.Summary on = null;
        if (validateBundles > 0) {
            List<Path> patients = files.stream()
                    .filter(SyntheaIngest::isPatientBundle)
                    .limit(validateBundles)
                    .toList();
            System.out.println("\n[validation] " + patients.size() + " patient Bundles through the gateway, off");
            off = ingest(patients, TesseraEndpoints.gateway(), KeycloakTokens.CLINIC_A, false);
            System.out.println("[validation] the same Bundles, validation on");
            on = ingest(patients, TesseraEndpoints.gateway(), KeycloakTokens.CLINIC_A, true);
        }

        double rawRate = raw.resources / raw.seconds;
        System.out.println();
        System.out.printf(
                "%-58s %11s %9s %12s %8s %9s%n", "measure", "resources", "seconds", "resources/s", "ratio", "failures");
        System.out.printf(
                "%-58s %,11d %9.1f %,12.0f %8s %9s%n",
                "baseline: raw JSON rows, plain JDBC batch", raw.resources, raw.seconds, rawRate, "1.00", "");
        row("ingest direct to records-service / raw", direct, rawRate);
        row("ingest through the gateway / raw", gateway, rawRate);
        System.out.printf(
                "%-58s %11s %9s %12s %8.2f%n",
                "gateway / direct", "", "", "", gateway.resourcesPerSecond() / direct.resourcesPerSecond());
        if (off != null) {
            row("gateway, first " + validateBundles + " patient Bundles, validation off", off, rawRate);
            row("gateway, same Bundles, validation on", on, rawRate);
            System.out.printf(
                    "%-58s %11s %9s %12s %8.2f%n",
                    "validation on / off", "", "", "", on.resourcesPerSecond() / off.resourcesPerSecond());
        }
        double ratio = gateway.resourcesPerSecond() / rawRate;
        System.out.printf(
                "%ntarget (one client, Bundles one after another): gateway >= %.0f%% of raw: %.0f%% %s;"
                        + " gateway >= %,.0f resources/s: %,.0f %s%n",
                TARGET_RATIO * 100,
                ratio * 100,
                ratio >= TARGET_RATIO ? "MET" : "NOT MET",
                TARGET_RATE,
                gateway.resourcesPerSecond(),
                gateway.resourcesPerSecond() >= TARGET_RATE ? "MET" : "NOT MET");
        if (raw.resources != direct.accepted() || raw.resources != gateway.accepted()) {
            System.out.printf(
                    "note: not every resource was ingested (raw %,d, direct %,d, gateway %,d): the rates count only"
                            + " accepted entries%n",
                    raw.resources, direct.accepted(), gateway.accepted());
        }
        if (cpu) {
            cpuPerResource(
                    ProcessCpu.perRequestMs(start, afterRaw, raw.resources),
                    ProcessCpu.perRequestMs(afterRaw, afterDirect, Math.max(1, direct.accepted())),
                    ProcessCpu.perRequestMs(afterDirect, afterGateway, Math.max(1, gateway.accepted())));
        }
        printFailures("direct", direct);
        printFailures("gateway", gateway);
        if (on != null) {
            printFailures("validation on", on);
        }
        if (direct.retries() + gateway.retries() > 0) {
            System.out.println("note: a service was briefly unavailable during the run (Bundles sent again): "
                    + (direct.retries() + gateway.retries()) + " times");
        }
    }

    /**
     * Where each phase's CPU went, per resource: the ceiling's is the load generator's JDBC and PostgreSQL; an
     * ingest's includes the events it raised, consumed by the other services until the platform was quiet again
     * (not in the phase's seconds). On two shared cores, every millisecond of it is taken from the ingest.
     */
    private static void cpuPerResource(
            Map<String, Double> raw, Map<String, Double> direct, Map<String, Double> gateway) {
        System.out.println();
        ProcessCpu.printTable(
                "CPU per resource (ms, from /proc, events included)",
                58,
                List.of("raw", "direct", "gateway"),
                List.of(raw, direct, gateway));
    }

    private static void row(String measure, SyntheaIngest.Summary summary, double rawRate) {
        System.out.printf(
                "%-58s %,11d %9.1f %,12.0f %8.2f %9d%n",
                measure,
                summary.accepted(),
                summary.seconds(),
                summary.resourcesPerSecond(),
                summary.resourcesPerSecond() / rawRate,
                summary.failures().size());
    }

    private static void printFailures(String phase, SyntheaIngest.Summary summary) {
        summary.failures().stream()
                .limit(20)
                .forEach(f -> System.out.println(
                        "  " + phase + " failed: " + (f.length() > 300 ? f.substring(0, 300) + "..." : f)));
        if (summary.failures().size() > 20) {
            System.out.println("  " + phase + ": " + (summary.failures().size() - 20) + " more failures");
        }
    }

    record Raw(long resources, double seconds) {}

    /** The ceiling: each entry's resource as one JSON row, batches of 1,000, one commit per file. */
    static Raw rawInsert(List<Path> files) throws Exception {
        try (Connection admin = Databases.connect("postgres");
                PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = admin.createStatement()) {
                        create.execute("CREATE DATABASE " + DATABASE);
                    }
                }
            }
        }
        try (Connection c = Databases.connect(DATABASE)) {
            try (Statement ddl = c.createStatement()) {
                // The column type records-service stores a record's JSON in (text: V14), so the ceiling does the same
                // work per row; a table left by an older run (jsonb) is replaced.
                ddl.execute("DROP TABLE IF EXISTS raw_resource");
                ddl.execute("CREATE TABLE raw_resource (id UUID, resource_type TEXT, resource TEXT)");
            }
            c.setAutoCommit(false);
            long resources = 0;
            long start = System.nanoTime();
            try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO raw_resource (id, resource_type, resource) VALUES (?, ?, ?)")) {
                for (Path file : files) {
                    JsonNode bundle = JSON.readTree(file.toFile());
                    int pending = 0;
                    for (JsonNode entry : bundle.path("entry")) {
                        JsonNode resource = entry.path("resource");
                        insert.setObject(1, UUID.randomUUID());
                        insert.setString(2, resource.path("resourceType").asText());
                        insert.setString(3, JSON.writeValueAsString(resource));
                        insert.addBatch();
                        resources++;
                        if (++pending == BATCH) {
                            insert.executeBatch();
                            pending = 0;
                        }
                    }
                    if (pending > 0) {
                        insert.executeBatch();
                    }
                    c.commit();
                }
            }
            return new Raw(resources, (System.nanoTime() - start) / 1e9);
        }
    }

    /** Posts {@code files} with the ingest tool from a fresh folder of links to them (nothing is skipped). */
    static SyntheaIngest.Summary ingest(
            List<Path> files, String baseUrl, KeycloakTokens.Client client, boolean validate)
            throws IOException, InterruptedException {
        Path copy = Files.createTempDirectory("tessera-ingest-bench");
        try {
            for (Path file : files) {
                Path target = copy.resolve(file.getFileName());
                try {
                    Files.createSymbolicLink(target, file.toAbsolutePath());
                } catch (UnsupportedOperationException | IOException e) {
                    Files.copy(file, target);
                }
            }
            return SyntheaIngest.run(copy, baseUrl, client, validate, false, indented(System.out));
        } finally {
            try (Stream<Path> walk = Files.walk(copy)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The ingest tool's progress lines, indented under the phase's title. */
    private static PrintStream indented(PrintStream out) {
        return new PrintStream(
                new OutputStream() {
                    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

                    @Override
                    public void write(int b) {
                        if (b == '\n') {
                            out.println("  " + line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else {
                            line.write(b);
                        }
                    }
                },
                true,
                StandardCharsets.UTF_8);
    }
}
