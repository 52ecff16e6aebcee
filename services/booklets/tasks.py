"""The task worker's entry for large booklets (`make worker`)."""

from django.tasks import task


@task
def build_booklet(
    *, kind: str, key: str, within_id: int | None, publisher: str = "", site_url: str = ""
) -> int:
    """Build and store one booklet; the size in bytes (0 when its scope no longer exists)."""
    from . import actions, selectors

    scope = selectors.resolve_scope(kind=kind, key=key, within_id=within_id)
    if scope is None:
        return 0
    return len(actions.booklet_build(scope, publisher=publisher, site_url=site_url).pdf)
