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
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import ENROLLING_KINDS, UnitKind


class Purpose(models.TextChoices):
    OTHER_UNITS_NOTES = (
        "andre_enheder",
        _("Notater fra andre enheder (tidligere dagtilbud, skole, SFO)"),
    )
    PPR = "ppr", _("Deling med PPR")
    HEALTH_VISITOR = "sundhedspleje", _("Deling med sundhedsplejen")
    MEETING = "tvaerfagligt_moede", _("Drøftelse på et tværfagligt møde")


# The texts are translated when shown (gettext_lazy).
Text = str | Promise


class Basis(NamedTuple):
    purpose: str
    grants: Text  # what the share lets the covered units see, in plain words
    law: Text  # the legal basis, as a reference a data protection officer can look up


# Consent from a holder of parental custody (forældremyndighed). Tidlig processes
# personal data by computer, so passing it to another authority is governed by the
# GDPR and databeskyttelsesloven (forvaltningsloven § 28, stk. 1): consent under
# art. 6(1)(a), and the explicit consent of art. 9(2)(a) for health data.
# (databeskyttelsesloven § 8 is about criminal offences and forvaltningsloven § 28,
# stk. 2, about confidential information that is not personal data: neither fits.)
CONSENT_LAW = _(
    "Samtykke: databeskyttelsesforordningens art. 6, stk. 1, litra a, og art. 9, "
    "stk. 2, litra a (udtrykkeligt samtykke), jf. forvaltningslovens § 28, stk. 1"
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

# The kinds of unit a consent for each purpose may cover (the consent form offers
# only these): PPR's consent covers PPR, the notes of other units the units where
# children are enrolled, a tværfagligt møde any unit that may take part in one.
COVERED_KINDS: dict[str, frozenset[str]] = {
    Purpose.OTHER_UNITS_NOTES: frozenset(ENROLLING_KINDS),
    Purpose.PPR: frozenset({UnitKind.PPR}),
    Purpose.HEALTH_VISITOR: frozenset({UnitKind.SUNDHEDSPLEJE}),
    Purpose.MEETING: frozenset(UnitKind.values) - {UnitKind.FORVALTNING},
}


class LegalShare(NamedTuple):
    name: Text
    shares: Text
    law: Text


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
            "Dagtilbudslovens § 3 a, stk. 3, nr. 3 (kommunens retningslinjer for "
            "videregivelse af relevante oplysninger ved børns overgange fra "
            "sundhedsplejen til dagtilbud og fra dagtilbud til SFO eller fritidshjem "
            "og skole), databeskyttelsesforordningens art. 6, stk. 1, litra e"
        ),
    ),
    LegalShare(
        _("Tværfagligt samarbejde om udsatte børn"),
        _(
            "Oplysninger om rent private forhold mellem skole, dagtilbud, SFO, "
            "sundhedspleje og rådgivning, når det er nødvendigt i det tidlige eller "
            "forebyggende samarbejde."
        ),
        # The exchange of servicelovens § 49 a is carried on in barnets lov (LBK nr
        # 282 af 17/03/2025); its new number is not named here until it is checked.
        _("Servicelovens § 49 a, nu videreført i barnets lov"),
    ),
    LegalShare(
        _("Sagens team"),
        _("Sagens indhold til tovholder og team, mens sagen er åben og 30 dage efter."),
        _("Barnets lov § 20 (børnefaglig undersøgelse) og retssikkerhedslovens § 11 c"),
    ),
]
