"""The handleguide Tidlig ships with, one text per zone.

Written for Tidlig from the common Danish practice; a
municipality replaces them with its own on the administrator's page. A run of
lines starting with "- " is shown as a bullet list.

The duty to notify in zones 3-5 is the professional's skærpet underretningspligt (Barnets
Lov § 133, followups.law.DUTY_PROFESSIONAL; ruler sits below followups, so the paragraph is
written out): it applies as soon as there is reason to assume that the child may need
special support, not only in zone 5, and it is personal: a leader helps, but cannot take it
over or stop it.
"""

from django.utils.translation import gettext as _


def default_text(zone: int) -> str:
    texts = {
        1: _(
            "Barnet trives. Fortsæt det gode samarbejde med barnet og forældrene.\n\n"
            "- Fortæl forældrene, hvad I ser går godt.\n"
            "- Hold øje med barnet som med alle andre børn i jeres almindelige praksis.\n"
            "- Vurdér igen, hvis du ser noget, der undrer dig."
        ),
        2: _(
            "Barnet trives overvejende, men der er noget, I skal holde øje med.\n\n"
            "- Tal med forældrene om det, du har set, og hør, hvordan de oplever barnet.\n"
            "- Aftal med kollegerne, hvad I gør lidt anderledes i hverdagen.\n"
            "- Vurdér barnet igen inden for tre måneder."
        ),
        3: _(
            "Der er bekymring for barnet. Det er nu, en tidlig indsats gør en forskel.\n\n"
            "- Tal med forældrene i en LØFT-dialog: hvad fungerer allerede, hvordan vil I "
            "gerne have det, og hvad er det mindste næste skridt?\n"
            "- Tag barnet op på teammødet, og aftal hvem der gør hvad.\n"
            "- Har du grund til at antage, at barnet kan have brug for særlig støtte, skal du "
            "underrette kommunen (skærpet underretningspligt, Barnets Lov § 133). Tal med din "
            "leder om det, men pligten er din egen.\n"
            "- Vurdér barnet igen inden for tre måneder."
        ),
        4: _(
            "Barnet er udsat. Bekymringen skal deles, og der skal handles.\n\n"
            "- Har du grund til at antage, at barnet kan have brug for særlig støtte, skal du "
            "underrette kommunen (skærpet underretningspligt, Barnets Lov § 133). Du behøver "
            "ikke være sikker. Er du i tvivl, så underret.\n"
            "- Inddrag din leder i dag. Pligten er din egen, også hvis I vurderer det "
            "forskelligt.\n"
            "- Inddrag de konsultative funktioner (PPR, sundhedsplejen) efter behov.\n"
            "- Fortæl forældrene om bekymringen og om underretningen, medmindre det kan skade "
            "barnet.\n"
            "- Jeres arbejde med barnet fortsætter, også efter en underretning."
        ),
        5: _(
            "Barnet er truet. Du skal underrette kommunen nu "
            "(skærpet underretningspligt, Barnets Lov § 133).\n\n"
            "- Underret Børn & Ungerådgivningen i dag. Uden for åbningstid: ring til "
            "politiet eller kommunens socialvagt.\n"
            "- Inddrag din leder med det samme, men vent ikke på lederen med at underrette. "
            "Pligten er din egen.\n"
            "- Ved mistanke om vold eller seksuelle overgreb: tal ikke med forældrene "
            "først, men underret straks."
        ),
    }
    return texts[zone]
