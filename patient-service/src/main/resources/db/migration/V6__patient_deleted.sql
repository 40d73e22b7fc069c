-- A deleted source record keeps its row (and its history) as a tombstone: it leaves its enterprise identity,
-- searches, PIX and the matching index; reads answer 410. Its deletion is a version without content.
ALTER TABLE patient ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE patient_version ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE patient_version ALTER COLUMN resource DROP NOT NULL;
