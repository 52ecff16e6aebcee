"""Open data of the 政府信息公开目录: the whole catalogue as bulk downloads and its DCAT-AP
description.

- `actions.open_data_export` writes every live, public document as CSV (UTF-8 with BOM, for
  Excel) and as JSON Lines into the private storage (`opendata/`), with a small manifest (time,
  count, size, SHA-256 of each file); `manage.py export_open_data` runs it (daily, cron or a
  timer) or queues it for the worker (`--queue`). A new export purges the front cache's copies.
- `views` serves the files at /xxgk/sjxz/disclosures.csv and .jsonl with Last-Modified, an ETag
  (the file's SHA-256), conditional answers (304) and public Cache-Control.
- `catalogue.dcat_catalogue` builds the DCAT-AP catalogue (JSON-LD) of
  GET /api/v1/catalogue.jsonld: the dataset with its three distributions (CSV, JSON Lines and the
  paginated JSON API).
"""
