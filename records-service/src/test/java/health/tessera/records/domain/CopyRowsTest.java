package health.tessera.records.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CopyRowsTest {

    @Test
    void instantsAreWrittenAsPostgresReadsThemForEveryYearAFhirDateReaches() {
        assertThat(CopyRows.timestamptz(Instant.parse("2026-11-25T09:30:00.123456Z")))
                .isEqualTo("2026-11-25 09:30:00.123456000+00");
        // the end of 9999-12-31, the exclusive upper bound of that day
        assertThat(CopyRows.timestamptz(Instant.parse("+10000-01-01T00:00:00Z")))
                .isEqualTo("10000-01-01 00:00:00.000000000+00");
        assertThat(CopyRows.timestamptz(Instant.parse("0001-01-01T00:00:00Z")))
                .isEqualTo("0001-01-01 00:00:00.000000000+00");
        // 0001-01-01T00:00:00+14:00 is the year 0 in UTC: 1 BC
        assertThat(CopyRows.timestamptz(Instant.parse("0000-12-31T10:00:00Z")))
                .isEqualTo("0001-12-31 10:00:00.000000000+00 BC");
    }

    @Test
    void valuesAreEscapedAsCopyTextFormatWantsThem() {
        CopyRows rows = new CopyRows();
        rows.value("{\"note\":\"line\\none\"}")
                .value(null)
                .value("tab\there\r\nand \\ and\\\\")
                .endRow();
        rows.value("plain").value(42).value("").endRow();
        assertThat(rows.rendered())
                .isEqualTo(
                        "{\"note\":\"line\\\\none\"}\t\\N\ttab\\there\\r\\nand \\\\ and\\\\\\\\\n" + "plain\t42\t\n");
    }
}
