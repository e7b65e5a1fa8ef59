"""The register list offers the export to those who see the whole register, the import to those who edit it."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "exports", "imports"),
    [("dpo", True, True), ("rssi", True, True), ("admin", True, True), ("dgs", True, False), ("chef", False, False)],
)
def test_the_register_list_links_to_export_and_import_by_role(role, exports, imports, users, client_for):
    html = client_for(users[role]).get("/registre/?risk=high").content.decode()
    assert ('data-export="csv"' in html) is exports
    assert ("/registre/export.csv?risk=high" in html) is exports  # the list's filters go with the export
    assert ("data-import" in html) is imports
