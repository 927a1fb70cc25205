-- Who changed what in the admin area, when and from where (issue 15). One row per change an
-- admin made (a form sent to an admin page and accepted); ids are UUID v7, so the primary key
-- is also the time order the log is read in, newest first.
CREATE TABLE audit_log (
    id          UUID PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    staff_id    UUID NOT NULL REFERENCES staff (id),
    action      TEXT NOT NULL,    -- what kind of change (domain::audit::AuditAction)
    method      TEXT NOT NULL,
    route       TEXT NOT NULL,    -- the route's pattern, e.g. /admin/staff/{id}
    path        TEXT NOT NULL,    -- the address itself, with the changed thing's id
    detail      TEXT NOT NULL,    -- the form's fields as JSON, passwords and tokens left out
    client_addr TEXT              -- the admin's address, when known
);
CREATE INDEX audit_by_staff ON audit_log (staff_id, id);
CREATE INDEX audit_by_action ON audit_log (action, id);
