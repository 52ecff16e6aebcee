"""Alerts (订阅提醒): e-mail subscriptions to a catalogue filter, a site search or a single page.

Layers, bottom up: `sources` (what a subscription can follow: the registry the apps fill, plus the
portal's own `search` and `page`), `tokens` (signed links), `models`, `mail` (the messages and their
RFC 8058 headers), `actions` (every write and the tasks that send), `selectors`, `views`,
`signals` (a page published → a change, an instant alert after the commit).

Double opt-in: a subscription is PENDING until the link in its confirmation mail is used (once);
only then does it receive mail. Every mail carries `List-Unsubscribe` (an https link) and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`: a POST to that link, without any CSRF token,
deletes the subscription and with it the address. Addresses are shown and logged only masked."""
