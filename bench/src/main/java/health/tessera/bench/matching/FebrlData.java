package health.tessera.bench.matching;

import health.tessera.patient.matching.Identifier;
import health.tessera.patient.matching.PersonRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The FEBRL data sets (see {@code ../shared/data/febrl/README.md}): header line, fields separated by ", ", empty
 * means missing. {@code rec-N-org} and {@code rec-N-dup-K} are the same person N. The social security id becomes a
 * person identifier.
 */
public final class FebrlData {

    static final String SSN_SYSTEM = "urn:febrl:soc_sec_id";

    private FebrlData() {}

    public static DataSet deduplication(Path dir, String file) throws IOException {
        return new DataSet(file.replace(".csv", ""), read(dir.resolve(file)), null, Set.of(), Set.of());
    }

    public static DataSet linkage(Path dir, String left, String right) throws IOException {
        return new DataSet(
                left.replace(".csv", "") + " x " + right.replace(".csv", ""),
                read(dir.resolve(left)),
                read(dir.resolve(right)),
                Set.of(),
                Set.of());
    }

    public static List<LabeledRecord> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        List<LabeledRecord> out = new ArrayList<>(lines.size());
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            for (int k = 0; k < f.length; k++) {
                f[k] = f[k].strip();
            }
            String id = f[0];
            String entity = id.split("-")[1];
            String number = f[3];
            String street = (number + " " + f[4]).strip();
            PersonRecord r = PersonRecord.builder(id)
                    .given(f[1])
                    .family(f[2])
                    .address(List.of(street, f[5]), f[6], f[7], f[8])
                    .birthDate(f[9])
                    .identifier(SSN_SYSTEM, f[10], Identifier.Kind.PERSON)
                    .build();
            out.add(new LabeledRecord(r, entity));
        }
        return out;
    }
}
