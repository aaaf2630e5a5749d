# The acknowledgement's delivery is a status like the notification's (it is queued in the
# outbox and may be waiting, sent or failed), instead of a yes/no set during the request.

from django.db import migrations, models


def from_boolean(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    # Before the outbox, a failed acknowledgement was never tried again.
    Lead.objects.filter(acknowledged=True).update(acknowledgement="sent")
    Lead.objects.filter(acknowledged=False).update(acknowledgement="gave_up")


def to_boolean(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    Lead.objects.filter(acknowledgement="sent").update(acknowledged=True)


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="lead",
            name="acknowledgement",
            field=models.CharField(
                choices=[
                    ("pending", "waiting to be sent"),
                    ("sent", "sent"),
                    ("failed", "failed, will retry"),
                    ("gave_up", "failed, retries exhausted"),
                ],
                default="pending",
                max_length=10,
                verbose_name="acknowledgement to the sender",
            ),
        ),
        migrations.RunPython(from_boolean, to_boolean),
        migrations.RemoveField(
            model_name="lead",
            name="acknowledged",
        ),
    ]
