import pytest

from tests.disclosure.factories import add_catalogue, add_document
from tests.factories import make_home, org_tree


@pytest.fixture
def site_with_document():
    """Home → 政府信息公开 (/xxgk/) → one published document."""
    home = make_home()
    tree = org_tree()
    catalogue = add_catalogue(home)
    document = add_document(catalogue, organisation=tree["bureau"], title="关于调整低保标准的通知")
    return {"home": home, "catalogue": catalogue, "document": document, "tree": tree}
