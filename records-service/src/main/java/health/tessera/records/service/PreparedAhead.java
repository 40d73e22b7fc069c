package health.tessera.records.service;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.MDC;

/**
 * Prepares items on a thread of its own, in order, while the thread that created it (the owner) consumes the
 * ones prepared before: how a transaction Bundle's new records are parsed and indexed while the records before
 * them are being inserted, so that records-service's work and PostgreSQL's overlap instead of taking turns.
 *
 * <p>The preparing thread has no transaction. Database work a preparation needs (a conditional reference's
 * search) is handed to the owner with {@link #onOwner}, which runs it on the transaction's connection while it
 * waits for its next item: the preparation sees what the transaction has written, as it would on the owner.
 * At most {@code capacity} prepared items wait, so memory stays bounded however long the list.
 */
final class PreparedAhead<E, T> implements AutoCloseable {

    /** A preparation's failure, rethrown to the owner in the item's place. */
    private record Failure(Throwable error) {}

    private final Thread owner = Thread.currentThread();
    private final BlockingQueue<Object> inbox;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread worker;
    private volatile boolean closed;

    PreparedAhead(List<E> items, Function<E, T> prepare, int capacity) {
        this.inbox = new LinkedBlockingQueue<>(capacity);
        // The owner's logging context (the request's correlation id), which the events prepared here carry too.
        Map<String, Object> context = Map.copyOf(MDC.getMap());
        this.worker = Thread.ofVirtual().name("bundle-preparer").start(() -> {
            context.forEach(MDC::put);
            try {
                for (E item : items) {
                    if (closed) {
                        return;
                    }
                    inbox.put(prepare.apply(item));
                }
            } catch (InterruptedException e) {
                // closed: the owner stopped
            } catch (Throwable error) { // the owner rethrows it at the item that failed
                try {
                    inbox.put(new Failure(error));
                } catch (InterruptedException e) {
                    // closed: the owner stopped
                }
            } finally {
                finished.countDown();
            }
        });
    }

    /** The next prepared item; runs the work the preparing thread handed over meanwhile; rethrows its failure. */
    @SuppressWarnings("unchecked")
    T next() {
        while (true) {
            Object item;
            try {
                item = inbox.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a prepared Bundle entry", e);
            }
            if (item instanceof FutureTask<?> work) {
                work.run();
            } else if (item instanceof Failure failure) {
                if (failure.error() instanceof RuntimeException e) {
                    throw e;
                }
                if (failure.error() instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(failure.error());
            } else {
                return (T) item;
            }
        }
    }

    /** Runs {@code work} on the owner (directly when called there) and answers its result. */
    <R> R onOwner(Supplier<R> work) {
        if (Thread.currentThread() == owner) {
            return work.get();
        }
        FutureTask<R> task = new FutureTask<>(work::get);
        try {
            inbox.put(task);
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("the Bundle's processing stopped");
        }
    }

    /** Stops the preparing thread (when the owner failed before taking every item) and waits for it. */
    @Override
    public void close() {
        closed = true;
        if (finished.getCount() > 0) {
            worker.interrupt();
        }
        boolean interrupted = false;
        while (finished.getCount() > 0) {
            for (Object item; (item = inbox.poll()) != null; ) {
                if (item instanceof FutureTask<?> work) {
                    work.cancel(false);
                }
            }
            try {
                finished.await(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
