"""`WAGTAIL_FINISH_WORKFLOW_ACTION`: what happens when a page passes its organisation's last review
step. Kept free of model imports: Wagtail imports it while its own models load."""


def publish_approved(workflow_state, user=None):
    """Publish the approved revision. Nobody but a superuser holds the publish permission (that
    would let them skip review), so the approval of the 终审 task is the permission here."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
