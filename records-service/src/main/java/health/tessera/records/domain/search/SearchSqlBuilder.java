package health.tessera.records.domain.search;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import health.tessera.fhir.FhirException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.DateTimeType;

/**
 * Turns FHIR search parameters into SQL over the search index (ARCHITECTURE.md §1: records-service search).
 * Values of one parameter separated by commas are OR-ed; repeated parameters are AND-ed. Everything a
 * client writes goes in as a bind value, never into the SQL text.
 *
 * <p>Supported: token ({@code system|code}, {@code |code}, {@code system|}, {@code :not}, {@code :text}),
 * string (prefix, {@code :exact}, {@code :contains}), date and quantity/number with every prefix (eq, ne,
 * lt, gt, le, ge, sa, eb, ap), reference ({@code Type/id}, bare id, absolute URL, {@code :Type}),
 * {@code _id}, {@code _lastUpdated}, {@code _tag}, chains one level deep into records and patients (the projection),
 * and {@code _has}.
 */
public final class SearchSqlBuilder {

    static final Set<String> DATE_PREFIXES = Set.of("eq", "ne", "lt", "gt", "le", "ge", "sa", "eb", "ap");

    private final SearchParameterRegistry registry;

    public SearchSqlBuilder(SearchParameterRegistry registry) {
        this.registry = registry;
    }

    /** A condition on the record aliased {@code alias} for {@code name[:modifier]=value}. */
    public SearchQuery condition(
            String resourceType, String alias, String organization, String parameterName, String value) {
        if (parameterName.startsWith("_has:")) {
            return has(resourceType, alias, organization, parameterName, value);
        }
        ParameterName parsed = ParameterName.of(parameterName);
        String name = parsed.name();
        String modifier = parsed.modifier();
        String chain = parsed.chain();
        List<String> values = splitValues(value);
        if (name.equals("_id")) {
            return idCondition(alias, values, modifier);
        }
        if (name.equals("_lastUpdated")) {
            return orOf(
                    values,
                    v -> dateCondition(alias + ".last_updated", alias + ".last_updated + interval '1 millisecond'", v));
        }
        java.util.Optional<CompositeParameter> composite = registry.findComposite(resourceType, name);
        if (composite.isPresent()) {
            if (chain != null || modifier != null) {
                throw FhirException.badRequest("The composite parameter " + name + " takes no modifier or chain");
            }
            return orOf(values, v -> compositeCondition(composite.get(), alias, organization, v));
        }
        SearchParameter parameter =
                registry.find(resourceType, name).orElseThrow(() -> new UnknownParameterException(name));
        if (chain != null) {
            return chained(parameter, alias, organization, modifier, chain, value);
        }
        if ("missing".equals(modifier)) {
            return missing(parameter, alias, value);
        }
        return switch (parameter.kind()) {
            case TOKEN, URI -> tokens(parameter, alias, modifier, values);
            case STRING -> strings(parameter, alias, modifier, values);
            case DATE ->
                indexed("search_date", parameter, alias, false, values, v -> dateCondition("x.low", "x.high", v));
            case QUANTITY, NUMBER ->
                indexed("search_number", parameter, alias, false, values, SearchSqlBuilder::numberCondition);
            case REFERENCE ->
                indexed("search_reference", parameter, alias, false, values, v -> referenceCondition(modifier, v));
        };
    }

    /**
     * The index rows a plain reference to a patient selects ({@code patient=123}, {@code subject=Patient/123},
     * {@code subject:Patient=123}: one value, no chain, at most a type as modifier) as a row source of {@code (id,
     * resource_type)}, or empty for any other condition. Such rows are few (a patient's records are hundreds among
     * millions), so a search can start from them and test its other conditions on them before it looks a single
     * record up: PostgreSQL cannot do that with each condition an EXISTS on the record, since each then needs the
     * record first (RecordSearch). A reference to anything else may be to an organisation that millions of records
     * name, which is no place to start.
     */
    public java.util.Optional<SearchQuery> referenceRows(String resourceType, String parameterName, String value) {
        if (parameterName.startsWith("_") || value.isEmpty()) {
            return java.util.Optional.empty();
        }
        ParameterName parsed = ParameterName.of(parameterName);
        String modifier = parsed.modifier();
        List<String> values = splitValues(value);
        boolean typeModifier = modifier == null || (!modifier.isEmpty() && Character.isUpperCase(modifier.charAt(0)));
        if (parsed.chain() != null
                || !typeModifier
                || values.size() != 1
                || registry.findComposite(resourceType, parsed.name()).isPresent()) {
            return java.util.Optional.empty();
        }
        return registry.find(resourceType, parsed.name())
                .filter(parameter -> parameter.kind() == ParameterKind.REFERENCE)
                .flatMap(parameter -> {
                    ReferenceValue reference = ReferenceValue.of(modifier, values.get(0));
                    if (!parameter.storedTargetTypes().equals(Set.of("Patient"))
                            && !"Patient".equals(reference.type())) {
                        return java.util.Optional.empty();
                    }
                    SearchQuery rows = rowsOf(parameter);
                    SearchQuery target = referenceCondition(reference);
                    return java.util.Optional.of(new SearchQuery()
                            .append(
                                    "SELECT x.id, x.resource_type FROM search_reference x WHERE x.resource_type = ?"
                                            + " AND ",
                                    resourceType)
                            .append(rows.sql.toString(), rows.parameters.toArray())
                            .append(" AND ")
                            .append(target.sql.toString(), target.parameters.toArray()));
                });
    }

    /** Whether the condition of {@code parameterName} reads a column of the record besides its id and type. */
    public static boolean readsRecordColumns(String parameterName) {
        return parameterName.startsWith("_lastUpdated");
    }

    /** Thrown for a parameter the type does not have; the caller decides between 400 and lenient handling. */
    public static final class UnknownParameterException extends RuntimeException {
        public UnknownParameterException(String name) {
            super(name, null, false, false);
        }
    }

    private interface ValueCondition {
        SearchQuery apply(String value);
    }

    private static SearchQuery orOf(List<String> values, ValueCondition condition) {
        SearchQuery query = new SearchQuery().append("(");
        for (int i = 0; i < values.size(); i++) {
            SearchQuery one = condition.apply(values.get(i));
            query.append(i == 0 ? "" : " OR ").append("(" + one.sql + ")", one.parameters.toArray());
        }
        return query.append(")");
    }

    /** EXISTS over one index table, restricted to the parameter, with the values OR-ed. */
    private static SearchQuery indexed(
            String table,
            SearchParameter parameter,
            String alias,
            boolean negate,
            List<String> values,
            ValueCondition condition) {
        return rowExists(table, parameter, alias, negate, orOf(values, condition));
    }

    /**
     * [NOT] EXISTS a row of {@code parameter} in {@code table} for the record {@code alias} that meets {@code
     * condition} (null: any row).
     */
    private static SearchQuery rowExists(
            String table, SearchParameter parameter, String alias, boolean negate, SearchQuery condition) {
        SearchQuery rows = rowsOf(parameter);
        SearchQuery exists = new SearchQuery()
                .append((negate ? "NOT " : "") + "EXISTS (SELECT 1 FROM " + table + " x WHERE x.id = " + alias
                        + ".id AND x.resource_type = " + alias + ".resource_type AND ")
                .append(rows.sql.toString(), rows.parameters.toArray());
        if (condition != null) {
            exists.append(" AND ").append(condition.sql.toString(), condition.parameters.toArray());
        }
        return exists.append(")");
    }

    /**
     * The index rows (aliased {@code x}) of {@code parameter}: its own, those of the parameters it is the union of,
     * or those of the parameter it narrows to some target types ({@link SearchParameter#storedTargetTypes}).
     */
    public static SearchQuery rowsOf(SearchParameter parameter) {
        SearchQuery rows = parameter.hasOwnRows()
                ? new SearchQuery().append("x.param = ?", parameter.name())
                : new SearchQuery().append("x.param = ANY (?)", (Object)
                        parameter.storedAs().toArray(String[]::new));
        if (!parameter.storedTargetTypes().isEmpty()) {
            rows.append(" AND x.target_type = ANY (?)", (Object)
                    parameter.storedTargetTypes().toArray(String[]::new));
        }
        return rows;
    }

    /**
     * One value of a composite parameter, {@code first$second}: on the record, both component conditions; paired,
     * one index row whose param names the first value and whose value meets the second; a union, either form.
     */
    private SearchQuery compositeCondition(
            CompositeParameter composite, String alias, String organization, String value) {
        if (!composite.unionOf().isEmpty()) {
            return orOf(
                    composite.unionOf(),
                    form -> compositeCondition(
                            registry.findComposite(composite.resourceType(), form)
                                    .orElseThrow(),
                            alias,
                            organization,
                            value));
        }
        int dollar = value.indexOf('$');
        if (dollar <= 0 || dollar == value.length() - 1 || value.indexOf('$', dollar + 1) >= 0) {
            throw FhirException.badRequest("The composite parameter " + composite.name()
                    + " takes two values joined by $, e.g. http://loinc.org|8480-6$gt140; not '" + value + "'");
        }
        String firstValue = value.substring(0, dollar);
        String secondValue = value.substring(dollar + 1);
        SearchParameter first = composite.components().get(0);
        SearchParameter second = composite.components().get(1);
        if (composite.onRecord()) {
            SearchQuery a = condition(composite.resourceType(), alias, organization, first.name(), firstValue);
            SearchQuery b = condition(composite.resourceType(), alias, organization, second.name(), secondValue);
            return new SearchQuery()
                    .append("(" + a.sql + ") AND (", a.parameters.toArray())
                    .append(b.sql + ")", b.parameters.toArray());
        }
        SearchQuery secondCondition = switch (second.kind()) {
            case TOKEN, URI -> tokenCondition(secondValue);
            case STRING -> startsWith(secondValue);
            case DATE -> dateCondition("x.low", "x.high", secondValue);
            case QUANTITY, NUMBER -> numberCondition(secondValue);
            case REFERENCE -> referenceCondition(null, secondValue);
        };
        SearchQuery key = pairedKey(composite, first.kind(), firstValue);
        return new SearchQuery()
                .append("EXISTS (SELECT 1 FROM " + tableOf(second.kind()) + " x WHERE x.id = " + alias + ".id AND"
                        + " x.resource_type = " + alias + ".resource_type AND ")
                .append(key.sql.toString(), key.parameters.toArray())
                .append(" AND (" + secondCondition.sql + "))", secondCondition.parameters.toArray());
    }

    /**
     * The condition on a paired row's param for the composite's first value: a token as {@code system|code},
     * {@code |code}, {@code code} (any system) or {@code system|} (any code); a reference as {@code Type/id} or an id.
     */
    private static SearchQuery pairedKey(CompositeParameter composite, ParameterKind kind, String firstValue) {
        String anyPrefix = escapeLike(composite.key(""));
        if (kind == ParameterKind.REFERENCE) {
            String reference = firstValue.replaceFirst("/_history/.*$", "");
            String[] segments = reference.split("/");
            return segments.length >= 2
                    ? new SearchQuery()
                            .append(
                                    "x.param = ?",
                                    composite.key(segments[segments.length - 2] + "/" + segments[segments.length - 1]))
                    : new SearchQuery().append("x.param LIKE ?", anyPrefix + "%/" + escapeLike(reference));
        }
        int bar = firstValue.indexOf('|');
        if (bar < 0) {
            return new SearchQuery().append("x.param LIKE ?", anyPrefix + "%|" + escapeLike(firstValue));
        }
        if (bar == firstValue.length() - 1 && bar > 0) {
            return new SearchQuery().append("x.param LIKE ?", escapeLike(composite.key(firstValue)) + "%");
        }
        return new SearchQuery().append("x.param = ?", composite.key(firstValue));
    }

    static String tableOf(ParameterKind kind) {
        return switch (kind) {
            case TOKEN, URI -> "search_token";
            case STRING -> "search_string";
            case DATE -> "search_date";
            case QUANTITY, NUMBER -> "search_number";
            case REFERENCE -> "search_reference";
        };
    }

    /** {@code param:missing=true}: the record has no value for the parameter; {@code false}: it has one. */
    private static SearchQuery missing(SearchParameter parameter, String alias, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw FhirException.badRequest(parameter.name() + ":missing takes true or false, not " + value);
        }
        return rowExists(tableOf(parameter.kind()), parameter, alias, value.equals("true"), null);
    }

    private static SearchQuery idCondition(String alias, List<String> values, String modifier) {
        if (modifier != null) {
            throw FhirException.badRequest("_id takes no modifier");
        }
        List<java.util.UUID> ids = new ArrayList<>();
        for (String value : values) {
            health.tessera.fhir.ResourceIds.asUuid(value).ifPresent(ids::add);
        }
        return new SearchQuery().append(alias + ".id = ANY (?)", (Object) ids.toArray(new java.util.UUID[0]));
    }

    private static SearchQuery tokens(SearchParameter parameter, String alias, String modifier, List<String> values) {
        if (modifier == null || modifier.equals("not")) {
            return indexed(
                    "search_token", parameter, alias, "not".equals(modifier), values, SearchSqlBuilder::tokenCondition);
        }
        if (modifier.equals("text")) {
            return indexed(
                    "search_token",
                    parameter,
                    alias,
                    false,
                    values,
                    v -> new SearchQuery().append("x.text ILIKE ?", "%" + escapeLike(v) + "%"));
        }
        throw FhirException.badRequest(
                "Modifier :" + modifier + " is not supported on token parameter " + parameter.name());
    }

    private static SearchQuery tokenCondition(String value) {
        int bar = value.indexOf('|');
        if (bar < 0) {
            return new SearchQuery().append("x.code = ?", value);
        }
        String system = value.substring(0, bar);
        String code = value.substring(bar + 1);
        if (system.isEmpty()) {
            return new SearchQuery().append("x.system IS NULL AND x.code = ?", code);
        }
        if (code.isEmpty()) {
            return new SearchQuery().append("x.system = ?", system);
        }
        return new SearchQuery().append("x.system = ? AND x.code = ?", system, code);
    }

    /** A string search's default: the normalised value (case and accents ignored) starts with the given one. */
    private static SearchQuery startsWith(String value) {
        return new SearchQuery().append("x.normalized LIKE ?", escapeLike(SearchIndexer.normalize(value)) + "%");
    }

    private static SearchQuery strings(SearchParameter parameter, String alias, String modifier, List<String> values) {
        if (modifier == null) {
            return indexed("search_string", parameter, alias, false, values, SearchSqlBuilder::startsWith);
        }
        return switch (modifier) {
            case "exact" ->
                indexed(
                        "search_string",
                        parameter,
                        alias,
                        false,
                        values,
                        v -> new SearchQuery().append("x.exact = ?", v));
            case "contains" ->
                indexed(
                        "search_string",
                        parameter,
                        alias,
                        false,
                        values,
                        v -> new SearchQuery()
                                .append("x.normalized LIKE ?", "%" + escapeLike(SearchIndexer.normalize(v)) + "%"));
            default ->
                throw FhirException.badRequest(
                        "Modifier :" + modifier + " is not supported on string parameter " + parameter.name());
        };
    }

    /** A date comparison between the indexed range [low, high) and the value's range at its precision. */
    static SearchQuery dateCondition(String low, String high, String raw) {
        String prefix = prefixOf(raw);
        String text = raw.substring(prefix == null ? 0 : 2);
        Instant[] range;
        try {
            DateTimeType value = new DateTimeType(text);
            if (value.getPrecision().ordinal() > TemporalPrecisionEnum.DAY.ordinal() && value.getTimeZone() == null) {
                throw new IllegalArgumentException("a time needs a time zone");
            }
            range = SearchIndexer.range(value);
        } catch (RuntimeException e) {
            throw FhirException.badRequest(
                    "Invalid date '" + raw + "': use e.g. 2026-11-25, ge2026-01 or 2026-11-25T10:00:00Z");
        }
        Timestamp from = Timestamp.from(range[0]);
        Timestamp to = Timestamp.from(range[1]);
        return switch (prefix == null ? "eq" : prefix) {
            case "eq" -> new SearchQuery().append(low + " >= ? AND " + high + " <= ?", from, to);
            case "ne" -> new SearchQuery().append("NOT (" + low + " >= ? AND " + high + " <= ?)", from, to);
            case "lt" -> new SearchQuery().append(low + " < ?", from);
            case "gt" -> new SearchQuery().append(high + " > ?", to);
            case "le" -> new SearchQuery().append(low + " < ?", to);
            case "ge" -> new SearchQuery().append(high + " > ?", from);
            case "sa" -> new SearchQuery().append(low + " >= ?", to);
            case "eb" -> new SearchQuery().append(high + " <= ?", from);
            default -> { // ap: overlaps the value widened by a tenth of its distance from now, at least a day
                long distance = Math.abs(Instant.now().toEpochMilli() - range[0].toEpochMilli()) / 10;
                long margin = Math.max(distance, 86_400_000L);
                yield new SearchQuery()
                        .append(
                                low + " < ? AND " + high + " > ?",
                                Timestamp.from(range[1].plusMillis(margin)),
                                Timestamp.from(range[0].minusMillis(margin)));
            }
        };
    }

    /** {@code [prefix]number[|system|code]}: eq matches the range the number's precision implies. */
    static SearchQuery numberCondition(String raw) {
        String[] parts = raw.split("\\|", -1);
        String prefix = prefixOf(parts[0]);
        BigDecimal number;
        try {
            number = new BigDecimal(parts[0].substring(prefix == null ? 0 : 2));
        } catch (NumberFormatException e) {
            throw FhirException.badRequest(
                    "Invalid number '" + raw + "': use e.g. 120, ge5.4 or 5.4|http://unitsofmeasure.org|mg");
        }
        BigDecimal half =
                BigDecimal.ONE.movePointLeft(Math.max(number.scale(), 0)).divide(BigDecimal.valueOf(2));
        SearchQuery query = switch (prefix == null ? "eq" : prefix) {
            case "eq" ->
                new SearchQuery().append("x.value >= ? AND x.value < ?", number.subtract(half), number.add(half));
            case "ne" ->
                new SearchQuery().append("NOT (x.value >= ? AND x.value < ?)", number.subtract(half), number.add(half));
            case "lt", "eb" -> new SearchQuery().append("x.value < ?", number);
            case "gt", "sa" -> new SearchQuery().append("x.value > ?", number);
            case "le" -> new SearchQuery().append("x.value <= ?", number);
            case "ge" -> new SearchQuery().append("x.value >= ?", number);
            default -> { // ap: within 10 %
                BigDecimal tenth = number.abs().divide(BigDecimal.TEN);
                yield new SearchQuery()
                        .append("x.value >= ? AND x.value <= ?", number.subtract(tenth), number.add(tenth));
            }
        };
        if (parts.length >= 3) {
            if (!parts[2].isEmpty()) {
                query.append(" AND x.code = ?", parts[2]);
            }
            if (!parts[1].isEmpty()) {
                query.append(" AND x.system = ?", parts[1]);
            }
        }
        return query;
    }

    private static SearchQuery referenceCondition(String modifier, String raw) {
        return referenceCondition(ReferenceValue.of(modifier, raw));
    }

    private static SearchQuery referenceCondition(ReferenceValue reference) {
        SearchQuery target = targetCondition(reference.id());
        return reference.type() == null ? target : target.append(" AND x.target_type = ?", reference.type());
    }

    /** {@code name[:modifier][.chain]}, the name of a search parameter as a query writes it. */
    private record ParameterName(String name, String modifier, String chain) {
        static ParameterName of(String parameterName) {
            int dot = parameterName.indexOf('.');
            String chain = dot > 0 ? parameterName.substring(dot + 1) : null;
            String withModifier = dot > 0 ? parameterName.substring(0, dot) : parameterName;
            int colon = withModifier.indexOf(':');
            return new ParameterName(
                    colon > 0 ? withModifier.substring(0, colon) : withModifier,
                    colon > 0 ? withModifier.substring(colon + 1) : null,
                    chain);
        }
    }

    /**
     * A reference search value ({@code Type/id}, a bare id with the type from a {@code :Type} modifier, a URL,
     * a version) as the target's type (null when neither says) and id; a type other than the modifier's is a 400.
     */
    private record ReferenceValue(String type, String id) {
        static ReferenceValue of(String modifier, String raw) {
            String value = raw;
            int history = value.indexOf("/_history/");
            if (history > 0) {
                value = value.substring(0, history);
            }
            String[] segments = value.split("/");
            String type = segments.length >= 2 ? segments[segments.length - 2] : modifier;
            if (modifier != null && segments.length >= 2 && !modifier.equals(type)) {
                throw FhirException.badRequest("Reference " + raw + " does not match the modifier :" + modifier);
            }
            return new ReferenceValue(type, segments[segments.length - 1]);
        }
    }

    /**
     * The reference rows pointing at {@code id}: by UUID for the ids Tessera gives, as text for any other (each
     * row is in one of the two target indexes, V17).
     */
    static SearchQuery targetCondition(String id) {
        return health.tessera.fhir.ResourceIds.asUuid(id)
                .map(uuid -> new SearchQuery().append("x.target_uuid = ?", uuid))
                .orElseGet(() -> new SearchQuery().append("x.target_uuid IS NULL AND x.target_id = ?", id));
    }

    /**
     * {@code param[:Type].chained=value}: the reference's target, a record or a patient, matches. Without a
     * type, every records-service type the reference may point at and that has the chained parameter is tried.
     */
    private SearchQuery chained(
            SearchParameter parameter, String alias, String organization, String modifier, String chain, String value) {
        if (parameter.kind() != ParameterKind.REFERENCE) {
            throw FhirException.badRequest("Only reference parameters can be chained: " + parameter.name());
        }
        if (chain.contains(".")) {
            throw FhirException.badRequest("Chains are supported one level deep");
        }
        Set<String> candidates = modifier != null
                ? Set.of(modifier)
                : !parameter.targetTypes().isEmpty()
                        ? parameter.targetTypes()
                        : !parameter.declaredTargets().isEmpty()
                                ? parameter.declaredTargets()
                                : health.tessera.fhir.ResourceOwnership.RECORDS.resourceTypes();
        SearchQuery targets = new SearchQuery().append("(");
        int matched = 0;
        for (String targetType : new java.util.TreeSet<>(candidates)) {
            if (!health.tessera.fhir.ResourceOwnership.RECORDS.owns(targetType)) {
                continue;
            }
            SearchQuery inner;
            try {
                inner = condition(targetType, "t", organization, chain, value);
            } catch (UnknownParameterException e) {
                continue; // this target type has no such parameter
            }
            targets.append(matched++ == 0 ? "" : " OR ")
                    .append("(x.target_type = ? AND ", targetType)
                    .append(inner.sql.toString(), inner.parameters.toArray())
                    .append(")");
        }
        targets.append(")");
        SearchQuery patients = candidates.contains("Patient")
                ? chainedIntoPatient(parameter, alias, organization, chain, value)
                : null;
        if (matched == 0 && patients == null) {
            throw FhirException.badRequest("Cannot chain " + parameter.name() + "." + chain
                    + ": no target type of this server has that parameter");
        }
        SearchQuery rows = rowsOf(parameter);
        SearchQuery records = new SearchQuery()
                .append(
                        "EXISTS (SELECT 1 FROM search_reference x JOIN record t ON t.resource_type = x.target_type AND t.id = x.target_uuid"
                                + " WHERE x.id = " + alias + ".id AND x.resource_type = " + alias
                                + ".resource_type AND ")
                .append(rows.sql.toString(), rows.parameters.toArray())
                .append(" AND t.organization = ? AND NOT t.deleted AND ", organization)
                .append(targets.sql.toString(), targets.parameters.toArray())
                .append(")");
        if (patients == null) {
            return records;
        }
        if (matched == 0) {
            return patients;
        }
        return new SearchQuery()
                .append("(")
                .append(records.sql.toString(), records.parameters.toArray())
                .append(" OR ")
                .append(patients.sql.toString(), patients.parameters.toArray())
                .append(")");
    }

    /**
     * The Patient side of a chain: patients live in patient-service, and records-service keeps (and indexes)
     * its projection of them, so the chained parameter is matched there, among the caller's organisation's
     * patients. Null when Patient has no such parameter.
     */
    private SearchQuery chainedIntoPatient(
            SearchParameter parameter, String alias, String organization, String chain, String value) {
        SearchQuery inner;
        try {
            inner = condition("Patient", "t", organization, chain, value);
        } catch (UnknownParameterException e) {
            return null;
        }
        SearchQuery rows = rowsOf(parameter);
        return new SearchQuery()
                .append(
                        "EXISTS (SELECT 1 FROM search_reference x JOIN patient_projection pp ON pp.patient_id = x.target_id"
                                + " CROSS JOIN LATERAL (SELECT 'Patient'::text AS resource_type, x.target_uuid AS id,"
                                + " pp.updated_at AS last_updated) t"
                                + " WHERE x.id = " + alias + ".id AND x.resource_type = " + alias
                                + ".resource_type AND ")
                .append(rows.sql.toString(), rows.parameters.toArray())
                .append(" AND x.target_type = 'Patient' AND pp.organization = ? AND NOT pp.deleted AND ", organization)
                .append(inner.sql.toString(), inner.parameters.toArray())
                .append(")");
    }

    /** {@code _has:Type:reference:param=value}: some Type that points here through reference matches. */
    private SearchQuery has(String resourceType, String alias, String organization, String name, String value) {
        String[] parts = name.split(":");
        if (parts.length != 4) {
            throw FhirException.badRequest("_has takes the form _has:Type:reference:parameter=value");
        }
        String type = parts[1];
        if (!health.tessera.fhir.ResourceOwnership.RECORDS.owns(type)) {
            throw FhirException.badRequest("_has over " + type + " is not supported by this server");
        }
        SearchParameter reference = registry.find(type, parts[2])
                .filter(p -> p.kind() == ParameterKind.REFERENCE)
                .orElseThrow(() -> FhirException.badRequest(type + " has no reference parameter " + parts[2]));
        SearchQuery inner = condition(type, "h", organization, parts[3], value);
        SearchQuery rows = rowsOf(reference);
        return new SearchQuery()
                .append(
                        "EXISTS (SELECT 1 FROM search_reference x JOIN record h ON h.resource_type = x.resource_type AND h.id = x.id"
                                + " WHERE x.resource_type = ? AND ",
                        type)
                .append(rows.sql.toString(), rows.parameters.toArray())
                .append(
                        " AND x.target_type = ? AND x.target_uuid = " + alias + ".id"
                                + " AND h.organization = ? AND NOT h.deleted AND ",
                        resourceType,
                        organization)
                .append(inner.sql.toString(), inner.parameters.toArray())
                .append(")");
    }

    /** The sort expression for one {@code _sort} key on the record aliased {@code r}. */
    public String sortExpression(String resourceType, String key) {
        boolean descending = key.startsWith("-");
        String name = descending ? key.substring(1) : key;
        String direction = descending ? " DESC NULLS LAST" : " ASC NULLS LAST";
        if (name.equals("_lastUpdated")) {
            return "r.last_updated" + direction;
        }
        if (name.equals("_id")) {
            return "r.id" + direction;
        }
        SearchParameter parameter =
                registry.find(resourceType, name).orElseThrow(() -> new UnknownParameterException(name));
        Map.Entry<String, String> column = switch (parameter.kind()) {
            case DATE -> Map.entry("search_date", descending ? "max(x.high)" : "min(x.low)");
            case STRING -> Map.entry("search_string", descending ? "max(x.normalized)" : "min(x.normalized)");
            case TOKEN, URI -> Map.entry("search_token", descending ? "max(x.code)" : "min(x.code)");
            case QUANTITY, NUMBER -> Map.entry("search_number", descending ? "max(x.value)" : "min(x.value)");
            case REFERENCE -> Map.entry("search_reference", descending ? "max(x.target_id)" : "min(x.target_id)");
        };
        return "(SELECT " + column.getValue() + " FROM " + column.getKey()
                + " x WHERE x.id = r.id AND x.resource_type = r.resource_type" + " AND x.param IN ("
                + literals(parameter.storedAs()) + ")"
                + (parameter.storedTargetTypes().isEmpty()
                        ? ""
                        : " AND x.target_type IN (" + literals(parameter.storedTargetTypes()) + ")")
                + ")"
                + direction;
    }

    /**
     * {@code names} as SQL string literals, comma-separated. Only for the registry's parameter names and resource
     * types, never client text: those can stand in the SQL.
     */
    private static String literals(java.util.Collection<String> names) {
        return names.stream()
                .map(name -> "'" + name.replace("'", "") + "'")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static String prefixOf(String value) {
        return value.length() > 2
                        && DATE_PREFIXES.contains(value.substring(0, 2))
                        && !Character.isLetter(value.charAt(2))
                ? value.substring(0, 2)
                : null;
    }

    /** Splits on commas not escaped with a backslash, and unescapes. */
    static List<String> splitValues(String value) {
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                current.append(value.charAt(++i));
            } else if (c == ',') {
                values.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        values.add(current.toString());
        return values;
    }

    static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
