# The CodeDeploy deployment run (issue 14 point 2): its progress on the simulation clock.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("invocations", "0012_autoscaling"),
    ]

    operations = [
        migrations.AddField(
            model_name="deployment",
            name="creator",
            field=models.CharField(default="user", max_length=16),
        ),
        migrations.AddField(
            model_name="deployment",
            name="lifecycle_events",
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name="deployment",
            name="started_at",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="deployment",
            name="completed_at",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="deployment",
            name="steps_applied",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="deployment",
            name="error_information",
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name="deployment",
            name="rollback_info",
            field=models.JSONField(default=dict),
        ),
    ]
