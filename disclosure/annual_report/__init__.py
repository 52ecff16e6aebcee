"""政府信息公开工作年度报告 (国办公开办函〔2021〕30号 format): figures.py computes the figures from the
records, tables.py lays them out (HTML cells, XLSX, CSV, SVG charts), models.py holds the pages
(the frozen snapshot and the entered figures), actions.py generates drafts, admin.py is
报表 › 政府信息公开年度报告, selectors.py and filters.py serve the public pages."""
