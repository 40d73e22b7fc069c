package health.tessera.records.domain.search;

import java.util.ArrayList;
import java.util.List;

/** A SQL condition under construction: its text and its bind values, in order. */
public final class SearchQuery {

    public final StringBuilder sql = new StringBuilder();
    public final List<Object> parameters = new ArrayList<>();

    SearchQuery append(String text, Object... values) {
        sql.append(text);
        parameters.addAll(List.of(values));
        return this;
    }
}
