"""明察暗访: appointed supervisors (监督员) visit service centres unannounced and file visit reports;
a report with findings becomes a rectification case (整改) for the centre's organisation on the
shared case machinery; the outcome is published in summary at /hdjl/mcaf/."""
