"""办事服务 models, by page family — guides.py (办事指南 and the section index), fees.py (收费标准),
commitments.py (服务承诺), centres.py (社区事务受理中心) — plus the models of the sub-domains,
imported here so Django finds them: applications/ (在线受理), ratings/ (好差评), complaints/
(监督投诉), supervision/ (明察暗访), appointments/ (预约办理)."""

from ..applications.models import (  # noqa: F401
    Application,
    ApplicationFile,
    ApplicationStatus,
    Delivery,
    Outcome,
)
from ..appointments.models import (  # noqa: F401
    Appointment,
    AppointmentStatus,
    BookableService,
    Closure,
    OpeningPeriod,
    Slot,
)
from ..complaints.models import Complaint  # noqa: F401
from ..ratings.models import FollowUpStatus, Rating, RatingScore  # noqa: F401
from ..supervision.models import Rectification, SupervisionVisit, VisitPhoto  # noqa: F401
from .centres import ServiceCentreIndexPage, ServiceCentrePage  # noqa: F401
from .commitments import ServiceCommitment, ServiceCommitmentPage  # noqa: F401
from .fees import FeeItem, FeeStandardPage, FeeType  # noqa: F401
from .guides import (  # noqa: F401
    SIMPLE_TEXT_FEATURES,
    CaseType,
    FormFieldType,
    GuideFormField,
    ItemType,
    LegalBasis,
    MaterialKind,
    OnlineDepth,
    ProcessStep,
    ResultDelivery,
    ServiceGuidePage,
    ServiceIndexPage,
    ServiceMaterial,
    ServiceTopic,
)
