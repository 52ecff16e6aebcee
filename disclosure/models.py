from .requests import InformationRequest, InformationRequestFile  # noqa: F401
