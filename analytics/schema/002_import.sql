-- 002: spreadsheet import details. One row per file of an import batch (the change set of kind 'import'):
-- its name, SHA-256, size, format and encoding as read, and the per-sheet report (kind, header row, counts,
-- problems) as JSON, so that the history shows what each file brought and a re-upload can be recognised.
CREATE TABLE IF NOT EXISTS import_files (
    change_id     BIGINT NOT NULL,        -- changes.change_id of the batch
    file_no       INTEGER NOT NULL,       -- 1, 2, … within the batch
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    size_bytes    BIGINT,
    format        VARCHAR,                -- xlsx / xls / ods / csv / tsv
    encoding      VARCHAR,                -- text files: the encoding detected
    report_json   VARCHAR,                -- {"sheets": [...], "skipped": [...]} as printed by `import --json`
    PRIMARY KEY (change_id, file_no)
);
