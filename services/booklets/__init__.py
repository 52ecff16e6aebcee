"""编册 and 印卡: the printed channels of the service guides.

- 办事指南汇编 (booklet): an A4 PDF of every guide of a service centre, of a district or of a topic
  (cover, table of contents with page numbers, one section per guide, page numbers, the date of
  the data). Small sets are built in the request; large ones by the task worker. A built booklet is
  kept in the cache under the current *generation*, which a guide's or centre's publish, unpublish,
  move or delete advances (`signals`), so a booklet lives until one of its guides changes.
- 一次告知单 (card): one page per guide, A4 or A5, with the materials to bring, the time limit, the
  fee, the phone and a QR code of the guide's page.

Layers: `selectors` (reads, a fixed number of queries), `pdf` (rendering, no database), `actions`
(build and store), `tasks` (the worker's entry), `signals`, `views`.
"""
