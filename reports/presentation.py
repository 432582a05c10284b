"""The quarterly figures as text: tables and summary sentences, with suppression.

Used by the PDF for Børne- og Skoleudvalget, the on-screen dashboard and the
XLSX/CSV export, so the three always show the same cells. With `suppress=True`, as
a forvaltning user and the PDF always see them, a count from 1 to 4 is shown as
"<5" and percentages that would reveal one are left out; cells that would let a
"<5" be worked out from a total are hidden too, as "x" (reports.suppression). The
exact rules, what is not suppressed, and the tables `tables()` returns are in
docs/figures.md.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from followups.models import Step
from reports.suppression import Hidden, protect
from ruler.zones import STYLES
from tidlig.lib.dates import Quarter

SMALL = range(1, 5)
SUPPRESSED = "<5"
# A count hidden so that a "<5" cannot be worked out from a total (reports.suppression).
HIDDEN = "x"

ZONE_KEYS = ("1", "2", "3", "4", "5")
STEP_KEYS = ("1", "2", "3", "4", "5", "6")


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


def is_small(n: int | None) -> bool:
    """1–4, or hidden to protect one: neither is shown, nor a share of it."""
    return n is not None and (n in SMALL or isinstance(n, Hidden))


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def count_text(n: int | None, *, suppress: bool) -> str:
    """ "<5" for 1–4 and "x" for a count hidden to protect one when suppressing,
    otherwise the number with Danish thousands."""
    if n is None:
        return ""
    if suppress and isinstance(n, Hidden):
        return HIDDEN
    if suppress and is_small(n):
        return SUPPRESSED
    return _thousands(n)


def share(part: int | None, whole: int | None) -> int | None:
    """The whole percentage, rounded half up; None when there is no whole."""
    if not whole or part is None:
        return None
    return (200 * part + whole) // (2 * whole)


def percent_value(parts, whole: int | None, *, suppress: bool) -> int | None:
    """The share of the sum of `parts` (an int or a list of ints) in `whole`, or None
    when it may not be shown."""
    parts = [parts] if isinstance(parts, int) or parts is None else list(parts)
    if any(part is None for part in parts):
        return None
    if suppress and (is_small(whole) or any(is_small(part) for part in parts)):
        return None
    return share(sum(parts), whole)


def percent_text(part, whole: int | None, *, suppress: bool) -> str:
    """ "34 %"; "" when whole is 0, or when suppressing and part or whole is 1–4."""
    value = percent_value(part, whole, suppress=suppress)
    return "" if value is None else f"{value} %"


def zone_name(zone: str | int) -> str:
    return _("Zone %(zone)s %(name)s") % {"zone": zone, "name": STYLES[int(zone)].label}


def step_name(step: str | int) -> str:
    return f"{int(step)}. {Step(int(step)).label}"


def quarter_label(figures: dict) -> str:
    return Quarter.parse(figures["quarter"]).label


# Tables ------------------------------------------------------------------------------


def _zone_table(key: str, title: str, first: str, rows: list[dict], *, suppress: bool) -> Table:
    columns = [first, *(zone_name(z) for z in ZONE_KEYS), _("Ikke vurderet"), _("Børn i alt")]
    body = []
    for row in rows:
        cells = [count_text(row["zones"][z], suppress=suppress) for z in ZONE_KEYS]
        body.append(
            [
                row["name"],
                *cells,
                count_text(row["unassessed"], suppress=suppress),
                count_text(row["children"], suppress=suppress),
            ]
        )
    return Table(key, title, columns, body)


def assessed_count(row: dict) -> int:
    """The children assessed: `reports.suppression.protect` adds it to the total
    row, hidden when it would reveal a small count."""
    if "assessed" in row:
        return row["assessed"]
    return row["children"] - row["unassessed"]


def _zone_share_row(row: dict, *, suppress: bool) -> list[str]:
    assessed = assessed_count(row)
    return [
        _("Andel af de vurderede"),
        *(percent_text(row["zones"][z], assessed, suppress=suppress) for z in ZONE_KEYS),
        "",
        "",
    ]


def zone_tables(figures: dict, *, suppress: bool) -> list[Table]:
    if suppress:
        figures = protect(figures)
    zones = figures["zones"]
    total_row = {"name": figures["scope"].get("label") or _("Hele kommunen"), **zones["total"]}
    total = _zone_table(
        "zones_total",
        _("Børn fordelt på Børnelinealens zoner ved kvartalets udgang"),
        "",
        [total_row],
        suppress=suppress,
    )
    total.rows.append(_zone_share_row(zones["total"], suppress=suppress))
    total.note = _(
        "Børn indskrevet i dagtilbud, skole, SFO eller klub på kvartalets sidste dag. "
        "Et barn tæller i zonen fra sin seneste vurdering; en vurdering ældre end 12 "
        "måneder tæller som ikke vurderet."
    )
    district = _zone_table(
        "zones_by_district",
        _("Zoner fordelt på distrikt"),
        _("Distrikt"),
        zones["by_district"],
        suppress=suppress,
    )
    district.note = _("Et barn indskrevet i to distrikter tæller i begge.")
    kind = _zone_table(
        "zones_by_unit_kind",
        _("Zoner fordelt på type af tilbud"),
        _("Tilbud"),
        zones["by_unit_kind"],
        suppress=suppress,
    )
    kind.note = _("Et barn i både skole og SFO tæller under begge.")
    age = _zone_table(
        "zones_by_age_band",
        _("Zoner fordelt på alder"),
        _("Alder"),
        zones["by_age_band"],
        suppress=suppress,
    )
    return [total, district, kind, age]


def movement_tables(figures: dict, *, suppress: bool) -> list[Table]:
    if suppress:
        figures = protect(figures)
    movement = figures["movement"]
    columns = [_("Zone sidste kvartal"), *(zone_name(z) for z in ZONE_KEYS)]
    rows = [
        [zone_name(z), *(count_text(n, suppress=suppress) for n in movement["matrix"][i])]
        for i, z in enumerate(ZONE_KEYS)
    ]
    matrix = Table(
        "movement",
        _("Bevægelse mellem zoner fra sidste kvartal til dette kvartal"),
        columns,
        rows,
        note=_(
            "Børn vurderet både sidste kvartal og dette kvartal: rækken er zonen ved den "
            "seneste vurdering sidste kvartal, kolonnen zonen ved den seneste vurdering i "
            "dette kvartal."
        ),
    )
    whole = movement["children"]
    summary = Table(
        "movement_summary",
        _("Bevægelse mellem zoner i alt"),
        ["", _("Børn"), _("Andel")],
        [
            _line(_("Bedre zone"), movement["improved"], whole, suppress=suppress),
            _line(_("Samme zone"), movement["unchanged"], whole, suppress=suppress),
            _line(_("Dårligere zone"), movement["worsened"], whole, suppress=suppress),
            _line(_("Børn vurderet i begge kvartaler"), whole, suppress=suppress),
        ],
    )
    return [matrix, summary]


def _line(label: str, n: int | None, whole: int | None = None, *, suppress: bool) -> list[str]:
    pct = "" if whole is None else percent_text(n, whole, suppress=suppress)
    return [label, count_text(n, suppress=suppress), pct]


def activity_table(figures: dict, *, suppress: bool) -> Table:
    concerns, und = figures["concerns"], figures["underretninger"]
    received = und["received"]
    return Table(
        "activity",
        _("Bekymringer og underretninger i kvartalet"),
        ["", _("Antal"), _("Andel")],
        [
            _line(_("Nye bekymringer"), concerns["new"], suppress=suppress),
            _line(_("Børn med en ny bekymring"), concerns["children"], suppress=suppress),
            _line(_("Underretninger modtaget"), received, suppress=suppress),
            _line(
                _("Vurderet inden for 24 timer"),
                und["assessed_within_24h"],
                received,
                suppress=suppress,
            ),
            _line(
                _("Kvittering sendt inden for 6 hverdage"),
                und["receipt_within_6_days"],
                # Figures cached (REPORT_CACHE_SECONDS) before receipts were counted
                # against those due have no "receipts_due".
                und.get("receipts_due", received),
                suppress=suppress,
            ),
        ],
        note=_(
            "Andelen vurderet er af de underretninger, der er modtaget i kvartalet. "
            "Andelen kvitteret er af dem, hvor en fagperson skulle have kvittering, og "
            "fristen var udløbet, da tallene blev lavet."
        ),
    )


def cases_table(figures: dict, *, suppress: bool) -> Table:
    if suppress:
        figures = protect(figures)
    cases, meetings = figures["cases"], figures["meetings"]
    due = meetings["due"]
    return Table(
        "cases",
        _("Sager og opfølgningsmøder"),
        ["", _("Antal"), _("Andel")],
        [
            _line(_("Sager åbnet i kvartalet"), cases["opened"], suppress=suppress),
            _line(_("Sager lukket i kvartalet"), cases["closed"], suppress=suppress),
            _line(_("Åbne sager ved kvartalets udgang"), cases["open_at_end"], suppress=suppress),
            _line(_("Opfølgningsmøder, der skulle holdes"), due, suppress=suppress),
            _line(_("Holdt til tiden"), meetings["on_time"], due, suppress=suppress),
            _line(_("Holdt for sent"), meetings["late"], due, suppress=suppress),
            _line(_("Ikke holdt"), meetings["missed"], due, suppress=suppress),
        ],
        note=_("Et møde er holdt til tiden, når det er holdt senest den dag, det skulle holdes."),
    )


def staircase_table(figures: dict, *, suppress: bool) -> Table:
    if suppress:
        figures = protect(figures)
    stairs = figures["staircase"]
    running = stairs.get("running", sum(stairs["by_step"].values()))
    rows = [
        _line(step_name(s), stairs["by_step"][s], running, suppress=suppress) for s in STEP_KEYS
    ]
    rows.append(_line(_("Indsatser i alt ved kvartalets udgang"), running, suppress=suppress))
    moves = stairs["moves"]
    rows += [
        _line(_("Skift af trin i kvartalet"), moves, suppress=suppress),
        _line(_("Ned ad trappen"), stairs["moves_down"], moves, suppress=suppress),
        _line(_("Op ad trappen"), stairs["moves_up"], moves, suppress=suppress),
    ]
    return Table(
        "staircase",
        _("Indsatstrappen"),
        [_("Trin"), _("Antal"), _("Andel")],
        rows,
        note=_(
            "Indsatser, der kører på kvartalets sidste dag. Et skift er en ny indsats i "
            "kvartalet på et andet trin end sagens forrige indsats; retningen er ned ad trappen."
        ),
    )


def median_text(days: int | None, count: int, *, suppress: bool) -> str:
    if days is None or (suppress and is_small(count)):
        return ""
    return _("%(days)s dage") % {"days": _thousands(days)}


def beacon_tables(figures: dict, *, suppress: bool) -> list[Table]:
    early = figures["beacons"]["early_detection"]
    coherence = figures["beacons"]["coherence"]
    part = figures["beacons"]["participation"]
    first = early["first_concerns"]
    columns = [_("Indikator"), _("Antal"), _("Andel")]
    transitions = coherence["transitions"]
    handover = coherence["transitions_with_handover"]
    # Figures made before the overleveringsnotater existed have None here.
    handover_rows = (
        [[_("Heraf med overlevering"), _("Registreres endnu ikke"), ""]]
        if handover is None
        else [
            _line(_("Heraf med overlevering"), handover, transitions, suppress=suppress),
            _line(
                _("Heraf kvitteret af den modtagende enhed"),
                coherence.get("transitions_acknowledged"),
                transitions,
                suppress=suppress,
            ),
        ]
    )
    flagged = early.get("absence_flagged")
    # Figures made before absence was imported have no absence rows.
    absence_rows = (
        [[_("Børn med højt fravær uden nylig vurdering"), _("Registreres endnu ikke"), ""]]
        if flagged is None
        else [
            _line(_("Børn med højt fravær uden nylig vurdering"), flagged, suppress=suppress),
            _line(
                _("Heraf fulgt op inden for 30 dage"),
                early["absence_acted_on"],
                flagged,
                suppress=suppress,
            ),
        ]
    )
    return [
        Table(
            "beacon_early_detection",
            _("Pejlemærke: Tidlig opsporing"),
            columns,
            [
                _line(_("Børn med deres første bekymring"), first, suppress=suppress),
                _line(
                    _("Heraf vurderet i zone 1–3"),
                    early["first_concerns_zone_1_3"],
                    first,
                    suppress=suppress,
                ),
                _line(
                    _("Heraf fulgt op med en LØFT-dialog"),
                    early["with_dialogue"],
                    first,
                    suppress=suppress,
                ),
                [
                    _("Mediantid fra første bekymring til første LØFT-dialog"),
                    median_text(
                        early["median_days_to_dialogue"], early["with_dialogue"], suppress=suppress
                    ),
                    "",
                ],
                *absence_rows,
            ],
            note=_(
                "Jo flere første bekymringer, der rejses allerede i zone 1–3, jo tidligere "
                "opspores børnene. Højt fravær: børn, der er fremhævet for deres fravær uden "
                "en nylig bekymring eller vurdering; fulgt op: en bekymring eller vurdering "
                "inden for 30 dage."
            ),
        ),
        Table(
            "beacon_coherence",
            _("Pejlemærke: Sammenhæng i indsatsen"),
            columns,
            [
                _line(_("Overgange mellem tilbud"), transitions, suppress=suppress),
                *handover_rows,
                _line(_("Åbne sager"), coherence["cases"], suppress=suppress),
                _line(
                    _("Heraf med et team fra mindst to fagligheder"),
                    coherence["cases_two_professions"],
                    coherence["cases"],
                    suppress=suppress,
                ),
            ],
            note=_(
                "En overgang er et barn, der i kvartalet starter i en ny enhed efter en "
                "anden. Med overlevering: den afgivende enhed har sendt et "
                "overleveringsnotat. Kvitteret: den modtagende enhed har bekræftet, at "
                "de har læst det."
            ),
        ),
        Table(
            "beacon_participation",
            _("Pejlemærke: Inddragelse af forældre og børn"),
            columns,
            [
                _line(_("LØFT-dialoger holdt"), part["dialogues"], suppress=suppress),
                _line(
                    _("Med forældre"), part["with_parents"], part["dialogues"], suppress=suppress
                ),
                _line(
                    _("Med barnets stemme skrevet ned"),
                    part["with_child_voice"],
                    part["dialogues"],
                    suppress=suppress,
                ),
            ],
        ),
    ]


def key_figures(figures: dict, *, suppress: bool) -> list[tuple[str, str]]:
    """(label, text) of the figures compared across quarters."""
    total = figures["zones"]["total"]
    assessed = assessed_count(total)
    und, meetings = figures["underretninger"], figures["meetings"]
    early = figures["beacons"]["early_detection"]
    part = figures["beacons"]["participation"]
    zones_45 = [total["zones"]["4"], total["zones"]["5"]]
    return [
        (_("Børn i alt"), count_text(total["children"], suppress=suppress)),
        (_("Børn vurderet"), count_text(assessed, suppress=suppress)),
        (_("Andel i zone 4–5"), percent_text(zones_45, assessed, suppress=suppress)),
        (_("Nye bekymringer"), count_text(figures["concerns"]["new"], suppress=suppress)),
        (_("Underretninger"), count_text(und["received"], suppress=suppress)),
        (
            _("Underretninger vurderet inden for 24 timer"),
            percent_text(und["assessed_within_24h"], und["received"], suppress=suppress),
        ),
        (
            _("Åbne sager ved udgangen"),
            count_text(figures["cases"]["open_at_end"], suppress=suppress),
        ),
        (
            _("Møder holdt til tiden"),
            percent_text(meetings["on_time"], meetings["due"], suppress=suppress),
        ),
        (
            _("Første bekymringer i zone 1–3"),
            percent_text(
                early["first_concerns_zone_1_3"], early["first_concerns"], suppress=suppress
            ),
        ),
        (
            _("LØFT-dialoger med forældre"),
            percent_text(part["with_parents"], part["dialogues"], suppress=suppress),
        ),
    ]


def comparison_table(figures: dict, *, suppress: bool) -> Table | None:
    if suppress:
        figures = protect(figures)
    comparison = figures.get("comparison")
    if not comparison:
        return None
    columns_of = [figures, comparison["previous"], comparison["last_year"]]
    values = [key_figures(f, suppress=suppress) for f in columns_of]
    rows = [
        [label, *(column[i][1] for column in values)] for i, (label, _text) in enumerate(values[0])
    ]
    return Table(
        "comparison",
        _("Nøgletal sammenlignet med sidste kvartal og samme kvartal sidste år"),
        [_("Nøgletal"), *(quarter_label(f) for f in columns_of)],
        rows,
    )


def tables(figures: dict, *, suppress: bool) -> list[Table]:
    """The report's tables in reading order."""
    if suppress:
        figures = protect(figures)
    result = zone_tables(figures, suppress=suppress)
    result += movement_tables(figures, suppress=suppress)
    result.append(activity_table(figures, suppress=suppress))
    result.append(cases_table(figures, suppress=suppress))
    result.append(staircase_table(figures, suppress=suppress))
    result += beacon_tables(figures, suppress=suppress)
    comparison = comparison_table(figures, suppress=suppress)
    if comparison is not None:
        result.append(comparison)
    return result


# Summary -----------------------------------------------------------------------------


def _zone_45(figures: dict, *, suppress: bool) -> int | None:
    total = figures["zones"]["total"]
    assessed = assessed_count(total)
    return percent_value([total["zones"]["4"], total["zones"]["5"]], assessed, suppress=suppress)


def summary(figures: dict, *, suppress: bool) -> list[str]:
    """Short plain-Danish sentences for the report's first page."""
    if suppress:
        figures = protect(figures)
    label = quarter_label(figures)
    total = figures["zones"]["total"]
    assessed = assessed_count(total)
    comparison = figures.get("comparison") or {}
    sentences = []

    if total["children"] == 0:
        sentences.append(
            _("Ved udgangen af %(quarter)s var der ingen børn indskrevet.") % {"quarter": label}
        )
    else:
        text = _(
            "Ved udgangen af %(quarter)s var %(assessed)s af %(children)s indskrevne børn "
            "vurderet på Børnelinealen inden for det seneste år."
        ) % {
            "quarter": label,
            "assessed": count_text(assessed, suppress=suppress),
            "children": count_text(total["children"], suppress=suppress),
        }
        sentences.append(text)
        share_45 = _zone_45(figures, suppress=suppress)
        if share_45 is not None:
            text = _("%(share)s %% af de vurderede børn var i zone 4 eller 5") % {"share": share_45}
            previous = comparison.get("previous")
            before = _zone_45(previous, suppress=suppress) if previous else None
            if before is not None:
                text += _(" (sidste kvartal %(share)s %%)") % {"share": before}
            sentences.append(text + ".")

    movement = figures["movement"]
    improved = percent_value(movement["improved"], movement["children"], suppress=suppress)
    worsened = percent_value(movement["worsened"], movement["children"], suppress=suppress)
    if improved is not None and worsened is not None:
        sentences.append(
            _(
                "Af de %(children)s børn, der blev vurderet både sidste kvartal og i dette, "
                "kom %(improved)s %% i en bedre zone og %(worsened)s %% i en dårligere."
            )
            % {
                "children": count_text(movement["children"], suppress=suppress),
                "improved": improved,
                "worsened": worsened,
            }
        )

    concerns, und = figures["concerns"], figures["underretninger"]
    sentences.append(
        _("Der blev rejst %(concerns)s nye bekymringer og modtaget %(und)s underretninger.")
        % {
            "concerns": count_text(concerns["new"], suppress=suppress),
            "und": count_text(und["received"], suppress=suppress),
        }
    )
    within = percent_value(und["assessed_within_24h"], und["received"], suppress=suppress)
    if within is not None:
        sentences.append(
            _("%(share)s %% af underretningerne blev vurderet inden for 24 timer.")
            % {"share": within}
        )

    meetings = figures["meetings"]
    on_time = percent_value(meetings["on_time"], meetings["due"], suppress=suppress)
    if on_time is not None:
        sentences.append(
            _(
                "%(open)s sager var åbne ved kvartalets udgang; %(share)s %% af "
                "opfølgningsmøderne blev holdt til tiden."
            )
            % {
                "open": count_text(figures["cases"]["open_at_end"], suppress=suppress),
                "share": on_time,
            }
        )
    else:
        sentences.append(
            _("%(open)s sager var åbne ved kvartalets udgang.")
            % {"open": count_text(figures["cases"]["open_at_end"], suppress=suppress)}
        )

    early = figures["beacons"]["early_detection"]
    early_share = percent_value(
        early["first_concerns_zone_1_3"], early["first_concerns"], suppress=suppress
    )
    if early_share is not None:
        sentences.append(
            _("%(share)s %% af børnenes første bekymringer blev rejst allerede i zone 1–3.")
            % {"share": early_share}
        )

    part = figures["beacons"]["participation"]
    parents = percent_value(part["with_parents"], part["dialogues"], suppress=suppress)
    if parents is not None:
        sentences.append(
            _("Forældrene deltog i %(share)s %% af de %(dialogues)s LØFT-dialoger.")
            % {"share": parents, "dialogues": count_text(part["dialogues"], suppress=suppress)}
        )
    return sentences[:8]
