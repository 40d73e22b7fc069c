package health.tessera.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests made by a number of concurrent clients, each sending its share one after another, with the latency of
 * every request. Each client has its own connection (an {@code HttpClient} or a JDBC {@code Connection}), so the
 * figures are those of {@code clients} users, not of one shared pool.
 */
final class ConcurrentRequests {

    private ConcurrentRequests() {}

    /** Opens one client's connection. */
    interface Opener<C extends AutoCloseable> {
        C open() throws Exception;
    }

    /** Sends request number {@code i} on {@code client}; throws when it did not succeed. */
    interface Request<C> {
        void send(C client, int i) throws Exception;
    }

    /** What a run measured: its wall time and every latency, sorted. */
    record Latencies(int requests, double seconds, double[] sortedMs) {

        double perSecond() {
            return requests / seconds;
        }

        double percentile(double p) {
            if (sortedMs.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sortedMs.length) - 1;
            return sortedMs[Math.max(0, Math.min(sortedMs.length - 1, rank))];
        }

        double mean() {
            return Arrays.stream(sortedMs).average().orElse(Double.NaN);
        }

        /** A run that began at {@code startNanos} and ends now, with each request's latency in {@code nanos}. */
        static Latencies measured(long startNanos, long[] nanos) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double[] ms =
                    Arrays.stream(nanos).mapToDouble(n -> n / 1e6).sorted().toArray();
            return new Latencies(nanos.length, seconds, ms);
        }
    }

    /** Runs {@code requests} requests on {@code clients} threads, each with its own client from {@code opener}. */
    static <C extends AutoCloseable> Latencies run(int requests, int clients, Opener<C> opener, Request<C> request)
            throws Exception {
        List<C> opened = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            opened.add(opener.open());
        }
        long[] nanos = new long[requests];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<Object>> workers = new ArrayList<>();
            for (C client : opened) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        request.send(client, i);
                        nanos[i] = System.nanoTime() - sent;
                    }
                    return null;
                }));
            }
            for (Future<Object> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
            for (C client : opened) {
                client.close();
            }
        }
        return Latencies.measured(start, nanos);
    }
}
