"""The handleguide Tidlig ships with, one text per zone.

Written for Tidlig from the common Danish practice; a
municipality replaces them with its own on the administrator's page. A run of
lines starting with "- " is shown as a bullet list.
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
            "- Inddrag din leder, hvis bekymringen vokser.\n"
            "- Vurdér barnet igen inden for tre måneder."
        ),
        4: _(
            "Barnet er udsat. Bekymringen skal deles, og der skal handles.\n\n"
            "- Inddrag din leder i dag.\n"
            "- Inddrag de konsultative funktioner (PPR, sundhedsplejen) efter behov.\n"
            "- Overvej sammen med din leder, om der skal laves en underretning til "
            "kommunen (Barnets Lov § 133). Er du i tvivl, så underret.\n"
            "- Fortæl forældrene om bekymringen, medmindre det kan skade barnet."
        ),
        5: _(
            "Barnet er truet. Der skal laves en underretning til kommunen nu "
            "(skærpet underretningspligt, Barnets Lov § 133).\n\n"
            "- Underret Børn & Ungerådgivningen i dag. Uden for åbningstid: ring til "
            "politiet eller kommunens socialvagt.\n"
            "- Inddrag din leder med det samme.\n"
            "- Ved mistanke om vold eller seksuelle overgreb: tal ikke med forældrene "
            "først, men underret straks."
        ),
    }
    return texts[zone]
