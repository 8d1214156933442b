"""``beyondraid synth``: write a synthetic dataset in the exchange format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beyondraid.standard import synth


class Command(BaseCommand):
    help = (
        "Write a SYNTHETIC encounter-level dataset in the exchange format: one CSV per table and "
        "a README. The same seed always writes the same files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--operations",
            type=int,
            required=True,
            help=f"How many operations to invent (1 to {synth.MAX_OPERATIONS}).",
        )
        parser.add_argument("--seed", type=int, required=True, help="Seed; any whole number.")
        parser.add_argument(
            "--out",
            type=Path,
            required=True,
            help="Directory to write; created if missing, refused if it holds other files.",
        )

    def handle(self, *args, operations: int, seed: int, out: Path, **options):
        try:
            rows = synth.generate(operations=operations, seed=seed)
            synth.write(rows, out, operations=operations, seed=seed)
        except synth.SynthError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Wrote SYNTHETIC data to {out}: {len(rows['operations'])} operations, "
            f"{len(rows['encounters'])} encounters (seed {seed}). "
            f"Load it with: beyondraid load_exchange {out}"
        )
