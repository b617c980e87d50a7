"""Rules get a place in a list an administrator orders: the rules an event starts run in
that order. Existing rules keep the order they ran in (by id)."""

from django.db import migrations, models


def number_by_id(apps, schema_editor):
    Rule = apps.get_model("automation", "Rule")
    rules = list(Rule.objects.order_by("id"))
    for position, rule in enumerate(rules):
        rule.position = position
    Rule.objects.bulk_update(rules, ["position"])


class Migration(migrations.Migration):

    dependencies = [
        ("automation", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="rule",
            options={"ordering": ["position", "id"], "verbose_name": "automation rule",
                     "verbose_name_plural": "automation rules"},
        ),
        migrations.AddField(
            model_name="rule",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="position"),
        ),
        migrations.RunPython(number_by_id, migrations.RunPython.noop),
    ]
