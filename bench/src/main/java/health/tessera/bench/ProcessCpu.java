package health.tessera.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time each part of the local platform has used, from {@code /proc} (Linux): every process on this machine
 * is put to one part by its command line (the services as {@code ./tessera up} starts them, Kafka, Keycloak, the
 * PostgreSQL server and its backends, this benchmark). Two snapshots around a phase give the CPU each part spent on
 * it; divided by the requests of the phase, what one request costs each of them. On a machine where they all share
 * two cores, that is what decides the latency under load: a request that costs more CPU queues longer behind the
 * others. A process that ended counts in its parent once the parent has reaped it.
 */
final class ProcessCpu {

    /** The platform's services, each found by its jar's folder ({@code <service>/target/}). */
    private static final List<String> SERVICES =
            List.of("gateway", "records-service", "patient-service", "exchange-service", "alerts-service");

    /** The parts, in the order they are printed. */
    static final List<String> PARTS = Stream.concat(
                    SERVICES.stream(),
                    Stream.of("kafka", "keycloak", "postgresql", "benchmark (load generator)", "other"))
            .toList();

    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ: 100 on Linux for x86 and arm). */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    /** Whether {@code /proc} can be read here: elsewhere the figures are left out. */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** CPU seconds used so far by each part's processes. */
    static Map<String, Double> snapshot() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        PARTS.forEach(part -> seconds.put(part, 0.0));
        long self = ProcessHandle.current().pid();
        for (Path process : processes()) {
            try {
                String part = Long.parseLong(process.getFileName().toString()) == self
                        ? "benchmark (load generator)"
                        : partOf(process);
                seconds.merge(part, cpuSeconds(Files.readString(process.resolve("stat")), true), Double::sum);
            } catch (IOException | RuntimeException gone) {
                // the process ended while it was read
            }
        }
        return seconds;
    }

    /**
     * A snapshot taken once the platform has gone quiet (under a quarter of a core outside this process for a
     * second, or after {@code max}): a phase's events are consumed after its last answer, and their CPU belongs to
     * the phase.
     */
    static Map<String, Double> afterSettling(java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        Map<String, Double> last = snapshot();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            Map<String, Double> now = snapshot();
            double busy = 0;
            for (String part : PARTS) {
                if (!part.equals("benchmark (load generator)")) {
                    busy += now.get(part) - last.get(part);
                }
            }
            last = now;
            if (busy < 0.25) {
                break;
            }
        }
        return last;
    }

    /**
     * CPU seconds the JIT compiler threads of the platform's services have used so far (HotSpot names them
     * {@code C1/C2 CompilerThread}): while they still work, a service has not reached its steady speed.
     */
    static double compilerSeconds() {
        double seconds = 0;
        for (Path process : processes()) {
            try {
                String part = partOf(process);
                if (!SERVICES.contains(part)) {
                    continue;
                }
                try (Stream<Path> threads = Files.list(process.resolve("task"))) {
                    for (Path thread : threads.toList()) {
                        if (Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                            seconds += cpuSeconds(Files.readString(thread.resolve("stat")), false);
                        }
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the process or thread ended while it was read
            }
        }
        return seconds;
    }

    /** The directories of the processes running now, {@code /proc/<pid>}. */
    private static List<Path> processes() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
    }

    /** What each part spent between two snapshots, in milliseconds per request. */
    static Map<String, Double> perRequestMs(Map<String, Double> before, Map<String, Double> after, long requests) {
        Map<String, Double> ms = new LinkedHashMap<>();
        for (String part : PARTS) {
            ms.put(part, Math.max(0, after.get(part) - before.get(part)) * 1000 / requests);
        }
        return ms;
    }

    /** {@code minuend} less {@code subtrahend}, part by part (what one path adds to another). */
    static Map<String, Double> difference(Map<String, Double> minuend, Map<String, Double> subtrahend) {
        Map<String, Double> ms = new LinkedHashMap<>();
        for (String part : PARTS) {
            ms.put(part, minuend.getOrDefault(part, 0.0) - subtrahend.getOrDefault(part, 0.0));
        }
        return ms;
    }

    /**
     * Prints a table of milliseconds per request: a row for each part that used some in any column, then their
     * sums, which it returns (one per column).
     */
    static double[] printTable(String title, int width, List<String> headings, List<Map<String, Double>> columns) {
        String label = "%-" + width + "s";
        System.out.printf(label, title);
        headings.forEach(heading -> System.out.printf(" %8s", heading));
        System.out.println();
        double[] sums = new double[columns.size()];
        for (String part : PARTS) {
            double[] ms = columns.stream()
                    .mapToDouble(column -> column.getOrDefault(part, 0.0))
                    .toArray();
            for (int i = 0; i < ms.length; i++) {
                sums[i] += ms[i];
            }
            if (java.util.Arrays.stream(ms).anyMatch(value -> value >= 0.005)) {
                printRow(label, part, ms);
            }
        }
        printRow(label, "all", sums);
        return sums;
    }

    private static void printRow(String label, String name, double[] ms) {
        System.out.printf(label, name);
        for (double value : ms) {
            System.out.printf(" %8.3f", value);
        }
        System.out.println();
    }

    /**
     * utime + stime (fields 14 and 15, counted after the command name, which may hold spaces and parentheses), and
     * with {@code endedChildren} cutime + cstime (16 and 17): the CPU of its children that ended, so a PostgreSQL
     * backend whose connection closed during a phase still counts, in its postmaster.
     */
    private static double cpuSeconds(String stat, boolean endedChildren) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = 0;
        for (int field = 11; field <= (endedChildren ? 14 : 12); field++) {
            ticks += Long.parseLong(fields[field]);
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static String partOf(Path process) throws IOException {
        String line = Files.readString(process.resolve("cmdline"), StandardCharsets.ISO_8859_1)
                .replace('\0', ' ');
        for (String service : SERVICES) {
            if (line.contains("/" + service + "/target/")) {
                return service;
            }
        }
        if (line.contains("kafka.Kafka")) {
            return "kafka";
        }
        if (line.contains("keycloak")) {
            return "keycloak";
        }
        if (line.startsWith("postgres") || line.contains("/bin/postgres ")) {
            return "postgresql";
        }
        return "other";
    }
}
