package health.tessera.fhir.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What SMART scopes a FHIR request needs: for each resource type it touches, the interaction ({@code c r u d s}).
 * Reads and version reads need {@code r}; searches, type history and search-like operations {@code s}; creates
 * {@code c}; updates and patches {@code u}; deletes {@code d}. {@code $everything} and {@code $export} return
 * every type, so they need {@code r} and {@code s} on {@code *}. Search parameters that reach into other types
 * need those too: {@code _include} (its target type, or every type when it names none), {@code _revinclude} and
 * {@code _has} (their source type), chains with a type ({@code subject:Patient.name}). Batch and transaction
 * Bundles are checked entry by entry where they are processed.
 */
public final class ScopeRequirements {

    /** One interaction on one type ({@code *}: every type). */
    public record Requirement(String type, char interaction) {}

    private ScopeRequirements() {}

    /**
     * The requirements of {@code method} on {@code path} (e.g. {@code /fhir/Observation/1/_history/2}) with its
     * query parameters; empty when the request needs no resource scope (metadata, the base URL's Bundles, paths
     * outside {@code /fhir}).
     */
    public static List<Requirement> of(String method, String path, Map<String, List<String>> query) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty() || !segments.get(0).equals("fhir")) {
            return List.of();
        }
        segments = segments.subList(1, segments.size());
        List<Requirement> needed = new ArrayList<>();
        if (segments.isEmpty()) {
            return List.of(); // Bundles at the base: entry by entry
        }
        String first = segments.get(0);
        if (first.equals("metadata") || first.startsWith(".well-known")) {
            return List.of();
        }
        if (first.startsWith("$") || first.equals("_history")) {
            everything(needed); // system-level $export (and its status and files), system history
            return needed;
        }
        String type = first;
        boolean read = method.equals("GET") || method.equals("HEAD");
        switch (segments.size()) {
            case 1 ->
                needed.add(new Requirement(
                        type,
                        switch (method) {
                            case "POST" -> 'c';
                            case "PUT", "PATCH" -> 'u';
                            case "DELETE" -> 'd';
                            default -> 's';
                        }));
            case 2 -> {
                String second = segments.get(1);
                if (second.equals("_search") || second.equals("_history")) {
                    needed.add(new Requirement(type, 's'));
                } else if (second.startsWith("$")) {
                    operation(type, second, needed);
                } else {
                    needed.add(new Requirement(
                            type,
                            switch (method) {
                                case "PUT", "PATCH" -> 'u';
                                case "DELETE" -> 'd';
                                case "POST" -> 'c';
                                default -> 'r';
                            }));
                }
            }
            default -> {
                String third = segments.get(2);
                if (third.startsWith("$")) {
                    operation(type, third, needed);
                } else {
                    needed.add(new Requirement(type, read ? 'r' : 'u')); // _history, _history/{vid}
                }
            }
        }
        if (needed.stream().anyMatch(r -> r.interaction() == 's')) {
            reachingParameters(query, needed);
        }
        return needed;
    }

    private static void operation(String type, String operation, List<Requirement> needed) {
        switch (operation) {
            case "$everything" -> everything(needed);
            case "$merge", "$unmerge" -> needed.add(new Requirement(type, 'u'));
            default -> {
                if (operation.startsWith("$export")) {
                    everything(needed);
                } else {
                    needed.add(new Requirement(type, 's')); // $match, $lastn, $trend, $ihe-pix: searches
                }
            }
        }
    }

    private static void everything(List<Requirement> needed) {
        needed.add(new Requirement("*", 'r'));
        needed.add(new Requirement("*", 's'));
    }

    private static void reachingParameters(Map<String, List<String>> query, List<Requirement> needed) {
        if (query == null) {
            return;
        }
        query.forEach((name, values) -> {
            String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            if (base.equals("_include") || base.equals("_revinclude")) {
                for (String value : values) {
                    String[] parts = value.split(":");
                    if (base.equals("_revinclude")) {
                        needed.add(new Requirement(parts[0], 'r'));
                    } else {
                        needed.add(new Requirement(parts.length > 2 ? parts[2] : "*", 'r'));
                    }
                }
            } else if (name.startsWith("_has:")) {
                String[] parts = name.split(":");
                if (parts.length > 1) {
                    needed.add(new Requirement(parts[1], 's'));
                }
            } else if (name.contains(".")) {
                // a chain: subject:Patient.name searches Patient; without a type, every type it may reach
                String link = name.substring(0, name.indexOf('.'));
                int colon = link.indexOf(':');
                needed.add(new Requirement(colon < 0 ? "*" : link.substring(colon + 1), 's'));
            }
        });
    }
}
