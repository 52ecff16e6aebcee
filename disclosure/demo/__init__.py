"""政府信息公开's part of the demo site (`manage.py load_demo_data`): the catalogue and its documents
(catalogue.py), a dozen current 依申请公开 requests in every state (requests.py), the 2025 request
history (request_history.py) and the 2025 annual report generated from it (annual_report.py), and a
year of the districts' answered requests for the 区县排位 (league.py); then the catalogue's bulk
downloads are exported (what the daily `export_open_data` does).
The data lives in fixtures/disclosure/."""

from ..opendata.actions import open_data_export
from . import annual_report, catalogue, league, request_history, requests

BUREAU = "000014349"


def load(*, home, organisations, stdout=None) -> str:
    pages = catalogue.load(home=home, organisations=organisations, stdout=stdout)
    current = requests.load(organisations=organisations, stdout=stdout)
    # The 2025 history before the 2025 report: a fresh load generates the report from it.
    history = request_history.load(organisations=organisations, stdout=stdout)
    report = annual_report.load(home=home, bureau=organisations[BUREAU], stdout=stdout)
    ranked = league.load(stdout=stdout)
    exported = open_data_export()["count"]
    return f"{pages}; {current}; {history}; {report}; {ranked}; 开放数据 {exported} 条"
