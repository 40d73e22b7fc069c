-- $everything pages through records of many types: its kept result sets carry each id's type.
ALTER TABLE search_result ADD COLUMN types TEXT[];
