"""The 2021 study's demo requests with released documents stored and audited: the report
describes what came back but ships none of it, so these tables are made up for the tests, each
with findings of a known kind.

- Los Angeles PD (CPRA): an arrests table whose total does not add up, with the conflated
  “Pimp/Pandering/Supervising” and four missing breakdowns; and a scanned letter, stored but not
  audited.
- FBI (FOIA): a victims table whose 2019 total does not add up, with “rescued”, an N/A and a
  total that cannot be verified (three other findings) and four missing breakdowns.
- Oakland PD (CPRA): a table stored and never audited.
"""

import io

from django.core.files.base import ContentFile
from django.core.management import call_command

from beyondraid.records import services
from beyondraid.records.models import RecordsRequest
from beyondraid.standard.published import LAPD

ARRESTS = (
    b"Arrested as,2019\nCommercial Sex Worker,40\nJohn,25\nPimp/Pandering/Supervising,5\nTotal,80\n"
)
VICTIMS = (
    b"Outcome,2019,2020\nVictims rescued,12,9\nAdults,8,N/A\nJuveniles,3,2\nTotal victims,12,9\n"
)
FBI = "Federal Bureau of Investigation"
OAKLAND = "Oakland Police Department"


def load(world) -> dict[str, RecordsRequest]:
    """Load the demo (filed by the world's analyst, the demo's ``analyst``), store and audit the
    documents; the requests by agency name. Needs ``settings.DATA_DIR`` set to a temporary
    directory."""
    call_command("records", "demo", stdout=io.StringIO())
    requests = {
        name: RecordsRequest.objects.get(agency__name=name) for name in (LAPD, FBI, OAKLAND)
    }
    stored = {
        LAPD: [
            ContentFile(ARRESTS, name="orr-arrests.csv"),
            ContentFile(b"%PDF-1.7 \x00\x01 scan", name="cover-letter.pdf"),
        ],
        FBI: [ContentFile(VICTIMS, name="victims.csv")],
        OAKLAND: [ContentFile(b"Paragraph,Count\nArrests,3\n", name="oakland.csv")],
    }
    for name, files in stored.items():
        documents = services.store_released_documents(
            user=world.analyst, request=requests[name], files=files
        )
        if name != OAKLAND:
            services.audit_released_document(user=world.analyst, document=documents[0])
    return requests
