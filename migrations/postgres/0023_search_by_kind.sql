-- Search per kind of document (issue 10). The planner estimates how common a word is from the
-- statistics of the whole search_docs table: 退货 is in a third of all documents (most of them
-- messages), so for orders and buyers — where it never occurs — it expected thousands of
-- matches, walked the primary key backwards for a page of them and read every order and buyer
-- to find none (228 ms and 361 ms at scale 1, for each search). Partitioned by kind, each
-- kind has its own statistics: a word absent from orders is looked up in the orders' GIN index
-- and found absent at once, and a common word is still read newest first from the key.
-- Copying the documents takes a while on a large store (about a minute per few million).
ALTER TABLE search_docs RENAME TO search_docs_old;
ALTER TABLE search_docs_old RENAME CONSTRAINT search_docs_pkey TO search_docs_old_pkey;
ALTER INDEX search_docs_tokens RENAME TO search_docs_old_tokens;

CREATE TABLE search_docs (
    kind   TEXT NOT NULL,
    doc_id UUID NOT NULL,
    tokens TSVECTOR NOT NULL,
    PRIMARY KEY (kind, doc_id)
) PARTITION BY LIST (kind);
CREATE TABLE search_docs_buyer PARTITION OF search_docs FOR VALUES IN ('buyer');
CREATE TABLE search_docs_ticket PARTITION OF search_docs FOR VALUES IN ('ticket');
CREATE TABLE search_docs_message PARTITION OF search_docs FOR VALUES IN ('message');
CREATE TABLE search_docs_order PARTITION OF search_docs FOR VALUES IN ('order');
CREATE TABLE search_docs_reply PARTITION OF search_docs FOR VALUES IN ('reply');
CREATE TABLE search_docs_article PARTITION OF search_docs FOR VALUES IN ('article');

INSERT INTO search_docs (kind, doc_id, tokens) SELECT kind, doc_id, tokens FROM search_docs_old;
DROP TABLE search_docs_old;
-- Built after the copy: one pass per partition instead of an update per row.
CREATE INDEX search_docs_tokens ON search_docs USING GIN (tokens);
ANALYZE search_docs;
