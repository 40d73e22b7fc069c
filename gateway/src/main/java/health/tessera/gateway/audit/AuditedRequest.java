package health.tessera.gateway.audit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a request at the gateway asks for, in the terms of a FHIR AuditEvent: the interaction, its action code
 * and the resource (and patient) it names. Worked out from the method, path and query alone, before or without
 * the services' answer.
 */
record AuditedRequest(String interaction, String action, String resourceType, String resourceId, String patientId) {

    static AuditedRequest of(String method, String path, String rawQuery) {
        List<String> segments = java.util.Arrays.stream(path.split("/"))
                .filter(s -> !s.isEmpty())
                .toList();
        if (segments.isEmpty()) {
            return new AuditedRequest("other", "E", null, null, null);
        }
        if (segments.get(0).equals("mpi")) {
            return new AuditedRequest("admin", actionOf(method), null, null, null);
        }
        List<String> fhir = segments.subList(1, segments.size()); // after /fhir
        if (fhir.isEmpty()) {
            return method.equals("POST")
                    ? new AuditedRequest("bundle", "E", null, null, null)
                    : new AuditedRequest("search", "R", null, null, null);
        }
        String first = fhir.get(0);
        if (first.equals("metadata") || first.equals(".well-known")) {
            return new AuditedRequest("capabilities", "R", null, null, null);
        }
        if (first.startsWith("$")) {
            return new AuditedRequest("operation", "E", null, null, null);
        }
        String type = first;
        String second = fhir.size() > 1 ? fhir.get(1) : null;
        String id = second == null || second.startsWith("_") || second.startsWith("$") ? null : second;
        String patient = type.equals("Patient") && id != null ? id : patientParameter(rawQuery);
        String last = fhir.get(fhir.size() - 1);
        String interaction;
        String action;
        if (last.startsWith("$") || (fhir.size() > 2 && fhir.get(2).startsWith("$"))) {
            interaction = "operation";
            action = "E";
        } else if (fhir.contains("_history")) {
            interaction = fhir.size() == 4 ? "vread" : "history";
            action = "R";
        } else if ("_search".equals(second)) {
            interaction = "search";
            action = "R";
        } else if (id == null) {
            interaction = switch (method) {
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> "search";
            };
            action = actionOf(method);
        } else {
            interaction = switch (method) {
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> "read";
            };
            action = actionOf(method);
        }
        return new AuditedRequest(interaction, action, type, id, patient);
    }

    private static String actionOf(String method) {
        return switch (method) {
            case "POST" -> "C";
            case "PUT", "PATCH" -> "U";
            case "DELETE" -> "D";
            default -> "R";
        };
    }

    /** The one patient a search or operation names with {@code patient=} or {@code subject=Patient/…}. */
    private static String patientParameter(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq);
            String value;
            try {
                value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                continue; // the request itself is refused as 400; the audit names no patient
            }
            if ((name.equals("patient") || name.equals("subject")) && !value.contains(",")) {
                if (value.startsWith("Patient/")) {
                    return value.substring("Patient/".length());
                }
                if (name.equals("patient") && !value.contains("/")) {
                    return value;
                }
            }
        }
        return null;
    }
}
