"""Why a survey link cannot be answered, in words for the person holding it."""

from django.utils.translation import gettext_lazy as _

from portal.errors import Conflict, PortalError


class SurveyLinkUnknown(PortalError):
    status = 404

    def __init__(self):
        super().__init__(str(_("链接无效：没有找到这份问卷。请检查短信或邮件中的链接是否完整。")))


class SurveyLinkExpired(PortalError):
    status = 410

    def __init__(self):
        super().__init__(str(_("链接已过期：这份问卷的答卷期限已过，感谢您的关注。")))


class SurveyLinkUsed(Conflict):
    def __init__(self):
        super().__init__(str(_("这份问卷已经提交过，每个链接只能答卷一次。感谢您的参与！")))


class SurveyAnswerNotFound(PortalError):
    status = 404
