"""`amity recompute_lead_scores`: every lead's score now, in this process."""

import time

from django.core.management.base import BaseCommand

from amity.sales.lead_scoring import score_all_leads


class Command(BaseCommand):
    help = "Recompute the score and grade of every lead from the scoring model."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="leads per transaction")

    def handle(self, *args, batch: int, **options) -> None:
        started = time.perf_counter()
        read, changed = score_all_leads(batch=max(1, min(batch, 50_000)))
        seconds = time.perf_counter() - started
        self.stdout.write(f"{read} leads scored, {changed} changed, in {seconds:.1f} s")
