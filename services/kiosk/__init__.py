"""进屏: the lobby touch-screen mode at /kiosk/ (and /kiosk/<centre>/ for one centre's screen).

Guides by topic and by centre, a case lookup with an on-screen keypad (portal.cases.lookup, with its
rate limits and checks), and QR codes to continue on one's phone. Nothing personal stays on the
screen: the lookup's answer is never stored (no session, no cookie, no-store), and static/kiosk/
kiosk.js returns to the start screen after each lookup and after an idle period."""
