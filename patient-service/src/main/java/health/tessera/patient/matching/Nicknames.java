package health.tessera.patient.matching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups of given names that are the same name for matching: a formal name and its short forms ("william", "will",
 * "bill", "billy", "liam"...). A name may belong to several groups ("al" is Albert, Alan, Alfred and Alexander);
 * two names are related when they share a group. The default table is {@code nicknames.txt} next to this class.
 */
public final class Nicknames {

    private static final int[] NONE = new int[0];
    private static volatile Nicknames defaults;

    private final Map<String, int[]> groups;
    private final List<String> formal;
    private final List<List<String>> members;

    private Nicknames(Map<String, int[]> groups, List<String> formal, List<List<String>> members) {
        this.groups = groups;
        this.formal = formal;
        this.members = members;
    }

    /** The built-in US/English table. */
    public static Nicknames defaults() {
        Nicknames d = defaults;
        if (d == null) {
            synchronized (Nicknames.class) {
                d = defaults;
                if (d == null) {
                    try (InputStream in = Nicknames.class.getResourceAsStream("nicknames.txt")) {
                        if (in == null) {
                            throw new IllegalStateException("nicknames.txt missing from the classpath");
                        }
                        d = parse(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    defaults = d;
                }
            }
        }
        return d;
    }

    /** Reads a table: one group per line, names separated by spaces, {@code #} starts a comment. */
    public static Nicknames parse(InputStream in) throws IOException {
        Map<String, List<Integer>> byName = new HashMap<>();
        List<String> formal = new ArrayList<>();
        List<List<String>> members = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int hash = line.indexOf('#');
                List<String> names = Text.tokens(hash >= 0 ? line.substring(0, hash) : line);
                if (names.size() < 2) {
                    continue;
                }
                int group = formal.size();
                formal.add(names.get(0));
                members.add(List.copyOf(names));
                for (String n : names) {
                    List<Integer> g = byName.computeIfAbsent(n, k -> new ArrayList<>(2));
                    if (!g.contains(group)) {
                        g.add(group);
                    }
                }
            }
        }
        Map<String, int[]> groups = new HashMap<>();
        byName.forEach((n, g) ->
                groups.put(n, g.stream().mapToInt(Integer::intValue).sorted().toArray()));
        return new Nicknames(groups, List.copyOf(formal), List.copyOf(members));
    }

    /** The sorted group numbers of a normalised name (empty when it is in no group). */
    public int[] groupsOf(String name) {
        return groups.getOrDefault(name, NONE);
    }

    /** True when the two names are different and share a group. */
    public boolean related(String a, String b) {
        return !a.equals(b) && shareGroup(groupsOf(a), groupsOf(b));
    }

    /** The formal name of a group (its first entry). */
    public String formalName(int group) {
        return formal.get(group);
    }

    /** The names of a group, formal name first. */
    public List<String> members(int group) {
        return members.get(group);
    }

    public int size() {
        return formal.size();
    }

    static boolean shareGroup(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                return true;
            }
            if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }
}
