"""Barnets Lov in one place: the paragraphs Tidlig cites and the deadlines it counts.

Sources, and how sure each citation is, next to each rule. "The guidance" is
Social- og Boligministeriet's Vejledning om sagsbehandling og kommunernes opgaver efter
barnets lov, VEJ nr. 9471 af 21/06/2024 (Delvejledning 2 af 6), read at
https://regelrytter.dk/https-www-retsinformation-dk-api-pdf-244358 and its sections
https://regelrytter.dk/vej/2024-9471-sec-N. Its Afsnit I, Kapitel 1 is the duty to notify
(barnets lovs §§ 132-135, 138 og 214) and Kapitel 2 the municipality's handling
(§§ 136-137). The law is LOV nr. 721 of June 2023, now LBK nr. 282 af 17/03/2025.

Where a stk. or the guidance's pkt. number is not given below, it could not be read in
the copies available: cite the paragraph only, as the UI does.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Ref:
    paragraph: str
    label: str | Promise

    def __str__(self) -> str:
        return f"Barnets Lov {self.paragraph}"


# The duty to notify ---------------------------------------------------------------------

# Skærpet underretningspligt: a person in public service must notify as soon as they know
# of or have reason to assume that a child *may* need special support, not only when it is
# in danger. Certainty is not required, only a reasoned assumption; the duty stands even
# while the institution goes on supporting the child itself, and it is the notifier's own
# (a leader may help, not decide). Guidance Kapitel 1, regelrytter sec-22 ("§ 133, stk. 1,
# nr. 1-2 ... vil der være underretningspligt, uanset at den, der underretter, vil have
# mulighed for og fortsat vil kunne benytte de tilbud ... som findes inden for vedkommendes
# regi"; "Den, der underretter, skal således ikke foretage en vurdering af, om barnet ...
# vil kunne opnå særlig støtte. Denne vurdering foretages af kommunen.").
# Who: "Personer, der udøver offentlig tjeneste eller offentligt hverv" who in that work
# "får kendskab til eller grund til at antage" that a child "kan have behov for særlig
# støtte" (stk. 1, nr. 1; read in Serviceloven § 153, stk. 1, whose nr. 1-2 the guidance
# above gives as § 133, stk. 1, nr. 1-2). PPR, the health visitors and the rådgivning are
# public service, so Tidlig lets everyone who reads a child notify about it, also through
# the intake queue or a consent (children.access.get_child_to_notify_about).
DUTY_PROFESSIONAL = Ref("§ 133", _("Skærpet underretningspligt for fagpersoner"))

# Everyone's duty to notify when a child is neglected, degraded or lives in conditions
# that endanger its health or development (Serviceloven § 154 before 2024). That it is
# § 135 comes from Region Syddanmark's page on underretning, not from the guidance itself.
DUTY_EVERYONE = Ref("§ 135", _("Underretningspligt for alle"))


# The municipality's handling (guidance Kapitel 2, §§ 136-137) ---------------------------

# Within 24 hours of *receiving* an underretning the municipality assesses whether the
# child's health or development is in danger and immediate measures are needed
# (sm.dk, "Kommunens pligt"; Ankestyrelsen: "senest 24 timer efter modtagelsen").
# The hours are calendar hours: nights, weekends and holidays count. § 136 also requires a
# procedure that follows up every underretning in time and systematically, leading to an
# afdækning (§ 19) or a børnefaglig undersøgelse (§ 20) where needed (guidance,
# regelrytter sec-39). In Serviceloven the 24 hours were § 155, stk. 2.
ASSESSMENT_24H = Ref("§ 136", _("Vurdering inden for 24 timer"))
ASSESSMENT_HOURS = 24

# The receipt (kvittering) to the notifier within 6 hverdage of receipt (Serviceloven
# § 155 b, stk. 1 before 2024). Barnets Lov keeps it in Kapitel 2 of the guidance, but
# § 137, stk. 1, 1. pkt. is the feedback below (bill L 87 of 2024-25 amends its word
# "indsatser"), so the receipt is cited as §§ 136-137 until its stk. is read.
# Municipal pages (Lejre, Vejen, Nyborg, Læsø) send it to every notifier who gave a name,
# citizens too; only an anonymous notifier cannot get one.
# How hverdage are counted: see followups.workdays.
RECEIPT_6_HVERDAGE = Ref("§§ 136-137", _("Kvittering inden for 6 hverdage"))
RECEIPT_HVERDAGE = 6

# The feedback (tilbagemelding) to a professional notifier (§ 133): whether the
# municipality has started a børnefaglig undersøgelse or support (L 87 of 2024-25 spells
# this out as støttende indsatser efter § 32, anbringelse efter §§ 46, 47 eller 67 ...),
# where that is relevant to the notifier's further work with the child. No number of days
# for it was found in the law or the guidance; Tidlig shows no deadline.
FEEDBACK = Ref("§ 137", _("Tilbagemelding til fagperson, der har underrettet"))


# What the assessment can lead to (lovguiden.dk, LBK nr. 282 af 17/03/2025) ---------------

# The first look at what is known, deciding whether more is needed (§ 18, stk. 1).
SCREENING = Ref("§ 18", _("Screening"))
# A focused look at one or more delimited matters, with the professionals who know the
# child (§ 19; sm.dk "Screening, afdækning og børnefaglig undersøgelse").
AFDAEKNING = Ref("§ 19", _("Afdækning"))
# The full investigation: required in serious or complex cases and on (suspected) abuse,
# finished within 4 months (§ 20, stk. 1 and 3).
BOERNEFAGLIG_UNDERSOEGELSE = Ref("§ 20", _("Børnefaglig undersøgelse"))
