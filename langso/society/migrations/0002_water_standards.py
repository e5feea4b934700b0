from django.db import migrations


def load(apps, schema_editor):
    from langso.society.standards import load_standards

    load_standards(apps.get_model("society", "Parameter"), apps.get_model("society", "Limit"))


class Migration(migrations.Migration):
    dependencies = [("society", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
