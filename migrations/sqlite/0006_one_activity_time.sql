-- staff.last_seen_at (since 0001) already records activity; 0005's last_active_at said the
-- same thing twice.
ALTER TABLE staff DROP COLUMN last_active_at;
