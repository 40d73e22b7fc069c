package health.tessera.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * GET requests from a number of concurrent clients, each sending its next request when the previous one is
 * answered, like {@link ConcurrentRequests} but driven by one Vert.x event loop (as wrk does) instead of a JDK
 * {@code HttpClient} and a thread per client. The benchmarks run on the same two cores as the platform: a JDK
 * client per user took about a third of them, which the services then lacked, so the figures measured the load
 * generator as much as the services.
 */
final class HttpLoad {

    private HttpLoad() {}

    /**
     * Sends {@code requests} GETs of {@code pathOf.apply(i)} (path and query) to {@code baseUrl} with {@code
     * bearer}, {@code clients} at a time on as many connections; every answer must be 200, and {@code body} sees
     * each body. Returns every latency, like {@link ConcurrentRequests#run}.
     */
    static ConcurrentRequests.Latencies get(
            String baseUrl, int requests, int clients, String bearer, IntFunction<String> pathOf, Consumer<Buffer> body)
            throws Exception {
        URI base = URI.create(baseUrl);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClient http = client(vertx, base, clients);
        long[] nanos = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger running = new AtomicInteger(clients);
        CompletableFuture<Void> done = new CompletableFuture<>();
        long start = System.nanoTime();
        try {
            Runnable[] client = new Runnable[1];
            client[0] = () -> {
                int i = next.getAndIncrement();
                if (i >= requests || done.isDone()) {
                    if (running.decrementAndGet() == 0) {
                        done.complete(null);
                    }
                    return;
                }
                long sent = System.nanoTime();
                send(http, pathOf.apply(i), bearer)
                        .onSuccess(answer -> {
                            nanos[i] = System.nanoTime() - sent;
                            body.accept(answer);
                            client[0].run();
                        })
                        .onFailure(done::completeExceptionally);
            };
            vertx.runOnContext(ignored -> {
                for (int c = 0; c < clients; c++) {
                    client[0].run();
                }
            });
            done.get(30, TimeUnit.MINUTES);
        } finally {
            close(vertx, http);
        }
        return ConcurrentRequests.Latencies.measured(start, nanos);
    }

    /**
     * Sends {@code requests} GETs at a fixed rate, {@code perSecond}, over at most {@code clients} connections:
     * request {@code i} is due {@code i / perSecond} seconds after the start, whether or not earlier ones were
     * answered, and its latency counts from when it was due (so a request that waited for a free connection
     * counts its wait, as wrk2 measures). This is the latency at a given load, below the saturation that
     * {@link #get} drives the platform to.
     */
    static ConcurrentRequests.Latencies getAtRate(
            String baseUrl, int requests, int clients, double perSecond, String bearer, IntFunction<String> pathOf)
            throws Exception {
        URI base = URI.create(baseUrl);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClient http = client(vertx, base, clients);
        long[] nanos = new long[requests];
        double interval = 1e9 / perSecond;
        AtomicInteger answered = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long start = System.nanoTime();
        try {
            int[] next = {0}; // only touched on the event loop
            vertx.runOnContext(ignored -> vertx.setPeriodic(0, 1, timer -> {
                long now = System.nanoTime();
                while (next[0] < requests && start + (long) (next[0] * interval) <= now) {
                    int i = next[0]++;
                    long due = start + (long) (i * interval);
                    send(http, pathOf.apply(i), bearer)
                            .onSuccess(answer -> {
                                nanos[i] = System.nanoTime() - due;
                                if (answered.incrementAndGet() == requests) {
                                    done.complete(null);
                                }
                            })
                            .onFailure(done::completeExceptionally);
                }
                if (next[0] >= requests || done.isDone()) {
                    vertx.cancelTimer(timer);
                }
            }));
            done.get(30, TimeUnit.MINUTES);
        } finally {
            close(vertx, http);
        }
        return ConcurrentRequests.Latencies.measured(start, nanos);
    }

    private static HttpClient client(Vertx vertx, URI base, int connections) {
        return vertx.createHttpClient(
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setDefaultHost(base.getHost())
                        .setDefaultPort(base.getPort()),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /** One GET; fails unless the answer is 200. */
    private static Future<Buffer> send(HttpClient http, String path, String bearer) {
        return http.request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setURI(path)
                        .putHeader("Authorization", bearer)
                        .putHeader("Accept", "application/fhir+json"))
                .compose(request -> request.send()
                        .compose(response -> response.body().map(answer -> {
                            if (response.statusCode() != 200) {
                                throw new IllegalStateException("GET " + path + " answered "
                                        + response.statusCode() + ": "
                                        + answer.toString().substring(0, Math.min(answer.length(), 600)));
                            }
                            return answer;
                        })));
    }

    private static void close(Vertx vertx, HttpClient http) throws Exception {
        http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
