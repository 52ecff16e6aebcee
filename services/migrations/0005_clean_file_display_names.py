"""Remove control and bidi characters (e.g. U+202E) from the stored display names of uploaded
files: names stored before the upload check removed them would otherwise still be shown."""

import unicodedata

from django.db import migrations

HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
FIELDS = ("original_name",)


def clean(text):
    text = unicodedata.normalize("NFC", text or "")
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) not in HIDDEN).split())


def clean_names(apps, schema_editor):
    model = apps.get_model("services", "ApplicationFile")
    for row in model.objects.only("pk", *FIELDS).iterator():
        changed = {f: clean(getattr(row, f)) or "upload" for f in FIELDS}
        if any(changed[f] != getattr(row, f) for f in FIELDS):
            model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("services", "0004_merge_20261129_1622")]

    operations = [migrations.RunPython(clean_names, migrations.RunPython.noop)]
