-- Read marks (已读, issue 14): when the staff last read the buyer's messages (set as the
-- ticket page clears its unread mark) and when the buyer last saw the shop's (set as the chat
-- shows them). A message is read by the other side if it is no newer than their mark.
ALTER TABLE tickets ADD COLUMN staff_read_at TIMESTAMPTZ;
ALTER TABLE tickets ADD COLUMN buyer_read_at TIMESTAMPTZ;
