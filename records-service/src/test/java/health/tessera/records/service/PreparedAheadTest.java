package health.tessera.records.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.tessera.fhir.FhirException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(30) // a hand-over that never happens must fail the test, not hang the build
class PreparedAheadTest {

    private static final List<Integer> ITEMS = IntStream.range(0, 1000).boxed().toList();

    @Test
    void handsOverEveryItemInOrderPreparedOnAnotherThread() {
        Thread owner = Thread.currentThread();
        List<Integer> taken = new ArrayList<>();
        try (PreparedAhead<Integer, String> prepared = new PreparedAhead<>(
                ITEMS,
                item -> {
                    assertThat(Thread.currentThread()).isNotSameAs(owner);
                    return "item " + item;
                },
                8)) {
            for (int i = 0; i < ITEMS.size(); i++) {
                taken.add(Integer.parseInt(prepared.next().substring(5)));
            }
        }
        assertThat(taken).isEqualTo(ITEMS);
    }

    @Test
    void preparesWithTheOwnersLoggingContext() {
        org.jboss.logging.MDC.put("correlationId", "c-42");
        try (PreparedAhead<Integer, Object> prepared =
                new PreparedAhead<>(ITEMS.subList(0, 3), item -> org.jboss.logging.MDC.get("correlationId"), 8)) {
            assertThat(List.of(prepared.next(), prepared.next(), prepared.next()))
                    .as("the request's correlation id, which the events prepared for it carry")
                    .containsOnly("c-42");
        } finally {
            org.jboss.logging.MDC.remove("correlationId");
        }
    }

    @Test
    void runsTheWorkHandedOverOnTheOwnerThread() {
        Thread owner = Thread.currentThread();
        List<Thread> ranOn = new ArrayList<>();
        PreparedAhead<Integer, Integer>[] holder = new PreparedAhead[1];
        CountDownLatch constructed = new CountDownLatch(1);
        try (PreparedAhead<Integer, Integer> prepared = new PreparedAhead<>(
                ITEMS.subList(0, 50),
                item -> item
                        + ownerOf(holder, constructed).onOwner(() -> {
                            ranOn.add(Thread.currentThread());
                            return 1000;
                        }),
                4)) {
            holder[0] = prepared;
            constructed.countDown();
            assertThat(prepared.next()).isEqualTo(1000);
            for (int i = 1; i < 50; i++) {
                assertThat(prepared.next()).isEqualTo(1000 + i);
            }
            assertThat(prepared.onOwner(() -> Thread.currentThread())).isSameAs(owner);
        }
        assertThat(ranOn).hasSize(50).containsOnly(owner);
    }

    /** The instance a preparation calls back, once its constructor has returned. */
    private static PreparedAhead<Integer, Integer> ownerOf(
            PreparedAhead<Integer, Integer>[] holder, CountDownLatch constructed) {
        try {
            assertThat(constructed.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return holder[0];
    }

    @Test
    void rethrowsAFailureAtTheItemThatFailed() {
        try (PreparedAhead<Integer, Integer> prepared = new PreparedAhead<>(
                ITEMS,
                item -> {
                    if (item == 3) {
                        throw FhirException.badRequest("entry 3 is broken");
                    }
                    return item;
                },
                8)) {
            assertThat(List.of(prepared.next(), prepared.next(), prepared.next()))
                    .containsExactly(0, 1, 2);
            assertThatThrownBy(prepared::next).isInstanceOf(FhirException.class).hasMessage("entry 3 is broken");
        }
    }

    @Test
    void closingEarlyStopsThePreparingThread() throws InterruptedException {
        AtomicInteger preparedCount = new AtomicInteger();
        CountDownLatch waitingForLookup = new CountDownLatch(1);
        PreparedAhead<Integer, Integer>[] holder = new PreparedAhead[1];
        CountDownLatch constructed = new CountDownLatch(1);
        PreparedAhead<Integer, Integer> prepared = new PreparedAhead<>(
                ITEMS,
                item -> {
                    preparedCount.incrementAndGet();
                    if (item == 20) { // asks the owner for work the owner never gets to
                        PreparedAhead<Integer, Integer> owner = ownerOf(holder, constructed);
                        waitingForLookup.countDown();
                        return owner.onOwner(() -> 0);
                    }
                    return item;
                },
                100);
        holder[0] = prepared;
        constructed.countDown();
        assertThat(prepared.next()).isZero(); // the owner fails after its first item...
        assertThat(waitingForLookup.await(5, TimeUnit.SECONDS)).isTrue();

        prepared.close(); // ...and closing returns although the preparing thread waited for it

        int count = preparedCount.get();
        Thread.sleep(50);
        assertThat(preparedCount.get()).isEqualTo(count).isLessThan(ITEMS.size());
    }
}
