from datetime import date

from ruler.models import Assessment

TEXTS = {"what_works": "Ven", "what_worries": "Gråd", "what_must_happen": "Samtale"}


def assess(child, author, zone: int, on=date(2025, 10, 1), **kw) -> Assessment:
    return Assessment.objects.create(
        child=child, author=author, assessed_on=on, zone=zone, **(TEXTS if zone >= 3 else {}), **kw
    )
