"""`manage.py seed_demo`: the classroom demo (canary, queue, stream, async thumbnailer) and a staff user."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand

from invocations.selectors import account_usage, function_list
from invocations.services.demo import demo_admin_ensure, demo_seed, demo_traffic_start


class Command(BaseCommand):
    help = "Create the demo functions, aliases, stages, queues, streams and the admin user. Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--traffic",
            action="store_true",
            help="also start the demo's gentle background traffic (what `make run` does unless QUIET=1)",
        )

    def handle(self, *args, **options) -> None:
        summary = demo_seed()
        status, generated = demo_admin_ensure(password=os.environ.get("LAMBDAVIZ_ADMIN_PASSWORD") or None)

        write = self.stdout.write
        write(self.style.SUCCESS(f"Demo ready: {len(summary.created)} created, {len(summary.kept)} already there."))
        for function in function_list().prefetch_related("aliases__version", "aliases__routing_version", "versions"):
            versions = ", ".join(["$LATEST", *(v.version for v in function.versions.all())])
            aliases = "; ".join(
                f"{a.name} → {a.function_version}"
                + "".join(f" + {v} @ {w:.0%}" for v, w in a.additional_version_weights.items())
                for a in function.aliases.all()
            )
            write(f"  {function.name:<22} versions: {versions}" + (f"   aliases: {aliases}" if aliases else ""))
        usage = account_usage()
        write(f"  account concurrency {usage.concurrency_limit}, unreserved {usage.unreserved_concurrent_executions}")
        write(f"  admin user: {status}")
        if options["traffic"]:
            write(f"  demo traffic started: {', '.join(demo_traffic_start())}")
        if generated:
            # Shown once; only its hash is stored.
            write(self.style.WARNING(f"  admin password (shown once): {generated}"))
