from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("interchange", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="strict",
            field=models.BooleanField(
                default=False, help_text="Refuse the file if any entry is bad."
            ),
        ),
    ]
