-- Finding a patient by identifier (conditional create, identifier search): JSONB containment on the resource.
CREATE INDEX patient_resource_containment ON patient USING gin (resource jsonb_path_ops);
