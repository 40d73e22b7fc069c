package health.tessera.bench.matching;

import health.tessera.patient.matching.PersonRecord;

/** A record and the true identity it belongs to (only the benchmark's scoring reads {@code entity}). */
public record LabeledRecord(PersonRecord record, String entity) {}
