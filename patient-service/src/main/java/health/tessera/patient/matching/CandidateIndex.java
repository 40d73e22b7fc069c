package health.tessera.patient.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;

/**
 * An in-memory blocking index: block key -> records. Records are added one at a time (patient-service adds each
 * registration) and a record's candidates are the records sharing a {@link BlockingKeys blocking key} with it.
 * Blocks that grow beyond {@code maxBlockSize} stop being used (a key shared by that many records says nothing,
 * e.g. a placeholder phone number) so the cost of a query stays bounded. Thread-safe: many readers, one writer.
 */
public final class CandidateIndex {

    public static final int DEFAULT_MAX_BLOCK_SIZE = 300;

    private final int maxBlockSize;
    private final Map<String, Block> blocks = new HashMap<>();
    private final List<Features> records = new ArrayList<>();
    private final List<String[]> keysOf = new ArrayList<>();
    private final Map<String, Integer> byId = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public CandidateIndex() {
        this(DEFAULT_MAX_BLOCK_SIZE);
    }

    public CandidateIndex(int maxBlockSize) {
        this.maxBlockSize = maxBlockSize;
    }

    /** Adds (or replaces, by id) a record; returns its internal number. */
    public int add(PersonRecord r) {
        return add(Features.of(r));
    }

    public int add(Features x) {
        String[] keys = BlockingKeys.of(x).toArray(new String[0]);
        lock.writeLock().lock();
        try {
            Integer old = byId.get(x.record.id());
            if (old != null) {
                removeLocked(old);
            }
            int n = records.size();
            records.add(x);
            keysOf.add(keys);
            byId.put(x.record.id(), n);
            for (String k : keys) {
                Block b = blocks.computeIfAbsent(k, kk -> new Block());
                if (!b.oversized) {
                    b.add(n);
                    if (b.size > maxBlockSize) {
                        b.oversized = true;
                        b.ids = null;
                    }
                }
            }
            return n;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes a record (e.g. before re-adding its new version); false when it is not indexed. */
    public boolean remove(String id) {
        lock.writeLock().lock();
        try {
            Integer n = byId.get(id);
            if (n == null) {
                return false;
            }
            removeLocked(n);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void removeLocked(int n) {
        Features x = records.get(n);
        byId.remove(x.record.id());
        for (String k : keysOf.get(n)) {
            Block b = blocks.get(k);
            if (b != null && !b.oversized) {
                b.remove(n);
            }
        }
        records.set(n, null);
        keysOf.set(n, new String[0]);
    }

    public int size() {
        return byId.size();
    }

    /** The indexed record with this id, or null. */
    public PersonRecord get(String id) {
        lock.readLock().lock();
        try {
            Integer n = byId.get(id);
            return n == null ? null : records.get(n).record;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The candidates of a record (indexed or not): every indexed record sharing a key, the record itself excepted. */
    public List<Features> candidates(Features x) {
        List<Features> out = new ArrayList<>();
        String[] keys = BlockingKeys.of(x).toArray(new String[0]);
        lock.readLock().lock();
        try {
            forEachCandidate(keys, Integer.MAX_VALUE, n -> {
                Features c = records.get(n);
                if (c != null && !c.record.id().equals(x.record.id())) {
                    out.add(c);
                }
            });
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    public List<PersonRecord> candidates(PersonRecord r) {
        return candidates(Features.of(r)).stream().map(Features::record).toList();
    }

    /**
     * Batch use: the distinct internal numbers below {@code below} that share a key with record {@code n} (each
     * pair of indexed records is then produced once by asking every record for the numbers below its own).
     */
    public int[] candidatesBelow(int n, int below) {
        lock.readLock().lock();
        try {
            IntList out = new IntList();
            forEachCandidate(keysOf.get(n), below, out::add);
            return out.toArray();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Batch linkage: the internal numbers of indexed records sharing a key with a record from elsewhere. */
    public int[] candidateNumbers(Features x) {
        String[] keys = BlockingKeys.of(x).toArray(new String[0]);
        lock.readLock().lock();
        try {
            IntList out = new IntList();
            forEachCandidate(keys, Integer.MAX_VALUE, out::add);
            return out.toArray();
        } finally {
            lock.readLock().unlock();
        }
    }

    public Features features(int n) {
        lock.readLock().lock();
        try {
            return records.get(n);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Blocks in use and the largest block size (for diagnostics). */
    public String stats() {
        lock.readLock().lock();
        try {
            int used = 0;
            int over = 0;
            int largest = 0;
            long pairs = 0;
            for (Block b : blocks.values()) {
                if (b.oversized) {
                    over++;
                } else {
                    used++;
                    largest = Math.max(largest, b.size);
                    pairs += (long) b.size * (b.size - 1) / 2;
                }
            }
            return String.format(
                    "%d records, %d blocks (%d oversized, skipped), largest %d, %d within-block pairs",
                    byId.size(), used, over, largest, pairs);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void forEachCandidate(String[] keys, int below, IntConsumer sink) {
        // distinct via a small open-addressing set: candidate lists are short
        IntSet seen = new IntSet();
        for (String k : keys) {
            Block b = blocks.get(k);
            if (b == null || b.oversized) {
                continue;
            }
            for (int i = 0; i < b.size; i++) {
                int c = b.ids[i];
                if (c < below && seen.add(c)) {
                    sink.accept(c);
                }
            }
        }
    }

    private static final class Block {
        int[] ids = new int[2];
        int size;
        boolean oversized;

        void add(int n) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = n;
        }

        void remove(int n) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == n) {
                    System.arraycopy(ids, i + 1, ids, i, size - i - 1);
                    size--;
                    return;
                }
            }
        }
    }

    private static final class IntList {
        int[] a = new int[16];
        int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    private static final class IntSet {
        int[] table = new int[64];
        int size;

        IntSet() {
            Arrays.fill(table, -1);
        }

        boolean add(int v) {
            if (size * 2 >= table.length) {
                int[] old = table;
                table = new int[old.length * 2];
                Arrays.fill(table, -1);
                size = 0;
                for (int o : old) {
                    if (o >= 0) {
                        add(o);
                    }
                }
            }
            int mask = table.length - 1;
            int i = (v * 0x9E3779B9) >>> 7 & mask;
            while (table[i] >= 0) {
                if (table[i] == v) {
                    return false;
                }
                i = (i + 1) & mask;
            }
            table[i] = v;
            size++;
            return true;
        }
    }
}
