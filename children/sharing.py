"""Why something about a child may be shared, and on what basis: one table of
purposes and legal bases (docs/access.md, "Samtykke og hjemmel").

A purpose in CONSENT_PURPOSES needs the parents' consent (children.models.Consent):
it is shared only while a consent for that purpose is in force, and an expired or
withdrawn consent stops the access it granted at once (children.access). The
shares in LEGAL_SHARES need no consent: the law itself is the basis, and Tidlig
names it where it shares.
"""

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    OTHER_UNITS_NOTES = (
        "andre_enheder",
        _("Notater fra andre enheder (tidligere dagtilbud, skole, SFO)"),
    )
    PPR = "ppr", _("Deling med PPR")
    HEALTH_VISITOR = "sundhedspleje", _("Deling med sundhedsplejen")
    MEETING = "tvaerfagligt_moede", _("Drøftelse på et tværfagligt møde")


class Basis(NamedTuple):
    purpose: str
    grants: str  # what the share lets the covered units see, in plain words
    law: str  # the legal basis, as a reference a data protection officer can look up


# Consent from a holder of parental custody (forældremyndighed): for personal data
# about "rent private forhold" and health, the basis is the express consent of
# databeskyttelsesloven § 8, stk. 2, nr. 1 (and forordningens art. 9, stk. 2,
# litra a), and forvaltningsloven § 28, stk. 2, nr. 1 for passing it to another
# authority.
CONSENT_LAW = _(
    "Samtykke: databeskyttelseslovens § 8, stk. 2, nr. 1, databeskyttelses"
    "forordningens art. 9, stk. 2, litra a, og forvaltningslovens § 28, stk. 2, nr. 1"
)

CONSENT_PURPOSES: dict[str, Basis] = {
    Purpose.OTHER_UNITS_NOTES: Basis(
        Purpose.OTHER_UNITS_NOTES,
        _(
            "De dækkede enheders fagpersoner og ledere læser de vurderinger, "
            "bekymringer og LØFT-dialoger, der er skrevet i andre enheder."
        ),
        CONSENT_LAW,
    ),
    Purpose.PPR: Basis(
        Purpose.PPR,
        _("PPR's konsulenter i de dækkede enheder læser barnets side og notater."),
        CONSENT_LAW,
    ),
    Purpose.HEALTH_VISITOR: Basis(
        Purpose.HEALTH_VISITOR,
        _("Sundhedsplejens medarbejdere i de dækkede enheder læser barnets side og notater."),
        CONSENT_LAW,
    ),
    Purpose.MEETING: Basis(
        Purpose.MEETING,
        _(
            "Barnet må drøftes med navn på et tværfagligt møde; giver ikke adgang til "
            "barnets side i Tidlig."
        ),
        CONSENT_LAW,
    ),
}

# The purposes whose consent lets a consultative unit (PPR, sundhedspleje) read the
# child; OTHER_UNITS_NOTES widens what an enrolling unit reads.
READ_GRANTING = (Purpose.PPR, Purpose.HEALTH_VISITOR)


class LegalShare(NamedTuple):
    name: str
    shares: str
    law: str


LEGAL_SHARES: list[LegalShare] = [
    LegalShare(
        _("Underretning"),
        _("Det, fagpersonen har set, til Børn & Ungerådgivningen."),
        _("Barnets lov § 133 (skærpet underretningspligt for fagpersoner)"),
    ),
    LegalShare(
        _("Overlevering ved overgang"),
        _(
            "Seneste zone og dato, åbne næste skridt og tovholderens navn ved en åben "
            "sag til den modtagende enhed fra barnets første dag; overleveringsnotatet "
            "som forældrene har set."
        ),
        _(
            "Dagtilbudslovens § 7, stk. 7 (kommunens retningslinjer for videregivelse "
            "af relevante oplysninger ved overgange), forvaltningslovens § 28, stk. 3"
        ),
    ),
    LegalShare(
        _("Tværfagligt samarbejde om udsatte børn"),
        _(
            "Oplysninger om rent private forhold mellem skole, dagtilbud, SFO, "
            "sundhedspleje og rådgivning, når det er nødvendigt i det tidlige eller "
            "forebyggende samarbejde."
        ),
        _("Barnets lov § 178 (tidligere servicelovens § 49 a)"),
    ),
    LegalShare(
        _("Sagens team"),
        _("Sagens indhold til tovholder og team, mens sagen er åben og 30 dage efter."),
        _("Barnets lov § 20 (børnefaglig undersøgelse) og retssikkerhedslovens § 11 c"),
    ),
]
